import { describe, expect, it } from "vitest";
import { openPage } from "../helpers/browser.ts";
import { markDocument } from "../helpers/console.ts";
import { eventually } from "../helpers/eventually.ts";
import { inboundText, status } from "../helpers/mirror.ts";
import { hubWithFake } from "../helpers/sending.ts";
import { liveFeedSwitch, messageOf, messageWithText, openConversation, sendsAtFake } from "../helpers/replies.ts";

const USER = "16505551234";
const now = () => Math.floor(Date.now() / 1000);
/** What the console sent, as the hub's GraphQL endpoint received it. */
type SendInput = { idempotencyKey: string; threadId: string; text?: string; replyTo?: string | null };

describe("replying from the conversation", () => {
  it("shows a sent text at once as queued, from the hub's answer, then its ticks live as Meta's statuses arrive", async () => {
    const { app, fake } = await hubWithFake();
    await app.deliver(inboundText("wamid.asks", USER, now() - 60, "Ainda têm o modelo azul?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply text ticks");
    const live = await liveFeedSwitch(browser);
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await messageOf(page, "wamid.asks").waitFor();
    const stillSameDocument = await markDocument(page);

    // With the live feed held back, the message can only come from sendMessage's answer.
    live.hold();
    await page.getByLabel("Message to Sheena Nelson").fill("Temos, sim ✓");
    await page.getByRole("button", { name: "Send" }).click();
    const sent = messageWithText(page, "Temos, sim ✓");
    await sent.getByText("Queued").waitFor();
    expect(await sent.innerText()).toContain("sent through the hub");
    expect(await page.getByLabel("Message to Sheena Nelson").inputValue()).toBe("");
    await browser.screenshot("queued");
    live.release();

    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({ to: USER, type: "text", text: { body: "Temos, sim ✓" } });
    const wamid = request!.wamid!;
    // Meta's wamid replaces the provisional one once the hub recorded Meta's answer.
    await messageOf(page, wamid).waitFor();
    for (const [value, words] of [
      ["sent", "Sent"],
      ["delivered", "Delivered"],
      ["read", "Read"],
    ] as const) {
      await app.deliver(status(wamid, USER, now(), value));
      await messageOf(page, wamid).getByLabel(words, { exact: true }).waitFor();
    }
    expect(await messageOf(page, wamid).innerText()).not.toContain("Queued");
    expect(await page.locator("li.message").count()).toBe(2);
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("sends once for a double-click, and again (with a new idempotency key) when the agent sends the same words again", async () => {
    const { app, fake } = await hubWithFake();
    await app.deliver(inboundText("wamid.thanks", USER, now() - 60, "Obrigada!", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply double click");
    const inputs: SendInput[] = [];
    browser.page.on("request", (r) => {
      const body = r.postDataJSON() as { query?: string; variables?: { input?: SendInput } } | null;
      if (body?.query?.includes("sendMessage") && body.variables?.input) inputs.push(body.variables.input);
    });
    const page = await openConversation(browser, app, /Sheena Nelson/);
    const box = page.getByLabel("Message to Sheena Nelson");

    await box.fill("De nada!");
    await page.getByRole("button", { name: "Send" }).dblclick();
    await messageWithText(page, "De nada!").waitFor();
    await box.fill("De nada!");
    await box.press("Enter");
    await sendsAtFake(fake, 2);
    await eventually(
      async () => messageWithText(page, "De nada!").count(),
      (n) => n === 2,
      "two messages in the conversation",
    );
    expect(fake.sends().map((r) => r.body.text)).toEqual([{ body: "De nada!" }, { body: "De nada!" }]);
    expect(new Set(inputs.map((i) => i.idempotencyKey)).size).toBe(2);
    browser.assertClean();
  });

  it("replies to a chosen message: quoted above the box, sent with Meta's context naming it", async () => {
    const { app, fake } = await hubWithFake();
    await app.deliver(inboundText("wamid.size", USER, now() - 120, "Tem no tamanho 38?", "Sheena Nelson"));
    await app.deliver(inboundText("wamid.colour", USER, now() - 60, "E na cor verde?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply to a message");
    const page = await openConversation(browser, app, /Sheena Nelson/);

    await messageOf(page, "wamid.size")
      .getByRole("button", { name: /^Reply to/ })
      .click();
    const quote = page.getByRole("group", { name: "Replying to" });
    await expect(quote.innerText()).resolves.toContain("Tem no tamanho 38?");
    // Choosing a message puts the cursor in the box.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await browser.screenshot("quoted");
    await page.keyboard.type("Temos, sim");
    await page.keyboard.press("Enter");

    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({ type: "text", text: { body: "Temos, sim" }, context: { message_id: "wamid.size" } });
    await quote.waitFor({ state: "detached" });
    await messageWithText(page, "Temos, sim").waitFor();
    browser.assertClean();
  });

  it("cancels a reply: the quote goes and the text is sent without context", async () => {
    const { app, fake } = await hubWithFake();
    await app.deliver(inboundText("wamid.hours", USER, now() - 60, "Que horas abrem?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply cancelled");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await messageOf(page, "wamid.hours")
      .getByRole("button", { name: /^Reply to/ })
      .click();
    await page.getByRole("button", { name: "Cancel reply" }).click();
    await page.getByRole("group", { name: "Replying to" }).waitFor({ state: "detached" });
    await page.getByLabel("Message to Sheena Nelson").fill("Às nove");
    await page.getByRole("button", { name: "Send" }).click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body.context).toBeUndefined();
    browser.assertClean();
  });

  it("reacts to a message with the emoji chosen", async () => {
    const { app, fake } = await hubWithFake();
    await app.deliver(inboundText("wamid.photo", USER, now() - 60, "Chegou certinho, obrigada", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply reaction");
    const page = await openConversation(browser, app, /Sheena Nelson/);

    await messageOf(page, "wamid.photo")
      .getByRole("button", { name: /^React to/ })
      .click();
    await messageOf(page, "wamid.photo").getByRole("button", { name: "React with ❤️" }).click();
    const [request] = await sendsAtFake(fake, 1);
    expect(request!.body).toMatchObject({ type: "reaction", reaction: { message_id: "wamid.photo", emoji: "❤️" } });
    await messageWithText(page, "Reacted ❤️ to a message").waitFor();
    await browser.screenshot();
    browser.assertClean();
  });
});
