import type BetterSqlite3 from "better-sqlite3";
import type { Db, Tx } from "./db.ts";
import type { Provider } from "./provider.ts";

/**
 * Plain SQL inside the current write transaction, for the ingest hot path. Prisma's client costs
 * a fixed amount per statement and per value (its query interpreter, argument mapping, a fresh
 * `prepare` per statement on SQLite): a third of the ingest CPU in the profiles. On SQLite this
 * runs on the very connection Prisma's transaction holds, with prepared statements kept for
 * reuse; on PostgreSQL it goes through the transaction's `$queryRawUnsafe`, so it is the same
 * connection there too.
 *
 * SQL is written with `?` placeholders; values are always bound, never spliced. Dates are bound in
 * the form Prisma writes them (ISO 8601 on SQLite), and read back as `Date` by `toDate`.
 */
export interface Sql {
  readonly provider: Provider;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  run(text: string, params?: readonly unknown[]): Promise<void>;
}

const natives = new WeakMap<object, BetterSqlite3.Database>();

/** Called by createDb with the connection its SQLite adapter opened. */
export function rememberNativeSqlite(db: Db, connection: BetterSqlite3.Database): void {
  natives.set(db, connection);
}

/**
 * The SQL executor of a transaction opened on `db`. Only valid inside that transaction's callback:
 * on SQLite the connection is shared, and Prisma's adapter admits one transaction at a time on it.
 */
export function sqlOf(db: Db, tx: Tx, provider: Provider): Sql {
  const native = natives.get(db);
  if (provider === "sqlite" && native) return nativeSqlite(native);
  return viaPrisma(tx, provider);
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
      // Prisma's adapter turns on safe integers for the connection; these statements read counts and flags only.
      stmt.safeIntegers(false);
      cache.set(text, stmt);
    }
    return stmt;
  };
  return {
    provider: "sqlite",
    all: async <T>(text: string, params: readonly unknown[] = []) => prepared(text).all(...params.map(sqliteValue)) as T[],
    run: async (text: string, params: readonly unknown[] = []) => void prepared(text).run(...params.map(sqliteValue)),
  };
}

function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

function viaPrisma(tx: Tx, provider: Provider): Sql {
  const numbered = (text: string) => {
    if (provider !== "postgresql") return text;
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  return {
    provider,
    all: <T>(text: string, params: readonly unknown[] = []) => tx.$queryRawUnsafe<T[]>(numbered(text), ...params),
    run: async (text: string, params: readonly unknown[] = []) => void (await tx.$executeRawUnsafe(numbered(text), ...params)),
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
