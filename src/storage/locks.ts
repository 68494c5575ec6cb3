import type { Sql } from "./sql.ts";

/**
 * Serializes transactions that touch the same WABA, phone number or delivery, across every
 * instance sharing the database: PostgreSQL transaction-scoped advisory locks, taken in sorted
 * order so two transactions can never wait on each other in a cycle. Under them each transaction
 * reads what the previous holder committed, so no update is lost and no row is created twice.
 * SQLite needs nothing: it admits one writing transaction at a time.
 */
export async function lockKeys(sql: Sql, keys: Iterable<string>): Promise<void> {
  if (sql.provider !== "postgresql") return;
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  // One round trip for all of them; the rows of the ordered subquery are locked in that order.
  await sql.all(
    "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::text AS n FROM (SELECT k FROM unnest(?::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i) AS ordered",
    [sorted],
  );
}
