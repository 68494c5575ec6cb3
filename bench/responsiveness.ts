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
import type { ProbeInput, ProbeResult } from "./lib/probeWorker.ts";
import type { BenchResult, Row, Section } from "./lib/report.ts";
import { collectProfile, freshPgSchema, postgresReachable, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { signed } from "./lib/payloads.ts";
import { API_TOKEN, APP_SECRET, cpuSeconds, log, runWorker, startHub, summarize } from "./lib/util.ts";

const STATUSES = 15_000;

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

  const samples = new Map<string, ProbeResult[]>();
  const cpu = new Map<string, { chunk: number; probed: number }[]>();
  for (let round = 1; round <= ctx.runs; round++) {
    for (const db of databases) {
      const target = db.url(round);
      const label = `responsiveness-${db.name.toLowerCase()}-${round}`;
      const hub = await startHub({
        name: `hub (${db.name})`,
        databaseUrl: target.url,
        nodeFlags: db.name === "SQLite" ? profileFlags(ctx, label) : [],
        // A held event loop can make the server time a request out before it read the whole body
        // (408 after HTTP_REQUEST_TIMEOUT_MS); the bench wants both deliveries ingested, so it waits.
        env: { WEBHOOK_MAX_BYTES: String(4 * 1024 * 1024), HTTP_REQUEST_TIMEOUT_MS: "300000", ...(db.name === "SQLite" ? profileEnv(ctx, label) : {}) },
      });
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
        cpu.set(db.name, [...(cpu.get(db.name) ?? []), { chunk: cpuSetup - cpuBefore, probed: cpuSeconds(hub.pid) - cpuSetup }]);
        samples.set(db.name, [...(samples.get(db.name) ?? []), r]);
        const bad = r.deliveries.filter((d) => d.status !== 200 || d.outcome !== "PROCESSED");
        if (bad.length) throw new Error(`deliveries not PROCESSED: ${JSON.stringify(bad)}`);
        log(
          `responsiveness round ${round}/${ctx.runs} ${db.name}: hub CPU ${cpu.get(db.name)!.at(-1)!.chunk.toFixed(2)} s for the setup chunk, ${cpu.get(db.name)!.at(-1)!.probed.toFixed(2)} s for baseline + ingest; during ingest GraphQL p50 ${r.ingest.graphql.p50.toFixed(1)} / p99 ${r.ingest.graphql.p99.toFixed(1)} ms, /healthz p50 ${r.ingest.healthz.p50.toFixed(1)} / p99 ${r.ingest.healthz.p99.toFixed(1)} ms (baseline p99 ${r.baseline.graphql.p99.toFixed(1)} / ${r.baseline.healthz.p99.toFixed(1)} ms); ${r.deliveries.map((d) => `${d.label} answered in ${(d.ms / 1000).toFixed(2)} s`).join(", ")}`,
        );
      } finally {
        await hub.stop();
        await target.done();
        if (db.name === "SQLite") collectProfile(ctx, label);
      }
    }
  }

  const sections: Section[] = [...samples].map(([name, runs]) => {
    const s = (f: (r: ProbeResult) => number) => summarize(runs.map(f));
    const rows: Row[] = (["graphql", "healthz"] as const).flatMap((kind) => {
      const what = kind === "graphql" ? "small GraphQL query" : "GET /healthz";
      return [
        { metric: `${what} — p50`, unit: "ms", hub: s((r) => r.ingest[kind].p50), baselines: [s((r) => r.baseline[kind].p50)] },
        {
          metric: `${what} — p99`,
          unit: "ms",
          hub: s((r) => r.ingest[kind].p99),
          baselines: [s((r) => r.baseline[kind].p99)],
          target: { op: "<=", value: 100 },
        },
        { metric: `${what} — max`, unit: "ms", hub: s((r) => r.ingest[kind].max), baselines: [s((r) => r.baseline[kind].max)] },
      ];
    });
    const c = (f: (x: { chunk: number; probed: number }) => number) => summarize((cpu.get(name) ?? []).map(f));
    rows.push(
      { metric: "hub CPU: one 3 MB chunk alone (setup)", unit: "s", hub: c((x) => x.chunk) },
      { metric: "hub CPU: baseline probes + both big deliveries", unit: "s", hub: c((x) => x.probed) },
      { metric: "3 MB history chunk — until its 200", unit: "s", hub: s((r) => r.deliveries[0]!.ms / 1000) },
      { metric: `${STATUSES.toLocaleString("en-US")}-status delivery — until its 200`, unit: "s", hub: s((r) => r.deliveries[1]!.ms / 1000) },
    );
    return { title: `5. Responsiveness during big ingests — ${name}`, baselineLabels: ["same probes, nothing ingested"], rows };
  });

  return {
    ...base,
    name: "responsiveness",
    title: "5. Responsiveness during big ingests",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `Ingested together, each a signed POST: one history chunk of ${sizeMb(big)} MB (${messages.length.toLocaleString("en-US")} messages over 20 threads) and one \`messages\` delivery of ${sizeMb(statuses)} MB carrying ${STATUSES.toLocaleString("en-US")} \`read\` statuses (half with pricing) about messages a first chunk of the same size stored before the probes start.`,
      `Probes (bench/lib/probeWorker.ts, a process on the load CPU): \`${QUERY}\` with the API token and \`GET /healthz\`, each sent open loop at ${rate}/s over keep-alive connections, latency measured from the time a probe was due (a held event loop is charged for every probe that fell due meanwhile). Baseline: the same probes for ${baselineSec} s just before, nothing ingested, same process. During the ingest: from the two POSTs until both are answered.`,
      ...(skipped.length ? [`Skipped: ${skipped.join("; ")}`] : []),
    ],
    sections,
    details: [],
    ...(skipped.length ? { skipped } : {}),
  };
}
