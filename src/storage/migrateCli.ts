import { parseArgs } from "node:util";
import { loadDotEnv } from "../env.ts";
import { applyMigrations, createMigration } from "./migrations.ts";
import { DEFAULT_DATABASE_URL, databaseTarget } from "./provider.ts";

const HELP = `Usage: npm run db:migrate [-- --create <name>]

Without options: applies the committed migrations that the database named by DATABASE_URL
(default file:./data/coexist-hub.db; postgresql://… for PostgreSQL) has not applied yet.
The server also does this at start-up.

--create <name>   After editing prisma/schema.prisma: writes the new migration for SQLite and
                  for PostgreSQL (prisma/migrations/<provider>/<timestamp>_<name>/migration.sql)
                  and a snapshot of the models (prisma/migrations/models/). Nothing is read from
                  or written to a database, but Prisma's engine connects to one PostgreSQL server
                  to work out the SQL: MIGRATION_DIFF_DATABASE_URL, default
                  postgresql://postgres@127.0.0.1:5432/postgres.
                  Commit all three; a test fails while models and migrations disagree.
--json            Prints the result as one JSON line, {"applied":[names]} (what the server's
                  start-up reads when it runs this file as its migration process).
--help            Shows this text.`;

const { values } = parseArgs({ options: { create: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } } });
if (values.help) {
  console.log(HELP);
} else if (values.create) {
  const written = await createMigration(values.create);
  console.log(written.length ? written.map((d) => `created ${d}`).join("\n") : "the models and the committed migrations agree: nothing to create");
} else {
  loadDotEnv();
  const applied = await applyMigrations(databaseTarget(process.env.DATABASE_URL || DEFAULT_DATABASE_URL));
  if (values.json) console.log(JSON.stringify({ applied }));
  else console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
}
