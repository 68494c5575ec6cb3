import { describe, expect, it } from "vitest";
import { addAlertTarget } from "../../src/alerts/targets.ts";
import { startApp, TEST_ALERTS } from "../helpers/app.ts";
import { alertReceiver } from "../helpers/alertReceiver.ts";
import { openPage } from "../helpers/browser.ts";
import { signIn, waitForText } from "../helpers/console.ts";
import { withDb } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { partnerRemoved } from "../helpers/mirror.ts";

const NOW = Math.floor(Date.now() / 1000);

describe("alerts page", () => {
  it("lists the targets and the attempts with their last try, and replays a failed attempt until it is delivered", async () => {
    // Retries end after 600 ms: the attempt to a failing receiver is FAILED before the page opens.
    const app = await startApp({ alerts: { ...TEST_ALERTS, retryMaxMinutes: 0.01 } });
    const receiver = await alertReceiver({ kind: "failing", times: Number.MAX_SAFE_INTEGER });
    await withDb(app.databaseUrl, (db) =>
      addAlertTarget(db, { url: receiver.url, events: ["disconnection.opened"], format: "SLACK", name: "ops-slack" }, undefined),
    );
    await app.deliver(partnerRemoved("970000000000001", NOW - 60));
    await eventually(
      async () => (await app.graphql(`{ alertAttempts(first: 1, failedOnly: true) { totalCount } }`)).data.alertAttempts.totalCount,
      (n) => n === 1,
      "a FAILED attempt",
    );

    const browser = await openPage(app.url, "alerts replay a failed attempt");
    const { page } = browser;
    await page.goto(`${app.url}/alerts`);
    await signIn(page);
    await expect(page.locator("table.alert-targets tbody tr").innerText()).resolves.toMatch(
      /ops-slack\s+Slack\s+disconnection\.opened\s+http:\/\/127\.0\.0\.1/,
    );
    const row = page.locator("table.alert-attempts tbody tr").first();
    await expect(row.innerText()).resolves.toMatch(/disconnection\.opened · WABA 970000000000001\s+ops-slack\s+Failed\s+HTTP 500 in \d+ ms \(\d+ tr(y|ies)\)/);
    await browser.screenshot("failed");

    receiver.answer({ kind: "healthy" });
    await row.getByRole("button", { name: /^Replay disconnection\.opened to ops-slack/ }).click();
    await waitForText(page, "Posting disconnection.opened to ops-slack again.");
    // The replay is a new attempt, listed first; the page re-reads it until it is no longer pending.
    await expect
      .poll(() => page.locator("table.alert-attempts tbody tr").first().innerText(), { timeout: 10_000 })
      .toMatch(/· replay\s+ops-slack\s+Delivered\s+HTTP 200/);
    await expect(page.locator("table.alert-attempts tbody tr").nth(1).innerText()).resolves.toContain("Failed");

    await page.getByLabel("Failed only").check();
    await expect.poll(() => page.locator("table.alert-attempts tbody tr").count()).toBe(1);
    await waitForText(page, "1 attempt that gave up");
    await browser.screenshot();
    browser.assertClean();
  });
});
