import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { countGraphqlRequests, signIn } from "../helpers/console.ts";
import { inboundText } from "../helpers/mirror.ts";

// Issue #22: "10 inbound messages caused 10 refetches of the thread list". While subscription
// events stream in, the thread list re-reads at most once per second (and still ends up showing
// the last message). Counted, not timed: the bound is derived from the time the stream took.
const MESSAGES = 40;
const AT = 1_760_000_000;

describe("inbox under a stream of messages", () => {
  it("re-reads the thread list at most once per second while messages stream in, and shows the last one", async () => {
    const app = await startApp();
    const first = await app.deliver(inboundText("wamid.storm-0", "5511911110000", AT, "first"));
    expect(first.status).toBe(200);

    const browser = await openPage(app.url, "inbox storm");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByText("first").waitFor();
    await page.getByText("Live", { exact: true }).waitFor();

    const graphqlRequests = countGraphqlRequests(page);
    const start = performance.now();
    for (let i = 1; i <= MESSAGES; i++) {
      const res = await app.deliver(inboundText(`wamid.storm-${i}`, `55119111${String(i).padStart(5, "0")}`, AT + i, `message ${i}`));
      expect(res.status).toBe(200);
    }
    // The last message's thread shows (the trailing re-read saw it), within a deadline.
    await page.getByText(`message ${MESSAGES}`, { exact: true }).waitFor({ timeout: 15_000 });
    const seconds = (performance.now() - start) / 1000;

    // One re-read per started second of streaming, plus the trailing one after the last event.
    expect(graphqlRequests.count, `${graphqlRequests.count} requests in ${seconds.toFixed(1)} s`).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(graphqlRequests.count).toBeGreaterThan(0);
    browser.assertClean();
  });
});
