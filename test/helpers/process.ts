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

/** Starts `src/main.ts` as its own process on a free port and waits for its "listening" log line. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${stderr}`)), 30_000);
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
  return { url, child, stop };
}
