/**
 * 5. Responsiveness during big ingests (issue #18 item 8, issue #22): p50/p99 of a small GraphQL
 * query and of `/healthz` while a 3 MB history chunk and a 15,000-status delivery are ingested
 * together, beside the same probes with nothing ingested (the baseline, same process, same run).
 * Target: p99 ≤ 100 ms for both during the ingest.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateHistory, historyChunk, mirrorChange, BUSINESS, type HistoryMessage } from "../test/helpers/mirror.ts";
import { metaBytes } from "../test/helpers/meta.ts";
import { loopDuring, type Loop } from "./lib/loopStalls.ts";
import type { ProbeInput, ProbeResult } from "./lib/probeWorker.ts";
import type { BenchResult, Row, Section } from "./lib/report.ts";
import { collectProfile, freshPgSchema, postgresReachable, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { signed } from "./lib/payloads.ts";
import { API_TOKEN, APP_SECRET, BENCH, cpuSeconds, log, runWorker, startHub, summarize } from "./lib/util.ts";

const STATUSES = 15_000;

interface Measured {
  probes: ProbeResult;
  /** The hub's CPU seconds for the setup chunk, and for the baseline probes and the two big deliveries. */
  cpu: { chunk: number; probed: number };
  loop: Loop;
}

const QUERY = "{ threads(first: 5) { edges { node { waId lastMessage { text } } } } }";

/** A history chunk of ~3 MB (16,040 messages over 20 threads), its wamids under `prefix`. */
function chunkOf(prefix: string, phase: number, messages: readonly HistoryMessage[]) {
  return historyChunk(
    phase,
    1,
    100,
    messages.map((m) => ({ ...m, wamid: m.wamid.replace("wamid.hist.", prefix) })),
  );
}

export async function responsiveness(
  ctx: Ctx,
  base: Omit<BenchResult, "name" | "title" | "setup" | "sections" | "details" | "durationSec">,
): Promise<BenchResult> {
  const started = performance.now();
  const rate = 50;
  const baselineSec = ctx.quick ? 2 : 4;
  // 20 threads × 802 messages: the 3 MB chunk of test/helpers/mirror.ts historyChunkOfBytes(3_000_000).
  const { messages } = generateHistory(20, 802, 1);
  const known = chunkOf("wamid.known.", 1, messages);
  const big = chunkOf("wamid.big.", 0, messages);
  const statuses = mirrorChange(BUSINESS, "messages", {
    statuses: messages.slice(0, STATUSES).map((m, i) => ({
      id: m.wamid.replace("wamid.hist.", "wamid.known."),
      status: "read",
      timestamp: String(m.at + 60),
      recipient_id: m.user,
      ...(i % 2 ? { pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" } } : {}),
    })),
  });
  const files = { known: join(ctx.tmp, "known.json"), big: join(ctx.tmp, "chunk.json"), statuses: join(ctx.tmp, "statuses.json") };
  const signatures: Record<keyof typeof files, string> = { known: "", big: "", statuses: "" };
  for (const [name, payload] of [
    ["known", known],
    ["big", big],
    ["statuses", statuses],
  ] as const) {
    const { body, signature } = signed(payload, APP_SECRET);
    writeFileSync(files[name], body);
    signatures[name] = signature;
  }
  const sizeMb = (payload: unknown) => (metaBytes(payload).length / 1e6).toFixed(2);

  const databases: { name: "SQLite" | "PostgreSQL"; url(round: number): { url: string; done(): Promise<void> } }[] = [
    {
      name: "SQLite",
      url(round) {
        const file = join(ctx.tmp, `responsiveness-${round}.db`);
        return { url: `file:${file}`, done: async () => removeDb(file) };
      },
    },
  ];
  const skipped: string[] = [];
  const pgProblem = ctx.postgres ? await postgresReachable() : "PostgreSQL runs (--no-postgres)";
  if (pgProblem) skipped.push(pgProblem);
  else
    databases.push({
      name: "PostgreSQL",
      url() {
        const s = freshPgSchema();
        return { url: s.url, done: () => s.drop() };
      },
    });

  /** One hub (this checkout's, or --base's) through the setup chunk and the probes: what it measured. */
  const measure = async (db: (typeof databases)[number], round: number, root: string | undefined): Promise<Measured> => {
    const target = db.url(round);
    const label = `responsiveness-${db.name.toLowerCase()}-${round}${root ? "-base" : ""}`;
    const profiled = db.name === "SQLite" && !root ? profileFlags(ctx, label) : [];
    // With --profile, beside the CPU profile: `tsx bench/lib/loopStalls.ts <profile> <gaps>` says what held the loop.
    const gapsFile = join(profiled.length ? join(BENCH, "profiles", label) : ctx.tmp, `loop-gaps-${label}.json`);
    const hub = await startHub({
      name: `${root ? "base " : ""}hub (${db.name})`,
      databaseUrl: target.url,
      nodeFlags: [...profiled, "--import", join(BENCH, "lib", "loopGaps.mjs")],
      ...(root ? { root } : {}),
      // A held event loop can make the server time a request out before it read the whole body
      // (408 after HTTP_REQUEST_TIMEOUT_MS); the bench wants both deliveries ingested, so it waits.
      env: {
        WEBHOOK_MAX_BYTES: String(4 * 1024 * 1024),
        HTTP_REQUEST_TIMEOUT_MS: "300000",
        BENCH_LOOP_GAPS: gapsFile,
        ...(profiled.length ? profileEnv(ctx, label) : {}),
      },
    });
    let measured: Omit<Measured, "loop">;
    try {
      // The messages the statuses are about, stored before anything is measured.
      const cpuBefore = cpuSeconds(hub.pid);
      const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signatures.known },
        body: new Uint8Array(readFileSync(files.known)),
      });
      if (res.status !== 200) throw new Error(`the setup chunk was answered ${res.status}: ${await res.text()}`);
      const input: ProbeInput = {
        url: hub.url,
        token: API_TOKEN,
        query: QUERY,
        rate,
        baseline: baselineSec,
        deliveries: [
          { label: "3 MB history chunk", file: files.big, signature: signatures.big },
          { label: `${STATUSES.toLocaleString("en-US")} statuses`, file: files.statuses, signature: signatures.statuses },
        ],
      };
      const cpuSetup = cpuSeconds(hub.pid);
      const r = await runWorker<ProbeResult>("load", "bench/lib/probeWorker.ts", input);
      measured = { probes: r, cpu: { chunk: cpuSetup - cpuBefore, probed: cpuSeconds(hub.pid) - cpuSetup } };
      const bad = r.deliveries.filter((d) => d.status !== 200 || d.outcome !== "PROCESSED");
      if (bad.length) throw new Error(`deliveries not PROCESSED: ${JSON.stringify(bad)}`);
    } finally {
      await hub.stop();
      await target.done();
      if (profiled.length) collectProfile(ctx, label);
    }
    const { probes: r, cpu } = measured;
    const loop = loopDuring(gapsFile, r.ingestWindowUs);
    log(
      `responsiveness round ${round}/${ctx.runs} ${root ? `hub at ${ctx.base?.commit} ` : ""}${db.name}: hub CPU ${cpu.chunk.toFixed(2)} s for the setup chunk, ${cpu.probed.toFixed(2)} s for baseline + ingest; during ingest GraphQL p50 ${r.ingest.graphql.p50.toFixed(1)} / p99 ${r.ingest.graphql.p99.toFixed(1)} ms, /healthz p50 ${r.ingest.healthz.p50.toFixed(1)} / p99 ${r.ingest.healthz.p99.toFixed(1)} ms (baseline p99 ${r.baseline.graphql.p99.toFixed(1)} / ${r.baseline.healthz.p99.toFixed(1)} ms); ${r.deliveries.map((d) => `${d.label} answered in ${(d.ms / 1000).toFixed(2)} s`).join(", ")}; the event loop's longest stall ${loop.longest} ms (${loop.longestCpu} ms on CPU at most), ${loop.over50} stalls over 50 ms of CPU`,
    );
    return { probes: r, cpu, loop };
  };

  // Keyed by database name, and "<name> base" for --base's hub.
  const results = new Map<string, Measured[]>();
  for (let round = 1; round <= ctx.runs; round++) {
    for (const db of databases) {
      // With --base, the two hubs alternate which goes first, round by round.
      const roots = ctx.base ? (round % 2 ? [undefined, ctx.base.root] : [ctx.base.root, undefined]) : [undefined];
      for (const root of roots) {
        const key = root ? `${db.name} base` : db.name;
        results.set(key, [...(results.get(key) ?? []), await measure(db, round, root)]);
      }
    }
  }

  const sections: Section[] = databases.flatMap(({ name }) => {
    const runs = results.get(name);
    if (!runs) return [];
    const baseRuns = results.get(`${name} base`);
    const s = (of: Measured[] | undefined, f: (m: Measured) => number) => (of ? summarize(of.map(f)) : null);
    const row = (metric: string, unit: string, f: (m: Measured) => number, idle?: (m: Measured) => number, target?: Row["target"]): Row => ({
      metric,
      unit,
      hub: s(runs, f)!,
      baselines: [idle ? s(runs, idle) : null, ...(baseRuns ? [s(baseRuns, f)] : [])],
      ...(target ? { target } : {}),
    });
    const rows: Row[] = (["graphql", "healthz"] as const).flatMap((kind) => {
      const what = kind === "graphql" ? "small GraphQL query" : "GET /healthz";
      return (["p50", "p99", "max"] as const).map((q) =>
        row(
          `${what} — ${q}`,
          "ms",
          (m) => m.probes.ingest[kind][q],
          (m) => m.probes.baseline[kind][q],
          q === "p99" ? { op: "<=", value: 100 } : undefined,
        ),
      );
    });
    rows.push(
      row("hub's event loop during the ingest: longest stall", "ms", (m) => m.loop.longest),
      row("the same, its main thread's CPU time in it (load-independent)", "ms", (m) => m.loop.longestCpu),
      row("stalls of more than 50 ms of CPU", "", (m) => m.loop.over50),
      row("hub CPU: one 3 MB chunk alone (setup)", "s", (m) => m.cpu.chunk),
      row("hub CPU: baseline probes + both big deliveries", "s", (m) => m.cpu.probed),
      row("3 MB history chunk — until its 200", "s", (m) => m.probes.deliveries[0]!.ms / 1000),
      row(`${STATUSES.toLocaleString("en-US")}-status delivery — until its 200`, "s", (m) => m.probes.deliveries[1]!.ms / 1000),
    );
    const baselineLabels = ["same probes, nothing ingested", ...(baseRuns ? [`hub at ${ctx.base?.commit ?? "base"}`] : [])];
    return [{ title: `5. Responsiveness during big ingests — ${name}`, baselineLabels, rows }];
  });

  return {
    ...base,
    name: "responsiveness",
    title: "5. Responsiveness during big ingests",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `Ingested together, each a signed POST: one history chunk of ${sizeMb(big)} MB (${messages.length.toLocaleString("en-US")} messages over 20 threads) and one \`messages\` delivery of ${sizeMb(statuses)} MB carrying ${STATUSES.toLocaleString("en-US")} \`read\` statuses (half with pricing) about messages a first chunk of the same size stored before the probes start.`,
      ...(ctx.base
        ? [
            `**hub at ${ctx.base.commit}** (--base ${ctx.base.root}): the hub built in that checkout, measured the same way in the same rounds (the two alternate which goes first).`,
          ]
        : []),
      "The hub's event loop (bench/lib/loopGaps.mjs, preloaded): a 1 ms timer that notes each time it fired more than 10 ms late; its longest stall during the ingest, and the main thread's own CPU time in that stall (from /proc: what the stall would last with the core to itself).",
      `Probes (bench/lib/probeWorker.ts, a process on the load CPU): \`${QUERY}\` with the API token and \`GET /healthz\`, each sent open loop at ${rate}/s over keep-alive connections, latency measured from the time a probe was due (a held event loop is charged for every probe that fell due meanwhile). Baseline: the same probes for ${baselineSec} s just before, nothing ingested, same process. During the ingest: from the two POSTs until both are answered.`,
      ...(skipped.length ? [`Skipped: ${skipped.join("; ")}`] : []),
    ],
    sections,
    details: [],
    ...(skipped.length ? { skipped } : {}),
  };
}
