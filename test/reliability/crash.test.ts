/**
 * Crash safety: Meta keeps sending while the server process is killed (SIGKILL: no shutdown
 * hook, no flush, transactions cut wherever they are) and started again on the same database.
 *
 * What is asserted, precisely:
 *  - every delivery is eventually answered 200 (the sender retries everything else, connection
 *    refused or reset included, like Meta), with outcome PROCESSED or ALREADY_PROCESSED — never
 *    FAILED. ALREADY_PROCESSED on a first 200 means the delivery was projected before a kill
 *    and only the answer was lost;
 *  - the stored deliveries are exactly the ones sent (same content hashes, each once) and all
 *    PROCESSED: none left RECEIVED or FAILED. A delivery stored but not projected when the
 *    process died stays RECEIVED until Meta retries it, and the retry projects it; since every
 *    delivery was retried until it got a 200, nothing may remain RECEIVED. A delivery that got a
 *    200 had already been projected (the answer is sent after the commit);
 *  - every change was projected exactly once: as many account events as distinct events sent, as
 *    many messages as distinct wamids sent, no duplicate row;
 *  - the final state (WABAs with state, facts, disconnections and events; threads with messages,
 *    statuses, edits and revokes; contacts; delivery counts) equals that of a clean in-order run
 *    of the same deliveries, one at a time, on a fresh database without any crash.
 */
import { describe, expect, it } from "vitest";
import { startApp, TEST_PROVIDER } from "../helpers/app.ts";
import { countsOf, readDeliveries, readFinalState } from "../helpers/finalState.ts";
import { MetaSender, post, signed, type SignedDelivery } from "../helpers/metaSender.ts";
import { accountUpdate, type Business, contactSync, echo, editOf, inbound, revokeOf, statusOf } from "../helpers/mirror.ts";
import type { ServerProcess } from "../helpers/process.ts";
import { processDatabase, type ProcessDatabase } from "../helpers/processDatabase.ts";
import { seededRandom, testSeed } from "../helpers/random.ts";
import { Signal } from "../helpers/signal.ts";

const SEED = testSeed();
const KILLS = 4;
const CONCURRENCY = 16;

const T0 = 1_760_000_000;
const WABAS = ["910000000000001", "910000000000002", "910000000000003", "910000000000004"];
const BUSINESS: Business = { wabaId: WABAS[0]!, phoneNumberId: "930000000000001", display: "15550001111" };
const USERS = ["5511900000101", "5511900000102", "5511900000103", "5511900000104", "5511900000105"];
const FUTURE = 4_102_444_800; // 2100-01-01: a restriction that stays active
const PAST = 1_000_000_000; // 2001: one that has expired
const REASONS = ["PRIMARY_INACTIVITY", "COMPANION_INACTIVITY", "BUSINESS_DOWNGRADE", "CHANGE_NUMBER", "USER_RE_REGISTERED"];

/** The k-th lifecycle event of a WABA: the whole account_update vocabulary, in turn. */
function lifecycleValue(wabaId: string, k: number, time: number): Record<string, unknown> {
  const round = Math.floor(k / 11);
  const wabaInfo = { waba_id: wabaId, owner_business_id: `77${wabaId.slice(-4)}` };
  switch (k % 11) {
    case 0:
      return { event: "ACCOUNT_OFFBOARDED" };
    case 1:
      return { event: "ACCOUNT_RECONNECTED" };
    case 2:
      return {
        event: "PARTNER_REMOVED",
        waba_info: wabaInfo,
        disconnection_info: { reason: REASONS[round % REASONS.length], initiated_by: round % 2 ? "USER" : "SYSTEM" },
      };
    case 3:
      return { event: "PARTNER_ADDED", waba_info: wabaInfo };
    case 4:
      return {
        event: "ACCOUNT_RESTRICTION",
        restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: round % 2 ? FUTURE : PAST }],
      };
    case 5:
      return { event: "ACCOUNT_VIOLATION", violation_info: { violation_type: `ADULT_CONTENT_${round}` } };
    case 6:
      return {
        event: "DISABLED_UPDATE",
        ban_info: { waba_ban_state: round % 2 ? "SCHEDULE_FOR_DISABLE" : "REINSTATE", waba_ban_date: `2025-01-${10 + round}` },
      };
    case 7:
      return { event: "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE", country: ["BR", "US", "IN", "DE"][round % 4] };
    case 8:
      return {
        event: "VOLUME_BASED_PRICING_TIER_UPDATE",
        volume_tier_info: {
          tier: `${round * 1000}:${round * 1000 + 999}`,
          pricing_category: "UTILITY",
          region: "INDIA",
          effective_month: "2025-11",
          tier_update_time: time,
        },
      };
    case 9:
      return { event: "PARTNER_APP_UNINSTALLED", waba_info: wabaInfo };
    default:
      return { event: "PARTNER_APP_INSTALLED", waba_info: wabaInfo };
  }
}

/**
 * ≥ 2,000 deliveries, each with its own content: the lifecycle of four WABAs (the last one ends
 * deleted) and five threads of one business number (inbound messages, echoes with their
 * statuses, edits, revokes, address-book syncs), in time order. Every message has its own
 * timestamp and at most one edit, so the result cannot depend on arrival order.
 */
function workload() {
  const timed: { at: number; payload: unknown }[] = [];
  const events = new Set<string>();
  WABAS.forEach((wabaId, w) => {
    for (let k = 0; k < 110; k++) {
      const at = T0 + k * 60 + w;
      const value = w === 3 && k === 100 ? { event: "ACCOUNT_DELETED" } : lifecycleValue(wabaId, k, at);
      timed.push({ at, payload: accountUpdate(wabaId, at, value) });
      events.add(`${wabaId}/${at}`);
    }
  });
  const wamids = new Set<string>();
  USERS.forEach((user, u) => {
    const base = T0 + u * 7;
    for (let k = 0; k < 120; k++) {
      const at = base + k * 50;
      const wamid = `wamid.crash.in.${u}.${k}`;
      wamids.add(wamid);
      timed.push({ at, payload: inbound(BUSINESS, wamid, user, at, `olá ${u}/${k} — mensagem ✓`, `Cliente ${u}`) });
      if (k % 8 === 3) timed.push({ at: at + 3, payload: editOf(BUSINESS, `wamid.crash.edit.${u}.${k}`, wamid, user, at + 3, `editada ${u}/${k} ✎`) });
      if (k % 10 === 9) timed.push({ at: at + 4, payload: revokeOf(BUSINESS, `wamid.crash.revoke.${u}.${k}`, wamid, user, at + 4) });
    }
    for (let k = 0; k < 50; k++) {
      const at = base + k * 120 + 25;
      const wamid = `wamid.crash.out.${u}.${k}`;
      wamids.add(wamid);
      timed.push({ at, payload: echo(BUSINESS, wamid, user, at, `resposta ${u}/${k} 👍`) });
      timed.push({ at: at + 1, payload: statusOf(BUSINESS, wamid, user, at + 1, "sent") });
      timed.push({ at: at + 2, payload: statusOf(BUSINESS, wamid, user, at + 2, "delivered") });
      if (k % 3 === 0) timed.push({ at: at + 3, payload: statusOf(BUSINESS, wamid, user, at + 3, "read") });
      if (k % 10 === 7) {
        timed.push({
          at: at + 4,
          payload: statusOf(BUSINESS, wamid, user, at + 4, "failed", [
            { code: 131047, title: "Re-engagement message", error_data: { details: `window ${u}/${k}` } },
          ]),
        });
      }
    }
    timed.push({ at: base + 11, payload: contactSync(BUSINESS, user, "add", base + 11, `Cliente Número ${u}`) });
    timed.push({ at: base + 4000, payload: contactSync(BUSINESS, user, u % 2 ? "remove" : "add", base + 4000, `Cliente Renomeado ${u}`) });
  });
  timed.sort((a, b) => a.at - b.at);
  return { deliveries: timed.map((t) => signed(t.payload)), distinctEvents: events.size, distinctWamids: wamids.size };
}

/** The server as its own process, with its log drained (only warnings and errors are kept). */
async function startServer(database: ProcessDatabase, problems: string[]): Promise<ServerProcess> {
  const server = await database.start();
  // startServerProcess keeps re-reading everything the process prints; past the start-up line
  // only lines at warn level or above are of interest (they are reported if the test fails).
  server.child.stdout!.removeAllListeners("data");
  let partial = "";
  server.child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (/"level":(4|5|6)\d/.test(line)) problems.push(line.slice(0, 500));
  });
  return server;
}

describe(`crash safety (${TEST_PROVIDER}, seed ${SEED})`, () => {
  it(
    `a server killed ${KILLS} times (SIGKILL) while Meta streams ≥ 2,000 deliveries ends exactly where a clean in-order run ends`,
    { timeout: 240_000 },
    async () => {
      const { deliveries, distinctEvents, distinctWamids } = workload();
      expect(deliveries.length).toBeGreaterThanOrEqual(2000);

      // The reference: the same deliveries, in order, one at a time, on a fresh database — run
      // meanwhile, on a server of its own.
      const reference = (async () => {
        const app = await startApp();
        for (const d of deliveries) {
          const answer = await post(app.url, d);
          if (answer.status !== 200 || answer.json?.outcome !== "PROCESSED") throw new Error(`reference run: ${answer.status} ${JSON.stringify(answer.json)}`);
        }
        return readFinalState(app.url, { phoneNumberIds: [BUSINESS.phoneNumberId] });
      })();
      reference.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

      const database = processDatabase();
      const problems: string[] = [];
      const unexpectedExits: string[] = [];
      let server = await startServer(database, problems);
      const watch = (s: ServerProcess) => s.child.once("exit", (code, signal) => signal !== "SIGKILL" && unexpectedExits.push(`exit ${code} ${signal}`));
      watch(server);

      const progress = new Signal();
      const sender = new MetaSender({ target: () => server.url, onAcknowledged: () => progress.notify(), giveUpAfterMs: 150_000 });
      const sending = sender.sendAll(deliveries, CONCURRENCY);
      let sendingFailed: Error | null = null;
      sending.catch((error: Error) => {
        sendingFailed = error;
        progress.notify();
      });

      // Kill points: random fractions of the stream (seeded), at least 8% of it apart.
      const random = seededRandom(SEED);
      const points: number[] = [];
      while (points.length < KILLS) {
        const p = 0.05 + random() * 0.85;
        if (points.every((q) => Math.abs(q - p) > 0.08)) points.push(p);
      }
      points.sort((a, b) => a - b);
      const inFlightAtKill: number[] = [];
      for (const p of points) {
        const threshold = Math.floor(p * deliveries.length);
        await progress.until(() => sendingFailed ?? sender.acknowledged >= threshold, 120_000, `${threshold} acknowledged deliveries`);
        inFlightAtKill.push(sender.inFlight);
        const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
        server.child.kill("SIGKILL");
        await exited;
        server = await startServer(database, problems);
        watch(server);
      }
      const results = await sending;
      const expected = await reference;

      const context = `seed ${SEED}; kill points ${points.map((p) => p.toFixed(2)).join(", ")}; in flight at each kill ${inFlightAtKill.join(", ")}; failed attempts ${JSON.stringify(Object.fromEntries(sender.failuresByReason))}; server warnings/errors:\n${problems.slice(0, 20).join("\n")}`;
      expect(unexpectedExits, context).toEqual([]);
      // Each kill interrupted deliveries in flight, and Meta's retries got through them.
      expect(
        inFlightAtKill.every((n) => n > 0),
        context,
      ).toBe(true);
      expect(sender.failedAttempts, context).toBeGreaterThanOrEqual(KILLS);

      // Every delivery got its 200, none reporting a failed projection.
      expect(
        results.filter((r) => r.outcome !== "PROCESSED" && r.outcome !== "ALREADY_PROCESSED"),
        context,
      ).toEqual([]);

      // Stored: exactly the deliveries sent, each once, all projected.
      const stored = await readDeliveries(server.url);
      expect(stored.map((d) => d.contentHash).sort(), context).toEqual(deliveries.map((d: SignedDelivery) => d.hash).sort());
      const actual = await readFinalState(server.url, { phoneNumberIds: [BUSINESS.phoneNumberId] });
      expect(actual.deliveries, context).toEqual({ total: deliveries.length, RECEIVED: 0, PROCESSED: deliveries.length, PARTIAL: 0, FAILED: 0 });

      // Projected exactly once: no event or message twice, none missing.
      const counts = countsOf(actual);
      expect(counts.accountEvents, context).toBe(distinctEvents);
      expect(counts.messages, context).toBe(distinctWamids);
      expect(counts.distinctWamids, context).toBe(counts.messages);

      // And the same final state as the clean in-order run.
      expect(actual, context).toEqual(expected);
    },
  );
});
