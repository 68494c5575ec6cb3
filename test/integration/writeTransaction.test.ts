import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, type Storage } from "../../src/storage/db.ts";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { NeedsPrisma } from "../../src/storage/directTransaction.ts";
import { postgresTransactions, sqliteTransactions, toDate } from "../../src/storage/sql.ts";
import { freshDatabase, TEST_PROVIDER } from "../helpers/app.ts";
import { teardown } from "../helpers/teardown.ts";

const INSERT_PHONE = `INSERT INTO "PhoneNumber" ("phoneNumberId", "wabaId", "createdAt", "updatedAt") VALUES (?, ?, ${
  TEST_PROVIDER === "postgresql" ? "?::timestamp(3), ?::timestamp(3)" : "?, ?"
})`;

describe(`plain SQL inside a write transaction (${TEST_PROVIDER})`, () => {
  let storage: Storage;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "write-tx-"));
    const database = freshDatabase(dir);
    const target = databaseTarget(database.url);
    await applyMigrations(target);
    storage = await createDb(target);
    await storage.prepare();
    teardown(async () => {
      await storage.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });
  });

  it("fails, naming what moved, when Prisma opens a transaction without handing over its connection", async () => {
    // A runner the adapter hooks never reported to: what a Prisma upgrade that moves them would leave.
    const runner = TEST_PROVIDER === "postgresql" ? postgresTransactions() : sqliteTransactions();
    let ran = false;
    await expect(runner.run(storage.prisma, async () => void (ran = true))).rejects.toThrow(
      /^Prisma internals moved: PrismaClient opened its transaction without the (SQLite|PostgreSQL) adapter's \w+ reporting a connection/,
    );
    expect(ran).toBe(false);
  });

  it("sees what Prisma wrote in the same transaction, and Prisma sees what it wrote", async () => {
    await storage.writeTransaction(async (tx, sql) => {
      await sql.run(INSERT_PHONE, ["pn-plain", "waba-1", new Date(), new Date()]);
      expect(await tx.phoneNumber.findUnique({ where: { phoneNumberId: "pn-plain" } })).not.toBeNull();
      await tx.phoneNumber.create({ data: { phoneNumberId: "pn-prisma", wabaId: "waba-1" } });
      expect(await sql.all(`SELECT "phoneNumberId" FROM "PhoneNumber" WHERE "phoneNumberId" = ?`, ["pn-prisma"])).toHaveLength(1);
    });
  });

  it("is rolled back with the transaction", async () => {
    await expect(
      storage.writeTransaction(async (_tx, sql) => {
        await sql.run(INSERT_PHONE, ["pn-rolled-back", "waba-1", new Date(), new Date()]);
        throw new Error("projection failed");
      }),
    ).rejects.toThrow("projection failed");
    expect(await storage.prisma.phoneNumber.findUnique({ where: { phoneNumberId: "pn-rolled-back" } })).toBeNull();
  });

  it("writes and reads timestamps as Prisma does (UTC, milliseconds)", async () => {
    const at = new Date("2026-03-29T01:30:00.123Z");
    await storage.writeTransaction((_tx, sql) => sql.run(INSERT_PHONE, ["pn-time", "waba-1", at, at]));
    expect((await storage.prisma.phoneNumber.findUniqueOrThrow({ where: { phoneNumberId: "pn-time" } })).createdAt).toEqual(at);
    const [row] = await storage.writeTransaction((_tx, sql) =>
      sql.all<{ createdAt: unknown }>(`SELECT "createdAt" FROM "PhoneNumber" WHERE "phoneNumberId" = ?`, ["pn-time"]),
    );
    expect(toDate(row!.createdAt)).toEqual(at);
  });

  // storage.directTransaction (src/storage/directTransaction.ts) opens the transaction on the driver
  // adapter itself, relying on how Prisma's adapters hand transactions out: BEGIN sent by
  // startTransaction, COMMIT and ROLLBACK sent by the caller, commit() and rollback() only giving the
  // connection back. These fail if a Prisma upgrade changes that.
  it("commits a direct transaction's plain SQL before it answers", async () => {
    await storage.directTransaction((_tx, sql) => sql.run(INSERT_PHONE, ["pn-direct", "waba-1", new Date(), new Date()]));
    expect(await storage.prisma.phoneNumber.findUnique({ where: { phoneNumberId: "pn-direct" } })).not.toBeNull();
  });

  it("rolls a direct transaction back when its callback fails, and the next one starts clean", async () => {
    await expect(
      storage.directTransaction(async (_tx, sql) => {
        await sql.run(INSERT_PHONE, ["pn-direct-rolled-back", "waba-1", new Date(), new Date()]);
        throw new Error("projection failed");
      }),
    ).rejects.toThrow("projection failed");
    expect(await storage.prisma.phoneNumber.findUnique({ where: { phoneNumberId: "pn-direct-rolled-back" } })).toBeNull();
    await storage.directTransaction((_tx, sql) => sql.run(INSERT_PHONE, ["pn-direct-after", "waba-1", new Date(), new Date()]));
    expect(await storage.prisma.phoneNumber.findUnique({ where: { phoneNumberId: "pn-direct-after" } })).not.toBeNull();
  });

  it("refuses Prisma's client inside a direct transaction with NeedsPrisma, rolling back what it wrote", async () => {
    await expect(
      storage.directTransaction(async (tx, sql) => {
        await sql.run(INSERT_PHONE, ["pn-needs-prisma", "waba-1", new Date(), new Date()]);
        await tx.phoneNumber.findUnique({ where: { phoneNumberId: "pn-needs-prisma" } });
      }),
    ).rejects.toBeInstanceOf(NeedsPrisma);
    expect(await storage.prisma.phoneNumber.findUnique({ where: { phoneNumberId: "pn-needs-prisma" } })).toBeNull();
  });

  it("runs direct transactions and Prisma's side by side without mixing their writes", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `pn-mixed-${i}`);
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        (i % 2 ? storage.directTransaction.bind(storage) : storage.writeTransaction.bind(storage))(async (_tx, sql) => {
          await sql.run(INSERT_PHONE, [id, "waba-1", new Date(), new Date()]);
          if (i % 3 === 0) throw new Error(`rolled back ${id}`);
        }),
      ),
    );
    const kept = ids.filter((_, i) => i % 3 !== 0);
    expect(outcomes.map((o) => o.status)).toEqual(ids.map((_, i) => (i % 3 === 0 ? "rejected" : "fulfilled")));
    const rows = await storage.prisma.phoneNumber.findMany({ where: { phoneNumberId: { startsWith: "pn-mixed-" } }, select: { phoneNumberId: true } });
    expect(rows.map((r) => r.phoneNumberId).sort()).toEqual([...kept].sort());
  });

  it("runs one statement once per parameter list with each, in order, and returns every row it returned", async () => {
    const returned = await storage.directTransaction((_tx, sql) =>
      sql.each<{ phoneNumberId: string }>(`${INSERT_PHONE} ON CONFLICT DO NOTHING RETURNING "phoneNumberId"`, [
        ["pn-each-1", "waba-1", new Date(), new Date()],
        ["pn-each-2", "waba-1", new Date(), new Date()],
        ["pn-each-1", "waba-2", new Date(), new Date()],
      ]),
    );
    // The third list hit the first's row: nothing inserted, nothing returned, the first row kept as it was.
    expect(returned.map((r) => r.phoneNumberId)).toEqual(["pn-each-1", "pn-each-2"]);
    const rows = await storage.prisma.phoneNumber.findMany({ where: { phoneNumberId: { startsWith: "pn-each-" } }, orderBy: { phoneNumberId: "asc" } });
    expect(rows.map((r) => [r.phoneNumberId, r.wabaId])).toEqual([
      ["pn-each-1", "waba-1"],
      ["pn-each-2", "waba-1"],
    ]);
  });
});
