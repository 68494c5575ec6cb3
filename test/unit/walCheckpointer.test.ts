import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startWalCheckpointer } from "../../src/storage/walCheckpointer.ts";
import { teardown } from "../helpers/teardown.ts";

/** A WAL-mode database whose own connection never checkpoints, as the server's is configured. */
function walWithoutAutoCheckpoint() {
  const dir = mkdtempSync(join(tmpdir(), "wal-"));
  teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "hub.db");
  const db = new Database(file);
  teardown(() => db.close());
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  return { db, file };
}

describe("the WAL checkpointing thread", () => {
  // Only a checkpoint writes committed pages into the main database file.
  it("copies committed pages into the database file while the writer never checkpoints", async () => {
    const { db, file } = walWithoutAutoCheckpoint();
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run("x".repeat(4000));
    })();
    const before = statSync(file).size;
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);

    const checkpointer = startWalCheckpointer(
      file,
      (error) => {
        throw error;
      },
      20,
    );
    teardown(() => checkpointer.stop());
    await expect.poll(() => statSync(file).size, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before + 2_000_000);
  });

  it("checkpoints once more when stopped, so what was committed before the stop is in the database file", async () => {
    const { db, file } = walWithoutAutoCheckpoint();
    // An interval far beyond the test: only the checkpoint made by stop() can copy the pages.
    const checkpointer = startWalCheckpointer(
      file,
      (error) => {
        throw error;
      },
      3_600_000,
    );
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run("x".repeat(4000));
    })();
    const before = statSync(file).size;
    await checkpointer.stop();
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000);
    expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 500 });
  });
});
