/**
 * Counts the SQL statements an in-process app sends to its database driver, as bench/lib/sqlCounter.ts
 * does for the bench: on SQLite every execution of a better-sqlite3 statement (Prisma's BEGIN and
 * COMMIT included, and the ingest's prepared plain SQL); on PostgreSQL every `query` on a node-postgres
 * client. Installed when imported — before the app under test starts, so every statement it prepares
 * is wrapped. The drivers are resolved from the Prisma adapters' own locations: the very module
 * instances the app uses.
 */
import { createRequire } from "node:module";

interface Statement {
  run(...a: unknown[]): unknown;
  all(...a: unknown[]): unknown;
  get(...a: unknown[]): unknown;
}

const seen: string[] = [];
let recording = false;
const record = (text: string) => {
  if (recording) seen.push(text.replace(/\s+/g, " ").trim());
};

const sqliteRequire = createRequire(import.meta.resolve("@prisma/adapter-better-sqlite3"));
const Database = sqliteRequire("better-sqlite3") as { prototype: { prepare(sql: string): Statement } };
// eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with .call(this) on its own statement.
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: unknown, text: string) {
  const stmt = prepare.call(this, text);
  for (const method of ["run", "all", "get"] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this), as the method it replaces.
    const original = stmt[method];
    stmt[method] = function (this: unknown, ...args: unknown[]) {
      record(text);
      return original.apply(this, args);
    };
  }
  return stmt;
};

const pgRequire = createRequire(import.meta.resolve("@prisma/adapter-pg"));
const pg = pgRequire("pg") as { Client: { prototype: { query(...a: unknown[]): unknown } } };
// eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with .apply(this).
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
  record(typeof text === "string" ? text : "");
  return query.apply(this, args);
};

/** The statements `action` caused (nothing else may run meanwhile: one request at a time, on an idle app). */
export async function statementsOf(action: () => Promise<unknown>): Promise<string[]> {
  seen.length = 0;
  recording = true;
  try {
    await action();
  } finally {
    recording = false;
  }
  return [...seen];
}
