import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { teardown } from "./teardown.ts";

/**
 * A real page in Debian's Chromium (playwright-core drives it; Playwright's own browser download
 * cannot be reached here and is not needed). Every request must go to the hub under test: anything
 * else (a CDN, a font, a tracker) is aborted and fails the test, since a page that needs one is broken
 * behind a proxy or a strict CSP. Uncaught page errors and console errors fail it too.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Screenshots land here (a failing test keeps its screenshots; nothing deletes them). */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-results/browser/", import.meta.url));

const ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface BrowserPage {
  page: Page;
  /** Saves a full-page PNG named after the test (and the label); resolves with its path. */
  screenshot(label?: string): Promise<string>;
  /** Throws when a request left the hub's origin, the page threw, or it logged a console error. */
  assertClean(): void;
  close(): Promise<void>;
}

export async function openPage(baseUrl: string, name: string): Promise<BrowserPage> {
  const origin = new URL(baseUrl);
  const wsOrigin = `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}`;
  const local = (url: string) =>
    url.startsWith(`${origin.origin}/`) || url === origin.origin || url.startsWith(`${wsOrigin}/`) || url.startsWith("data:") || url.startsWith("blob:");

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];

  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    problems.push(`request outside the hub blocked: ${url}`);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("websocket", (ws) => {
    if (!local(ws.url())) problems.push(`WebSocket outside the hub: ${ws.url()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught page error: ${error.stack ?? error.message}`));
  // Errors in workers (GraphiQL's Monaco runs its language services in some) do not reach pageerror.
  context.on("weberror", (error) => problems.push(`uncaught error: ${error.error().message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every 4xx answer as "Failed to load resource"; a 401 for a wrong token is the
    // page's to handle (the tests check what it shows). Server errors are caught below instead.
    if (message.text().startsWith("Failed to load resource: the server responded with a status of 4")) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) problems.push(`server error ${response.status()} for ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // Aborted by us (already recorded) or cancelled by the page itself on navigation.
    if (failure.includes("ERR_BLOCKED_BY_CLIENT") || failure.includes("ERR_ABORTED")) return;
    problems.push(`request failed (${failure}): ${request.url()}`);
  });

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const slug = name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
  let closed = false;

  const handle: BrowserPage = {
    page,
    async screenshot(label) {
      const path = join(SCREENSHOT_DIR, `${slug}${label ? `--${label}` : ""}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    assertClean() {
      if (problems.length) throw new Error(`the page was not clean:\n- ${problems.join("\n- ")}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      // Every test leaves a picture of where it ended, passed or failed (the one to look at when it failed).
      await handle.screenshot("end").catch(() => undefined);
      await browser.close();
    },
  };
  teardown(() => handle.close());
  return handle;
}
