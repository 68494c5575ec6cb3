import { expect } from "vitest";
import type { Page } from "playwright-core";
import { API_TOKEN } from "./app.ts";

/** Signs in to the console as a person would: types the token and presses the button. */
export async function signIn(page: Page, token: string = API_TOKEN): Promise<void> {
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Waits until the page's visible text includes `text` (no sleeps; Playwright's own deadline). */
export async function waitForText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout });
}

/** The card of one WABA on the dashboard. */
export const wabaCard = (page: Page, wabaId: string) => page.locator(`li.card[data-waba="${wabaId}"]`);

/** Marks the document so a test can tell a live change from a reload (a reload loses the mark). */
export async function markDocument(page: Page): Promise<() => Promise<void>> {
  await page.evaluate(() => document.documentElement.setAttribute("data-test-mark", "kept"));
  return async () => {
    expect(await page.evaluate(() => document.documentElement.getAttribute("data-test-mark")), "the page reloaded").toBe("kept");
  };
}

/**
 * Counts the console's GraphQL requests (POST /graphql) from now on: the storm tests' measure of
 * how often a page re-reads while subscription events stream in (issue #22).
 */
export function countGraphqlRequests(page: Page): { readonly count: number } {
  const seen = { count: 0 };
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/graphql" && r.method() === "POST") seen.count++;
  });
  return seen;
}
