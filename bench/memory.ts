/**
 * `npx tsx bench/memory.ts [--postgres] [--send] [--modules] [--snapshot] [--root <checkout>] [--env K=V …] [--flag <node flag> …]`:
 * where the ingest's peak RSS goes (with --send: the send bench's 10,000 sends queued for a 20/s number instead of the ingest).
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
import { deliverSigned } from "./lib/payloads.ts";
import type { SendClientInput, SendClientResult } from "./lib/sendClient.ts";
import { API_TOKEN, APP_SECRET, BENCH, buildHub, runWorker, sleep, startHub } from "./lib/util.ts";
import { echoText, type SampleBusiness } from "../src/cli/samples.ts";
import { startFakeGraph } from "../src/cli/fakeGraphServer.ts";

const args = process.argv.slice(2);
const postgres = args.includes("--postgres");
const sending = args.includes("--send");
const fake = sending ? await startFakeGraph({ token: "bench-graph-token" }) : null;
const COEXISTENCE: SampleBusiness = { wabaId: "102290129340399", phoneNumberId: "106540352242923", displayNumber: "15550783882" };
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
    ...(fake ? { GRAPH_API_URL: fake.url, GRAPH_API_TOKEN: "bench-graph-token", SEND_PAIR_INTERVAL_MS: "0" } : {}),
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
  if (fake) {
    // As bench/send.ts's memory round: an echo makes the number a 20/s one, then 10,000 sendMessage calls, 16 at a time.
    const at = Math.floor(Date.now() / 1000) - 60;
    await deliverSigned(hub.url, echoText(COEXISTENCE, { wamid: "wamid.memory.echo", user: "5511900000001", at, body: "do app" }), APP_SECRET);
    const input: SendClientInput = {
      ...{ mode: "hub", hubUrl: hub.url, token: API_TOKEN, graphUrl: fake.url, graphToken: "bench-graph-token" },
      ...{ phoneNumberId: COEXISTENCE.phoneNumberId, sends: 10_000, concurrency: 16, users: 40, prefix: "memory" },
    };
    const r = await runWorker<SendClientResult>("load", "bench/lib/sendClient.ts", input, 900_000);
    await sleep(2000);
    console.log(`\nsends: ${((10_000 / r.ms) * 1000).toFixed(0)}/s accepted, ${r.errors} errors; ${fake.requests.length} at the fake`);
    await read("with 10,000 sends queued");
  }
  const gen = (id: string) => ({ kind: "messages" as const, secret: APP_SECRET, runId: id, users: 1000 });
  if (!sending) {
    await runLoad({ url: hub.url, path: "/webhooks/whatsapp", connections: 16, duration: 1, generator: gen("warm") });
    const sustained = await runLoad({ url: hub.url, path: "/webhooks/whatsapp", connections: 100, duration: 4, generator: gen("sustained") });
    await sleep(1000);
    const fixed = await runPaced({ url: hub.url, path: "/webhooks/whatsapp", rate: 1000, duration: 4, connections: 256, drain: 3, generator: gen("fixed") });
    await sleep(500);
    console.log(`\nload: sustained ${sustained.okPerSec.toFixed(0)}/s, at 1,000/s ${fixed.okPerSec.toFixed(0)}/s (machine shared: rates not comparable)`);
    await read("after the ingest load");
  }
} finally {
  await fake?.close();
  await hub.stop();
  await pg?.drop();
  removeDb(join(tmp, "hub.db"));
}
