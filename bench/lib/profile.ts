/** Summarizes a V8 .cpuprofile (node --cpu-prof): self time by area (package / source file) and by function. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled wall time of the profile, ms. */
  totalMs: number;
  /** Time the thread was busy (not "(idle)"), ms. */
  busyMs: number;
  areas: { area: string; ms: number; pct: number }[];
  functions: { fn: string; area: string; ms: number; pct: number }[];
}

/** Where a frame's code lives: an npm package, a file of this repo, node itself, or V8 bookkeeping. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "(garbage collector)";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(program)") return "(program: native / V8)";
    return functionName.startsWith("(") ? functionName : "(native)";
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    const name = pkg[1]!;
    if (name.startsWith("@prisma/") || name === "prisma") return `prisma (${name})`;
    return name;
  }
  if (url.startsWith("node:")) return `node (${url.slice(5).split("/")[0]})`;
  const src = /\/(src\/storage\/generated)\//.exec(url);
  if (src) return "prisma (generated client)";
  const repo = /\/((?:src|bench|test)\/.*)$/.exec(url);
  if (repo) return repo[1]!;
  return url;
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const areas = new Map<string, number>();
  const fns = new Map<string, { area: string; ms: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName);
    total += ms;
    if (area === "(idle)") {
      idle += ms;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const key =
      `${functionName || "(anonymous)"} ${url ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench|test)\//, "$1/")}:${lineNumber + 1}` : ""}`.trim();
    const f = fns.get(key) ?? { area, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
  }
  const busy = total - idle;
  const pct = (ms: number) => (busy > 0 ? (100 * ms) / busy : 0);
  return {
    file,
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    areas: [...areas]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, ms]) => ({ area, ms: Math.round(ms), pct: Math.round(pct(ms) * 10) / 10 })),
    functions: [...fns]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([fn, f]) => ({ fn, area: f.area, ms: Math.round(f.ms), pct: Math.round(pct(f.ms) * 10) / 10 })),
  };
}

/**
 * The main thread's .cpuprofile in a directory: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
 * with thread 0 (tsx's module loader runs in a worker thread that writes a profile of its own).
 */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir)
    .filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort();
  return files.length ? join(dir, files[files.length - 1]!) : null;
}

export function profileMarkdown(title: string, s: ProfileSummary): string {
  const lines = [
    `**${title}** — ${s.busyMs} ms on CPU of ${s.totalMs} ms sampled (\`${s.file.replace(/^.*\/bench\//, "bench/")}\`)`,
    "",
    "| self time by area | ms | % of busy |",
    "|---|---:|---:|",
    ...s.areas.slice(0, 10).map((a) => `| ${a.area} | ${a.ms} | ${a.pct} |`),
    "",
    "| hottest functions (self) | area | ms | % |",
    "|---|---|---:|---:|",
    ...s.functions.slice(0, 10).map((f) => `| \`${f.fn.replace(/\|/g, "\\|")}\` | ${f.area} | ${f.ms} | ${f.pct} |`),
    "",
  ];
  return lines.join("\n");
}

/** The statements that took the most time (from bench/lib/sqlCounter.ts's BENCH_SQL_TIMES). */
export function sqlTimesMarkdown(rows: { sql: string; count: number; ms: number }[], busyMs: number, top = 8): string[] {
  if (rows.length === 0) return [];
  const total = rows.reduce((a, r) => a + r.ms, 0);
  return [
    `SQL: ${Math.round(total)} ms in all statements (${busyMs > 0 ? Math.round((100 * total) / busyMs) : 0} % of the busy time); the costliest shapes:`,
    "",
    "| statement (shape) | executions | ms | ms each |",
    "|---|---:|---:|---:|",
    ...rows
      .slice(0, top)
      .map(
        (r) =>
          `| \`${r.sql.slice(0, 220).replace(/\|/g, "\\|")}${r.sql.length > 220 ? "…" : ""}\` | ${r.count} | ${Math.round(r.ms)} | ${(r.ms / r.count).toFixed(2)} |`,
      ),
    "",
  ];
}

// `tsx bench/lib/profile.ts <file.cpuprofile>` prints the summary.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"))) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/lib/profile.ts <file.cpuprofile>");
  process.stdout.write(profileMarkdown(file, summarizeProfile(file, 25)));
}
