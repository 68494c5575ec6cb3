import { AsyncLocalStorage } from "node:async_hooks";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Db, Tx } from "./db.ts";
import { providerOf } from "./locks.ts";
import type { Provider } from "./provider.ts";

/**
 * Plain SQL inside the current write transaction, for the ingest hot path. Prisma's client costs
 * a fixed amount per statement and per value (its query interpreter, argument mapping, a fresh
 * `prepare` per statement on SQLite): a third of the ingest CPU in the profiles, and measured at
 * 0.34 ms per raw statement against 0.004 ms on the driver. So this runs on the very connection
 * Prisma's transaction holds: on SQLite the adapter's one connection (prepared statements kept for
 * reuse); on PostgreSQL the pooled connection the adapter opened the transaction on, found
 * through `writeTransaction`. Where that connection is not known it falls back to the
 * transaction's `$queryRawUnsafe` — slower, same connection, same results.
 *
 * SQL is written with `?` placeholders; values are always bound, never spliced. Dates are bound in
 * the form Prisma writes them (ISO 8601 on SQLite), and read back as `Date` by `toDate`.
 */
export interface Sql {
  readonly provider: Provider;
  /** Whether statements go to the driver directly (false: through Prisma's raw queries, the fallback). */
  readonly native: boolean;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  run(text: string, params?: readonly unknown[]): Promise<void>;
}

const natives = new WeakMap<object, BetterSqlite3.Database>();

/** Called by createDb with the connection its SQLite adapter opened. */
export function rememberNativeSqlite(db: Db, connection: BetterSqlite3.Database): void {
  natives.set(db, connection);
}

/** The PostgreSQL connection of the transaction being opened in this async context, once the adapter has it. */
const opening = new AsyncLocalStorage<{ connection?: pg.ClientBase }>();

/**
 * Lets `writeTransaction` see which pooled connection the PostgreSQL adapter opens each
 * transaction on (the adapter's transaction object keeps it as `client`).
 */
export function trackTransactionConnections<F extends SqlDriverAdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => {
      const transaction = await start(...args);
      const slot = opening.getStore();
      const connection = (transaction as unknown as { client?: pg.ClientBase }).client;
      if (slot && typeof connection?.query === "function") slot.connection = connection;
      return transaction;
    };
    return adapter;
  };
  return factory;
}

/** An interactive transaction whose callback also gets plain SQL on the transaction's connection. */
export function writeTransaction<T>(
  db: Db,
  fn: (tx: Tx, sql: Sql) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  const provider = providerOf(db);
  const slot: { connection?: pg.ClientBase } = {};
  return opening.run(slot, () =>
    db.$transaction((tx) => {
      const native = natives.get(db);
      const sql =
        provider === "sqlite" && native ? nativeSqlite(native) : provider === "postgresql" && slot.connection ? nativePostgres(slot.connection) : viaPrisma(tx, provider);
      return fn(tx, sql);
    }, options),
  );
}

/** Keeps prepared statements per connection; the multi-row shapes repeat (one per row count). */
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();
const MAX_STATEMENTS = 500;

function nativeSqlite(connection: BetterSqlite3.Database): Sql {
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  const prepared = (text: string) => {
    let stmt = cache.get(text);
    if (!stmt) {
      if (cache.size >= MAX_STATEMENTS) cache.clear();
      stmt = connection.prepare(text);
      // Prisma's adapter turns on safe integers (BigInt) for the connection; the ingest reads no integer
      // that could exceed 2^53, so plain numbers are enough.
      stmt.safeIntegers(false);
      cache.set(text, stmt);
    }
    return stmt;
  };
  return {
    provider: "sqlite",
    native: true,
    all: async <T>(text: string, params: readonly unknown[] = []) => prepared(text).all(...params.map(sqliteValue)) as T[],
    run: async (text: string, params: readonly unknown[] = []) => void prepared(text).run(...params.map(sqliteValue)),
  };
}

function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

// Prisma stores DateTime as timestamp(3) without time zone, in UTC; read it back as UTC too
// (node-postgres would read it as local time).
const TIMESTAMP = 1114;

function nativePostgres(connection: pg.ClientBase): Sql {
  // node-postgres is not imported here (the adapter loads it, only when PostgreSQL is configured):
  // every other type keeps the connection's own parser.
  const utcTimestamps: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === TIMESTAMP ? (v: string) => new Date(`${v.replace(" ", "T")}Z`) : connection.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
  return {
    provider: "postgresql",
    native: true,
    all: async <T>(text: string, params: readonly unknown[] = []) =>
      (await connection.query({ text: numbered(text), values: params.map(postgresValue), types: utcTimestamps })).rows as T[],
    run: async (text: string, params: readonly unknown[] = []) =>
      void (await connection.query({ text: numbered(text), values: params.map(postgresValue), types: utcTimestamps })),
  };
}

/** A Date as UTC text: a time zone in the literal is ignored by `timestamp without time zone`, the digits are kept. */
function postgresValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (our statements never contain a literal `?`). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

function viaPrisma(tx: Tx, provider: Provider): Sql {
  const forProvider = (text: string) => (provider === "postgresql" ? numbered(text) : text);
  return {
    provider,
    native: false,
    all: <T>(text: string, params: readonly unknown[] = []) => tx.$queryRawUnsafe<T[]>(forProvider(text), ...params),
    run: async (text: string, params: readonly unknown[] = []) => void (await tx.$executeRawUnsafe(forProvider(text), ...params)),
  };
}

/** A timestamp column as read by either path (SQLite gives the stored text, PostgreSQL a Date). */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(typeof v === "bigint" ? Number(v) : (v as string | number));
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return n === 0 ? "NULL" : "?" + ", ?".repeat(n - 1);
}
