/**
 * `npm run console:screenshots`: the README's pictures of the console (docs/console/*.png), taken
 * in Debian's Chromium from a hub filled with signed sample webhooks. Run it after changing a page.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { chromium, type Page } from "playwright-core";
import { accountOffboarded, partnerAdded, partnerRemoved, inboundText, echoText, DEFAULT_BUSINESS } from "../src/cli/samples.ts";
import { DEMO_TOKEN, startDemoHub, type DemoHub } from "./demoHub.ts";

const OUT = new URL("../docs/console/", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8"));

async function fill(hub: DemoHub) {
  const now = Math.floor(Date.now() / 1000);
  await hub.deliver(partnerAdded("102290129340398", now - 7200));
  await hub.deliver(accountOffboarded("215589313241560", now - 3600));
  await hub.deliver(partnerRemoved("980198427658004", now - 1800, { reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" }));
  await hub.deliver(partnerRemoved("341172459876101", now - 900, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }));
  await hub.deliver(fixture("history/chunk_approved"));
  await hub.deliver(fixture("history/media_fill_for_placeholder"));
  const user = "16505551234";
  await hub.deliver(
    inboundText(DEFAULT_BUSINESS, { wamid: "wamid.demo.1", user, at: now - 600, body: "Do you open on Sunday?", profileName: "Sheena Nelson" }),
  );
  await hub.deliver(echoText(DEFAULT_BUSINESS, { wamid: "wamid.demo.2", user, at: now - 540, body: "Yes, from 10 to 14 ☀️" }));
  await hub.deliver(
    inboundText(DEFAULT_BUSINESS, {
      wamid: "wamid.demo.3",
      user: "5511988887777",
      at: now - 300,
      body: "Olá! Vocês entregam em Campinas?",
      profileName: "João Araújo",
    }),
  );
  await hub.deliver(fixture("messages/unsupported_131060"));
  // Meta's coexistence PARTNER_REMOVED, naming a second number of the business: only that number stops.
  await hub.deliver({
    object: "whatsapp_business_account",
    entry: [
      { id: "102290129340398", time: now - 120, changes: [{ field: "account_update", value: { phone_number: "15550783889", event: "PARTNER_REMOVED" } }] },
    ],
  });
  // One delivery that cannot project, for the deliveries page.
  await hub.deliver({
    object: "whatsapp_business_account",
    entry: [{ id: "700", time: now, changes: [{ field: "account_update", value: { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: 3 } } }] }],
  });
}

async function shoot(page: Page, name: string) {
  // Let fonts and the live socket settle so the pictures are stable.
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: false });
  console.log(`docs/console/${name}.png`);
}

const hub = await startDemoHub();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  mkdirSync(OUT, { recursive: true });
  await fill(hub);
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await desktop.goto(hub.url);
  await shoot(desktop, "sign-in");
  await desktop.getByLabel("API token").fill(DEMO_TOKEN);
  await desktop.getByRole("button", { name: "Sign in" }).click();
  await desktop.locator("li.card").nth(3).waitFor();
  await shoot(desktop, "connections");
  await desktop.getByRole("link", { name: "Inbox" }).click();
  await desktop.getByRole("link", { name: /Sheena Nelson/ }).click();
  await desktop.locator("li.message").first().waitFor();
  await shoot(desktop, "inbox");
  await desktop.getByRole("link", { name: "Deliveries" }).click();
  await desktop.locator("tr[data-delivery]").first().waitFor();
  await shoot(desktop, "deliveries");
  await desktop.goto(`${hub.url}/wabas/102290129340398`);
  await desktop.getByRole("list", { name: "Phone numbers" }).waitFor();
  await shoot(desktop, "waba");

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.addInitScript((token) => sessionStorage.setItem("coexist-hub.token", token), DEMO_TOKEN);
  await phone.goto(hub.url);
  await phone.locator("li.card").first().waitFor();
  await shoot(phone, "connections-phone");
  await phone.goto(`${hub.url}/inbox`);
  await phone.getByRole("link", { name: /Sheena Nelson/ }).click();
  await phone.locator("li.message").first().waitFor();
  await shoot(phone, "inbox-phone");
} finally {
  await browser.close();
  await hub.stop();
}
