import { describe, expect, it } from "vitest";
import { accountOffboarded, accountReconnected, partnerAdded, partnerRemoved } from "../../src/cli/samples.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { markDocument, signIn, wabaCard, waitForText } from "../helpers/console.ts";
import { fixture } from "../helpers/meta.ts";
import { DISPLAY, PHONE_ID, WABA, historyChunk, inboundText } from "../helpers/mirror.ts";

const NOW = Math.floor(Date.now() / 1000);
const CONNECTED_WABA = "111111111111111";
const OFFBOARDED_WABA = "222222222222222";
const REMOVED_WABA = "333333333333333";

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
}

describe("connections dashboard", () => {
  it("lists every WABA with its state, whether it can send, and the open disconnection's recommended action; the state filter narrows it", async () => {
    const app = await startApp();
    await deliver(app, partnerAdded(CONNECTED_WABA, NOW - 600));
    await deliver(app, accountOffboarded(OFFBOARDED_WABA, NOW - 500));
    await deliver(app, partnerRemoved(REMOVED_WABA, NOW - 400, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }));

    const browser = await openPage(app.url, "dashboard lists the WABAs");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await wabaCard(page, REMOVED_WABA).waitFor();

    await expect(wabaCard(page, CONNECTED_WABA).innerText()).resolves.toMatch(/Connected[\s\S]*Can send\s*Yes/);
    await expect(wabaCard(page, OFFBOARDED_WABA).innerText()).resolves.toMatch(/Offboarded[\s\S]*Can send\s*No/);
    await expect(wabaCard(page, OFFBOARDED_WABA).innerText()).resolves.toContain("Pause sending; Meta reconnects the number by itself");
    const removed = await wabaCard(page, REMOVED_WABA).innerText();
    expect(removed).toContain("Disconnected");
    expect(removed).toContain("Partner removed");
    expect(removed).toContain("the business changed its number, by Meta's system");
    expect(removed).toContain("Recommended: Onboard the business again with its new number.");
    await browser.screenshot("all");

    await page.getByLabel("State").selectOption({ label: "Offboarded" });
    await wabaCard(page, CONNECTED_WABA).waitFor({ state: "detached" });
    expect(await page.locator("li.card").count()).toBe(1);
    await wabaCard(page, OFFBOARDED_WABA).waitFor();

    await page.getByLabel("State").selectOption({ label: "Deleted" });
    await waitForText(page, "No WABA is deleted");
    await browser.screenshot("filtered-empty");
    browser.assertClean();
  });

  it("lists a WABA known only from its messages as connected, and its page says no account event has come yet", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.dashboard.only-messages", "16505551234", NOW - 60, "first message"));

    const browser = await openPage(app.url, "dashboard waba from messages");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await expect(wabaCard(page, WABA).innerText()).resolves.toMatch(/Connected[\s\S]*Can send\s*Yes[\s\S]*Last event\s*never/);
    await wabaCard(page, WABA)
      .getByRole("link", { name: `WABA ${WABA}` })
      .click();
    await waitForText(page, "No account event yet: the hub knows this WABA from its messages.");
    await expect(page.getByRole("list", { name: "Phone numbers" }).innerText()).resolves.toContain(`+${DISPLAY}`);
    await browser.screenshot("waba-page");
    browser.assertClean();
  });

  it("starts empty with the README's simulate command, and lists a WABA whose first webhook is a message, live, without a reload", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "dashboard empty then waba from a message live");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await waitForText(page, "No WABA yet");
    const empty = await page.locator(".empty").innerText();
    // The README's command: the hub's own secrets sign it, no --secret to look up.
    expect(empty).toContain("npm run hub -- simulate all.");
    expect(empty).toContain("Accounts appear here as their first webhook arrives, without a reload.");
    await waitForText(page, "Live");
    await browser.screenshot("empty");
    const stillSameDocument = await markDocument(page);

    await deliver(app, inboundText("wamid.dashboard.live-first", "16505551234", NOW - 30, "first message"));
    await wabaCard(page, WABA).getByText("Updated live").waitFor();
    await expect(wabaCard(page, WABA).innerText()).resolves.toMatch(/Connected[\s\S]*Can send\s*Yes/);
    await page.getByRole("log", { name: "Live notices" }).getByText(`New WABA ${WABA}: its first webhook has arrived.`).waitFor();
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("shows a PARTNER_REMOVED posted while the page is open, live, with its recommended action", async () => {
    const app = await startApp();
    await deliver(app, partnerAdded(CONNECTED_WABA, NOW - 600));

    const browser = await openPage(app.url, "dashboard live partner removed");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await wabaCard(page, CONNECTED_WABA).waitFor();
    await waitForText(page, "Live");
    const stillSameDocument = await markDocument(page);

    await deliver(app, partnerRemoved(CONNECTED_WABA, NOW - 60, { reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" }));

    const notice = page.getByRole("log", { name: "Live notices" });
    await notice.getByText(`WABA ${CONNECTED_WABA}: partner removed`).waitFor();
    await expect(notice.innerText()).resolves.toContain("Recommended: Ask the business to open the WhatsApp Business app and reconnect.");
    await wabaCard(page, CONNECTED_WABA).getByText("Updated live").waitFor();
    const card = await wabaCard(page, CONNECTED_WABA).innerText();
    expect(card).toMatch(/Disconnected[\s\S]*Can send\s*No/);
    expect(card).toContain("the phone with the WhatsApp Business app was inactive too long, by Meta's system");
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("shows a WABA's page: disconnection windows and its timeline newest first, with a new event arriving live", async () => {
    const app = await startApp();
    await deliver(app, accountOffboarded(OFFBOARDED_WABA, NOW - 900));
    await deliver(app, accountReconnected(OFFBOARDED_WABA, NOW - 700));
    await deliver(app, partnerRemoved(OFFBOARDED_WABA, NOW - 500, { reason: "BUSINESS_DOWNGRADE", initiatedBy: "USER" }));

    const browser = await openPage(app.url, "waba page timeline");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await page.getByRole("link", { name: `WABA ${OFFBOARDED_WABA}` }).click();
    await page.getByRole("heading", { name: `WABA ${OFFBOARDED_WABA}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/wabas/${OFFBOARDED_WABA}`);

    const timeline = page.getByRole("list", { name: "Account events, newest first" });
    await expect(timeline.locator("li strong").allInnerTexts()).resolves.toEqual(["Partner removed", "Account reconnected", "Account offboarded"]);
    const windows = await page.locator("ul.disconnections > li").allInnerTexts();
    expect(windows).toHaveLength(2);
    expect(windows[0]).toMatch(
      /Partner removed: .* → still open\. The business moved to a plan without coexistence, by the business\.[\s\S]*Recommended: Do not chase the business/,
    );
    expect(windows[1]).toMatch(/Offboarded from the Cloud API: .* → .*\d.*\./);
    expect(windows[1]).not.toContain("still open");
    const stillSameDocument = await markDocument(page);

    await deliver(app, partnerAdded(OFFBOARDED_WABA, NOW - 60));
    await page.getByRole("log", { name: "Live notices" }).getByText("New event: Partner added").waitFor();
    await page.waitForFunction(() => document.querySelector("ol.timeline li strong")?.textContent === "Partner added");
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });

  it("shows a WABA's numbers: one cut off by a PARTNER_REMOVED naming it, one whose history-sync bar moves live as a chunk is posted", async () => {
    const app = await startApp();
    const second = { wabaId: WABA, phoneNumberId: "106540352242929", displayNumber: "15550783889" };
    await deliver(app, partnerAdded(WABA, NOW - 900));
    await deliver(app, inboundText("wamid.numbers.page", "16505551234", NOW - 600, "Olá!"));
    await deliver(app, historyChunk(0, 1, 20, [{ wamid: "wamid.numbers.h1", user: "16505551234", outbound: false, at: NOW - 90_000, body: "old" }]));
    // Meta's coexistence example: the business disconnected the second number from the app.
    const removed = fixture("account_update/partner_removed_with_phone_number");
    removed.entry[0].changes[0].value.phone_number = second.displayNumber;
    removed.entry[0].time = NOW - 300;
    await deliver(app, removed);

    const browser = await openPage(app.url, "waba page numbers");
    const { page } = browser;
    await page.goto(`${app.url}/wabas/${WABA}`);
    await signIn(page);
    const numbers = page.getByRole("list", { name: "Phone numbers" });
    await numbers.waitFor();
    const first = numbers.locator(`li[data-phone-number-id="${PHONE_ID}"]`);
    await expect(first.innerText()).resolves.toMatch(new RegExp(`\\+${DISPLAY}[\\s\\S]*Can send\\s*Yes[\\s\\S]*History sync: in progress, 20%`));
    const cut = numbers.locator("li", { hasText: `+${second.displayNumber}` });
    await expect(cut.innerText()).resolves.toMatch(/Can send\s*No[\s\S]*not known yet[\s\S]*Cut off: partner removed \(this number only\)/);
    await expect(page.locator(".page-head .badge").innerText()).resolves.toBe("Connected");
    const bar = first.getByRole("progressbar");
    expect(await bar.getAttribute("value")).toBe("20");
    await waitForText(page, "Live");
    const stillSameDocument = await markDocument(page);

    await deliver(app, historyChunk(0, 2, 65, [{ wamid: "wamid.numbers.h2", user: "16505551234", outbound: false, at: NOW - 80_000, body: "older" }]));
    await first.getByText("History sync: in progress, 65%").waitFor();
    expect(await bar.getAttribute("value")).toBe("65");
    await stillSameDocument();
    await browser.screenshot();
    browser.assertClean();
  });
});
