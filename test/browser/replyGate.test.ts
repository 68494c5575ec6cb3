import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { accountOffboarded, accountReconnected } from "../../src/cli/samples.ts";
import { startApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument } from "../helpers/console.ts";
import { fixture } from "../helpers/meta.ts";
import { accountUpdate, inboundText, partnerRemoved, WABA } from "../helpers/mirror.ts";
import { messageOf, openConversation } from "../helpers/replies.ts";
import { deliver, hubWithFake, now } from "../helpers/sending.ts";

const USER = "16505551234";
const DAY = 24 * 3600;

const replyArea = (page: Page) => page.getByRole("region", { name: "Reply" });
const textBox = (page: Page) => page.getByLabel("Message to Sheena Nelson");
const templatePicker = (page: Page) => page.getByLabel("Template", { exact: true });
/** Waits until the reply area's words include `text`. */
const says = (page: Page, text: string) => replyArea(page).getByText(text, { exact: false }).first().waitFor();

describe("the reply box says why it cannot send, before the agent types", () => {
  it("outside the service window: a template is required, since the customer last wrote 2 days ago; templates replace the text box", async () => {
    const { app } = await hubWithFake();
    await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY - 600, "Vocês entregam no sábado?", "Sheena Nelson"));
    await deliver(app, fixture("message_template_status_update/approved"));
    const browser = await openPage(app.url, "reply gate outside window");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await says(page, "Template required: Sheena Nelson last wrote 2 days ago.");
    await templatePicker(page).waitFor();
    expect(await textBox(page).count()).toBe(0);
    // A free reply or a reaction is refused outside the window: neither is offered.
    expect(await messageOf(page, "wamid.old").getByRole("button").count()).toBe(0);
    await browser.screenshot();
    browser.assertClean();
  });

  it("gives the text box back, live, when the customer writes again", async () => {
    const { app } = await hubWithFake();
    await deliver(app, inboundText("wamid.old", USER, now() - 2 * DAY, "Olá?", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply gate window opens");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await says(page, "Template required");
    const stillSameDocument = await markDocument(page);
    await deliver(app, inboundText("wamid.new", USER, now() - 5, "Ainda estão aí?", "Sheena Nelson"));
    await textBox(page).waitFor();
    expect(await replyArea(page).innerText()).not.toContain("Template required");
    await expect(replyArea(page).innerText()).resolves.toContain("Free text until");
    await stillSameDocument();
    browser.assertClean();
  });

  it("paused while the number is offboarded (what is sent waits), and back to normal, live, once Meta reconnects it", async () => {
    const { app } = await hubWithFake();
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply gate paused");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await textBox(page).waitFor();
    const stillSameDocument = await markDocument(page);

    await deliver(app, accountOffboarded(WABA, now() - 30));
    await says(page, "Paused: the number is being reconnected.");
    await expect(replyArea(page).innerText()).resolves.toContain("goes out once Meta reconnects the number");
    expect(await textBox(page).isEnabled()).toBe(true);
    await browser.screenshot("paused");

    await deliver(app, accountReconnected(WABA, now()));
    await replyArea(page).getByText("Paused").waitFor({ state: "detached" });
    await stillSameDocument();
    browser.assertClean();
  });

  it("removed: no box, the reason and the recommended action", async () => {
    const { app } = await hubWithFake();
    await deliver(app, inboundText("wamid.asks", USER, now() - 120, "Olá", "Sheena Nelson"));
    await deliver(app, partnerRemoved(WABA, now() - 60));
    const browser = await openPage(app.url, "reply gate removed");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await says(page, "Removed: the business removed us as its partner.");
    await expect(replyArea(page).innerText()).resolves.toContain("Ask the business to open the WhatsApp Business app and reconnect.");
    expect(await textBox(page).count()).toBe(0);
    expect(await templatePicker(page).count()).toBe(0);
    await browser.screenshot();
    browser.assertClean();
  });

  it("restricted from replying to customers: says so, and only templates are offered", async () => {
    const { app } = await hubWithFake();
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    await deliver(
      app,
      accountUpdate(WABA, now() - 30, {
        event: "ACCOUNT_RESTRICTION",
        restriction_info: [{ restriction_type: "RESTRICTED_CUSTOMER_INITIATED_MESSAGING", expiration: now() + DAY }],
      }),
    );
    await deliver(app, fixture("message_template_status_update/approved"));
    const browser = await openPage(app.url, "reply gate restricted");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await says(page, "Restricted: Meta does not let this number reply to customers for now.");
    await templatePicker(page).waitFor();
    expect(await textBox(page).count()).toBe(0);
    browser.assertClean();
  });

  it("says sending is not configured when the hub has no Graph API token", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.asks", USER, now() - 60, "Olá", "Sheena Nelson"));
    const browser = await openPage(app.url, "reply gate not configured");
    const page = await openConversation(browser, app, /Sheena Nelson/);
    await says(page, "Sending is not configured: the hub has no Graph API token.");
    await expect(replyArea(page).innerText()).resolves.toContain("GRAPH_API_TOKEN");
    expect(await textBox(page).count()).toBe(0);
    browser.assertClean();
  });
});
