import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/storage/db.ts";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { teardown } from "../helpers/teardown.ts";

describe.skipIf(TEST_PROVIDER !== "sqlite")("SQLite durability", () => {
  // better-sqlite3's WAL default is NORMAL (no fsync per commit): a connection switches to it at
  // its first write in WAL mode, and opens with it on a file already in WAL mode.
  it("fsyncs every commit (synchronous FULL), after writes and after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durability-"));
    teardown(() => rmSync(dir, { recursive: true, force: true }));
    const target = databaseTarget(`file:${join(dir, "hub.db")}`);
    await applyMigrations(target);
    for (const start of ["first start", "restart"]) {
      const storage = await createDb(target);
      await storage.prepare();
      const db = storage.prisma;
      await db.phoneNumber.upsert({ where: { phoneNumberId: "pn-1" }, create: { phoneNumberId: "pn-1", wabaId: "waba-1" }, update: {} });
      const [row] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
      await storage.close();
      expect(Number(row!.synchronous), start).toBe(2);
    }
  });
});
