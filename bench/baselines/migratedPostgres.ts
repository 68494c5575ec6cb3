/**
 * A node-postgres connection for a PostgreSQL baseline: to DATABASE_URL's `schema` (the one the bench
 * made for this run), with the app's own migrations applied there, so the baseline writes the hub's tables.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { ROOT } from "../lib/util.ts";

export async function migratedPostgres(): Promise<pg.Client> {
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
  return client;
}
