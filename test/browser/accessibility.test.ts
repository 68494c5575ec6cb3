import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { accountOffboarded, partnerRemoved } from "../../src/cli/samples.ts";
import { API_TOKEN, startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { signIn, wabaCard } from "../helpers/console.ts";
import { NEVER_PROJECTS, deliverStored } from "../helpers/deliveries.ts";
import { fixture } from "../helpers/meta.ts";
import { inboundText } from "../helpers/mirror.ts";

const NOW = Math.floor(Date.now() / 1000);
const WABA = "555666777888999";
/** The WABA of the fixtures' business number. */
const NUMBERS_WABA = "102290129340398";

async function filled(): Promise<TestApp> {
  const app = await startApp();
  await deliverStored(app, accountOffboarded(WABA, NOW - 600), "PROCESSED");
  await deliverStored(app, partnerRemoved("555666777888000", NOW - 300, { reason: "USER_RE_REGISTERED", initiatedBy: "USER" }), "PROCESSED");
  await deliverStored(
    app,
    inboundText(
      "wamid.a11y",
      "16505551234",
      NOW - 100,
      "Um texto bem comprido para ver se a bolha quebra a linha direito num telefone estreito",
      "Sheena Nelson",
    ),
    "PROCESSED",
  );
  await deliverStored(app, NEVER_PROJECTS, "FAILED");
  // The number of that message, cut off alone by Meta's coexistence PARTNER_REMOVED: the WABA page lists it.
  await deliverStored(app, fixture("account_update/partner_removed_with_phone_number"), "PROCESSED");
  return app;
}

/** Form controls and buttons without a name a screen reader can say. */
const unnamedControls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("input, select, button, a[href]")]
      .filter((el) => {
        const labelled = el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.labels?.length : 0;
        return !labelled && !el.getAttribute("aria-label") && !(el.textContent ?? "").trim();
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );

const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("console accessibility and small screens", () => {
  it("works from the keyboard alone: sign in, skip link, pages, with a visible focus", async () => {
    const app = await filled();
    const browser = await openPage(app.url, "keyboard only");
    const { page } = browser;
    await page.goto(app.url);
    // The token field has the focus on arrival (once the app has mounted: it renders after the load event).
    await page.waitForFunction(() => document.activeElement instanceof HTMLInputElement && document.activeElement.type === "password");
    await page.keyboard.type(API_TOKEN);
    await page.keyboard.press("Enter");
    await wabaCard(page, WABA).waitFor();

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== "Deliveries"; i++) await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Deliveries" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/deliveries");
    await browser.screenshot();
    browser.assertClean();
  });

  it("names every control, and fits a phone-width screen on every page without sideways scrolling", async () => {
    const app = await filled();
    const browser = await openPage(app.url, "phone width");
    const { page } = browser;
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(app.url);
    await signIn(page);
    await wabaCard(page, WABA).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
    await browser.screenshot("connections");

    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("region", { name: "Conversations" }).waitFor();
    await page.getByRole("link", { name: /Sheena Nelson/ }).click();
    await page.locator('li.message[data-wamid="wamid.a11y"]').waitFor();
    // One pane at a time on a phone: the conversation, with a way back to the list.
    expect(await page.getByRole("region", { name: "Conversations" }).isVisible()).toBe(false);
    expect(await page.getByRole("link", { name: "← All conversations" }).isVisible()).toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
    await browser.screenshot("inbox");

    await page.getByRole("link", { name: "Deliveries" }).click();
    await page.locator("tr[data-delivery]").first().waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
    await browser.screenshot("deliveries");

    await page.goto(`${app.url}/wabas/${NUMBERS_WABA}`);
    await page.getByRole("list", { name: "Phone numbers" }).getByRole("progressbar").waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
    await browser.screenshot("waba");
    browser.assertClean();
  });
});
