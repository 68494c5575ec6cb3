/**
 * 2. History import: a generated six-month history (threads × messages) in Meta-sized `history`
 * chunks, out of order, a few in flight, from the first POST until historySync is COMPLETE with
 * every chunk's messages counted; then the messages are counted in the SQLite file. Baseline: the
 * same rows by multi-row INSERTs with better-sqlite3 into the same tables.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { HistoryBaselineInput, HistoryBaselineResult } from "./baselines/historyInsert.ts";
import type { HistoryOptions } from "./lib/historyData.ts";
import { buildHistory } from "./lib/historyData.ts";
import type { SenderInput, SenderResult } from "./lib/historySender.ts";
import { metaJson, signed } from "./lib/payloads.ts";
import type { BenchResult } from "./lib/report.ts";
import { collectProfile, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { describeStatements, startCountingHub } from "./lib/sqlCount.ts";
import { APP_SECRET, API_TOKEN, cpuSeconds, log, runWorker, startHub, summarize } from "./lib/util.ts";

export async function history(ctx: Ctx, base: Omit<BenchResult, "name" | "title" | "setup" | "sections" | "details" | "durationSec">): Promise<BenchResult> {
  const started = performance.now();
  const h: HistoryOptions = ctx.quick
    ? { threads: 100, perThread: 200, minChunk: 100, maxChunk: 500, seed: 7 }
    : { threads: 500, perThread: 200, minChunk: 100, maxChunk: 500, seed: 7 };
  const IN_FLIGHT = 4;
  const total = h.threads * h.perThread;

  type Import = { rate: number; elapsed: number; rss: number | null; stored: number; threads: number; sender: SenderResult; cpu: number };
  /** One import into a fresh hub (this checkout's, or --base's when `root` is given). */
  const importInto = async (round: number, dir: string, root?: string): Promise<Import> => {
    const file = join(dir, root ? "base.db" : "hub.db");
    const label = `history-${round}`;
    const server = await startHub({
      databaseUrl: `file:${file}`,
      ...(root ? { root, name: "base hub" } : { nodeFlags: profileFlags(ctx, label), env: profileEnv(ctx, label) }),
    });
    let sender: SenderResult;
    let rss: number | null;
    let cpu: number;
    try {
      const input: SenderInput = { url: server.url, secret: APP_SECRET, token: API_TOKEN, history: h, inFlight: IN_FLIGHT, pollMs: 100, timeoutMs: 600_000 };
      const cpuBefore = cpuSeconds(server.pid);
      sender = await runWorker<SenderResult>("load", "bench/lib/historySender.ts", input, 700_000);
      cpu = cpuSeconds(server.pid) - cpuBefore;
    } finally {
      rss = (await server.stop()).peakRssMb;
    }
    if (!root) collectProfile(ctx, label);
    const db = new Database(file, { readonly: true });
    const stored = (db.prepare(`SELECT COUNT(*) AS n FROM "Message"`).get() as { n: number }).n;
    const threads = (db.prepare(`SELECT COUNT(*) AS n FROM "Thread"`).get() as { n: number }).n;
    db.close();
    removeDb(file);
    const rate = sender.completed ? (total / sender.elapsedMs) * 1000 : NaN;
    log(
      `history round ${round}/${ctx.runs} ${root ? `hub at ${ctx.base?.commit}` : "hub"}: ${sender.completed ? `${(sender.elapsedMs / 1000).toFixed(1)} s, ${rate.toFixed(0)} messages/s` : "did not complete"}; ` +
        `hub CPU ${cpu.toFixed(2)} s; ${stored}/${total} messages stored in ${threads} threads; peak RSS ${rss} MB; answers ${JSON.stringify(sender.statuses)}`,
    );
    return { rate, elapsed: sender.elapsedMs, rss, stored, threads, sender, cpu };
  };

  const hub: Import[] = [];
  const baseHub: Import[] = [];
  const baseline: HistoryBaselineResult[] = [];
  for (let round = 1; round <= ctx.runs; round++) {
    const dir = join(ctx.tmp, `history-${round}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Alternating which hub goes first, so neither always meets the machine in the same state.
    const order = ctx.base && round % 2 === 0 ? ["base", "hub"] : ["hub", "base"];
    for (const which of order) {
      if (which === "hub") hub.push(await importInto(round, dir));
      else if (ctx.base) baseHub.push(await importInto(round, dir, ctx.base.root));
    }

    const b = await runWorker<HistoryBaselineResult>("server", "bench/baselines/historyInsert.ts", {
      file: join(dir, "baseline.db"),
      history: h,
    } satisfies HistoryBaselineInput);
    baseline.push(b);
    log(
      `history round ${round}/${ctx.runs} baseline: ${(b.elapsedMs / 1000).toFixed(2)} s, ${((b.messages / b.elapsedMs) * 1000).toFixed(0)} messages/s, ${b.stored} stored`,
    );
  }

  // Statements for one chunk (untimed, statement counter preloaded).
  const countDir = join(ctx.tmp, "history-count");
  mkdirSync(countDir, { recursive: true, mode: 0o700 });
  const counting = await startCountingHub(`file:${join(countDir, "hub.db")}`, countDir);
  const data = buildHistory({ ...h, threads: Math.min(h.threads, 100) });
  const post = (i: number) => async (url: string) => {
    const { body, signature } = signed(data.chunks[i], APP_SECRET);
    const res = await fetch(url + "/webhooks/whatsapp", {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "x-hub-signature-256": signature, "content-type": "application/json" },
    });
    if (res.status !== 200) throw new Error(`count run: webhook answered ${res.status}`);
  };
  const first = await counting.measure(post(0));
  const second = await counting.measure(post(1));
  await counting.stop();
  removeDb(join(countDir, "hub.db"));
  const chunkBytes = data.chunks.map((c) => Buffer.byteLength(metaJson(c)));

  const withBase = (f: (r: Import) => number) => (ctx.base ? [summarize(baseHub.map(f))] : []);
  const stored = hub.map((r) => r.stored);
  const allStored = stored.every((n) => n === total);
  const s0 = hub[0]!.sender;
  return {
    ...base,
    name: "history",
    title: "2. History import",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `Data: test/helpers/mirror.ts's generated history, ${h.threads} threads × ${h.perThread} messages = ${total.toLocaleString("en-US")} messages over 180 days, cut per phase (0: last day, 1: ≤ 90 days, 2: older) into chunks of ${h.minChunk}–${h.maxChunk} messages (${s0.chunks} chunks, ${(s0.bytes / 2 ** 20).toFixed(1)} MB in all), sent in a seeded shuffled order (out of order; the chunk with progress 100 is not last), signed like Meta.`,
      `Per run: a fresh hub on a fresh SQLite file; a sender process (load CPU) signs all chunks first, then POSTs them ${IN_FLIGHT} in flight and polls \`historySync(phoneNumberId)\` (GraphQL, API token) every 100 ms. Time = first POST → historySync COMPLETE and the recorded chunks' message counts add up to ${total.toLocaleString("en-US")} (so every chunk is committed). After the hub stops, \`SELECT COUNT(*) FROM Message\` on its file: ${stored.join(" / ")} — ${allStored ? "every message stored" : "**NOT every message stored**"}.`,
      "Baseline (bench/baselines/historyInsert.ts, server CPU): the same chunks in the same order into the app's own SQLite schema (its migration), WAL, one transaction per chunk: multi-row INSERTs (≤ 500 rows) of contacts, threads, messages, the threads' last message and the HistorySync row; rows are built before the clock starts.",
      `Statements per chunk (untimed run, statement counter): **${first.count}** for a first chunk of ${data.sizes[0]} messages (${describeStatements(first.statements).join(", ")}), **${second.count}** for the next (${data.sizes[1]} messages). Chunk sizes on the wire ${Math.min(...chunkBytes)}–${Math.max(...chunkBytes)} bytes.`,
    ],
    sections: [
      {
        title: "2. History import",
        baselineLabels: ["raw multi-row INSERTs", ...(ctx.base ? [`hub at ${ctx.base.commit}`] : [])],
        rows: [
          {
            metric: "messages/s (first POST → COMPLETE)",
            unit: "/s",
            hub: summarize(hub.map((r) => r.rate)),
            baselines: [summarize(baseline.map((b) => (b.messages / b.elapsedMs) * 1000)), ...withBase((r) => r.rate)],
            target: { op: ">=", value: 30000 },
          },
          {
            metric: "hub CPU for the import (user + system)",
            unit: "s",
            hub: summarize(hub.map((r) => r.cpu)),
            baselines: [summarize([]), ...withBase((r) => r.cpu)],
            note: "CPU seconds the hub process spent from the first POST to COMPLETE: what the machine's other load inflates least.",
          },
          {
            metric: `time for ${total.toLocaleString("en-US")} messages`,
            unit: "s",
            hub: summarize(hub.map((r) => r.elapsed / 1000)),
            baselines: [summarize(baseline.map((b) => b.elapsedMs / 1000)), ...withBase((r) => r.elapsed / 1000)],
          },
          {
            metric: "peak RSS (VmHWM)",
            unit: "MB",
            hub: summarize(hub.map((r) => r.rss ?? NaN)),
            baselines: [summarize(baseline.map((b) => b.peakRssMb ?? NaN)), ...withBase((r) => r.rss ?? NaN)],
            target: { op: "<=", value: 400 },
            note: "the baseline holds the whole prepared data set in memory, so its RSS is not a floor for the hub's.",
          },
          { metric: "chunk POST latency p50", unit: "ms", hub: summarize(hub.map((r) => r.sender.chunkLatency.p50)) },
          { metric: "chunk POST latency p99", unit: "ms", hub: summarize(hub.map((r) => r.sender.chunkLatency.p99)) },
          { metric: "every message stored (SQL count)", unit: "", hub: summarize(stored), met: allStored, targetLabel: `all ${total.toLocaleString("en-US")}` },
        ],
      },
    ],
    details: [],
  };
}
