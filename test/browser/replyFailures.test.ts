import { describe, expect, it } from "vitest";
import { accountOffboarded, accountReconnected } from "../../src/cli/samples.ts";
import { openPage } from "../helpers/browser.ts";
import { APP_SECRET } from "../helpers/app.ts";
import { BUSINESS, inboundText, status, WABA } from "../helpers/mirror.ts";
import { messageOf, messageWithText, openConversation, sendsAtFake } from "../helpers/replies.ts";
import { deliver, hubWithFake, now } from "../helpers/sending.ts";

const USER = "16505551234";

describe("held and failed sends in the conversation", () => {
  it("shows a send held while the number is offboarded, with why, and sends it once Meta reconnects the number", async () => {
    const { app, fake } = await hubWithFake();
    await deliver(app, inboundText("wamid.asks", USER, now() - 120, "Olá", "Sheena Nelson"));
    await deliver(app, accountOffboarded(WABA, now() - 60));
    const browser = await openPage(app.url, "reply held");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Message to Sheena Nelson").fill("Já volto a falar consigo");
    await page.getByRole("button", { name: "Send" }).click();

    const held = messageWithText(page, "Já volto a falar consigo");
    await held.getByText("Held").waitFor();
    await expect(held.innerText()).resolves.toContain("paused: the number is being reconnected");
    expect(await held.getByRole("button", { name: "Send again" }).count()).toBe(0);
    await browser.screenshot("held");
    expect(fake.sends()).toHaveLength(0);

    await deliver(app, accountReconnected(WABA, now()));
    const [request] = await sendsAtFake(fake, 1);
    await messageOf(page, request!.wamid!).waitFor();
    expect(await messageOf(page, request!.wamid!).innerText()).not.toContain("Held");
    browser.assertClean();
  });

  it("shows why Meta refused a send, and 'Send again' sends it again", async () => {
    const { app, fake } = await hubWithFake();
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    fake.fail(USER, { code: 131026, times: 1, message: "Message undeliverable" });
    const browser = await openPage(app.url, "reply failed send again");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Message to Sheena Nelson").fill("Segue o recibo");
    await page.getByRole("button", { name: "Send" }).click();

    const failed = messageWithText(page, "Segue o recibo");
    await failed.getByText("Not sent").waitFor();
    await expect(failed.innerText()).resolves.toMatch(/Meta refused it\.[\s\S]*Message undeliverable \(131026\)/);
    await browser.screenshot("failed");

    await failed.getByRole("button", { name: "Send again" }).dblclick();
    const [, again] = await sendsAtFake(fake, 2);
    expect(again!.body).toMatchObject({ to: USER, text: { body: "Segue o recibo" } });
    await messageOf(page, again!.wamid!).waitFor();
    await deliver(app, status(again!.wamid!, USER, now(), "delivered"));
    await messageOf(page, again!.wamid!).getByLabel("Delivered", { exact: true }).waitFor();
    // One message, sent again, not a second one; and a double-click asked once.
    expect(await messageWithText(page, "Segue o recibo").count()).toBe(1);
    expect(fake.sends()).toHaveLength(2);
    browser.assertClean();
  });

  it("says when nobody can tell whether a send reached the customer (Meta did not answer), and offers 'Send again'", async () => {
    const { app, fake } = await hubWithFake({}, 300);
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    fake.slow(1_500);
    const browser = await openPage(app.url, "reply unknown send again");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Message to Sheena Nelson").fill("Confirmado para amanhã");
    await page.getByRole("button", { name: "Send" }).click();

    const unknown = messageWithText(page, "Confirmado para amanhã");
    await unknown.getByText("Not known whether sent").waitFor();
    await expect(unknown.innerText()).resolves.toContain("it may or may not have reached the customer");
    await browser.screenshot("unknown");

    fake.slow(0);
    await unknown.getByRole("button", { name: "Send again" }).click();
    const [, again] = await sendsAtFake(fake, 2);
    await messageOf(page, again!.wamid!).waitFor();
    expect(await messageOf(page, again!.wamid!).innerText()).not.toContain("Not known");
    browser.assertClean();
  });

  it("shows a send Meta accepted and later reported failed (131047) as Failed, with Meta's reason", async () => {
    const { app, fake } = await hubWithFake();
    fake.postStatusesTo({
      url: app.url,
      appSecret: APP_SECRET,
      businessOf: () => ({ wabaId: BUSINESS.wabaId, phoneNumberId: BUSINESS.phoneNumberId, displayNumber: BUSINESS.display }),
    });
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    fake.failLater(USER, { code: 131047, afterMs: 400 });
    const browser = await openPage(app.url, "reply failed late");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await page.getByLabel("Message to Sheena Nelson").fill("Ainda tem interesse?");
    await page.getByRole("button", { name: "Send" }).click();

    const [request] = await sendsAtFake(fake, 1);
    const failed = messageOf(page, request!.wamid!);
    await failed.getByText("Re-engagement message (131047)").waitFor();
    await expect(failed.innerText()).resolves.toContain("more than 24 hours have passed since the customer last replied");
    await browser.screenshot("failed late");
    browser.assertClean();
  });
});
