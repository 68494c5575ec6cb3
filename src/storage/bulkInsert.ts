import type { Sql } from "./sql.ts";

export type ColumnType = "text" | "int" | "timestamp" | "json";

/**
 * Many rows inserted by plain SQL. Prisma's createMany compiles every value of every row and ran at
 * about 8,000 rows/s here; raw statements through the same driver run an order of magnitude faster.
 * Values are bound parameters (never spliced into the SQL); dates and JSON are written in the form
 * Prisma itself writes and reads back.
 *
 * The dialects differ as in rowUpdate.ts. On PostgreSQL every statement is a round trip, so rows go
 * together in one multi-row INSERT per ~30,000 bound values. SQLite runs in process: statements of
 * two fixed sizes (SQLITE_ROWS below), prepared once and kept, where a multi-row statement per row
 * count was prepared again whenever the group-commit batch changed size (a 2 % share of the ingest's
 * time in its profile, issue #22) and could not be kept at all above the cache's size limit.
 */
export async function bulkInsert(sql: Sql, table: string, columns: Record<string, ColumnType>, rows: readonly Record<string, unknown>[]): Promise<void> {
  for (const { text, params } of statements(sql, table, columns, rows)) await sql.run(text, params);
}

/**
 * The same multi-row INSERT followed by `tail` (an `ON CONFLICT …` clause and `RETURNING …`), the
 * rows it returns: one statement both writes the new rows and says which were new, instead of a
 * SELECT before to find those already stored.
 */
export async function bulkInsertReturning<T>(
  sql: Sql,
  table: string,
  columns: Record<string, ColumnType>,
  rows: readonly Record<string, unknown>[],
  tail: string,
): Promise<T[]> {
  const out: T[] = [];
  for (const { text, params } of statements(sql, table, columns, rows)) out.push(...(await sql.all<T>(`${text} ${tail}`, params)));
  return out;
}

/**
 * Rows per SQLite statement. A statement per row costs a call, a cache lookup and an await per row
 * (a history chunk of 500 messages made 500 of each: ~13 % more CPU for a history import than
 * multi-row statements, bench/ANALYSIS.md); a statement per row count was prepared again whenever a
 * batch changed size. So full runs of this many rows go in one statement and the rest one row at a
 * time: two shapes per table, both small enough for the statement cache (NULLs are bound too, so a
 * shape does not depend on the values).
 */
const SQLITE_ROWS = 50;

function statements(
  sql: Sql,
  table: string,
  columns: Record<string, ColumnType>,
  rows: readonly Record<string, unknown>[],
): { text: string; params: unknown[] }[] {
  const names = Object.keys(columns);
  const types = names.map((n) => columns[n]!);
  const pg = sql.provider === "postgresql";
  const head = `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES `;
  const out: { text: string; params: unknown[] }[] = [];
  const add = (part: readonly Record<string, unknown>[]) => {
    const params: unknown[] = [];
    const tuples = part.map((row) => {
      const cells = names.map((n, c) => {
        const v = row[n];
        if (v === null || v === undefined) {
          if (pg) return "NULL";
          params.push(null);
          return "?";
        }
        params.push(encoded(pg, types[c]!, v));
        return placeholder(pg, types[c]!);
      });
      return `(${cells.join(", ")})`;
    });
    // Only placeholders are spliced in: every value is a bound parameter.
    out.push({ text: head + tuples.join(", "), params });
  };
  if (pg) {
    // Every statement is a round trip: as many rows as stay far below the 65,535 bound-parameter limit.
    const perStatement = Math.max(1, Math.floor(30_000 / names.length));
    for (let i = 0; i < rows.length; i += perStatement) add(rows.slice(i, i + perStatement));
    return out;
  }
  const full = rows.length - (rows.length % SQLITE_ROWS);
  for (let i = 0; i < full; i += SQLITE_ROWS) add(rows.slice(i, i + SQLITE_ROWS));
  for (let i = full; i < rows.length; i++) add([rows[i]!]);
  return out;
}

/** A value bound for a column of `type`, in the form Prisma itself writes (see bulkInsert). */
export function encoded(pg: boolean, type: ColumnType, v: unknown): unknown {
  return type === "json" ? JSON.stringify(v, pg ? withoutNul : undefined) : pg ? withoutNul("", v) : v;
}

/** The placeholder of a value for a column of `type` (PostgreSQL types a bare parameter as text in some positions). */
export function placeholder(pg: boolean, type: ColumnType): string {
  return pg && type === "timestamp" ? "?::timestamp(3)" : pg && type === "json" ? "?::jsonb" : "?";
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, which JSON allows ("\u0000"); it becomes U+FFFD
 * there. The raw delivery keeps the original bytes. (A JSON.stringify replacer, also used alone.)
 */
function withoutNul(_key: string, v: unknown): unknown {
  return typeof v === "string" ? v.replaceAll("\u0000", "\ufffd") : v;
}
