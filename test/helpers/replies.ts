import type { Page } from "playwright-core";
import type { TestApp } from "./app.ts";
import type { BrowserPage } from "./browser.ts";
import { signIn } from "./console.ts";
import { eventually } from "./eventually.ts";
import type { FakeGraph, RecordedRequest } from "./fakeGraph.ts";

/** Signs in and opens the conversation whose row in the list matches `contact`. */
export async function openConversation(browser: BrowserPage, app: TestApp, contact: RegExp): Promise<Page> {
  const { page } = browser;
  await page.goto(`${app.url}/inbox`);
  await signIn(page);
  await page.getByRole("link", { name: contact }).click();
  await page.getByRole("region", { name: "Reply" }).locator("textarea, select, .gate-notice").first().waitFor();
  return page;
}

/** A message of the open conversation, by its wamid. */
export const messageOf = (page: Page, wamid: string) => page.locator(`li.message[data-wamid="${wamid}"]`);

/** A message of the open conversation, by (part of) its text. */
export const messageWithText = (page: Page, text: string) => page.locator("li.message").filter({ hasText: text });

/** Waits until the fake Graph API has received `count` message sends; resolves with them. */
export function sendsAtFake(fake: FakeGraph, count: number): Promise<RecordedRequest[]> {
  return eventually(
    async () => fake.sends(),
    (sends) => sends.length >= count,
    `${count} send(s) at the fake Graph API`,
  );
}

/**
 * Lets a test hold the page's live feed back: while held, the hub's subscription events ("next"
 * messages of graphql-ws) wait, so what the page shows comes from its own requests; released, they
 * reach it in order. Call before the page opens its WebSocket (before goto).
 */
export async function liveFeedSwitch(browser: BrowserPage): Promise<{ hold(): void; release(): void }> {
  let held: string[] | null = null;
  let toPage: ((message: string | Buffer) => void) | null = null;
  await browser.page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    toPage = (message) => ws.send(message);
    server.onMessage((message) => {
      if (held && typeof message === "string" && (JSON.parse(message) as { type?: string }).type === "next") return void held.push(message);
      ws.send(message);
    });
  });
  return {
    hold: () => void (held = []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const m of waiting) toPage?.(m);
    },
  };
}
