import { describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import * as signals from "../../src/cli/signalSamples.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument, signIn, waitForText } from "../helpers/console.ts";
import { fixture } from "../helpers/meta.ts";
import { BUSINESS, DISPLAY, WABA, echoText, inboundText } from "../helpers/mirror.ts";

/**
 * The account signals in the console (docs/account-signals.md): a WABA's page shows its messaging
 * limit, Meta's open alerts, each number's health (numbers at risk of the inactivity cut-off first)
 * and its templates, live; a conversation says when its user stopped marketing messages.
 */
const NOW = Math.floor(Date.now() / 1000);
const DAY = 86_400;
const USER = "16505551234";
const SECOND: samples.SampleBusiness = { wabaId: WABA, phoneNumberId: "106540352242999", displayNumber: "15550783999" };
const SAMPLE: samples.SampleBusiness = { wabaId: WABA, phoneNumberId: BUSINESS.phoneNumberId, displayNumber: DISPLAY };
const ORDER: signals.SampleTemplate = { templateId: 1689556908129832, name: "order_confirmation", language: "en-US", category: "UTILITY" };

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
}

describe("account signals in the console", () => {
  it("shows a WABA's limit tier, open alerts, number health (at risk first) and templates, and a template paused by Meta live", async () => {
    const app = await startApp();
    // The second number's app was used today; the fixtures' number's last echo is 11 days old.
    await deliver(app, samples.echoText(SECOND, { wamid: "wamid.console.1", user: USER, at: NOW - 600, body: "today" }));
    await deliver(app, echoText("wamid.console.2", USER, NOW - 11 * DAY, "before the holidays"));
    await deliver(app, signals.capabilities(WABA, "TIER_2K", 25, NOW - 3600));
    await deliver(app, fixture("account_alerts/increased_capabilities_deferred"));
    await deliver(app, signals.numberQuality(SAMPLE, "THROUGHPUT_UPGRADE", "TIER_10K", NOW - 7200));
    await deliver(app, fixture("phone_number_name_update/approved"));
    await deliver(app, signals.templateStatus(SAMPLE, ORDER, "APPROVED", NOW - 5000));
    await deliver(app, signals.templateQuality(SAMPLE, ORDER, "GREEN", "YELLOW", NOW - 4000));

    const browser = await openPage(app.url, "account signals on the waba page");
    const { page } = browser;
    await page.goto(`${app.url}/wabas/${WABA}`);
    await signIn(page);
    await waitForText(page, "Number health");

    await expect(page.locator('dl[aria-label="Messaging limit"]').innerText()).resolves.toMatch(/Limit tier\s*2,000 users \/ 24 h[\s\S]*at most 25/);
    const alerts = await page.getByRole("list", { name: "Open alerts" }).innerText();
    expect(alerts).toContain("Warning");
    expect(alerts).toContain("Increased capabilities eligibility deferred");
    const health = page.getByRole("list", { name: "Number health" }).locator("li.card");
    await expect(health.nth(0).innerText()).resolves.toMatch(
      new RegExp(`\\+${DISPLAY}[\\s\\S]*App idle: warn the business[\\s\\S]*2 days before Meta's cut-off`),
    );
    await expect(health.nth(0).innerText()).resolves.toMatch(/Throughput upgrade, limit 10,000 users \/ 24 h[\s\S]*Lucky Shrub: approved/);
    await expect(health.nth(1).innerText()).resolves.toMatch(/\+15550783999[\s\S]*App in use/);
    const row = page.locator('tr[data-template="order_confirmation"]');
    await expect(row.innerText()).resolves.toMatch(/order_confirmation\s*en-US[\s\S]*Utility[\s\S]*Approved[\s\S]*Yellow/);
    await browser.screenshot("signals");

    const notReloaded = await markDocument(page);
    await deliver(app, signals.templateStatus(SAMPLE, ORDER, "PAUSED", NOW - 60));
    await waitForText(page, "Template order_confirmation (en-US): paused.");
    // The notice is the event itself; the table is re-read at most once a second (throttledRefetch.ts).
    await expect.poll(() => row.innerText()).toMatch(/Paused\s*cannot be sent/);
    await notReloaded();
    await browser.screenshot("paused-live");
    browser.assertClean();
  });

  it("says in a conversation that its user stopped marketing messages", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.console.3", USER, NOW - 120, "no more offers please", "Sheena Nelson"));
    await deliver(app, signals.marketingPreference(SAMPLE, USER, "stop", NOW - 60));

    const browser = await openPage(app.url, "marketing opt-out in a conversation");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /Sheena Nelson/ }).click();
    await page.getByRole("heading", { name: "Sheena Nelson" }).waitFor();
    await waitForText(page, "Stopped marketing messages on");
    await expect(page.locator(".opt-out").innerText()).resolves.toContain("marketing templates are refused");
    await browser.screenshot("opt-out");
    browser.assertClean();
  });
});
