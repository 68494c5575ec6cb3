/**
 * One 3 MB history chunk: what it costs the hub to take Meta's largest documented webhook body in
 * one POST (Meta: payloads up to 3 MB; a history chunk may describe thousands of messages).
 * The same messages are also sent as 100 chunks of ~30 KB to a fresh hub, the baseline: the
 * difference in peak memory is what the chunk's size costs, beyond storing the messages.
 *
 * Usage: npm run bench:chunk [-- --runs N]   (SQLite, and PostgreSQL when reachable)
 * Prints, per database and shape: time to Meta's 200 (the chunk is stored by then), messages/s,
 * idle RSS after start-up, peak RSS (VmHWM) and the rise from idle to peak; medians of N runs.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { historyChunk, historyChunkOfBytes } from "../test/helpers/mirror.ts";
import { freshPgSchema, postgresReachable } from "./lib/context.ts";
import { deliverSigned } from "./lib/payloads.ts";
import { APP_SECRET, buildHub, killChildren, median, startHub, type ServerHandle } from "./lib/util.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);
const THREE_MB = 3_000_000;
const SMALL_CHUNKS = 100;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function post(hub: ServerHandle, payload: unknown): Promise<void> {
  const res = await deliverSigned(hub.url, payload, APP_SECRET);
  const answer = (await res.json()) as { outcome?: string };
  if (res.status !== 200 || answer.outcome !== "PROCESSED") throw new Error(`hub answered ${res.status} ${JSON.stringify(answer)}`);
}

interface Run {
  seconds: number;
  idleMb: number;
  peakMb: number;
}

async function once(databaseUrl: string, payloads: readonly unknown[]): Promise<Run> {
  const hub = await startHub({ databaseUrl, env: { WEBHOOK_MAX_BYTES: String(4 * 1024 * 1024) } });
  try {
    // Settle after start-up (migrations check, first GC) before reading the idle figure.
    await new Promise((r) => setTimeout(r, 1000));
    const idleMb = rssMb(hub.pid);
    const started = performance.now();
    for (const p of payloads) await post(hub, p);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, idleMb, peakMb: hub.peakRssMb() ?? NaN };
  } finally {
    await hub.stop();
  }
}

async function main(): Promise<void> {
  buildHub();
  const { chunk, size, messages } = historyChunkOfBytes(THREE_MB);
  const per = Math.ceil(messages.length / SMALL_CHUNKS);
  const small = Array.from({ length: SMALL_CHUNKS }, (_, i) =>
    historyChunk(0, i + 1, Math.round(((i + 1) / SMALL_CHUNKS) * 100), messages.slice(i * per, (i + 1) * per)),
  );
  console.log(`one chunk: ${(size / 1e6).toFixed(2)} MB, ${messages.length} messages in 20 threads; baseline: the same messages in ${SMALL_CHUNKS} chunks`);

  const databases: { name: string; url(): { url: string; done(): Promise<void> } }[] = [
    {
      name: "SQLite",
      url() {
        const dir = mkdtempSync(join(tmpdir(), "bench-chunk-"));
        return { url: `file:${join(dir, "hub.db")}`, done: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
      },
    },
  ];
  const pgProblem = await postgresReachable();
  if (pgProblem) console.log(`PostgreSQL skipped: ${pgProblem}`);
  else
    databases.push({
      name: "PostgreSQL",
      url: () => {
        const s = freshPgSchema();
        return { url: s.url, done: () => s.drop() };
      },
    });

  const rows: string[] = [];
  for (const db of databases) {
    for (const [shape, payloads] of [
      ["one 3 MB chunk", [chunk]],
      [`${SMALL_CHUNKS} chunks (baseline)`, small],
    ] as const) {
      const runs: Run[] = [];
      for (let r = 0; r < RUNS; r++) {
        const target = db.url();
        try {
          runs.push(await once(target.url, payloads));
        } finally {
          await target.done();
        }
      }
      const m = (f: (run: Run) => number) => median(runs.map(f));
      const seconds = m((r) => r.seconds);
      rows.push(
        `| ${db.name} | ${shape} | ${seconds.toFixed(2)} s | ${Math.round(messages.length / seconds)} | ${m((r) => r.idleMb).toFixed(0)} MB | ${m((r) => r.peakMb).toFixed(0)} MB | +${m((r) => r.peakMb - r.idleMb).toFixed(0)} MB |`,
      );
      console.log(rows.at(-1));
    }
  }
  console.log(
    `\nmedians of ${RUNS} runs\n| database | shape | until the last 200 | messages/s | idle RSS | peak RSS | rise |\n|---|---|---|---|---|---|---|\n${rows.join("\n")}`,
  );
}

try {
  await main();
} finally {
  killChildren();
}
