/**
 * The group-commit ceiling on PostgreSQL (groupCommit.ts): node-postgres, one connection (one
 * transaction at a time, as the hub's batcher), the app's own migrations applied to the schema
 * the bench made for this run, and per turn ONE multi-row `INSERT … ON CONFLICT DO NOTHING` — a
 * single statement is its own transaction, so one round trip and one WAL flush for the whole turn
 * (the server runs with fsync and synchronous_commit on). The hub needs BEGIN and COMMIT around its
 * statements; this does not, which only makes the ceiling higher.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { ROOT } from "../lib/util.ts";
import { serveGroupCommit, type RawRow } from "./groupCommit.ts";

const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test");
const schema = url.searchParams.get("schema") ?? "public";
url.searchParams.delete("schema");
const client = new pg.Client({ connectionString: url.toString(), options: `-c search_path="${schema}"` });
await client.connect();
await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
const dir = join(ROOT, "prisma/migrations/postgresql");
for (const name of readdirSync(dir)
  .filter((d) => !d.endsWith(".toml"))
  .sort()) {
  await client.query(readFileSync(join(dir, name, "migration.sql"), "utf8"));
}

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
