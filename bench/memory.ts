/**
 * `npx tsx bench/memory.ts [--postgres] [--modules] [--snapshot] [--root <checkout>] [--env K=V …] [--flag <node flag> …]`: where the
 * ingest's peak RSS goes.
 * Starts the hub as the ingest benchmark does (dist/main.js, npm start's flags, pinned) with
 * bench/lib/memoryProbe.mjs preloaded, reads its figures idle, then drives the ingest benchmark's
 * load (1 s warm-up, 100 connections for 4 s, 1,000/s for 4 s) and reads them again: RSS, V8 heap,
 * external memory and array buffers at the highest RSS, V8's heap spaces, and (--modules) the modules
 * loaded by package. Memory is counted, not timed, so a loaded machine changes it little.
 */
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freshPgSchema, removeDb, scratchDir } from "./lib/context.ts";
import { runLoad, runPaced } from "./lib/load.ts";
import { APP_SECRET, BENCH, buildHub, sleep, startHub } from "./lib/util.ts";

const args = process.argv.slice(2);
const postgres = args.includes("--postgres");
const extraEnv = Object.fromEntries(
  args.flatMap((a, i) => (args[i - 1] === "--env" ? [a.split("=") as [string, string]] : [])).map(([k, ...v]) => [k, v.join("=")]),
);
/** --root <checkout>: measure another checkout's hub (built there), e.g. a worktree of the commit before a change. */
const root = args.includes("--root") ? args[args.indexOf("--root") + 1] : undefined;
const tmp = scratchDir();
const reportFile = join(tmp, "memory.json");
const pg = postgres ? freshPgSchema() : null;
buildHub(root);
const hub = await startHub({
  name: "hub",
  root,
  databaseUrl: pg ? pg.url : `file:${join(tmp, "hub.db")}`,
  nodeFlags: [...args.flatMap((a, i) => (args[i - 1] === "--flag" ? [a] : [])), "--import", join(BENCH, "lib/memoryProbe.mjs")],
  env: {
    BENCH_MEMORY_FILE: reportFile,
    ...(args.includes("--modules") ? { BENCH_MODULES: "1" } : {}),
    ...(args.includes("--snapshot") ? { BENCH_HEAP_SNAPSHOT: (mkdirSync(join(tmp, "snap"), { recursive: true }), join(tmp, "snap")) } : {}),
    ...extraEnv,
  },
});

async function read(label: string): Promise<unknown> {
  rmSync(reportFile, { force: true });
  process.kill(hub.pid, "SIGUSR2");
  for (let i = 0; i < 600 && !existsSync(reportFile); i++) await sleep(100);
  await sleep(300);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as Record<string, unknown>;
  console.log(`\n== ${label}: VmHWM ${hub.peakRssMb()} MB`);
  console.log(JSON.stringify(report, null, 1));
  return report;
}

try {
  await sleep(2000);
  await read("idle after start-up");
  const gen = (id: string) => ({ kind: "messages" as const, secret: APP_SECRET, runId: id, users: 1000 });
  await runLoad({ url: hub.url, path: "/webhooks/whatsapp", connections: 16, duration: 1, generator: gen("warm") });
  const sustained = await runLoad({ url: hub.url, path: "/webhooks/whatsapp", connections: 100, duration: 4, generator: gen("sustained") });
  await sleep(1000);
  const fixed = await runPaced({ url: hub.url, path: "/webhooks/whatsapp", rate: 1000, duration: 4, connections: 256, drain: 3, generator: gen("fixed") });
  await sleep(500);
  console.log(`\nload: sustained ${sustained.okPerSec.toFixed(0)}/s, at 1,000/s ${fixed.okPerSec.toFixed(0)}/s (machine shared: rates not comparable)`);
  await read("after the ingest load");
} finally {
  await hub.stop();
  await pg?.drop();
  removeDb(join(tmp, "hub.db"));
}
