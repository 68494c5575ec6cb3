import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closeDb, createDb, prepareDb } from "../../src/storage/db.ts";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { teardown } from "../helpers/teardown.ts";

describe.skipIf(TEST_PROVIDER !== "sqlite")("SQLite durability", () => {
  // A file already in WAL mode opens with better-sqlite3's WAL default, NORMAL (no fsync per commit).
  it("fsyncs every commit (synchronous FULL) also when the database file was already in WAL mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durability-"));
    teardown(() => rmSync(dir, { recursive: true, force: true }));
    const target = databaseTarget(`file:${join(dir, "hub.db")}`);
    await applyMigrations(target);
    for (const start of ["first start", "restart"]) {
      const db = await createDb(target);
      await prepareDb(db, target);
      const [row] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
      await closeDb(db);
      expect(Number(row!.synchronous), start).toBe(2);
    }
  });
});
