/**
 * `npm run bench [-- <benchmark...>] [--quick] [--runs n] [--no-postgres] [--profile] [--reseed]`
 *
 * Runs the benchmarks of issue #5 (ingest, history, fanout, reads), each with its baseline in the
 * same run, prints their tables, stores each benchmark's record in bench/results/<name>.json,
 * rebuilds bench/RESULTS.md from all records (plus bench/ANALYSIS.md) and writes this run's output
 * to bench/last-run.log.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { fanout } from "./fanout.ts";
import { history } from "./history.ts";
import { ingest } from "./ingest.ts";
import { reads } from "./reads.ts";
import { responsiveness } from "./responsiveness.ts";
import { send } from "./send.ts";
import { scratchDir, type Ctx } from "./lib/context.ts";
import { profileMarkdown, sqlTimesMarkdown } from "./lib/profile.ts";
import { consoleTable, loadResults, resultsMarkdown, type BenchResult } from "./lib/report.ts";
import { loadavg } from "node:os";
import { BENCH, buildHub, commitOf, diskSyncProbe, killChildren, log, machine, pinningNote, print, setLogSink } from "./lib/util.ts";

const BENCHMARKS = {
  ingest: { run: ingest, about: "signed `messages` deliveries through the whole pipeline (SQLite, PostgreSQL) vs HMAC-only and HMAC+INSERT servers" },
  history: { run: history, about: "100,000-message history import, out of order, until historySync COMPLETE vs raw multi-row INSERTs" },
  fanout: { run: fanout, about: "1,000 graphql-ws subscribers: last receipt after the webhook's 200 vs a raw ws broadcast" },
  responsiveness: {
    run: responsiveness,
    about: "p50/p99 of a small GraphQL query and /healthz while a 3 MB history chunk and a 15,000-status delivery are ingested vs the same probes idle",
  },
  reads: { run: reads, about: "thread list and a thread's page over 10,000 threads / 1,000,000 messages vs hand-written SQL; SQL statements per request" },
  send: {
    run: send,
    about:
      "sendMessage through the outbound queue to the fake Graph API vs a direct fetch loop; a coexistence number's 20/s pace; RSS with 10,000 queued sends",
  },
} as const;
type Name = keyof typeof BENCHMARKS;
const NAMES = Object.keys(BENCHMARKS) as Name[];

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
};

const program = new Command()
  .name("npm run bench --")
  .description("Benchmarks of issue #5. Each runs its baseline in the same run and reports the ratio; medians of the runs with min–max.")
  .addHelpText(
    "after",
    `\nBenchmarks:\n${NAMES.map((n) => `  ${n.padEnd(8)} ${BENCHMARKS[n].about}`).join("\n")}\n\nWrites bench/results/<name>.json, bench/RESULTS.md and bench/last-run.log.`,
  )
  .argument("[benchmarks...]", `which to run (${NAMES.join(", ")}); all when none is given`)
  .option("--quick", "short runs and smaller data sets (a smoke run; figures are indicative only)", false)
  .option("--runs <n>", "runs per benchmark (medians need at least 3)", positiveInt, 3)
  .option("--no-postgres", "skip the PostgreSQL ingest runs")
  .option("--profile", "run the hub with --cpu-prof and write bench/profiles/SUMMARY.md; results are not recorded (profiling slows the hub)", false)
  .option("--reseed", "rebuild the reads data set even when a cached copy exists", false)
  .option("--report", "only rebuild bench/RESULTS.md from bench/results/*.json and bench/ANALYSIS.md (runs nothing)", false)
  .option(
    "--base <checkout>",
    "also run the hub of another checkout (e.g. `git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci)`) as one more target of the ingest, history, responsiveness and fanout benchmarks, in the same rounds; it is built there first",
  )
  .option(
    "--autocannon-rate",
    "ingest latency at 1,000/s with autocannon's overallRate (bursty, see bench/lib/pacedWorker.ts) instead of the paced open-loop generator",
    false,
  )
  .showHelpAfterError();

program.parse();
const opts = program.opts<Pick<Ctx, "quick" | "runs" | "postgres" | "profile" | "reseed" | "autocannonRate"> & { report: boolean; base?: string }>();
const args = program.args;
const unknown = args.filter((a) => !NAMES.includes(a as Name));
if (unknown.length) program.error(`unknown benchmark: ${unknown.join(", ")} (choose from ${NAMES.join(", ")})`);
const selected = args.length ? NAMES.filter((n) => args.includes(n)) : NAMES;

const resultsDir = join(BENCH, "results");
mkdirSync(resultsDir, { recursive: true });
function writeResults(): void {
  const analysisFile = join(BENCH, "ANALYSIS.md");
  const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, "utf8") : null;
  const results = loadResults(resultsDir);
  // The console's figures come from a browser run of their own (npm run bench:console), kept as markdown.
  const consoleFile = join(resultsDir, "console.md");
  const consoleSection = existsSync(consoleFile) ? `\n${readFileSync(consoleFile, "utf8")}` : "";
  writeFileSync(join(BENCH, "RESULTS.md"), resultsMarkdown(results, analysis) + consoleSection);
  log(`wrote bench/RESULTS.md (${results.map((r) => r.name).join(", ") || "no results yet"})`);
}
if (opts.report) {
  writeResults();
  process.exit(0);
}
const logFile = join(BENCH, opts.profile ? "profiles/last-run.log" : "last-run.log");
mkdirSync(join(logFile, ".."), { recursive: true });
const logStream = createWriteStream(logFile);
setLogSink((text) => logStream.write(text));

const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
buildHub();
const base = opts.base ? { root: resolve(opts.base), commit: commitOf(resolve(opts.base)) } : null;
if (base) buildHub(base.root);
const m = machine();
const ctx: Ctx = {
  quick: opts.quick,
  runs: opts.runs,
  postgres: opts.postgres,
  profile: opts.profile,
  reseed: opts.reseed,
  autocannonRate: opts.autocannonRate,
  command,
  base,
  tmp: scratchDir(),
  profiles: [],
};

const cleanup = () => {
  killChildren();
  rmSync(ctx.tmp, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    print(`\n${signal}: stopping the bench's processes`);
    cleanup();
    process.exit(130);
  });
}

m.fsync = diskSyncProbe(ctx.tmp);
print(`$ ${command}`);
print(
  `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}, Node.js ${m.node}; commit ${m.commit}${m.dirty ? " (uncommitted changes in src/ or prisma/)" : ""}`,
);
print(`cores: ${pinningNote()}`);
print(`load average: ${m.loadAvg.join(" / ")}; disk: 4 KB write + fdatasync p50 ${m.fsync.p50.toFixed(2)} ms, p99 ${m.fsync.p99.toFixed(2)} ms`);
print(
  `benchmarks: ${selected.join(", ")}; ${opts.runs} run(s) each${opts.quick ? "; --quick" : ""}${opts.profile ? "; --profile (timings not recorded)" : ""}`,
);
if (opts.runs < 3) print("note: fewer than 3 runs; the medians are not robust");
print("");

const started = performance.now();
const failures: string[] = [];
for (const name of selected) {
  log(`── ${name} ──`);
  const loadBefore = Math.round(loadavg()[0]! * 100) / 100;
  try {
    const result: BenchResult = await BENCHMARKS[name].run(ctx, {
      date: new Date().toISOString(),
      quick: opts.quick,
      runs: opts.runs,
      command,
      machine: m,
      pinning: pinningNote(),
    });
    result.load = { before: loadBefore, after: Math.round(loadavg()[0]! * 100) / 100 };
    print("");
    for (const s of result.sections) print(consoleTable(s) + "\n");
    for (const line of result.setup) print(`  · ${line.replace(/\*\*/g, "")}`);
    print("");
    log(`${name} done in ${Math.round(result.durationSec)} s`);
    if (!opts.profile) writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(result, null, 2) + "\n");
  } catch (error) {
    failures.push(name);
    log(`${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  print("");
}

if (opts.profile) {
  // One file per profiled server (bench/profiles/<label>.md), so profiling one benchmark keeps the others' summaries.
  const dir = join(BENCH, "profiles");
  for (const p of ctx.profiles) {
    const md = [
      `_\`${command}\` — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${m.commit}${m.dirty ? " (dirty)" : ""}, load average ${loadavg()[0]!.toFixed(2)}_`,
      "",
      profileMarkdown(p.label, p.summary),
      ...sqlTimesMarkdown(p.sql, p.summary.busyMs),
    ].join("\n");
    writeFileSync(join(dir, `${p.label}.md`), md + "\n");
  }
  const order = (f: string) => ["ingest", "history", "fanout", "reads", "responsiveness"].findIndex((n) => f.startsWith(n));
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "SUMMARY.md")
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((f) => readFileSync(join(dir, f), "utf8"));
  const summary = [
    "# CPU profiles of the hub",
    "",
    "Written by `npm run bench -- [benchmark] --profile`: the hub runs with `node --cpu-prof` (self time of its main thread over its whole life, start-up included) and, on SQLite, with bench/lib/sqlCounter.ts timing every statement. SQL time is the time inside better-sqlite3's run/all/get per statement shape, COMMIT's fsync included (in the CPU profile it shows as the self time of the wrapper, bench/lib/sqlCounter.ts, or of the adapter's performIO/executeIO). Profiling slows the hub; the timings of a profiled run are not recorded. Raw .cpuprofile files stay in bench/profiles/<label>/ (git-ignored; open them in Chrome DevTools).",
    "",
    ...parts,
  ].join("\n");
  writeFileSync(join(dir, "SUMMARY.md"), summary + "\n");
  log(`wrote bench/profiles/SUMMARY.md (${ctx.profiles.map((p) => p.label).join(", ")})`);
} else {
  writeResults();
}
log(
  `total ${Math.round((performance.now() - started) / 1000)} s${failures.length ? `; FAILED: ${failures.join(", ")}` : ""}; log in ${logFile.replace(BENCH, "bench/")}`,
);
cleanup();
await new Promise<void>((resolve) => logStream.end(resolve));
process.exit(failures.length ? 1 : 0);
