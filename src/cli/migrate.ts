import { Command } from "commander";
import { databaseUrlOption, migrateIfNeeded, resolveDatabaseTarget } from "./database.ts";
import { describeTarget } from "../storage/provider.ts";

export function migrateCommand(): Command {
  return new Command("migrate")
    .summary("apply pending database migrations")
    .description(
      "Applies the committed migrations (prisma/migrations/) that the database has not applied yet, and " +
        "records them in _prisma_migrations as `prisma migrate deploy` does. Creates a SQLite file (and its " +
        "folder) when there is none. Prints each migration applied, or that the database is up to date.\n\n" +
        "On SQLite, applying a migration needs the file to itself: stop the running hub first (checking, when " +
        "nothing is pending, does not).\n\n" +
        "`hub serve` does the same at start-up; run this to prepare a database ahead of time.",
    )
    .addOption(databaseUrlOption())
    .addHelpText("after", "\nExamples:\n  hub migrate\n  hub migrate --database-url file:./data/staging.db")
    .action(async (options: { databaseUrl?: string }) => {
      const target = await resolveDatabaseTarget(options.databaseUrl);
      console.log(`database: ${describeTarget(target)}`);
      const applied = await migrateIfNeeded(target);
      if (applied.length === 0) console.log("up to date: no migration to apply");
      for (const name of applied) console.log(`applied ${name}`);
    });
}
