import { Prisma } from "./generated/prisma/client.ts";
import type { Tx } from "./db.ts";
import type { Provider } from "./provider.ts";

export type ColumnType = "text" | "int" | "timestamp" | "json";

/**
 * One multi-row INSERT for many rows. Prisma's createMany compiles every value of every row and
 * ran at about 8,000 rows/s here; the same rows as one raw statement through the same driver run
 * an order of magnitude faster. Values are bound parameters (never spliced into the SQL); dates
 * and JSON are written in the form Prisma itself writes and reads back.
 */
export async function bulkInsert(
  tx: Tx,
  provider: Provider,
  table: string,
  columns: Record<string, ColumnType>,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  // Stay far below SQLite's 32,766 bound-parameter limit (and PostgreSQL's 65,535).
  const perStatement = Math.max(1, Math.floor(30_000 / names.length));
  const head = Prisma.raw(`INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES `);
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows.slice(i, i + perStatement).map(
      (row) => Prisma.sql`(${Prisma.join(names.map((n) => value(provider, columns[n]!, row[n])))})`,
    );
    await tx.$executeRaw`${head}${Prisma.join(values)}`;
  }
}

function value(provider: Provider, type: ColumnType, v: unknown): Prisma.Sql {
  if (v === null || v === undefined) return Prisma.sql`NULL`;
  const pg = provider === "postgresql";
  switch (type) {
    case "timestamp":
      return pg ? Prisma.sql`${v}::timestamp(3)` : Prisma.sql`${v}`;
    case "json":
      return pg ? Prisma.sql`${JSON.stringify(v)}::jsonb` : Prisma.sql`${JSON.stringify(v)}`;
    case "int":
    case "text":
      return Prisma.sql`${v}`;
  }
}
