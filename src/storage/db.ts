import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Db, Tx } from "./client.ts";
import { NeedsPrisma } from "./directTransaction.ts";
import { sqliteLikeWithBackslashEscape } from "./like.ts";
import { afterConnect, afterStartTransaction, pgConnectionOf, sqliteConnectionOf } from "./prismaInternals.ts";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { postgresTransactions, sqliteTransactions, type DirectTransaction, type Sql, type TransactionOptions, type WriteTransaction } from "./sql.ts";
import { startWalCheckpointer, type WalCheckpointer } from "./walCheckpointer.ts";
import type { DatabaseTarget, Provider } from "./provider.ts";

export interface DbOptions {
  /** How long a write waits for a lock held by another connection before failing. */
  busyTimeoutMs?: number;
}

/**
 * One open database: the Prisma client and what was made with it, handed explicitly to whatever
 * reads or writes (the server, the ingest, the CLI, the tests). See docs/storage.md for when the
 * ingest writes plain SQL and when it goes through Prisma.
 */
export interface Storage {
  readonly target: DatabaseTarget;
  readonly provider: Provider;
  /** Prisma's client: every read, and the writes that are not on the ingest's hot path. */
  readonly prisma: Db;
  /** An interactive transaction whose callback also gets plain SQL on the transaction's connection. */
  writeTransaction: WriteTransaction;
  /**
   * A write transaction for callbacks that write plain SQL only, on the driver adapter without
   * Prisma's engine (directTransaction.ts): one that reaches for `tx` is rolled back with NeedsPrisma.
   * Before Prisma has connected, it is a writeTransaction.
   */
  directTransaction: DirectTransaction;
  /**
   * Newest first with rows that have no value last, as Prisma's `orderBy` takes it for this
   * database: SQLite sorts NULL lowest already (and Prisma's `nulls` option would only add work
   * there); PostgreSQL sorts NULL highest, so it must be asked.
   */
  readonly descNullsLast: "desc" | { sort: "desc"; nulls: "last" };
  /** Connection settings applied once at start-up (and, on SQLite, the checkpointing thread). */
  prepare(): Promise<void>;
  /** Stops what prepare started and closes the connections. */
  close(): Promise<void>;
}

/**
 * storage.directTransaction for a callback that is plain SQL on its usual path; when it reaches for
 * Prisma's client anyway (NeedsPrisma: rolled back), the same callback runs again through
 * writeTransaction. The ingest's batches and the outbound worker's commits go this way.
 */
export async function plainTransaction<T>(
  storage: Pick<Storage, "directTransaction" | "writeTransaction">,
  fn: (tx: Tx, sql: Sql) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  try {
    return await storage.directTransaction(fn);
  } catch (error) {
    if (!(error instanceof NeedsPrisma)) throw error;
    return storage.writeTransaction(fn, options);
  }
}

export async function createDb(target: DatabaseTarget, options: DbOptions = {}): Promise<Storage> {
  return target.provider === "postgresql" ? createPostgres(target, options) : createSqlite(target, options);
}

async function createPostgres(target: Extract<DatabaseTarget, { provider: "postgresql" }>, options: DbOptions): Promise<Storage> {
  const [{ PrismaClient: PostgresPrismaClient }, { pgAdapter }] = await Promise.all([import("./generated/postgresql/client.ts"), import("./pgAdapter.ts")]);
  const runner = postgresTransactions();
  // Lets writeTransaction see which pooled connection the adapter opens each transaction on.
  let connected: SqlDriverAdapter | undefined;
  const factory = afterConnect(pgAdapter(target, options.busyTimeoutMs ?? 5000), (adapter) => {
    connected = adapter;
    // Read when the write runs, inside the transaction: a moved field fails that write (rolled back,
    // naming what moved) rather than the start of a transaction Prisma would be left holding.
    afterStartTransaction(adapter, (transaction) => runner.opened(() => pgConnectionOf(transaction)));
  });
  const prisma = new PostgresPrismaClient({ adapter: factory }) as unknown as Db;
  return {
    target,
    provider: "postgresql",
    prisma,
    writeTransaction: (fn, txOptions?: TransactionOptions) => runner.run(prisma, fn, txOptions),
    directTransaction: (fn) => (connected ? runner.direct(connected, fn) : runner.run(prisma, fn)),
    descNullsLast: { sort: "desc", nulls: "last" },
    prepare: async () => {},
    close: () => prisma.$disconnect(),
  };
}

async function createSqlite(target: Extract<DatabaseTarget, { provider: "sqlite" }>, options: DbOptions): Promise<Storage> {
  const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([import("./generated/prisma/client.ts"), import("@prisma/adapter-better-sqlite3")]);
  mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 });
  const runner = sqliteTransactions();
  // Keep the connection the adapter opens: the ingest hot path runs plain SQL on it (src/storage/sql.ts).
  let connected: SqlDriverAdapter | undefined;
  const factory = afterConnect(new PrismaBetterSqlite3({ url: target.url, timeout: options.busyTimeoutMs ?? 5000 }), (adapter) => {
    connected = adapter;
    const native = sqliteConnectionOf(adapter);
    runner.opened(native);
    sqliteLikeWithBackslashEscape(native);
  });
  const prisma = new PrismaClient({ adapter: factory });
  let checkpointer: WalCheckpointer | undefined;
  return {
    target,
    provider: "sqlite",
    prisma,
    writeTransaction: (fn, txOptions?: TransactionOptions) => runner.run(prisma, fn, txOptions),
    directTransaction: (fn) => (connected ? runner.direct(connected, fn) : runner.run(prisma, fn)),
    descNullsLast: "desc",
    async prepare() {
      // WAL lets GraphQL reads go on while a delivery is being written; FULL sync keeps every
      // committed delivery on disk before Meta is answered. Said explicitly: better-sqlite3 is built
      // with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a connection in WAL mode drops to NORMAL at its first
      // write (and opens with it on a WAL file) — commits not fsync'd, a 200'd delivery lost with power.
      await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
      await prisma.$executeRawUnsafe("PRAGMA synchronous = FULL");
      // Fresh statistics for the query planner after migrations (cheap when nothing changed).
      await prisma.$executeRawUnsafe("PRAGMA optimize");
      if (!checkpointer) {
        await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
        const back = () => void prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => {});
        checkpointer = startWalCheckpointer(target.file, back);
      }
    },
    async close() {
      await checkpointer?.stop();
      checkpointer = undefined;
      await prisma.$disconnect();
    },
  };
}
