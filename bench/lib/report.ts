/** Result records of the benchmarks and their rendering (console tables, bench/RESULTS.md). */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Machine, Summary } from "./util.ts";

export interface Target {
  op: ">=" | "<=";
  value: number;
}

export interface Row {
  metric: string;
  unit: string;
  hub: Summary;
  /** Same metric for each baseline, in the section's baseline order (null: not applicable). */
  baselines?: (Summary | null)[];
  target?: Target;
  /** A target that is not a number (shown instead of `target`), e.g. "no N+1". */
  targetLabel?: string;
  /** Decides met? from something else than the median (e.g. "no N+1"). */
  met?: boolean;
  note?: string;
}

export interface Section {
  title: string;
  baselineLabels: string[];
  rows: Row[];
}

export interface BenchResult {
  name: string;
  title: string;
  date: string;
  quick: boolean;
  runs: number;
  command: string;
  machine: Machine;
  pinning: string;
  durationSec: number;
  /** 1-minute load average before and after the benchmark (the machine is shared). */
  load?: { before: number; after: number };
  /** How the benchmark was run (markdown bullets). */
  setup: string[];
  sections: Section[];
  /** Extra markdown (statement lists, per-run numbers). */
  details: string[];
  /** Why a run could not be made (e.g. PostgreSQL unreachable). */
  skipped?: string[];
}

export function metOf(row: Row): boolean | undefined {
  if (row.met !== undefined) return row.met;
  if (!row.target || !Number.isFinite(row.hub.median)) return row.target ? false : undefined;
  return row.target.op === ">=" ? row.hub.median >= row.target.value : row.hub.median <= row.target.value;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a >= 999.5) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function fmtSummary(s: Summary | null | undefined, unit = ""): string {
  if (!s) return "—";
  const u = unit ? ` ${unit}` : "";
  if (s.runs.length <= 1 || s.min === s.max) return `${fmt(s.median)}${u}`;
  return `${fmt(s.median)}${u} (${fmt(s.min)}–${fmt(s.max)})`;
}

function ratio(hub: Summary, base: Summary | null | undefined): string {
  if (!base || !Number.isFinite(hub.median) || !Number.isFinite(base.median) || base.median === 0) return "—";
  const r = hub.median / base.median;
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toFixed(3)}×`;
}

function targetText(t: Target | undefined, unit: string, label?: string): string {
  if (label) return label;
  if (!t) return "—";
  return `${t.op === ">=" ? "≥" : "≤"} ${fmt(t.value)} ${unit}`.trim();
}

/** How far a missed target is: "at 2.1 % of it (needs 48×)" / "4.1× the limit". */
export function missText(row: Row): string {
  const t = row.target;
  if (!t || !Number.isFinite(row.hub.median)) return "";
  if (t.op === ">=") {
    const pct = (100 * row.hub.median) / t.value;
    return `${fmt(row.hub.median)} ${row.unit} is ${fmt(pct)} % of the target ${fmt(t.value)} (needs ${fmt(t.value / row.hub.median)}× more)`;
  }
  return `${fmt(row.hub.median)} ${row.unit} is ${fmt(row.hub.median / t.value)}× the limit ${fmt(t.value)} ${row.unit}`;
}

export function sectionTable(s: Section): string {
  const head = ["metric", "hub: median (min–max)", ...s.baselineLabels.flatMap((l) => [`baseline: ${l}`, "hub ÷ baseline"]), "target", "met?"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
  const marks = ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];
  const noted = s.rows.filter((r) => r.note);
  const mark = (r: Row) => marks[noted.indexOf(r)] ?? "*";
  for (const r of s.rows) {
    const met = metOf(r);
    const cells = [
      r.note ? `${r.metric} ${mark(r)}` : r.metric,
      fmtSummary(r.hub, r.unit),
      ...s.baselineLabels.flatMap((_, i) => {
        const b = r.baselines?.[i] ?? null;
        return [fmtSummary(b, r.unit), ratio(r.hub, b)];
      }),
      targetText(r.target, r.unit, r.targetLabel),
      met === undefined ? "" : met ? "yes" : "**no**",
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const notes = noted.map((r) => `${mark(r)} ${r.note}`);
  return [...lines, ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/** A plain-text version for the console. */
export function consoleTable(s: Section): string {
  const head = ["metric", "hub", ...s.baselineLabels.flatMap((l) => [l, "ratio"]), "target", "met?"];
  const rows = s.rows.map((r) => {
    const met = metOf(r);
    return [
      r.metric,
      fmtSummary(r.hub, r.unit),
      ...s.baselineLabels.flatMap((_, i) => [fmtSummary(r.baselines?.[i] ?? null, r.unit), ratio(r.hub, r.baselines?.[i] ?? null)]),
      targetText(r.target, r.unit, r.targetLabel),
      met === undefined ? "" : met ? "yes" : "NO",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [`  ${s.title}`, "  " + line(head), "  " + widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((r) => "  " + line(r))].join("\n");
}

export function loadResults(dir: string): BenchResult[] {
  if (!existsSync(dir)) return [];
  const order = ["ingest", "history", "fanout", "reads"];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as BenchResult)
    .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

export function resultsMarkdown(results: BenchResult[], analysis: string | null): string {
  const out: string[] = [];
  out.push("# Benchmarks (issue #5, part 1)", "");
  out.push(
    "Written by `npm run bench` (bench/run.ts) from the per-benchmark records in `bench/results/*.json`; each section says when and",
    "how it was run. Every benchmark runs its baseline in the same run, interleaved with the hub's runs, and reports the ratio:",
    "the machine is shared and absolute numbers drift, the ratios drift much less. Figures are medians over the runs with min–max.",
    "",
  );
  if (results.length === 0) return out.join("\n") + "No results yet: run `npm run bench`.\n";

  const m = results[0]!.machine;
  out.push("## Machine and method", "");
  const machines = new Set(results.map((r) => `${r.machine.cpu}|${r.machine.cores}|${r.machine.node}`));
  out.push(
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Linux ${m.kernel}; Node.js ${m.node}` +
      (machines.size > 1 ? " (sections below were run on different machines; see each)" : ""),
  );
  out.push(`- Code: commit ${m.commit}${m.dirty ? " with uncommitted changes in src/ or prisma/" : ""}`);
  if (m.fsync) {
    out.push(
      `- Disk (temp dir, where the SQLite files are): a 4 KB write + fdatasync takes p50 ${fmt(m.fsync.p50)} ms, p90 ${fmt(m.fsync.p90)} ms, p99 ${fmt(m.fsync.p99)} ms, max ${fmt(m.fsync.max)} ms — every durable commit pays at least this.`,
    );
  }
  out.push(
    `- Load average (1/5/15 min) when the run started: ${m.loadAvg.join(" / ")} on ${m.cores} cores — the machine is shared (other test suites ran during the benchmarks; each section gives its own load).`,
  );
  out.push(`- Cores: ${results[0]!.pinning}.`);
  out.push(
    "- The hub is the real server as `npm start` runs it: the compiled `node dist/main.js` (built first) as its own process (migrations in its short-lived child), `NODE_ENV=production`, `LOG_LEVEL=warn`, a fresh",
    "  SQLite file per run (`DATABASE_URL=file:<tmp>`) unless stated; PostgreSQL runs use a fresh schema `bench_<random>` in db `test`,",
    "  dropped afterwards. Load comes from a separate process on loopback (autocannon's API, or the bench's own clients where noted).",
    "- Peak RSS is the server process's VmHWM from /proc/<pid>/status, read just before it is stopped.",
    "",
  );

  out.push("## Summary", "");
  out.push("| benchmark | metric | hub (median) | target | met? | run |", "|---|---|---:|---|---|---|");
  for (const r of results) {
    for (const s of r.sections) {
      for (const row of s.rows.filter((x) => x.target || x.met !== undefined)) {
        const met = metOf(row);
        out.push(
          `| ${r.title} | ${s.title === r.title ? "" : `${s.title}: `}${row.metric} | ${fmtSummary({ ...row.hub, runs: [] }, row.unit)} | ${targetText(row.target, row.unit, row.targetLabel)} | ${met ? "yes" : "**no**"} | ${r.date.slice(0, 16).replace("T", " ")}${r.quick ? " (quick)" : ""} |`,
        );
      }
    }
  }
  out.push("");

  for (const r of results) {
    out.push(`## ${r.title}`, "");
    out.push(
      `Run ${r.date.replace("T", " ").slice(0, 19)} UTC, ${r.runs} run(s)${r.quick ? ", **--quick** (short; indicative only)" : ""}, ${Math.round(r.durationSec)} s, on ${r.machine.cpu} (${r.machine.cores} cores), commit ${r.machine.commit}${r.machine.dirty ? " (dirty)" : ""}${r.load ? `, load average ${r.load.before} → ${r.load.after}` : ""}. Command: \`${r.command}\``,
      "",
    );
    out.push(...r.setup.map((l) => `- ${l}`), "");
    for (const s of r.sections) {
      if (r.sections.length > 1 || s.title !== r.title) out.push(`### ${s.title}`, "");
      out.push(sectionTable(s), "");
    }
    if (r.skipped?.length) out.push(...r.skipped.map((l) => `- Skipped: ${l}`), "");
    const misses = r.sections.flatMap((s) =>
      s.rows.filter((row) => metOf(row) === false).map((row) => `${s.title === r.title ? "" : `${s.title}: `}${row.metric} — ${missText(row) || "not met"}`),
    );
    if (misses.length) out.push("**Missed:**", "", ...misses.map((l) => `- ${l}`), "");
    if (r.details.length) out.push(...r.details, "");
  }

  out.push("## How to reproduce", "");
  out.push(
    "```sh",
    "npm run bench                      # all four, full size (12–13 min on this 2-core machine); rewrites bench/RESULTS.md and bench/last-run.log",
    "npm run bench -- --quick           # short runs, smaller data sets (about 4 min; indicative only)",
    "npm run bench -- ingest            # one benchmark by name: ingest | history | fanout | reads (several allowed)",
    "npm run bench -- ingest --runs 5   # more runs per benchmark (default 3)",
    "npm run bench -- --no-postgres     # skip the PostgreSQL ingest runs",
    "npm run bench -- reads --profile   # CPU profile + SQL statement times of the hub → bench/profiles/SUMMARY.md (timings not recorded)",
    "npm run bench -- --report          # only rebuild this file from bench/results/*.json and bench/ANALYSIS.md",
    "npm run bench -- --help",
    "```",
    "",
    "Prerequisites: `npm install` done; PostgreSQL at 127.0.0.1:5432 (user postgres, trust, db `test`; override with",
    "`BENCH_POSTGRES_URL`) for the PostgreSQL runs (skipped with a note when unreachable); `taskset` (util-linux) for pinning.",
    "The reads data set (10,000 threads / 1,000,000 messages, ~700 MB) is seeded once (~40–100 s) into the OS temp directory",
    "(`coexist-hub-bench/`) and reused while the migrations, the seed script and the size are unchanged (`--reseed` forces it).",
    "Running one benchmark replaces only its own record in bench/results/; this file is rebuilt from all records, so sections",
    "can come from different runs (each says when, at which commit, and how loaded the machine was).",
    "",
  );
  if (analysis) out.push(analysis.trim(), "");
  return out.join("\n");
}
