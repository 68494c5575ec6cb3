import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { rememberProvider } from "./locks.ts";
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
    const db = new PostgresPrismaClient({ adapter: pgAdapter(target, options.busyTimeoutMs ?? 5000) }) as unknown as Db;
    rememberProvider(db, "postgresql");
    return db;
  }
  const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([
    import("./generated/prisma/client.ts"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  mkdirSync(dirname(target.file), { recursive: true });
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: options.busyTimeoutMs ?? 5000 }) });
  rememberProvider(db, "sqlite");
  return db;
}

/** Connection settings applied once at start-up. */
export async function prepareDb(db: Db, target: DatabaseTarget): Promise<void> {
  if (target.provider === "sqlite") {
    // WAL lets GraphQL reads go on while a delivery is being written; FULL sync (the default)
    // keeps every committed delivery on disk before Meta is answered.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    // Fresh statistics for the query planner after migrations (cheap when nothing changed).
    await db.$executeRawUnsafe("PRAGMA optimize");
  }
}
