import type { Sql } from "../storage/sql.ts";

/**
 * A WABA becomes known, listed by `wabas` and on the dashboard, from its first delivery of any
 * field, not only from its first account_update: a business onboarded before the hub was deployed
 * can send messages for months before its next account event. Its webhooks reaching us mean our
 * app is subscribed to it, so it starts CONNECTED (the column's default); a WABA already stored is
 * left as its events made it, and its events re-derive everything from the events alone.
 */
export async function ensureWaba(sql: Sql, wabaId: string): Promise<void> {
  const now = new Date();
  const ts = sql.placeholder.timestamp;
  await sql.run(`INSERT INTO "Waba" ("wabaId", "createdAt", "updatedAt") VALUES (?, ${ts}, ${ts}) ON CONFLICT ("wabaId") DO NOTHING`, [wabaId, now, now]);
}
