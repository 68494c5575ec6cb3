import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { readDeliveries, readFinalState } from "../helpers/finalState.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { signed, post } from "../helpers/metaSender.ts";
import { generateHistory } from "../helpers/mirror.ts";
import { emptyDatabaseFor } from "../helpers/database.ts";

const BIN = fileURLToPath(new URL("../../bin/hub.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "coexist-hub-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `hub <args>` as its own process, in a folder without .env. */
function hub(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: "" }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const history = generateHistory(12, 30, 4).chunks.map((chunk) => signed(chunk));

describe(`hub backup and hub restore (${TEST_PROVIDER})`, { timeout: 180_000 }, () => {
  it("a backup taken while deliveries arrive holds every one acknowledged before it began; the restored hub answers as the source", async () => {
    const source = await startApp();
    const acknowledged: string[] = [];
    let ackedBeforeBackup: string[] | null = null;
    let backup: Promise<{ code: number; stderr: string }> | null = null;
    const file = join(dir, `during-ingest-${TEST_PROVIDER}.backup`);
    await mapLimit(history, 4, async (delivery) => {
      const answer = await post(source.url, delivery);
      expect(answer.status).toBe(200);
      acknowledged.push(delivery.hash);
      // The backup starts a third of the way in, and ingest goes on while it runs.
      if (acknowledged.length === Math.floor(history.length / 3)) {
        ackedBeforeBackup = [...acknowledged];
        backup = hub(["backup", file, "--database-url", source.databaseUrl]);
      }
    });
    const done = await backup!;
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);

    const restoredUrl = await emptyDatabaseFor(source.databaseUrl, dir);
    const restore = await hub(["restore", file, "--database-url", restoredUrl]);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    const restored = await startApp({ databaseUrl: restoredUrl });

    const inBackup = new Set((await readDeliveries(restored.url)).map((d) => d.contentHash));
    expect(ackedBeforeBackup!.filter((hash) => !inBackup.has(hash))).toEqual([]);
    // What arrived after the backup, delivered again (as Meta retries), brings the restored hub to the source's state.
    await mapLimit(history, 4, async (delivery) => expect((await post(restored.url, delivery)).status).toBe(200));
    expect(await readFinalState(restored.url)).toEqual(await readFinalState(source.url));
  });

  it("restore refuses a database that already holds tables, and says so", async () => {
    const source = await startApp();
    const file = join(dir, `refused-${TEST_PROVIDER}.backup`);
    expect((await hub(["backup", file, "--database-url", source.databaseUrl])).code).toBe(0);
    const target = await startApp();
    const restore = await hub(["restore", file, "--database-url", target.databaseUrl]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/refusing to restore into a database that holds tables \(\w+/);
  });

  it("a backup that fails leaves no file behind, and never overwrites one", async () => {
    const unreachable = TEST_PROVIDER === "sqlite" ? `file:${join(dir, "no-such-folder/none.db")}` : "postgresql://postgres@127.0.0.1:1/test?schema=public";
    const file = join(dir, `failed-${TEST_PROVIDER}.backup`);
    const failed = await hub(["backup", file, "--database-url", unreachable]);
    expect(failed.code).toBe(1);
    expect(readdirSync(dir).filter((f) => f.includes(`failed-${TEST_PROVIDER}`))).toEqual([]);

    const source = await startApp();
    const kept = join(dir, `kept-${TEST_PROVIDER}.backup`);
    expect((await hub(["backup", kept, "--database-url", source.databaseUrl])).code).toBe(0);
    const again = await hub(["backup", kept, "--database-url", source.databaseUrl]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists/);
    expect(existsSync(kept)).toBe(true);
  });
});
