import { describe, expect, it } from "vitest";
import { API_TOKEN, startApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { fixture } from "../helpers/meta.ts";
import { GRAPHIQL_CSP } from "../../src/server/graphiql.ts";

// One line: Monaco indents and closes braces after a typed newline.
const SUBSCRIPTION = `subscription Live { disconnections(wabaId: "980198427658004") { kind reason initiatedBy recommendedAction } }`;

/** Replaces the text of the Monaco editor inside `container` as a person would (click, select all, type). */
async function typeInto(page: import("playwright-core").Page, container: string, text: string) {
  await page.locator(`${container} .monaco-editor`).filter({ visible: true }).first().click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // insertText: typing `{` key by key would let Monaco auto-close brackets a second time.
  await page.keyboard.insertText(text);
}

/** The text of the Monaco editors inside `container` (the lines they render; the tools pane holds variables and headers). */
const editorText = (page: import("playwright-core").Page, container: string) =>
  page.evaluate((c) => [...document.querySelectorAll(`${c} .view-lines`)].map((e) => e.textContent?.replace(/\s+/g, " ")).join("\n"), container);

describe("GraphiQL in a browser with no internet", () => {
  it("opens quietly: nothing is asked of /graphql before a token is in the Headers pane, and a new tab keeps the token", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "graphiql-opens-quietly");
    const { page } = browser;
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(`${app.url}/graphql`) && r.method() === "POST") asked.push(r.headers()["authorization"] ?? "(no header)");
    });
    const refused: number[] = [];
    page.on("response", (r) => void (r.url().startsWith(`${app.url}/graphql`) && r.status() === 401 && refused.push(r.status())));

    await page.goto(`${app.url}/graphql`);
    await page.waitForSelector(".graphiql-query-editor .monaco-editor");
    await page.waitForFunction(() => document.body.innerText.includes("API_TOKENS"));
    // GraphiQL asks for the schema as it mounts; by the time the network is quiet it would have been refused.
    await page.waitForLoadState("networkidle");
    expect(asked).toEqual([]);
    expect(refused).toEqual([]);
    expect(await page.locator(".result-window").innerText()).not.toMatch(/bearer token|error/i);
    await browser.screenshot("opened");

    await page.getByRole("button", { name: "Headers" }).click();
    const headers = JSON.stringify({ Authorization: `Bearer ${API_TOKEN}` });
    const introspected = page.waitForResponse(
      (r) => r.url().startsWith(`${app.url}/graphql`) && r.status() === 200 && (r.request().postData() ?? "").includes("__schema"),
    );
    await typeInto(page, ".graphiql-editor-tool", headers);
    await introspected;
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((a) => a === `Bearer ${API_TOKEN}`)).toBe(true);
    expect(refused).toEqual([]);

    await page.getByRole("button", { name: "New tab" }).click();
    await page.waitForFunction(() => document.querySelectorAll(".graphiql-tab").length === 2);
    await expect.poll(() => editorText(page, ".graphiql-editor-tool"), { timeout: 10_000 }).toContain(`"Bearer ${API_TOKEN}"`);
    await browser.screenshot("new-tab");
    browser.assertClean();
  });

  it("streams a disconnection into the result pane for a subscription typed with the token in the headers pane", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "graphiql-subscription");
    const { page } = browser;

    const pageResponse = await page.goto(`${app.url}/graphql`);
    expect(pageResponse?.headers()["content-security-policy"]).toBe(GRAPHIQL_CSP);
    await page.waitForSelector(".graphiql-query-editor .monaco-editor");
    // The welcome says where the token comes from.
    await page.waitForFunction(() => document.body.innerText.includes("API_TOKENS"));
    await browser.screenshot("welcome");

    // Setting the header makes the page fetch the schema again, now authorised.
    await page.getByRole("button", { name: "Headers" }).click();
    const introspected = page.waitForResponse(
      (r) => r.url().startsWith(`${app.url}/graphql`) && r.status() === 200 && (r.request().postData() ?? "").includes("__schema"),
    );
    await typeInto(page, ".graphiql-editor-tool", JSON.stringify({ Authorization: `Bearer ${API_TOKEN}` }));
    await introspected;
    // The new schema re-renders the editors; text typed meanwhile can be lost.
    await page.waitForLoadState("networkidle");

    await typeInto(page, ".graphiql-query-editor", SUBSCRIPTION);
    await page.waitForFunction(
      () => document.querySelector(".graphiql-query-editor .view-lines")?.textContent?.replace(/\s+/g, " ").includes("disconnections(wabaId"),
      undefined,
      { timeout: 10_000 },
    );
    // GraphiQL takes the operation's name from the editor after a debounce; run before it has, and it
    // asks for the previous name ("Cannot infer operation"). The tab shows the name once it is taken.
    await page.waitForFunction(() => document.querySelector(".graphiql-tab-active")?.textContent?.trim() === "Live", undefined, { timeout: 10_000 });
    const streaming = page.waitForResponse((r) => (r.request().headers()["accept"] ?? "").includes("text/event-stream"));
    await page.locator(".graphiql-execute-button").click();
    expect((await streaming).status()).toBe(200);

    expect((await app.deliver(fixture("account_update/partner_removed_primary_inactivity_by_system"))).status).toBe(200);
    await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes("PROMPT_RECONNECT"), undefined, { timeout: 10_000 });
    const result = await page.locator(".result-window").innerText();
    expect(result).toContain("PARTNER_REMOVED");
    expect(result).toContain("PRIMARY_INACTIVITY");
    await browser.screenshot("event-received");
    browser.assertClean();
  });
});
