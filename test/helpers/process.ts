import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { teardown } from "./teardown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Absolute, so the server can run from another folder (its own .env, ./data) and still find them.
const NODE_ARGS = ["--import", pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href, `${ROOT}src/main.ts`];
/** What `npm start` runs (after scripts/buildIfStale.mjs): the compiled server. */
export const COMPILED_ARGS = [`${ROOT}dist/main.js`];

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` as its own process on a free port and waits for its "listening" log line.
 * `cwd` (default: the repository) is where it looks for .env and ./data.
 */
export async function startServerProcess(env: Record<string, string>, cwd = ROOT, args = NODE_ARGS): Promise<ServerProcess & { stderr(): string }> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: a tsx start with its migration child takes over 30 s when the shared machine is loaded.
    const deadline = setTimeout(() => reject(new Error(`server did not start within 80 s:\n${stderr}`)), 80_000);
    let buffer = "";
    child.stdout!.on("data", (chunk) => {
      buffer += chunk;
      for (const line of buffer.split("\n")) {
        if (line.includes('"Coexist Hub listening"')) {
          clearTimeout(deadline);
          resolve(JSON.parse(line).url);
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  teardown(stop);
  return { url, child, stop, stderr: () => stderr };
}

/** Runs the server where it is expected not to start; resolves with its exit code and output. */
export function runServerToExit(env: Record<string, string>, cwd = ROOT, ms = 80_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
  child.stdout!.on("data", (c) => (stdout += c));
  child.stderr!.on("data", (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server still running after ${ms} ms:\n${stdout}${stderr}`)), ms);
    child.once("exit", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}
