/**
 * Preload for the memory breakdown of a running hub (`node --import ./bench/lib/memoryProbe.mjs dist/main.js`;
 * plain JavaScript, so no TypeScript loader adds to what is measured). BENCH_MEMORY_FILE=<file>:
 *
 * - samples process.memoryUsage() every 20 ms and keeps the sample taken at the highest RSS and each
 *   field's maximum;
 * - on SIGUSR2 writes all that, the current figures and V8's heap spaces to the file as JSON; with
 *   BENCH_HEAP_SNAPSHOT=<dir> also a heap snapshot there (bench/lib/heapSummary.ts reads it).
 * - with BENCH_MODULES=1, records every module loaded (ESM through a resolve hook — a thread of its
 *   own, so not in the runs whose figures count — and CommonJS from require's cache), by package.
 */
import { createRequire, register } from "node:module";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setInterval } from "node:timers";
import { MessageChannel } from "node:worker_threads";
import v8 from "node:v8";

const file = process.env.BENCH_MEMORY_FILE;
const esm = new Set();
// The hooks run on a thread of their own (an isolate: several MB of RSS), so only when asked.
if (process.env.BENCH_MODULES) {
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (url) => esm.add(url));
  port1.unref();
  register("./memoryProbeHooks.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
}

const mb = (n) => Math.round((n / 1048576) * 10) / 10;
const usage = () => Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
let atPeak = usage();
const max = { ...atPeak };
const timer = setInterval(() => {
  const now = usage();
  if (now.rss > atPeak.rss) atPeak = now;
  for (const k of Object.keys(now)) max[k] = Math.max(max[k] ?? 0, now[k]);
}, 20);
timer.unref();

/** node_modules/<pkg> (or @scope/pkg), or "app" / "node:" for the rest. */
function packageOf(path) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return m ? m[1] : path.includes("/dist/") || path.includes("/src/") ? "app" : "other";
}

function modules() {
  const paths = [...[...esm].filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u)), ...Object.keys(createRequire(import.meta.url).cache)];
  const byPackage = {};
  for (const p of new Set(paths)) {
    let bytes = 0;
    try {
      bytes = statSync(p).size;
    } catch {
      // Not a file (a builtin, a data: URL): counted without bytes.
    }
    const k = packageOf(p);
    byPackage[k] ??= { files: 0, sourceMb: 0 };
    byPackage[k].files++;
    byPackage[k].sourceMb += bytes / 1048576;
  }
  return Object.entries(byPackage)
    .map(([pkg, v]) => ({ pkg, files: v.files, sourceMb: Math.round(v.sourceMb * 100) / 100 }))
    .sort((a, b) => b.sourceMb - a.sourceMb);
}

/** Resident memory by mapping (/proc/self/smaps): the executable, each shared library, malloc's heap, anonymous maps. */
function mappings() {
  const by = {};
  let name = "";
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[1] || "[anonymous]";
      name = path.startsWith("/") ? (path.match(/[^/]+$/)?.[0] ?? path) : path;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) by[name] = (by[name] ?? 0) + Number(rss[1]) / 1024;
  }
  return Object.entries(by)
    .map(([mapping, mb]) => ({ mapping, mb: Math.round(mb * 10) / 10 }))
    .filter((m) => m.mb >= 0.5)
    .sort((a, b) => b.mb - a.mb);
}

process.on("SIGUSR2", () => {
  if (!file) return;
  const report = {
    now: usage(),
    atPeakRss: atPeak,
    max,
    heapSpaces: v8.getHeapSpaceStatistics().map((s) => ({ space: s.space_name, usedMb: mb(s.space_used_size), sizeMb: mb(s.space_size) })),
    heap: Object.fromEntries(Object.entries(v8.getHeapStatistics()).map(([k, v]) => [k, mb(v)])),
    mappings: mappings(),
    threads: Number(/^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0),
    modules: modules(),
  };
  if (process.env.BENCH_HEAP_SNAPSHOT) report.snapshot = v8.writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT, `hub-${Date.now()}.heapsnapshot`));
  writeFileSync(file, JSON.stringify(report, null, 1));
});
