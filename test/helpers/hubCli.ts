import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { teardown } from "./teardown.ts";

const BIN = fileURLToPath(new URL("../../bin/hub.mjs", import.meta.url));

export interface HubRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A `hub` runner for one test file: each call is `node bin/hub.mjs …` as a child process, in a
 * scratch folder (a developer's .env or ./data never leaks in), asynchronous (the server it talks
 * to may live in this process). The folder is removed after the file.
 */
export function hubCli(baseEnv: Record<string, string> = {}): (args: readonly string[], env?: Record<string, string>) => Promise<HubRun> {
  const cwd = mkdtempSync(join(tmpdir(), "coexist-hub-cli-"));
  teardown(() => rmSync(cwd, { recursive: true, force: true }));
  return (args, env = {}) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { cwd, env: { ...process.env, REDIS_URL: "", WHATSAPP_APP_SECRET: "", ...baseEnv, ...env }, timeout: 25_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    });
}
