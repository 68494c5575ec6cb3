import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Signal } from "./signal.ts";
import { teardown } from "./teardown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Absolute, so the server can run from another folder (its own .env, ./data) and still find them.
const NODE_ARGS = ["--import", pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href, `${ROOT}src/main.ts`];
/** What `npm start` runs (after scripts/buildIfStale.mjs): the compiled server. */
export const COMPILED_ARGS = [`${ROOT}dist/main.js`];

/**
 * How long a server process may take to print its start-up line. Generous: on a loaded two-core
 * machine tsx's transform and the migration child take many times their quiet figure; a slow
 * start is not a failure of what the test checks.
 */
const DEFAULT_START_TIMEOUT_MS = Number(process.env.TEST_SERVER_START_TIMEOUT_MS) || 120_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** Everything the process printed on stderr so far. */
  stderr(): string;
  /** Everything the process printed on stdout so far (its JSON log lines). */
  stdout(): string;
  /** Resolves once the process printed `text` on stdout, or what it printed satisfies `done`; rejects after `ms`. */
  printed(done: string | ((stdout: string) => boolean), ms: number): Promise<void>;
  /** The exit code (null when a signal ended it). */
  exit: Promise<number | null>;
}

export interface ServerProcessOptions {
  /** Where it looks for .env and ./data (default: the repository). */
  cwd?: string;
  /** The program (default: this node); `npm` to start it as `npm start` does. */
  command?: string;
  /** Its arguments (default: src/main.ts through tsx; COMPILED_ARGS for dist/). */
  args?: string[];
  startTimeoutMs?: number;
  /** false: the process sees only `env` and the defaults below, as in a container (default: this process's environment too). */
  inheritEnv?: boolean;
}

/** Starts the server as its own process on a free port and waits for its "listening" log line. */
export async function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const { cwd = ROOT, command = process.execPath, args = NODE_ARGS, startTimeoutMs = DEFAULT_START_TIMEOUT_MS, inheritEnv = true } = options;
  const child = spawn(command, args, {
    cwd,
    env: { ...(inheritEnv ? process.env : {}), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const exited = exit.then(() => {});
  let stderr = "";
  let stdout = "";
  const printing = new Signal();
  child.stderr.on("data", (c) => (stderr += c));
  child.stdout.on("data", (c) => {
    stdout += c;
    printing.notify();
  });
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(
        () =>
          reject(
            new Error(
              `the server printed no "Coexist Hub listening" line within ${startTimeoutMs / 1000} s (TEST_SERVER_START_TIMEOUT_MS); its stderr:\n${stderr}`,
            ),
          ),
        startTimeoutMs,
      );
      let listening = false;
      child.stdout.on("data", () => {
        if (listening) return;
        for (const line of stdout.split("\n")) {
          if (line.includes('"Coexist Hub listening"')) {
            listening = true;
            clearTimeout(deadline);
            resolve(JSON.parse(line).url);
          }
        }
      });
      child.once("exit", (code) => {
        clearTimeout(deadline);
        reject(new Error(`server exited with ${code}:\n${stderr}`));
      });
    });
  } catch (error) {
    // A start that failed must not leave a server holding its port and database.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    throw error;
  }
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  teardown(stop);
  const printed = (done: string | ((stdout: string) => boolean), ms: number) =>
    printing.until(() => (typeof done === "string" ? stdout.includes(done) : done(stdout)), ms, `${String(done)} on the server's stdout`);
  return { url, child, stop, stderr: () => stderr, stdout: () => stdout, printed, exit };
}

/** Runs the server where it is expected not to start; resolves with its exit code and output. */
export function runServerToExit(
  env: Record<string, string>,
  cwd = ROOT,
  ms = DEFAULT_START_TIMEOUT_MS,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, NODE_ARGS, {
    cwd,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server still running after ${ms} ms:\n${stdout}${stderr}`)), ms);
    child.once("exit", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Processes whose environment carries `marker` (read from /proc, so nothing is taken on trust). */
export function processesMarked(marker: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}
