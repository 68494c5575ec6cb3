import { AsyncLocalStorage } from "node:async_hooks";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { Db, Tx } from "./client.ts";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { runDirect } from "./directTransaction.ts";
import { PrismaInternalsMoved, pgConnectionOf } from "./prismaInternals.ts";
import type { Provider } from "./provider.ts";
import { PgStatementNames } from "./pgStatementNames.ts";
import { StatementCache } from "./statementCache.ts";

/**
 * Plain SQL inside the current write transaction, for the ingest hot path. Prisma's client costs
 * a fixed amount per statement and per value (its query interpreter, argument mapping, a fresh
 * `prepare` per statement on SQLite): a third of the ingest CPU in the profiles, and measured at
 * 0.34 ms per raw statement against 0.004 ms on the driver. So this runs on the very connection
 * Prisma's transaction holds: on SQLite the adapter's one connection (prepared statements kept for
 * reuse); on PostgreSQL the pooled connection the adapter opened the transaction on, found
 * through the storage handle's `writeTransaction` (src/storage/db.ts). There is no slower fallback
 * through Prisma's raw queries: a Prisma upgrade that stops handing over the connection fails every
 * write with `PrismaInternalsMoved`, in the first test that writes, instead of quietly costing a third
 * of the ingest.
 *
 * SQL is written with `?` placeholders; values are always bound, never spliced. Dates are bound in
 * the form Prisma writes them (ISO 8601 on SQLite), and read back as `Date` by `toDate`.
 */
export interface Sql {
  readonly provider: Provider;
  /**
   * Placeholders for values the two databases bind differently: `?` on SQLite; on PostgreSQL a
   * cast, since node-postgres sends every value as text (an ISO time into timestamp(3), a JSON
   * text into jsonb). The one place outside storage/ that needs to know which database it is.
   */
  readonly placeholder: { readonly timestamp: string; readonly json: string };
  /**
   * Appended to a SELECT that picks work: on PostgreSQL the rows are locked and rows another
   * transaction holds are skipped, so two instances never pick the same row; SQLite admits one
   * writing transaction at a time, which is the same guarantee, so nothing.
   */
  readonly skipLocked: string;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  run(text: string, params?: readonly unknown[]): Promise<void>;
  /**
   * One statement run once per list of parameters, in order; the rows it returns, together. On
   * SQLite one prepared statement in a synchronous loop: a single-row INSERT run this way costs about
   * half as much per row as the same rows in a multi-row VALUES list (bench/ANALYSIS.md, session 13),
   * and there is no await per row. On PostgreSQL one round trip per list: not for bulk writes there.
   */
  each<T>(text: string, paramLists: readonly (readonly unknown[])[]): Promise<T[]>;
}

export type TransactionOptions = { timeout?: number; maxWait?: number };

/**
 * Prisma's defaults (2 s to get a connection, 5 s to finish) fail a write that is merely slow, on
 * a loaded machine or behind a long ingest, with an error the client sees as "Unexpected error".
 * A write waits its turn instead; a transaction still running after this long is a bug.
 */
const PATIENT: Required<TransactionOptions> = { maxWait: 15_000, timeout: 30_000 };
export type WriteTransaction = <T>(fn: (tx: Tx, sql: Sql) => Promise<T>, options?: TransactionOptions) => Promise<T>;
/** A write transaction without Prisma's engine, for plain SQL only (directTransaction.ts). */
export type DirectTransaction = <T>(fn: (tx: Tx, sql: Sql) => Promise<T>) => Promise<T>;

/**
 * What createDb keeps to run write transactions: the driver connection the adapter opened
 * (`opened` is called by the adapter hooks in src/storage/db.ts) and, per transaction, the `Sql`
 * on it. On SQLite the adapter's one connection; on PostgreSQL the connection of the transaction
 * being opened in the current async context.
 */
export interface TransactionRunner<Connection> {
  opened(connection: Connection): void;
  run<T>(prisma: Db, fn: (tx: Tx, sql: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The same on the adapter, without Prisma's engine (directTransaction.ts). */
  direct<T>(adapter: SqlDriverAdapter, fn: (tx: Tx, sql: Sql) => Promise<T>): Promise<T>;
}

export function sqliteTransactions(): TransactionRunner<BetterSqlite3.Database> {
  let sql: Sql | undefined;
  return {
    opened(connection) {
      sql = nativeSqlite(connection);
    },
    run: (prisma, fn, options) => prisma.$transaction((tx) => fn(tx, sql ?? connectionNotSeen("sqlite")), { ...PATIENT, ...options }),
    direct: (adapter, fn) => runDirect(adapter, () => sql ?? connectionNotSeen("sqlite"), fn),
  };
}

export function postgresTransactions(): TransactionRunner<() => pg.ClientBase> {
  /** How to reach the PostgreSQL connection of the transaction being opened in this async context, once the adapter has it. */
  const opening = new AsyncLocalStorage<{ connection?: () => pg.ClientBase }>();
  const names = new PgStatementNames();
  return {
    opened(connection) {
      const slot = opening.getStore();
      if (slot) slot.connection = connection;
    },
    run(prisma, fn, options) {
      const slot: { connection?: () => pg.ClientBase } = {};
      return opening.run(slot, () =>
        prisma.$transaction((tx) => fn(tx, slot.connection ? nativePostgres(slot.connection(), names) : connectionNotSeen("postgresql")), {
          ...PATIENT,
          ...options,
        }),
      );
    },
    direct: (adapter, fn) => runDirect(adapter, (transaction) => nativePostgres(pgConnectionOf(transaction), names), fn),
  };
}

/** Thrown inside the transaction, so Prisma rolls it back. */
function connectionNotSeen(provider: Provider): never {
  throw new PrismaInternalsMoved(
    provider === "sqlite"
      ? "PrismaClient opened its transaction without the SQLite adapter's connect reporting a connection"
      : "PrismaClient opened its transaction without the PostgreSQL adapter's startTransaction reporting a connection",
  );
}

function nativeSqlite(connection: BetterSqlite3.Database): Sql {
  // Keeps prepared statements for the connection; IN lists repeat too (one shape per list length).
  const cache = new StatementCache((text) => {
    const stmt = connection.prepare(text);
    // Prisma's adapter turns on safe integers (BigInt) for the connection; the ingest reads no integer
    // that could exceed 2^53, so plain numbers are enough.
    stmt.safeIntegers(false);
    return stmt;
  });
  const prepared = (text: string) => cache.get(text);
  return {
    provider: "sqlite",
    placeholder: { timestamp: "?", json: "?" },
    skipLocked: "",
    all: async <T>(text: string, params: readonly unknown[] = []) => prepared(text).all(...params.map(sqliteValue)) as T[],
    run: async (text: string, params: readonly unknown[] = []) => void prepared(text).run(...params.map(sqliteValue)),
    each: async <T>(text: string, paramLists: readonly (readonly unknown[])[]) => {
      const statement = prepared(text);
      const out: T[] = [];
      if (!statement.reader) for (const params of paramLists) statement.run(...params.map(sqliteValue));
      else for (const params of paramLists) for (const row of statement.all(...params.map(sqliteValue))) out.push(row as T);
      return out;
    },
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

function nativePostgres(connection: pg.ClientBase, names: PgStatementNames): Sql {
  // node-postgres is not imported here (the adapter loads it, only when PostgreSQL is configured):
  // every other type keeps the connection's own parser.
  const utcTimestamps: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      // node-postgres types its parsers as returning any.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return
      oid === TIMESTAMP ? (v: string) => new Date(`${v.replace(" ", "T")}Z`) : connection.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
  const all = async <T>(text: string, params: readonly unknown[] = []) =>
    (await connection.query({ ...names.of(text), values: params.map(postgresValue), types: utcTimestamps })).rows as T[];
  return {
    provider: "postgresql",
    placeholder: { timestamp: "?::timestamp(3)", json: "?::jsonb" },
    skipLocked: "FOR UPDATE SKIP LOCKED",
    all,
    run: async (text: string, params: readonly unknown[] = []) => void (await all(text, params)),
    each: async <T>(text: string, paramLists: readonly (readonly unknown[])[]) => {
      const out: T[] = [];
      for (const params of paramLists) out.push(...(await all<T>(text, params)));
      return out;
    },
  };
}

/** A Date as UTC text: a time zone in the literal is ignored by `timestamp without time zone`, the digits are kept. */
function postgresValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}

/** A timestamp column as read on either database (SQLite gives the stored text, PostgreSQL a Date). */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(typeof v === "bigint" ? Number(v) : (v as string | number));
}

/**
 * A JSON column as read by plain SQL, as Prisma would give it: SQLite keeps the JSON text (parsed
 * here), node-postgres parses jsonb itself. SQL NULL is null.
 */
export function storedJson(sql: Pick<Sql, "provider">, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  return sql.provider === "sqlite" && typeof v === "string" ? JSON.parse(v) : v;
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return n === 0 ? "NULL" : "?" + ", ?".repeat(n - 1);
}
