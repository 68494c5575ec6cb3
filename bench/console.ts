/**
 * `npm run bench:console`: the console as a browser meets it (issue #12), in Debian's Chromium
 * against an in-process hub (scripts/demoHub.ts) with 100 WABAs:
 *   - first load: bytes over the wire (CDP encodedDataLength of every response, cold cache) and the
 *     time from navigation start to the dashboard showing all 100 WABAs (token already in the tab);
 *   - live: the time from a webhook's 200 to the changed row in the page (a MutationObserver sees the
 *     new badge, then one animation frame for the paint), per PARTNER_REMOVED, page open throughout.
 * Writes bench/results/console.md; `npm run bench` puts it at the end of bench/RESULTS.md.
 */
import { loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { partnerAdded, partnerRemoved } from "../src/cli/samples.ts";
import { DEMO_TOKEN, startDemoHub } from "../scripts/demoHub.ts";
import { generateHistory, inboundText } from "../test/helpers/mirror.ts";

const WABAS = 100;
const LOAD_RUNS = 5;
const LIVE_RUNS = 20;
/** The inbox under a stream (issue #22): a history import of 1,000 messages, then 100 inbound messages one after the other. */
const HISTORY = generateHistory(20, 50, 100);
const INBOUND = 100;
const APPEAR_RUNS = 10;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const wabaId = (i: number) => String(900_000_000_000_000 + i);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const loadBefore = loadavg()[0]!;
const hub = await startDemoHub();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < WABAS; i++) await hub.deliver(partnerAdded(wabaId(i), now - 3600));

  const bytes: number[] = [];
  const toDashboard: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((token) => sessionStorage.setItem("coexist-hub.token", token), DEMO_TOKEN);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    let transferred = 0;
    cdp.on("Network.loadingFinished", (e) => (transferred += e.encodedDataLength));
    await page.goto(hub.url);
    await page.waitForFunction((n) => document.querySelectorAll("li.card").length === n, WABAS, { timeout: 30_000, polling: "raf" });
    toDashboard.push(await page.evaluate(() => performance.now()));
    await page.waitForLoadState("networkidle");
    bytes.push(transferred);
    await context.close();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript((token) => sessionStorage.setItem("coexist-hub.token", token), DEMO_TOKEN);
  await page.goto(hub.url);
  await page.waitForFunction((n) => document.querySelectorAll("li.card").length === n, WABAS, { timeout: 30_000 });
  await page.getByText("Live", { exact: true }).waitFor();
  const live: number[] = [];
  for (let i = 0; i < LIVE_RUNS; i++) {
    const id = wabaId(i);
    // Resolves with the wall-clock time of the first frame after the row shows Disconnected.
    // A string, not a function: tsx (esbuild keepNames) would wrap inner functions in a __name() the page lacks.
    const changed = page.evaluate<number>(`new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const card = document.querySelector('li.card[data-waba="${id}"]');
        if (card && card.textContent.includes("Disconnected")) {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    })`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    await hub.deliver(partnerRemoved(id, now - 60, { reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" }));
    const answered = performance.timeOrigin + performance.now();
    live.push((await changed) - answered);
    // Apart from each other, as an operator meets them: a disconnection within a second of the
    // previous re-read waits for the throttle's trailing re-read (measured below for a stream).
    await new Promise((r) => setTimeout(r, 1200));
  }

  // The inbox while messages stream in: /graphql requests the tab sends (subscriptions are on the socket).
  await page.goto(`${hub.url}/inbox`);
  await page.getByText("Live", { exact: true }).waitFor();
  let requests = 0;
  page.on("request", (r) => void (new URL(r.url()).pathname === "/graphql" && r.method() === "POST" && requests++));
  const streamed = async (send: () => Promise<void>) => {
    requests = 0;
    const t = performance.now();
    await send();
    // The trailing re-read after the last event (at most a second later) belongs to the stream.
    await new Promise((r) => setTimeout(r, 1500));
    return { requests, seconds: (performance.now() - t) / 1000 };
  };
  const history = await streamed(async () => {
    for (const chunk of HISTORY.chunks) await hub.deliver(chunk);
  });
  const inbound = await streamed(async () => {
    for (let i = 0; i < INBOUND; i++) await hub.deliver(inboundText(`wamid.bench.in.${i}`, String(5511800000000 + (i % 10)), now + i, `inbound ${i}`));
  });
  const appear: number[] = [];
  for (let i = 0; i < APPEAR_RUNS; i++) {
    const text = `appears ${i} ${Date.now()}`;
    const shown = page.evaluate<number>(`new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const list = document.querySelector("section.thread-list");
        if (list && list.textContent.includes(${JSON.stringify(text)})) {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    })`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    await hub.deliver(inboundText(`wamid.bench.appear.${i}`, "5511700000000", now + 1000 + i, text));
    const answered = performance.timeOrigin + performance.now();
    appear.push((await shown) - answered);
    // Apart from each other: each run starts with no re-read pending.
    await new Promise((r) => setTimeout(r, 1200));
  }

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const md = [
    "## 5. Console (issue #12)",
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench:console\` (bench/console.ts); load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} on a shared 2-core machine.`,
    `Debian Chromium ${browser.version()} headless, 1280×900, loopback; the hub in-process with a fresh SQLite file and ${WABAS} WABAs; built console (\`npm run console:build\`).`,
    "",
    "| metric | median | min–max | runs |",
    "|---|---:|---:|---:|",
    `| first load, bytes transferred (HTML, JS, CSS, the GraphQL answer; cold cache; the hub serves brotli or gzip made at build when the browser accepts it) | ${kb(median(bytes))} | ${kb(Math.min(...bytes))}–${kb(Math.max(...bytes))} | ${LOAD_RUNS} |`,
    `| first load, navigation start → dashboard showing all ${WABAS} WABAs | ${median(toDashboard).toFixed(0)} ms | ${range(toDashboard)} ms | ${LOAD_RUNS} |`,
    `| webhook answered 200 → the row shows the disconnection (next frame) | ${median(live).toFixed(0)} ms | ${range(live)} ms | ${LIVE_RUNS} |`,
    `| inbox open: /graphql requests during a ${HISTORY.messages.length.toLocaleString("en")}-message history import (${HISTORY.chunks.length} chunks, ${history.seconds.toFixed(1)} s) | ${history.requests} | — | 1 |`,
    `| inbox open: /graphql requests during ${INBOUND} inbound messages, one delivery each (${inbound.seconds.toFixed(1)} s) | ${inbound.requests} | — | 1 |`,
    `| inbox open: webhook answered 200 → the new message shows in the thread list (next frame) | ${median(appear).toFixed(0)} ms | ${range(appear)} ms | ${APPEAR_RUNS} |`,
    "",
    "The live path: the hub commits and publishes, graphql-ws pushes the `disconnections` event, and the dashboard re-reads the",
    "list (one GraphQL query of 100 WABAs) before the row changes; how the time splits between those steps was not measured.",
    "Each live run starts 1.2 s after the previous one showed: the page re-reads at most once a second while events stream",
    "(console/src/throttledRefetch.ts), so a change within a second of the previous re-read shows at the end of that second.",
    `The machine was shared (load average above) while this ran: treat the times as upper bounds.`,
    "",
  ].join("\n");
  writeFileSync(new URL("./results/console.md", import.meta.url), md);
  console.log(md);
} finally {
  await browser.close();
  await hub.stop();
}
