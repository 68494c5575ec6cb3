/**
 * The group-commit ceiling on SQLite (groupCommit.ts): better-sqlite3 on a file migrated with the
 * app's own migrations, with the hub's connection settings (src/storage/db.ts: WAL, synchronous
 * FULL — every commit fsync'd — and automatic checkpoints off, the WAL copied back by the hub's own
 * checkpointing thread), one transaction per turn of prepared single-row inserts into WebhookDelivery.
 */
import { iso, openLikeHub } from "../lib/sqlite.ts";
import { serveGroupCommit, type RawRow } from "./groupCommit.ts";

const { db, close } = openLikeHub(process.env.DATABASE_FILE ?? "baseline.db");
const insert = db.prepare(
  `INSERT INTO "WebhookDelivery" ("id", "contentHash", "signedHash", "body", "signature", "signatureScheme", "fields", "receivedAt", "status")
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED') ON CONFLICT DO NOTHING`,
);
const turn = db.transaction((rows: readonly RawRow[]) => {
  for (const r of rows) insert.run(r.id, r.contentHash, r.signedHash, r.body, r.signature, r.signatureScheme, r.fields, iso(r.receivedAt));
});

serveGroupCommit((rows) => turn(rows), close);
