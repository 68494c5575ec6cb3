import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadDotEnv } from "../env.ts";
import { applyMigrations, createMigration } from "./migrations.ts";
import { databaseTarget } from "./provider.ts";

const HELP = `Usage: npm run db:migrate [-- --create <name>]

Without options: applies the committed migrations in prisma/migrations/ that the database
named by DATABASE_URL (default file:./data/coexist-hub.db) has not applied yet. The server
also does this at start-up.

--create <name>   After editing prisma/schema.prisma: writes a new SQLite migration
                  prisma/migrations/sqlite/<timestamp>_<name>/migration.sql with the SQL that
                  brings the committed migrations up to the models (worked out on a scratch
                  database; your database is not touched). Commit it.
--help            Shows this text.`;

const { values } = parseArgs({ options: { create: { type: "string" }, help: { type: "boolean" } } });
if (values.help) {
  console.log(HELP);
} else if (values.create) {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-migrate-"));
  try {
    const created = await createMigration(databaseTarget(`file:${join(dir, "scratch.db")}`), values.create);
    console.log(created ? `created ${created}` : "the models and the committed migrations agree: nothing to create");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  loadDotEnv();
  const applied = await applyMigrations(databaseTarget(process.env.DATABASE_URL || "file:./data/coexist-hub.db"));
  console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
}
