/**
 * 3. Fan-out: 1,000 graphql-ws subscribers (each to `messages` and `disconnections`) in a process of
 * their own; deliveries one at a time; latency = the last subscriber's receipt − the webhook's 200.
 * Baseline: a raw `ws` server broadcasting the same frame to the same clients; with --base, also the
 * hub of that checkout, in the same rounds (the three in a rotating order).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FanoutInput, FanoutResult } from "./lib/subscribers.ts";
import type { BenchResult } from "./lib/report.ts";
import { collectProfile, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { APP_SECRET, API_TOKEN, log, percentile, runWorker, startHub, startServer, summarize, type ServerHandle } from "./lib/util.ts";

export async function fanout(ctx: Ctx, base: Omit<BenchResult, "name" | "title" | "setup" | "sections" | "details" | "durationSec">): Promise<BenchResult> {
  const started = performance.now();
  const CLIENTS = 1000;
  const DELIVERIES = ctx.quick ? 20 : 100;
  const EVERY = 5;

  type Kind = "hub" | "raw" | "base";
  const results: Record<Kind, (FanoutResult & { rss: number | null })[]> = { hub: [], raw: [], base: [] };
  const kinds: Kind[] = ctx.base ? ["hub", "base", "raw"] : ["hub", "raw"];
  const label = (kind: Kind) => (kind === "hub" ? "hub" : kind === "raw" ? "raw ws" : `hub at ${ctx.base?.commit}`);
  for (let round = 1; round <= ctx.runs; round++) {
    // Each kind first in turn, so none always runs on the machine the previous one warmed (or loaded).
    const order = kinds.map((_, i) => kinds[(i + round - 1) % kinds.length]!);
    for (const kind of order) {
      const dir = join(ctx.tmp, `fanout-${round}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const profileLabel = `fanout-${round}`;
      let server: ServerHandle | null = null;
      let rss: number | null = null;
      let r: FanoutResult;
      try {
        // The hub's defaults (500 streams, 100 subscriptions per token, 1,000 HTTP connections) are
        // below this benchmark's clients (one socket each, all of one token, two subscriptions per
        // socket) plus the webhook sender: raised as a deployment serving 1,000 dashboards would.
        const limits = {
          STREAMS_MAX: String(CLIENTS + 100),
          SUBSCRIPTIONS_MAX_PER_TOKEN: String(2 * CLIENTS + 100),
          HTTP_MAX_CONNECTIONS: String(2 * CLIENTS + 400),
        };
        server =
          kind === "hub"
            ? await startHub({
                databaseUrl: `file:${join(dir, "hub.db")}`,
                nodeFlags: profileFlags(ctx, profileLabel),
                env: { ...profileEnv(ctx, profileLabel), ...limits },
              })
            : kind === "base"
              ? await startHub({ databaseUrl: `file:${join(dir, "hub.db")}`, root: ctx.base!.root, name: "base hub", env: limits })
              : await startServer({
                  name: "raw ws",
                  nodeArgs: ["--import", "tsx", "bench/baselines/wsBroadcast.ts"],
                  env: { WHATSAPP_APP_SECRET: APP_SECRET },
                });
        const input: FanoutInput = {
          url: server.url,
          token: API_TOKEN,
          secret: APP_SECRET,
          clients: CLIENTS,
          deliveries: DELIVERIES,
          disconnectionEvery: EVERY,
          runId: `${round}-${kind}-${Date.now()}`,
          gapMs: 50,
          waitMs: 10_000,
          serverPid: server.pid,
        };
        r = await runWorker<FanoutResult>("load", "bench/lib/subscribers.ts", input, 900_000);
      } finally {
        if (server) rss = (await server.stop()).peakRssMb;
        removeDb(join(dir, "hub.db"));
      }
      if (kind === "hub") collectProfile(ctx, profileLabel);
      results[kind].push({ ...r, rss });
      log(
        `fanout round ${round}/${ctx.runs} ${label(kind)}: ${r.subscribed}/${r.clients} clients, ${r.deliveries - r.missed}/${r.deliveries} deliveries reached all; ` +
          `after-200 p50 ${percentile(r.afterOk, 50).toFixed(1)} ms p99 ${percentile(r.afterOk, 99).toFixed(1)} ms; webhook p50 ${percentile(r.webhookMs, 50).toFixed(1)} ms; server CPU ${((r.serverCpuMs ?? NaN) / r.deliveries).toFixed(1)} ms per delivery; setup ${(r.setupMs / 1000).toFixed(1)} s${r.errors.length ? `; errors: ${r.errors.join(" | ")}` : ""}`,
      );
    }
  }

  const per = (kind: Kind, f: (r: FanoutResult & { rss: number | null }) => number) => summarize(results[kind].map(f));
  // The raw-ws baseline, then (with --base) the base checkout's hub.
  const others = (f: (r: FanoutResult & { rss: number | null }) => number) => [per("raw", f), ...(ctx.base ? [per("base", f)] : [])];
  /** Each round's p99 over the raw ws broadcast's p99 in the same round. */
  const ofRaw = (kind: Kind) => summarize(results[kind].map((r, i) => percentile(r.afterOk, 99) / percentile(results.raw[i]!.afterOk, 99)));
  const byKind = (r: FanoutResult, k: string) => r.afterOk.filter((_, i) => r.kinds[i] === k);
  const pooled = (kind: Kind, p: number) =>
    percentile(
      results[kind].flatMap((r) => r.afterOk),
      p,
    );
  const missed = results.hub.reduce((a, r) => a + r.missed, 0);
  return {
    ...base,
    name: "fanout",
    title: "3. Subscription fan-out",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `${CLIENTS} graphql-ws clients (\`createClient\` with ws, token in \`connectionParams.Authorization\`), each subscribed to \`messages { id wamid threadId direction source type text timestamp status }\` and \`disconnections { id wabaId kind reason initiatedBy occurredAt resolvedAt recommendedAction }\`, all in one process on the load CPU; the server (hub or baseline) alone on the server CPU.`,
      `The same process sends the deliveries (so the 200 and the receipts are timed on one clock), one at a time with 50 ms between them: ${DELIVERIES} per run, every ${EVERY}th an account_update PARTNER_REMOVED for a new WABA (opens a disconnection), the rest a 2 KB inbound text message. Latency = last of the ${CLIENTS} receipts − the 200 response; a delivery that does not reach every client within 10 s counts as missed. A warm-up (a delivery of each kind reaching everyone) precedes the measured ones.`,
      "Baseline (bench/baselines/wsBroadcast.ts): a raw `ws` server speaking just enough graphql-ws (init/ack, subscribe, ping) for the same clients; on each signed POST it answers 200, then sends one pre-serialized `next` frame of the same shape to every matching subscription (no database, no GraphQL execution). " +
        (ctx.base
          ? `With --base, the hub at ${ctx.base.commit} too; the three run in a rotating order, each first in one round of three.`
          : "Hub and baseline alternate order per round."),
      `Per-run p99 over ${DELIVERIES} deliveries is close to the worst delivery of the run; pooled over all runs: hub p50 ${pooled("hub", 50).toFixed(1)} ms / p99 ${pooled("hub", 99).toFixed(1)} ms, baseline p50 ${pooled("raw", 50).toFixed(1)} ms / p99 ${pooled("raw", 99).toFixed(1)} ms. Hub deliveries missed: ${missed}.`,
    ],
    sections: [
      {
        title: "3. Subscription fan-out",
        baselineLabels: ["raw ws broadcast", ...(ctx.base ? [`hub at ${ctx.base.commit}`] : [])],
        rows: [
          {
            metric: "last receipt after 200, p50",
            unit: "ms",
            hub: per("hub", (r) => percentile(r.afterOk, 50)),
            baselines: others((r) => percentile(r.afterOk, 50)),
          },
          {
            metric: "last receipt after 200, p99",
            unit: "ms",
            hub: per("hub", (r) => percentile(r.afterOk, 99)),
            baselines: others((r) => percentile(r.afterOk, 99)),
            target: { op: "<=", value: 50 },
          },
          {
            metric: "last receipt after 200, p99 ÷ raw ws broadcast's of the same round",
            unit: "×",
            hub: ofRaw("hub"),
            baselines: [null, ...(ctx.base ? [ofRaw("base")] : [])],
            target: { op: "<=", value: 1.1 },
            note: "each round's p99 divided by the raw ws broadcast's in the same round (issue #22's target); in the --base column, its own ratio.",
          },
          {
            metric: "  messages only, p50",
            unit: "ms",
            hub: per("hub", (r) => percentile(byKind(r, "message"), 50)),
            baselines: others((r) => percentile(byKind(r, "message"), 50)),
          },
          {
            metric: "  disconnections only, p50",
            unit: "ms",
            hub: per("hub", (r) => percentile(byKind(r, "disconnection"), 50)),
            baselines: others((r) => percentile(byKind(r, "disconnection"), 50)),
          },
          {
            metric: "last receipt after POST sent, p50",
            unit: "ms",
            hub: per("hub", (r) => percentile(r.endToEnd, 50)),
            baselines: others((r) => percentile(r.endToEnd, 50)),
          },
          {
            metric: "webhook response time, p50",
            unit: "ms",
            hub: per("hub", (r) => percentile(r.webhookMs, 50)),
            baselines: others((r) => percentile(r.webhookMs, 50)),
          },
          {
            metric: "server CPU per delivery (user + system)",
            unit: "ms",
            hub: per("hub", (r) => (r.serverCpuMs ?? NaN) / r.deliveries),
            baselines: others((r) => (r.serverCpuMs ?? NaN) / r.deliveries),
            note: "The server process's CPU from the first measured delivery to the last one's receipts (and its gap), over the deliveries: what the machine's other load inflates least. /proc's 10 ms ticks.",
          },
          { metric: "deliveries missed (not at every client in 10 s)", unit: "", hub: per("hub", (r) => r.missed), baselines: others((r) => r.missed) },
          { metric: "subscribers connected", unit: "", hub: per("hub", (r) => r.subscribed), baselines: others((r) => r.subscribed) },
          { metric: "server peak RSS (VmHWM)", unit: "MB", hub: per("hub", (r) => r.rss ?? NaN), baselines: others((r) => r.rss ?? NaN) },
        ],
      },
    ],
    details: [],
  };
}
