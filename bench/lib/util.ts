/** Shared pieces of the benchmarks: machine facts, CPU pinning, processes, ports, statistics. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH = fileURLToPath(new URL("../", import.meta.url));

/** Secrets of the bench's own servers (never used anywhere else). */
export const APP_SECRET = "bench-app-secret";
export const API_TOKEN = "bench-api-token";
export const VERIFY_TOKEN = "bench-verify-token";
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";

// ---------------------------------------------------------------------------------------------
// CPU sharing

function which(cmd: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const TASKSET = which("taskset");
const CORES = cpus().length;

/**
 * Server processes (the hub, the baselines, the history sender's target) run on one core, load
 * generators and subscriber processes on the other. With one core (or no taskset) nothing is pinned.
 */
export const CPU = {
  server: CORES >= 2 ? "0" : null,
  load: CORES >= 2 ? "1" : null,
} as const;

export function pinningNote(): string {
  if (!TASKSET || !CPU.server) return "not pinned (no taskset or a single core): server and load generator share the cores";
  return (
    `taskset: the server under test (hub or baseline) on CPU ${CPU.server}, the load generator / subscriber / sender process on CPU ${CPU.load}; ` +
    "the orchestrator (bench/run.ts, idle while measuring) and PostgreSQL's own processes are not pinned"
  );
}

/** argv for running `node <args>` pinned to a role's CPU. */
export function pinned(role: keyof typeof CPU, nodeArgs: string[]): { cmd: string; args: string[] } {
  const cpu = CPU[role];
  if (TASKSET && cpu) return { cmd: TASKSET, args: ["-c", cpu, process.execPath, ...nodeArgs] };
  return { cmd: process.execPath, args: nodeArgs };
}

// ---------------------------------------------------------------------------------------------
// The machine

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  kernel: string;
  commit: string;
  dirty: boolean;
  /** 1/5/15-minute load averages when the run started: how busy the shared machine was. */
  loadAvg: number[];
  /** Latency of a 4 KB write + fdatasync in the temp directory (where the SQLite files live), ms. */
  fsync?: { p50: number; p90: number; p99: number; max: number };
}

/** Times `n` 4 KB appends each followed by fdatasync: what one durable SQLite commit costs at least on this disk. */
export function diskSyncProbe(dir: string, n = 200): NonNullable<Machine["fsync"]> {
  const file = join(dir, "fsync.probe");
  const fd = openSync(file, "w");
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      writeSync(fd, block);
      fdatasyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return { p50: percentile(times, 50), p90: percentile(times, 90), p99: percentile(times, 99), max: Math.max(...times) };
}

/** The short commit a checkout is at (`git rev-parse --short HEAD`). */
export function commitOf(root: string): string {
  return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
}

export function machine(): Machine {
  let commit = "unknown";
  let dirty = false;
  try {
    // Read-only git commands: the bench never changes the repository's state.
    commit = commitOf(ROOT);
    dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", "src", "prisma"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
  } catch {
    /* not a git checkout */
  }
  let kernel: string;
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    kernel = process.platform;
  }
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: CORES,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel,
    commit,
    dirty,
    loadAvg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** CPU seconds (user + system, every thread) a process has used: a figure the machine's other load inflates less than wall time. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size (VmHWM) of a live process, in MB; null when /proc is not there. */
export function peakRssMb(pid: number): number | null {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return null;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(path, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls GET url until it answers 200. */
export async function waitHealthy(url: string, child: ChildProcess, output: () => string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before it listened:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`no answer from ${url} within ${ms / 1000} s:\n${output()}`);
}

/** Every process the bench started, so an interrupted run leaves none behind. */
const children = new Set<ChildProcess>();
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}

export interface ServerHandle {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the process wrote (warnings, errors). */
  output(): string;
  /** Warn/error log lines seen so far. */
  problems(): number;
  peakRssMb(): number | null;
  /** Reads the peak RSS, then SIGTERM and waits for the exit. */
  stop(): Promise<{ peakRssMb: number | null; code: number | null }>;
}

export interface StartOptions {
  name: string;
  /** node arguments after the pinning (e.g. ["dist/main.js"]). */
  nodeArgs: string[];
  env: Record<string, string>;
  /** Path answered with 200 once listening. */
  healthPath?: string;
  /** Working directory (default: this checkout). */
  cwd?: string;
}

/** Starts a server process pinned to the server CPU on a free port (env PORT) and waits for it. */
export async function startServer(o: StartOptions): Promise<ServerHandle> {
  const port = await freePort();
  const { cmd, args } = pinned("server", o.nodeArgs);
  const child = track(
    spawn(cmd, args, {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, ...o.env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let tail = "";
  let problems = 0;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    problems += (text.match(/"level":(40|50|60)/g) ?? []).length;
    tail = (tail + text).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url + (o.healthPath ?? "/healthz"), child, () => tail);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const pid = child.pid!;
  return {
    name: o.name,
    url,
    pid,
    child,
    output: () => tail,
    problems: () => problems,
    peakRssMb: () => peakRssMb(pid),
    async stop() {
      const peak = peakRssMb(pid);
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return { peakRssMb: peak, code };
    },
  };
}

export interface HubOptions {
  databaseUrl: string;
  /** Extra node flags (e.g. --cpu-prof, a preload). */
  nodeFlags?: string[];
  env?: Record<string, string>;
  name?: string;
  /** The checkout whose dist/main.js runs (default: this one; see --base). */
  root?: string;
}

/** The node flags of `npm start` (package.json: `[exec] node <flags> dist/main.js`), so the bench runs the hub with them too. */
const START_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  // `exec`: npm's shell hands its process to node, so a SIGTERM to `npm start` reaches the server.
  const match = /^(?:exec\s+)?node\s+(.*?)\s*dist\/main\.js$/.exec(start.trim());
  if (!match) throw new Error(`package.json's start script is not "[exec] node [flags] dist/main.js": ${start}`);
  return match[1] ? match[1].split(/\s+/) : [];
})();

/**
 * Compiles the server (`npm run build`, incremental: quick when dist/ is current), so the hub runs
 * the sources as they are now. bench/run.ts calls it once before the benchmarks.
 */
export function buildHub(root = ROOT): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}

/**
 * The real server as its own process, the way `npm start` runs it: the compiled dist/main.js
 * (see buildHub), NODE_ENV=production, LOG_LEVEL=warn. A TypeScript preload in nodeFlags
 * (bench/lib/sqlCounter.ts) brings tsx along for itself.
 */
export function startHub(o: HubOptions): Promise<ServerHandle> {
  const flags = o.nodeFlags ?? [];
  const tsx = flags.some((f) => f.endsWith(".ts")) ? ["--import", "tsx"] : [];
  return startServer({
    name: o.name ?? "hub",
    nodeArgs: [...START_FLAGS, ...tsx, ...flags, "dist/main.js"],
    cwd: o.root,
    env: {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: o.databaseUrl,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      API_TOKENS: API_TOKEN,
      REDIS_URL: "",
      ...o.env,
    },
  });
}

/** Runs `node --import tsx <script>` pinned to `role`, sends `input` as JSON on stdin, parses the last stdout line as JSON. */
export async function runWorker<T>(role: keyof typeof CPU, script: string, input: unknown, timeoutMs = 600_000): Promise<T> {
  const { cmd, args } = pinned(role, ["--import", "tsx", script]);
  const child = track(spawn(cmd, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] }));
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (err = (err + c).slice(-20_000)));
  child.stdin!.end(JSON.stringify(input));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  const last = out.trim().split("\n").pop() ?? "";
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${err}\n${out.slice(-2000)}`);
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no JSON result:\n${err}\n${out.slice(-2000)}`);
  }
}

/** Reads a worker's JSON input from stdin. */
export async function readInput<T>(): Promise<T> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Median and range of one metric over the runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, runs: [...values] };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), runs: [...values] };
}

let logSink: ((text: string) => void) | null = null;

/** Also sends everything printed with log()/print() to `sink` (bench/run.ts: bench/last-run.log). */
export function setLogSink(sink: ((text: string) => void) | null): void {
  logSink = sink;
}

export function print(text: string): void {
  process.stdout.write(text + "\n");
  logSink?.(text + "\n");
}

export function log(message: string): void {
  print(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}
