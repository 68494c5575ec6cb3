import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openPage } from "../helpers/browser.ts";
import { signIn } from "../helpers/console.ts";
import { inboundText, partnerAdded, PHONE_ID, WABA } from "../helpers/mirror.ts";
import { deliver, hubWithFake, now } from "../helpers/sending.ts";
import { eventually } from "../helpers/eventually.ts";

const HOUR = 3600;
const numberCard = (page: Page) => page.locator(`li.card.number[data-phone-number-id="${PHONE_ID}"]`);

describe("the WABA page: each number's syncs and their deadline", () => {
  it("shows the deadline 24 hours after onboarding, and 'start sync' asks Meta for each sync once", async () => {
    const { app, fake } = await hubWithFake();
    const onboarded = now() - HOUR;
    await deliver(app, partnerAdded(WABA, onboarded));
    await deliver(app, inboundText("wamid.first", "16505551234", now() - 60, "Olá", "Sheena Nelson"));
    const browser = await openPage(app.url, "waba sync deadline");
    const { page } = browser;
    await page.goto(`${app.url}/wabas/${WABA}`);
    await signIn(page);
    const card = numberCard(page);
    await card.getByText("Sync deadline:").waitFor();
    const deadline = new Date((onboarded + 24 * HOUR) * 1000);
    const shown = await page.evaluate(
      (iso) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
      deadline.toISOString(),
    );
    await expect(card.innerText()).resolves.toContain(`Sync deadline: ${shown} (in 22 hours)`);
    await expect(card.innerText()).resolves.toMatch(/Contacts: not requested[\s\S]*Chat history: not requested/);
    await browser.screenshot("before");

    await card.getByRole("button", { name: "Start contact sync" }).click();
    await card.getByText(/Contacts: requested/).waitFor();
    expect(await card.getByRole("button", { name: "Start contact sync" }).count()).toBe(0);
    await card.getByRole("button", { name: "Start history sync" }).click();
    await card.getByText("both syncs are requested").waitFor();
    await eventually(
      async () => fake.accounts.synced(PHONE_ID),
      (types) => types.length === 2,
      "both sync requests at the fake",
    );
    expect(fake.accounts.synced(PHONE_ID)).toEqual(["smb_app_state_sync", "history"]);
    await browser.screenshot();
    browser.assertClean();
  });

  it("says when the deadline was missed, and shows Meta's refusal of a late request", async () => {
    const { app, fake } = await hubWithFake();
    await deliver(app, partnerAdded(WABA, now() - 30 * HOUR));
    await deliver(app, inboundText("wamid.first", "16505551234", now() - 60, "Olá", "Sheena Nelson"));
    fake.accounts.closeSyncWindow(PHONE_ID);
    const browser = await openPage(app.url, "waba sync deadline missed");
    const { page } = browser;
    await page.goto(`${app.url}/wabas/${WABA}`);
    await signIn(page);
    const card = numberCard(page);
    await card.getByText(/Sync deadline: missed/).waitFor();
    await expect(card.innerText()).resolves.toContain("only a new Embedded Signup of the business opens another 24 hours");

    await card.getByRole("button", { name: "Start contact sync" }).click();
    await card.getByText(/Meta refused: .*\(2593108\)/).waitFor();
    await expect(card.innerText()).resolves.toContain("Contacts: not requested");
    await browser.screenshot();
    browser.assertClean();
  });
});
