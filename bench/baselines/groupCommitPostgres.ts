/**
 * The group-commit ceiling on PostgreSQL (groupCommit.ts): node-postgres, one connection (one
 * transaction at a time, as the hub's batcher), the app's own migrations applied to the schema
 * the bench made for this run, and per turn ONE multi-row `INSERT … ON CONFLICT DO NOTHING` — a
 * single statement is its own transaction, so one round trip and one WAL flush for the whole turn
 * (the server runs with fsync and synchronous_commit on). The hub needs BEGIN and COMMIT around its
 * statements; this does not, which only makes the ceiling higher.
 */
import { migratedPostgres } from "./migratedPostgres.ts";
import { serveGroupCommit, type RawRow } from "./groupCommit.ts";

const client = await migratedPostgres();

const COLUMNS = `"id", "contentHash", "signedHash", "body", "signature", "signatureScheme", "fields", "receivedAt", "status"`;

serveGroupCommit(
  async (rows: readonly RawRow[]) => {
    const values: unknown[] = [];
    const tuples = rows.map((r) => {
      const at = values.length;
      values.push(r.id, r.contentHash, r.signedHash, r.body, r.signature, r.signatureScheme, r.fields, r.receivedAt);
      return `(${Array.from({ length: 8 }, (_, i) => `$${at + i + 1}`).join(", ")}, 'RECEIVED')`;
    });
    await client.query(`INSERT INTO "WebhookDelivery" (${COLUMNS}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`, values);
  },
  () => client.end(),
);
