/**
 * Preload for statement counting and timing (`node --import tsx --import ./bench/lib/sqlCounter.ts src/main.ts`).
 * Every statement the server runs is prepared by better-sqlite3's Database#prepare — by Prisma's
 * SQLite adapter (BEGIN and COMMIT included, prepared anew each time) or by the ingest's plain SQL
 * (src/storage/sql.ts, prepared once and reused) — so wrapping that method and the statements it
 * returns sees every execution.
 *
 * - BENCH_SQL_LOG=<file>: each execution is appended, one per line (statement counts; untimed runs).
 * - BENCH_SQL_TIMES=<file>: time spent executing each statement shape (run/all/get), written as
 *   JSON when the process exits (used with --profile, beside the CPU profile).
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const logFile = process.env.BENCH_SQL_LOG;
const timesFile = process.env.BENCH_SQL_TIMES;

interface Statement {
  run(...a: unknown[]): unknown;
  all(...a: unknown[]): unknown;
  get(...a: unknown[]): unknown;
}

/** A statement's shape: whitespace folded, value lists and IN lists collapsed. */
export function shapeOf(sql: string): string {
  return sql
    .replace(/\s+/g, " ")
    .replace(/`main`\./g, "")
    .replace(/^SELECT .*? FROM /, "SELECT … FROM ")
    .replace(/^INSERT INTO (\S+) \([^)]*\)/, "INSERT INTO $1 (…)")
    .replace(/ RETURNING .*$/, " RETURNING …")
    .replace(/\(\?(,\s?\?)*\)(,\s?\(\?(,\s?\?)*\))*/g, "(…)")
    .replace(/(WHEN \? THEN \? ?)+/g, "WHEN … ");
}

if (logFile || timesFile) {
  // Resolved from the adapter's own location, so it is the very module instance Prisma uses.
  const require = createRequire(import.meta.resolve("@prisma/adapter-better-sqlite3"));
  const Database = require("better-sqlite3") as { prototype: { prepare(sql: string): Statement } };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with .call(this) on its own statement.
  const prepare = Database.prototype.prepare;
  const times = new Map<string, { count: number; ms: number }>();
  Database.prototype.prepare = function (this: unknown, sql: string) {
    const stmt = prepare.call(this, sql);
    const line = sql.replace(/\s+/g, " ") + "\n";
    const shape = shapeOf(sql);
    for (const method of ["run", "all", "get"] as const) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this), as the method it replaces.
      const original = stmt[method];
      stmt[method] = function (this: unknown, ...args: unknown[]) {
        if (logFile) appendFileSync(logFile, line);
        if (!timesFile) return original.apply(this, args);
        const t = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const entry = times.get(shape) ?? { count: 0, ms: 0 };
          entry.count++;
          entry.ms += performance.now() - t;
          times.set(shape, entry);
        }
      };
    }
    return stmt;
  };
  if (timesFile) {
    process.on("exit", () => {
      const rows = [...times].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms);
      writeFileSync(timesFile, JSON.stringify(rows));
    });
  }
}
