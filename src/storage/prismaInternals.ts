import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import * as schemaEngineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

/**
 * Every place the hub reaches past Prisma's public API, and only here. A Prisma upgrade that moves
 * one of them is caught by test/integration/prismaInternals.test.ts, whose failures name what moved
 * (each reader below throws `PrismaInternalsMoved` saying which field of which object it expected).
 *
 * - `afterConnect`: wraps a driver adapter factory's `connect` to see each adapter it opens.
 * - `afterStartTransaction`: wraps an adapter's `startTransaction` to see each transaction it opens.
 * - `sqliteConnectionOf`: the better-sqlite3 connection the SQLite adapter keeps as `client`.
 * - `pgConnectionOf`: the pooled node-postgres connection a PostgreSQL transaction keeps as `client`.
 * - `instantiateSchemaEngine`: the wasm-bindgen glue of the WebAssembly schema engine.
 */
export class PrismaInternalsMoved extends Error {
  constructor(what: string) {
    super(`Prisma internals moved: ${what} (see src/storage/prismaInternals.ts)`);
    this.name = "PrismaInternalsMoved";
  }
}

/** Calls `seen` with every adapter the factory connects, before Prisma uses it. */
export function afterConnect<F extends SqlDriverAdapterFactory>(factory: F, seen: (adapter: SqlDriverAdapter) => void): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    seen(adapter);
    return adapter;
  };
  return factory;
}

/** Calls `seen` with every transaction the adapter starts, before Prisma uses it. */
export function afterStartTransaction(adapter: SqlDriverAdapter, seen: (transaction: Transaction) => void): void {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => {
    const transaction = await start(...args);
    seen(transaction);
    return transaction;
  };
}

/** The connection @prisma/adapter-better-sqlite3's adapter holds (private field `client`). */
export function sqliteConnectionOf(adapter: object): BetterSqlite3.Database {
  const client: unknown = Reflect.get(adapter, "client");
  if (!hasMethods(client, ["prepare", "function", "pragma"])) {
    throw new PrismaInternalsMoved("the SQLite adapter (@prisma/adapter-better-sqlite3) no longer keeps its better-sqlite3 Database as `client`");
  }
  return client as BetterSqlite3.Database;
}

/** The pooled connection a @prisma/adapter-pg transaction runs on (private field `client`). */
export function pgConnectionOf(transaction: object): pg.ClientBase {
  const client: unknown = Reflect.get(transaction, "client");
  if (!hasMethods(client, ["query", "getTypeParser"])) {
    throw new PrismaInternalsMoved("a PostgreSQL transaction (@prisma/adapter-pg) no longer keeps its pg connection as `client`");
  }
  return client as pg.ClientBase;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return typeof value === "object" && value !== null && names.every((n) => typeof Reflect.get(value, n) === "function");
}

let instantiated = false;

/**
 * The Prisma CLI would download a native schema engine, which this network cannot reach; the same
 * engine ships as WebAssembly on npm. Its ES-module entry imports the .wasm file, which Node 20
 * only allows behind a flag, so the module is instantiated here by hand through its wasm-bindgen glue.
 */
export function instantiateSchemaEngine(): typeof schemaEngineBindings {
  if (instantiated) return schemaEngineBindings;
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const setWasm: unknown = Reflect.get(schemaEngineBindings, "__wbg_set_wasm");
  if (typeof setWasm !== "function") throw new PrismaInternalsMoved("@prisma/schema-engine-wasm no longer exports `__wbg_set_wasm`");
  const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": { ...schemaEngineBindings } });
  const start: unknown = instance.exports["__wbindgen_start"];
  if (typeof start !== "function") throw new PrismaInternalsMoved("the schema engine's WebAssembly no longer exports `__wbindgen_start`");
  (setWasm as (exports: WebAssembly.Exports) => void)(instance.exports);
  (start as () => void)();
  instantiated = true;
  return schemaEngineBindings;
}
