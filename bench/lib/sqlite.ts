import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { startWalCheckpointer } from "../../src/storage/walCheckpointer.ts";
import { ROOT } from "./util.ts";

/** Creates the app's tables with its own committed SQLite migrations (same shape, same indexes). */
export function migrate(db: Database.Database): void {
  const dir = join(ROOT, "prisma/migrations/sqlite");
  for (const name of readdirSync(dir)
    .filter((d) => !d.endsWith(".toml"))
    .sort()) {
    db.exec(readFileSync(join(dir, name, "migration.sql"), "utf8"));
  }
}

/** DateTime as Prisma's SQLite adapter writes it (ISO 8601, "+00:00"). */
export const iso = (d: Date | number) => new Date(d).toISOString().replace("Z", "+00:00");

/**
 * A SQLite file opened as the hub opens its own (src/storage/db.ts): the app's migrations, WAL,
 * synchronous FULL (every commit fsync'd), automatic checkpoints off and the WAL copied back by the
 * hub's own checkpointing thread. `close` stops that thread, then closes the connection.
 */
export function openLikeHub(file: string): { db: Database.Database; close: () => Promise<void> } {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  migrate(db);
  db.pragma("wal_autocheckpoint = 0");
  const checkpointer = startWalCheckpointer(file, () => db.pragma("wal_autocheckpoint = 1000"));
  return {
    db,
    close: async () => {
      await checkpointer.stop();
      db.close();
    },
  };
}
