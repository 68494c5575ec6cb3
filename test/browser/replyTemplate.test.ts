import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument } from "../helpers/console.ts";
import { fixture } from "../helpers/meta.ts";
import { inboundText, WABA } from "../helpers/mirror.ts";
import { ORDER_UPDATE, PROMO_IMAGE, STORE_COUPON, WELCOME_PENDING } from "../helpers/templates.ts";
import { messageWithText, openConversation, sendsAtFake } from "../helpers/replies.ts";
import { deliver, hubWithFake, now } from "../helpers/sending.ts";

const USER = "16505551234";
const DAY = 24 * 3600;

/** Meta's PAUSED example, for another template of the same WABA. */
function pausedTemplate(name: string, id: number) {
  const payload = fixture("message_template_status_update/paused_second_pause");
  Object.assign(payload.entry[0].changes[0].value, { message_template_name: name, message_template_id: id });
  return payload;
}

/** A customer who last wrote 2 days ago, and three templates: approved, rejected and paused. */
async function outsideTheWindow(app: TestApp) {
  await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY, "Tem o modelo azul?", "Sheena Nelson"));
  await deliver(app, fixture("message_template_status_update/approved"));
  await deliver(app, fixture("message_template_status_update/rejected_invalid_format"));
  await deliver(app, pausedTemplate("welcome_back", 1689556908129999));
}

const options = (page: Page) =>
  page
    .getByLabel("Template", { exact: true })
    .locator("option")
    .evaluateAll((els) => els.map((o) => ({ label: o.textContent, disabled: (o as HTMLOptionElement).disabled })));

describe("the template picker", () => {
  it("lists the WABA's templates, only approved ones can be chosen, and sends the one chosen", async () => {
    const { app, fake } = await hubWithFake();
    await outsideTheWindow(app);
    const browser = await openPage(app.url, "reply template picker");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Template", { exact: true }).waitFor();
    expect(await options(page)).toEqual([
      { label: "Choose a template…", disabled: false },
      { label: "order_confirmation (en-US, utility)", disabled: false },
      { label: "abandoned_cart (en, marketing) — rejected", disabled: true },
      { label: "welcome_back (en-US, utility) — paused by Meta", disabled: true },
    ]);
    const send = page.getByRole("button", { name: "Send template" });
    expect(await send.isDisabled()).toBe(true);

    await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_confirmation (en-US, utility)" });
    await browser.screenshot("chosen");
    await send.click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({ to: USER, type: "template", template: { name: "order_confirmation", language: { code: "en-US" } } });
    await messageWithText(page, "order_confirmation").waitFor();
    await browser.screenshot();
    browser.assertClean();
  });

  it("stops offering a template that Meta pauses while the picker is open", async () => {
    const { app } = await hubWithFake();
    await outsideTheWindow(app);
    const browser = await openPage(app.url, "reply template paused live");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Template", { exact: true }).waitFor();
    const stillSameDocument = await markDocument(page);
    await deliver(app, pausedTemplate("order_confirmation", 1689556908129832));
    await page.locator("option", { hasText: "order_confirmation (en-US, utility) — paused by Meta" }).waitFor({ state: "attached" });
    expect((await options(page)).filter((o) => !o.disabled).map((o) => o.label)).toEqual(["Choose a template…"]);
    await stillSameDocument();
    browser.assertClean();
  });

  it("lists the templates Meta lists, asks for the variables of the one chosen and sends them; 'Refresh templates' lists them again", async () => {
    const { app, fake } = await hubWithFake();
    fake.templates.set(WABA, [ORDER_UPDATE, PROMO_IMAGE, WELCOME_PENDING]);
    await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY, "Cadê meu pedido?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply template variables");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Template", { exact: true }).waitFor();
    expect(await options(page)).toEqual([
      { label: "Choose a template…", disabled: false },
      { label: "order_update (pt_BR, utility)", disabled: false },
      { label: "promo_image (en_US, marketing)", disabled: false },
      { label: "welcome_back (en_US, utility) — waiting for Meta's review", disabled: true },
    ]);

    await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (pt_BR, utility)" });
    const send = page.getByRole("button", { name: "Send template" });
    await page.getByLabel("Header {{1}}").fill("#4521");
    await page.getByLabel("Body {{1}}").fill("Ana");
    await page.getByLabel("Body {{2}}").fill("#4521");
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel("Body {{3}}").fill("10h");
    await browser.screenshot("variables");
    await send.click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({
      to: USER,
      template: {
        name: "order_update",
        language: { code: "pt_BR" },
        components: [
          { type: "header", parameters: [{ type: "text", text: "#4521" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Ana" },
              { type: "text", text: "#4521" },
              { type: "text", text: "10h" },
            ],
          },
        ],
      },
    });

    fake.templates.set(WABA, [ORDER_UPDATE, { ...WELCOME_PENDING, status: "APPROVED" }]);
    await page.getByRole("button", { name: "Refresh templates" }).click();
    await page.locator("option:not([disabled])", { hasText: "welcome_back (en_US, utility)" }).waitFor({ state: "attached" });
    expect(fake.listings()).toHaveLength(2);
    browser.assertClean();
  });

  it("asks a media header's link and a URL button's variable, and sends them as Meta's header and button components", async () => {
    const { app, fake } = await hubWithFake();
    fake.templates.set(WABA, [PROMO_IMAGE]);
    await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY, "Tem promoção?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply template media and button");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Template", { exact: true }).selectOption({ label: "promo_image (en_US, marketing)" });
    const send = page.getByRole("button", { name: "Send template" });
    await page.getByLabel("Header image link (https://…)").fill("https://cdn.example/promo.jpg");
    await page.getByLabel("Body {{first_name}}").fill("Sheena");
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel("Button 1: URL {{1}}").fill("summer");
    await browser.screenshot("media and button");
    await send.click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({
      template: {
        name: "promo_image",
        components: [
          { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example/promo.jpg" } }] },
          { type: "body", parameters: [{ type: "text", parameter_name: "first_name", text: "Sheena" }] },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "summer" }] },
        ],
      },
    });
    browser.assertClean();
  });

  it("asks a location header's place (name and address optional) and a coupon code, and sends them", async () => {
    const { app, fake } = await hubWithFake();
    fake.templates.set(WABA, [STORE_COUPON]);
    await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY, "Onde fica a loja?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply template location and coupon");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Template", { exact: true }).selectOption({ label: "store_coupon (pt_BR, marketing)" });
    const send = page.getByRole("button", { name: "Send template" });
    await page.getByLabel("Header location: latitude").fill("-23.5614");
    await page.getByLabel("Header location: longitude").fill("-46.6559");
    await page.getByLabel("Body {{1}}").fill("LOJA10");
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel("Button 2: coupon code").fill("LOJA10");
    await send.click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({
      template: {
        components: [
          { type: "header", parameters: [{ type: "location", location: { latitude: "-23.5614", longitude: "-46.6559" } }] },
          { type: "body", parameters: [{ type: "text", text: "LOJA10" }] },
          { type: "button", sub_type: "copy_code", index: "1", parameters: [{ type: "coupon_code", coupon_code: "LOJA10" }] },
        ],
      },
    });
    browser.assertClean();
  });
});
