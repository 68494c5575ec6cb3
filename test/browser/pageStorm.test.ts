import { describe, expect, it } from "vitest";
import { accountOffboarded, accountReconnected, partnerAdded } from "../../src/cli/samples.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { countGraphqlRequests, signIn, wabaCard } from "../helpers/console.ts";

// Issue #22: the thread list re-reads at most once a second (inboxStorm.test.ts); so do the
// deliveries page, the dashboard and a WABA's page while their subscriptions stream. Counted, not
// timed: the bound is one re-read per started second of the stream, plus the trailing one.
const EVENTS = 40;
const AT = 1_760_000_000;
const WABA = "555000111";

/** Alternating offboard / reconnect events of one WABA, one second apart by Meta's time. */
async function streamLifecycle(app: TestApp, events: number): Promise<number> {
  const start = performance.now();
  for (let i = 1; i <= events; i++) {
    const res = await app.deliver(i % 2 ? accountOffboarded(WABA, AT + i) : accountReconnected(WABA, AT + i));
    expect(res.status).toBe(200);
  }
  return start;
}

async function openOn(app: TestApp, path: string, name: string) {
  const browser = await openPage(app.url, name);
  await browser.page.goto(`${app.url}${path}`);
  await signIn(browser.page);
  await browser.page.getByRole("status").filter({ hasText: "Live" }).first().waitFor();
  return browser;
}

const bound = (start: number) => Math.ceil((performance.now() - start) / 1000) + 1;

describe("console pages under a stream of events", () => {
  it("the deliveries page re-reads at most once per second and ends showing every delivery", async () => {
    const app = await startApp();
    expect((await app.deliver(partnerAdded(WABA, AT))).status).toBe(200);
    const browser = await openOn(app, "/deliveries", "deliveries storm");
    const requests = countGraphqlRequests(browser.page);
    const start = await streamLifecycle(app, EVENTS);
    await browser.page.getByText(`${EVENTS + 1} deliveries`).waitFor({ timeout: 15_000 });
    expect(requests.count).toBeLessThanOrEqual(bound(start));
    browser.assertClean();
  });

  it("the dashboard re-reads at most once per second and ends on the WABA's last state", async () => {
    const app = await startApp();
    expect((await app.deliver(partnerAdded(WABA, AT))).status).toBe(200);
    const browser = await openOn(app, "/", "dashboard storm");
    const requests = countGraphqlRequests(browser.page);
    const start = await streamLifecycle(app, EVENTS);
    // An even count ends on a reconnection.
    await wabaCard(browser.page, WABA).getByText("Connected", { exact: true }).waitFor({ timeout: 15_000 });
    expect(requests.count).toBeLessThanOrEqual(bound(start));
    browser.assertClean();
  });

  it("a WABA's page re-reads at most once per second while its events stream", async () => {
    const app = await startApp();
    expect((await app.deliver(partnerAdded(WABA, AT))).status).toBe(200);
    const browser = await openOn(app, `/wabas/${WABA}`, "waba page storm");
    const requests = countGraphqlRequests(browser.page);
    const start = await streamLifecycle(app, EVENTS);
    await expect.poll(() => browser.page.locator("ol.timeline > li").count(), { timeout: 15_000 }).toBe(EVENTS + 1);
    expect(requests.count).toBeLessThanOrEqual(bound(start));
    browser.assertClean();
  });
});
