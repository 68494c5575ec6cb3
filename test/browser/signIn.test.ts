import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { signIn, waitForText } from "../helpers/console.ts";

describe("console sign-in", () => {
  it("refuses a wrong token with a clear message and keeps the form", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "sign-in refuses a wrong token");
    await browser.page.goto(app.url);
    await signIn(browser.page, "not-a-token");
    await expect(browser.page.getByRole("alert").textContent()).resolves.toContain("Wrong token");
    expect(await browser.page.getByLabel("API token").isVisible()).toBe(true);
    expect(await browser.page.evaluate(() => sessionStorage.length)).toBe(0);
    await browser.screenshot();
    browser.assertClean();
  });

  it("opens the connections dashboard with a good token, keeps it across a reload, and forgets it on sign-out", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "sign-in then sign-out");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    await waitForText(page, "No WABA yet");
    await waitForText(page, "Live");
    await browser.screenshot("empty-dashboard");

    await page.reload();
    await page.getByRole("heading", { name: "Connections" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    await waitForText(page, "no longer keeps the token");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    await page.getByLabel("API token").waitFor();
    browser.assertClean();
  });
});
