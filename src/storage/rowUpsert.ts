import { encoded, placeholder, type ColumnType } from "./bulkInsert.ts";
import type { Sql } from "./sql.ts";

/**
 * One row by plain SQL: inserted with its key and `values`, or, when a row with that key is stored,
 * exactly the columns in `values` set on it (the others keep what they hold). Values are bound and
 * written in the form Prisma writes them (bulkInsert.ts); `columns` gives each one's type.
 */
export async function upsertRow(
  sql: Sql,
  table: string,
  key: { column: string; value: string },
  columns: Record<string, ColumnType>,
  values: Record<string, unknown>,
): Promise<void> {
  const pg = sql.provider === "postgresql";
  const cells = Object.entries(columns).flatMap(([name, type]) => (name in values ? [{ name, type, value: values[name] }] : []));
  const names = cells.map((c) => `"${c.name}"`).join(", ");
  const slots = cells.map((c) => placeholder(pg, c.type)).join(", ");
  // Only column names from `columns` and placeholders are spliced in: every value is a bound parameter.
  await sql.run(
    `INSERT INTO "${table}" ("${key.column}", ${names}) VALUES (?, ${slots}) ` +
      `ON CONFLICT ("${key.column}") DO UPDATE SET ${cells.map((c) => `"${c.name}" = excluded."${c.name}"`).join(", ")}`,
    [key.value, ...cells.map((c) => (c.value === null || c.value === undefined ? null : encoded(pg, c.type, c.value)))],
  );
}
