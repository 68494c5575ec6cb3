import { describe, expect, it } from "vitest";
import { partnerRemoved } from "../../src/cli/samples.ts";
import { startApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument, signIn, waitForText } from "../helpers/console.ts";
import { NEVER_PROJECTS, deliverStored, markFailedByStorage } from "../helpers/deliveries.ts";

const NOW = Math.floor(Date.now() / 1000);

describe("deliveries page", () => {
  it("opens on every delivery, live: one posted while it is open appears with its status, without a reload", async () => {
    const app = await startApp();
    const first = await deliverStored(app, partnerRemoved("444000222", NOW - 200, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }), "PROCESSED");

    const browser = await openPage(app.url, "deliveries open on all, live");
    const { page } = browser;
    await page.goto(`${app.url}/deliveries`);
    await signIn(page);
    await expect(page.getByLabel("Status").inputValue()).resolves.toBe("");
    await expect(page.locator(`tr[data-delivery="${first}"]`).innerText()).resolves.toMatch(/account_update\s+Processed/);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await browser.screenshot("opened");
    const stillSameDocument = await markDocument(page);

    const broken = await deliverStored(app, NEVER_PROJECTS, "FAILED");
    await page.locator(`tr[data-delivery="${broken}"]`).waitFor({ timeout: 10_000 });
    await expect(page.locator(`tr[data-delivery="${broken}"]`).innerText()).resolves.toContain("Failed");
    await waitForText(page, "2 deliveries");
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("lists failed deliveries with their errors and replays one from the page", async () => {
    const app = await startApp();
    const fixable = await deliverStored(app, partnerRemoved("444000111", NOW - 100, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }), "PROCESSED");
    await markFailedByStorage(app, fixable, "projection failed: database is locked");
    const broken = await deliverStored(app, NEVER_PROJECTS, "FAILED");

    const browser = await openPage(app.url, "deliveries replay a failed delivery");
    const { page } = browser;
    await page.goto(`${app.url}/deliveries`);
    await signIn(page);
    await page.getByLabel("Status").selectOption({ label: "Failed" });
    const fixableRow = page.locator(`tr[data-delivery="${fixable}"]`);
    const brokenRow = page.locator(`tr[data-delivery="${broken}"]`);
    await expect(fixableRow.innerText()).resolves.toContain("projection failed: database is locked");
    await expect(brokenRow.innerText()).resolves.toContain("ban_info.waba_ban_state");
    await browser.screenshot("failed");

    await page.getByRole("button", { name: `Replay delivery ${fixable}` }).click();
    await waitForText(page, "Replayed 1 delivery: 1 processed.");
    // The page lists FAILED deliveries: the replayed one has left the list, the other stays.
    await fixableRow.waitFor({ state: "detached" });
    expect(await brokenRow.isVisible()).toBe(true);

    await page.getByLabel("Status").selectOption({ label: "Processed" });
    // The summary shows as soon as the mutation answers; the list is re-read after it.
    await expect.poll(() => fixableRow.innerText()).toMatch(/Processed\s+2/);

    await page.getByLabel("Status").selectOption({ label: "Failed" });
    await page.getByLabel(`Select delivery ${broken}`).check();
    await page.getByRole("button", { name: "Replay selected (1)" }).click();
    await waitForText(page, "Replayed 1 delivery: 1 still failing.");
    await expect.poll(() => brokenRow.innerText()).toMatch(/Failed\s+2/);
    await browser.screenshot();
    browser.assertClean();
  });
});
