import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { describe, expect, it } from "vitest";
import { pgAdapter } from "../../src/storage/pgAdapter.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { afterConnect, afterStartTransaction, instantiateSchemaEngine, pgConnectionOf, sqliteConnectionOf } from "../../src/storage/prismaInternals.ts";
import { freshDatabase, TEST_PROVIDER } from "../helpers/app.ts";
import { teardown } from "../helpers/teardown.ts";

// Each reach past Prisma's public API (src/storage/prismaInternals.ts), tried on the installed
// Prisma. After an upgrade that moves one, the failure is a PrismaInternalsMoved error saying which
// field of which object is gone.
describe(`Prisma internals the hub relies on (${TEST_PROVIDER})`, () => {
  it.skipIf(TEST_PROVIDER !== "sqlite")("the SQLite adapter keeps its better-sqlite3 connection as `client`, seen after connect", async () => {
    const dir = mkdtempSync(join(tmpdir(), "internals-"));
    teardown(() => rmSync(dir, { recursive: true, force: true }));
    let connections = 0;
    const factory = afterConnect(new PrismaBetterSqlite3({ url: `file:${join(dir, "hub.db")}` }), () => void connections++);
    const adapter = await factory.connect();
    teardown(() => adapter.dispose());
    expect(connections).toBe(1);
    expect(sqliteConnectionOf(adapter).prepare("SELECT 'reached' AS v").get()).toEqual({ v: "reached" });
  });

  it.skipIf(TEST_PROVIDER !== "postgresql")("a PostgreSQL transaction keeps its pooled pg connection as `client`, seen when it starts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "internals-"));
    const database = freshDatabase(dir);
    teardown(async () => {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const target = databaseTarget(database.url);
    if (target.provider !== "postgresql") throw new Error("expected a PostgreSQL target");
    const started: unknown[] = [];
    const factory = afterConnect(pgAdapter(target), (adapter) => afterStartTransaction(adapter, (t) => void started.push(t)));
    const adapter = await factory.connect();
    teardown(() => adapter.dispose());
    const transaction = await adapter.startTransaction();
    try {
      expect(started).toEqual([transaction]);
      const { rows } = await pgConnectionOf(transaction).query("SELECT 'reached' AS v");
      expect(rows).toEqual([{ v: "reached" }]);
    } finally {
      await transaction.rollback();
    }
  });

  it("the WebAssembly schema engine is instantiated through its wasm-bindgen glue", () => {
    expect(typeof instantiateSchemaEngine().SchemaEngine.new).toBe("function");
  });

  it("a moved field is reported by name", () => {
    const notAnAdapter = { provider: "sqlite", client: {} };
    expect(() => sqliteConnectionOf(notAnAdapter)).toThrow(
      "Prisma internals moved: the SQLite adapter (@prisma/adapter-better-sqlite3) no longer keeps its better-sqlite3 Database as `client`",
    );
  });
});
