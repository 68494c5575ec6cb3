import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { rememberProvider } from "./locks.ts";
import { sqliteLikeWithBackslashEscape } from "./like.ts";
import { rememberNativeSqlite, trackTransactionConnections } from "./sql.ts";
import { startWalCheckpointer, type WalCheckpointer } from "./walCheckpointer.ts";
import type { DatabaseTarget } from "./provider.ts";

/**
 * The Prisma client. Both generated clients come from the same models and have the same API;
 * the code is typed against the SQLite one. Only the configured provider's client is loaded
 * (each one brings its own runtime and query compiler, so loading both costs memory for nothing).
 */
export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface DbOptions {
  /** How long a write waits for a lock held by another connection before failing. */
  busyTimeoutMs?: number;
}

export async function createDb(target: DatabaseTarget, options: DbOptions = {}): Promise<Db> {
  if (target.provider === "postgresql") {
    const [{ PrismaClient: PostgresPrismaClient }, { pgAdapter }] = await Promise.all([
      import("./generated/postgresql/client.ts"),
      import("./pgAdapter.ts"),
    ]);
    const db = new PostgresPrismaClient({ adapter: trackTransactionConnections(pgAdapter(target, options.busyTimeoutMs ?? 5000)) }) as unknown as Db;
    rememberProvider(db, "postgresql");
    return db;
  }
  const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([
    import("./generated/prisma/client.ts"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  mkdirSync(dirname(target.file), { recursive: true });
  const factory = new PrismaBetterSqlite3({ url: target.url, timeout: options.busyTimeoutMs ?? 5000 });
  // Keep the connection the adapter opens: the ingest hot path runs plain SQL on it (src/storage/sql.ts).
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const native = (adapter as unknown as { client: import("better-sqlite3").Database }).client;
    rememberNativeSqlite(db, native);
    sqliteLikeWithBackslashEscape(native);
    return adapter;
  };
  const db = new PrismaClient({ adapter: factory });
  rememberProvider(db, "sqlite");
  return db;
}

const checkpointers = new WeakMap<Db, WalCheckpointer>();

/** Connection settings applied once at start-up (and, on SQLite, the checkpointing thread). */
export async function prepareDb(db: Db, target: DatabaseTarget): Promise<void> {
  if (target.provider === "sqlite") {
    // WAL lets GraphQL reads go on while a delivery is being written; FULL sync keeps every
    // committed delivery on disk before Meta is answered. Said explicitly: better-sqlite3 is built
    // with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a connection in WAL mode drops to NORMAL at its first
    // write (and opens with it on a WAL file) — commits not fsync'd, a 200'd delivery lost with power.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
    // Fresh statistics for the query planner after migrations (cheap when nothing changed).
    await db.$executeRawUnsafe("PRAGMA optimize");
    if (!checkpointers.has(db)) {
      await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
      const back = () => void db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => {});
      checkpointers.set(db, startWalCheckpointer(target.file, back));
    }
  }
}

/** Stops what prepareDb started and closes the connections. */
export async function closeDb(db: Db): Promise<void> {
  await checkpointers.get(db)?.stop();
  checkpointers.delete(db);
  await db.$disconnect();
}
