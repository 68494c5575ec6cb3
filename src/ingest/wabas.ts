import type { TopicEvent } from "../pubsub.ts";
import type { Sql } from "../storage/sql.ts";

/**
 * A WABA becomes known, listed by `wabas` and on the dashboard, from its first delivery of any
 * field, not only from its first account_update: a business onboarded before the hub was deployed
 * can send messages for months before its next account event. Its webhooks reaching us mean our
 * app is subscribed to it, so it starts CONNECTED (the column's default); a WABA already stored is
 * left as its events made it, and its events re-derive everything from the events alone.
 *
 * Returns the WABAs this call listed: `RETURNING` yields a row only for an insert that happened, so
 * two transactions racing to list one WABA (two instances) announce it once, from the one that won.
 */
export async function listWabas(sql: Sql, wabaIds: Iterable<string>): Promise<TopicEvent<"wabaListed">[]> {
  const now = new Date();
  const ts = sql.placeholder.timestamp;
  const listed: TopicEvent<"wabaListed">[] = [];
  for (const wabaId of new Set(wabaIds)) {
    listed.push(
      ...(await sql.all<TopicEvent<"wabaListed">>(
        `INSERT INTO "Waba" ("wabaId", "createdAt", "updatedAt") VALUES (?, ${ts}, ${ts}) ON CONFLICT ("wabaId") DO NOTHING RETURNING "wabaId"`,
        [wabaId, now, now],
      )),
    );
  }
  return listed;
}
