import { describe, expect, it } from "vitest";
import { accountOffboarded } from "../../src/cli/samples.ts";
import { createHubPubSub } from "../../src/pubsub.ts";
import { checkStalls } from "../../src/server/stallWatch.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { openPage } from "../helpers/browser.ts";
import { signIn, wabaCard, waitForText } from "../helpers/console.ts";
import { withDb } from "../helpers/database.ts";
import { PHONE_ID, WABA, historyChunk } from "../helpers/mirror.ts";

const MINUTE = 60;
const now = () => Math.floor(Date.now() / 1000);
const LATE_WABA = "444444444444444";
const FINISH = "Reonboarding has not completed: ask the business to finish registration in the WhatsApp Business app.";

async function deliver(app: TestApp, payload: unknown) {
  expect((await app.deliver(payload)).status).toBe(200);
}

describe("stalls in the console", () => {
  it("shows an offboarding delivered past its stall time as stalled, live on the dashboard and on its WABA page, with what to do", async () => {
    const app = await startApp();
    const browser = await openPage(app.url, "stalled offboarding");
    const { page } = browser;
    await page.goto(app.url);
    await signIn(page);
    await page.getByRole("heading", { name: "Connections" }).waitFor();

    // Meta's time 40 minutes ago: 10 minutes past the stall time when it arrives.
    await deliver(app, accountOffboarded(LATE_WABA, now() - 40 * MINUTE));
    const card = wabaCard(page, LATE_WABA);
    await card.getByText("Stalled since").waitFor();
    await expect(card.innerText()).resolves.toContain(`Recommended: ${FINISH}`);
    await waitForText(page, "has stalled (no reconnection from Meta)");
    await browser.screenshot("dashboard");

    await page.goto(`${app.url}/wabas/${LATE_WABA}`);
    const disconnections = page.locator("ul.disconnections");
    await disconnections.getByText("Stalled since").waitFor();
    await expect(disconnections.innerText()).resolves.toContain(FINISH);
    await browser.screenshot("waba page");
    browser.assertClean();
  });

  it("shows a history sync silent past its stall time as stalled in the number's sync section", async () => {
    const app = await startApp();
    await deliver(app, historyChunk(0, 1, 40, [{ wamid: "wamid.hist.stalled", user: "16505551234", outbound: false, at: now() - 3600, body: "Olá" }]));
    const pubsub = await createHubPubSub();
    // The watch's check an hour and a minute after the chunk, on a clock of the test's own.
    const stalled = await withDb(app.databaseUrl, (db) =>
      checkStalls(db, pubsub, new Date(Date.now() + 61 * 60_000), { offboardingMinutes: 30, historySyncMinutes: 60 }),
    );
    await pubsub.close();
    expect(stalled.map((s) => s.phoneNumberId)).toEqual([PHONE_ID]);

    const browser = await openPage(app.url, "stalled history sync");
    const { page } = browser;
    await page.goto(`${app.url}/wabas/${WABA}`);
    await signIn(page);
    const number = page.locator(`li.card.number[data-phone-number-id="${PHONE_ID}"]`);
    await number.getByText(/Stalled since/).waitFor();
    await expect(number.innerText()).resolves.toMatch(/History sync: in progress, 40%[\s\S]*Stalled since .*: nothing has come from Meta/);
    await browser.screenshot();
    browser.assertClean();
  });
});
