import { placeholders, type Sql } from "./sql.ts";

export type ColumnType = "text" | "int" | "timestamp" | "json";

/**
 * Many rows inserted by plain SQL. Prisma's createMany compiles every value of every row and ran at
 * about 8,000 rows/s here; raw statements through the same driver run an order of magnitude faster.
 * Values are bound parameters (never spliced into the SQL); dates and JSON are written in the form
 * Prisma itself writes and reads back.
 *
 * The dialects differ as in rowUpdate.ts. On PostgreSQL every statement is a round trip, so rows go
 * together in one multi-row INSERT per ~30,000 bound values. SQLite runs in process: one single-row
 * INSERT, prepared once and kept, run for each row in one synchronous loop (`Sql.each`). A multi-row
 * VALUES list cost SQLite about twice as much per row (bench/ANALYSIS.md, session 13); what made a
 * statement per row dear before was an await and a cache lookup per row, which the loop does not pay.
 */
export async function bulkInsert(sql: Sql, table: string, columns: Record<string, ColumnType>, rows: readonly Record<string, unknown>[]): Promise<void> {
  await inserted(sql, table, columns, rows, "");
}

/**
 * The same INSERT followed by `tail` (an `ON CONFLICT …` clause and `RETURNING …`), the rows it
 * returns: one statement both writes the new rows and says which were new, instead of a SELECT
 * before to find those already stored.
 */
export function bulkInsertReturning<T>(
  sql: Sql,
  table: string,
  columns: Record<string, ColumnType>,
  rows: readonly Record<string, unknown>[],
  tail: string,
): Promise<T[]> {
  return inserted<T>(sql, table, columns, rows, tail);
}

async function inserted<T>(sql: Sql, table: string, columns: Record<string, ColumnType>, rows: readonly Record<string, unknown>[], tail: string): Promise<T[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns);
  const types = names.map((n) => columns[n]!);
  const head = `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES `;
  if (sql.provider === "sqlite") {
    // NULLs are bound too, so the one statement fits every row.
    const values = (row: Record<string, unknown>) =>
      names.map((n, c) => {
        const v = row[n];
        return v === null || v === undefined ? null : encoded(false, types[c]!, v);
      });
    return sql.each<T>(`${head}(${placeholders(names.length)}) ${tail}`, rows.map(values));
  }
  // Every statement is a round trip: as many rows as stay far below the 65,535 bound-parameter limit.
  const perStatement = Math.max(1, Math.floor(30_000 / names.length));
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + perStatement).map((row) => {
      const cells = names.map((n, c) => {
        const v = row[n];
        if (v === null || v === undefined) return "NULL";
        params.push(encoded(true, types[c]!, v));
        return placeholder(true, types[c]!);
      });
      return `(${cells.join(", ")})`;
    });
    // Only placeholders are spliced in: every value is a bound parameter.
    out.push(...(await sql.all<T>(`${head}${tuples.join(", ")} ${tail}`, params)));
  }
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
