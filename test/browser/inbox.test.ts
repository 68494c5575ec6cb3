import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument, signIn, waitForText } from "../helpers/console.ts";
import { fixture } from "../helpers/meta.ts";
import { echoText, edit, historyChunk, inboundText, revoke } from "../helpers/mirror.ts";

/** The user of test/fixtures/history/chunk_approved.json, whose thread has a media placeholder. */
const USER = "16505551234";
const PLACEHOLDER = "wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA";
const LATER = 1_739_231_000;

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
}

const message = (page: import("playwright-core").Page, wamid: string) => page.locator(`li.message[data-wamid="${wamid}"]`);

describe("inbox", () => {
  it("shows a thread with an edited message (earlier version on demand), a revoked one, and a history placeholder filled in live", async () => {
    const app = await startApp();
    await deliver(app, fixture("history/chunk_approved"));
    await deliver(app, inboundText("wamid.edited", USER, LATER, "first version", "Sheena Nelson"));
    await deliver(app, edit("wamid.edit-of-edited", "wamid.edited", USER, LATER + 10, "second version"));
    await deliver(app, inboundText("wamid.revoked", USER, LATER + 20, "oops, wrong chat"));
    await deliver(app, revoke("wamid.revoke-of-revoked", "wamid.revoked", USER, LATER + 30));

    const browser = await openPage(app.url, "inbox edited revoked placeholder");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /Sheena Nelson/ }).click();
    await page.getByRole("heading", { name: "Sheena Nelson" }).waitFor();

    const edited = message(page, "wamid.edited");
    await expect(edited.innerText()).resolves.toMatch(/second version[\s\S]*edited/);
    expect(await edited.innerText()).not.toContain("first version");
    await edited.getByRole("button", { name: "Show earlier versions (1)" }).click();
    await expect(edited.getByRole("list", { name: "Earlier versions, oldest first" }).innerText()).resolves.toContain("first version");

    const revoked = message(page, "wamid.revoked");
    await expect(revoked.innerText()).resolves.toContain("This message was deleted");
    expect(await revoked.innerText()).not.toContain("oops");

    await expect(message(page, PLACEHOLDER).innerText()).resolves.toContain("Media from the chat history, not received yet.");
    await browser.screenshot("before-fill");
    const stillSameDocument = await markDocument(page);
    await deliver(app, fixture("history/media_fill_for_placeholder"));
    await message(page, PLACEHOLDER).getByText("[Photo: image/jpeg]").waitFor();
    await expect(message(page, PLACEHOLDER).innerText()).resolves.toContain("Black Prince echeveria");
    expect(await page.locator(`li.message[data-wamid="${PLACEHOLDER}"]`).count()).toBe(1);
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("shows a reaction on the message it names, live, and takes it away when the user removes it", async () => {
    const app = await startApp();
    // The business message test/fixtures/messages/reaction.json reacts to (❤️), then removes (reaction_removed.json).
    const target = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0QjY3RTI5ODFBQzM0NDVFQTUA";
    await deliver(app, inboundText("wamid.asks", USER, 1749853000, "Já saiu?", "Sheena Nelson"));
    await deliver(app, echoText(target, USER, 1749854000, "Saiu para entrega 🚚"));

    const browser = await openPage(app.url, "inbox reaction");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /Sheena Nelson/ }).click();
    await message(page, target).waitFor();
    const stillSameDocument = await markDocument(page);

    await deliver(app, fixture("messages/reaction"));
    await message(page, target).getByTitle("Reaction of the customer").getByText("❤️").waitFor();
    expect(await page.locator("li.message").count()).toBe(2);
    await browser.screenshot("reacted");

    await deliver(app, fixture("messages/reaction_removed"));
    await message(page, target).locator(".reactions").waitFor({ state: "detached" });
    await stillSameDocument();
    browser.assertClean();
  });

  it("shows a new inbound message live, in the thread list and in the open thread", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.first", USER, LATER, "Olá, tudo bem?", "João Araújo"));

    const browser = await openPage(app.url, "inbox live inbound");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /João Araújo/ }).click();
    await message(page, "wamid.first").waitFor();
    const stillSameDocument = await markDocument(page);

    await deliver(app, inboundText("wamid.second", USER, LATER + 60, "Vocês abrem no domingo?", "João Araújo"));
    await message(page, "wamid.second").getByText("Vocês abrem no domingo?").waitFor();
    await expect(message(page, "wamid.second").innerText()).resolves.toContain("webhook");

    await deliver(app, inboundText("wamid.other", "5511988887777", LATER + 120, "Bom dia", "Zoë Kraus"));
    await page.getByRole("link", { name: /Zoë Kraus/ }).waitFor();
    await waitForText(page, "Bom dia");
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("opens a long thread at its newest messages and loads older pages when scrolled up", async () => {
    const app = await startApp();
    const history = Array.from({ length: 45 }, (_, i) => ({
      wamid: `wamid.page.${String(i).padStart(2, "0")}`,
      user: USER,
      outbound: i % 3 === 0,
      at: LATER + i * 60,
      body: `mensagem ${i}`,
    }));
    await deliver(app, historyChunk(0, 1, 100, history));

    const browser = await openPage(app.url, "inbox scroll-up paging");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /\+16505551234/ }).click();
    await message(page, "wamid.page.44").waitFor();
    // The newest page (30 messages) first, scrolled to the bottom.
    expect(await page.locator("li.message").count()).toBe(30);
    expect(await message(page, "wamid.page.14").count()).toBe(0);

    await page.locator("ol.messages").evaluate((el) => el.scrollTo({ top: 0 }));
    await message(page, "wamid.page.00").waitFor();
    expect(await page.locator("li.message").count()).toBe(45);
    const order = await page.locator("li.message").evaluateAll((els) => els.map((e) => e.getAttribute("data-wamid")));
    expect(order).toEqual(history.map((m) => m.wamid));
    expect(await page.getByRole("button", { name: "Load earlier messages" }).count()).toBe(0);
    await browser.screenshot();
    browser.assertClean();
  });

  it("reads an identity change as a line in the conversation: 'changed number from … to …'", async () => {
    const app = await startApp();
    // The user of Meta's system-message example writes first, then changes their number (1767000600).
    await deliver(app, inboundText("wamid.before-change", USER, 1_767_000_000, "my old number", "Sheena Nelson"));
    await deliver(app, fixture("messages/system_user_changed_number"));

    const browser = await openPage(app.url, "inbox identity change");
    const { page } = browser;
    await page.goto(`${app.url}/inbox`);
    await signIn(page);
    await page.getByRole("link", { name: /Sheena Nelson/ }).click();
    const line = page.locator("li.message.system");
    await line.waitFor();
    await expect(line.innerText()).resolves.toMatch(/^Sheena Nelson changed number from \+16505551234 to \+12195555358 \(/);
    await browser.screenshot();
    browser.assertClean();
  });
});
