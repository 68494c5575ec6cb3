import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { teardown } from "./teardown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * How long a server process may take to print its start-up line. Generous: on a loaded two-core
 * machine tsx's transform and the migration child take many times their quiet figure; a slow
 * start is not a failure of what the test checks.
 */
const DEFAULT_START_TIMEOUT_MS = Number(process.env.TEST_SERVER_START_TIMEOUT_MS) || 120_000;

/** Starts `src/main.ts` as its own process on a free port and waits for its "listening" log line. */
export async function startServerProcess(env: Record<string, string>, startTimeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`the server printed no "Coexist Hub listening" line within ${startTimeoutMs / 1000} s (TEST_SERVER_START_TIMEOUT_MS); its stderr:\n${stderr}`)),
        startTimeoutMs,
      );
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
  return { url, child, stop };
}
