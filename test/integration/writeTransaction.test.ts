import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, type Storage } from "../../src/storage/db.ts";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
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
});
