import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { teardown } from "./teardown.ts";

/** Debian's chromium (Playwright's own browser download cannot reach the internet here). */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Screenshots land here, one file per test and label; look at them. */
export const BROWSER_OUTPUT = join(process.cwd(), "test-results", "browser");

export interface BrowserPage {
  page: Page;
  /** Saves a full-page screenshot and returns its path. */
  screenshot(label?: string): Promise<string>;
  /** Throws if the page asked for anything outside the hub, threw an uncaught error or broke its CSP. */
  assertClean(): void;
  close(): Promise<void>;
}

/**
 * Opens a headless chromium page at `baseUrl` with every request that does not go to that origin
 * blocked, as a browser behind a proxy or a strict CSP would see it. Closed after the test.
 */
export async function openPage(baseUrl: string, name: string): Promise<BrowserPage> {
  const origin = new URL(baseUrl);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser.close();
  };
  teardown(close);

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  const isLocal = (url: string) => {
    if (url.startsWith("data:") || url.startsWith("blob:")) return true;
    try {
      const u = new URL(url);
      return u.host === origin.host && ["http:", "https:", "ws:", "wss:"].includes(u.protocol);
    } catch {
      return false;
    }
  };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    problems.push(`blocked request: ${url}`);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (error) => problems.push(`page error: ${error.error().message}`));
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on("websocket", (ws) => {
    if (!isLocal(ws.url())) problems.push(`websocket outside the hub: ${ws.url()}`);
  });

  mkdirSync(BROWSER_OUTPUT, { recursive: true });
  let shots = 0;
  return {
    page,
    async screenshot(label = String(++shots)) {
      const path = join(BROWSER_OUTPUT, `${name}-${label}.png`.replace(/[^\w.-]+/g, "_"));
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    assertClean() {
      if (problems.length) throw new Error(`the page was not clean:\n${problems.join("\n")}`);
    },
    close,
  };
}
