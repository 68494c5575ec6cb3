import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
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
