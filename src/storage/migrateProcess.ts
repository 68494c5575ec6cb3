import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DatabaseTarget } from "./provider.ts";

/**
 * Applies pending migrations in a short-lived child process (migrateCli with --json) and returns
 * their names. Prisma's schema engine is WebAssembly that takes ~100 MB once instantiated and never
 * gives it back; run in its own process, that memory is gone when the process exits instead of
 * staying in the long-running server.
 *
 * The child is the migrate entry beside this module: dist/storage/migrateCli.js when the server runs
 * compiled (npm start), src/storage/migrateCli.ts through tsx when it runs from the sources.
 */
export async function applyMigrationsInChild(target: DatabaseTarget): Promise<string[]> {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(fromSources ? "./migrateCli.ts" : "./migrateCli.js", import.meta.url));
  // tsx by its own location: a bare `--import tsx` would be looked up from the working directory.
  const tsx = () => pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const args = [...(fromSources ? ["--import", tsx()] : []), entry, "--json"];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: target.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-20_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) {
    throw new Error(`migrations failed (${[process.execPath, ...args].join(" ")} exited with ${code}):\n${stderr.trim()}`);
  }
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    return (JSON.parse(last) as { applied: string[] }).applied;
  } catch {
    throw new Error(`the migration process printed no result:\n${stdout}\n${stderr}`);
  }
}
