import { Command } from "commander";
import { databaseUrlOption, resolveDatabaseTarget } from "./database.ts";
import { describeTarget } from "../storage/provider.ts";

export function backupCommand(): Command {
  return new Command("backup")
    .summary("write a backup of the database to a file (safe while the hub runs)")
    .description(
      "Writes a consistent copy of the hub's database to <file>, while hubs go on ingesting.\n\n" +
        "SQLite: SQLite's online backup of the database file. PostgreSQL: `pg_dump --format=custom` of the hub's " +
        "schema only (`?schema=` of DATABASE_URL, public by default); needs pg_dump on the PATH, of the server's major " +
        "version or newer. The file is written under a temporary name and renamed when complete, so a failed backup " +
        "leaves no file behind. It never overwrites a file.\n\n" +
        "A backup holds every delivery acknowledged before it started. Restore with `hub restore`.",
    )
    .argument("<file>", "where to write the backup (must not exist)")
    .addOption(databaseUrlOption())
    .addHelpText("after", "\nExamples:\n  hub backup backups/hub-$(date +%F).backup\n  npm run hub -- backup /var/backups/hub.backup")
    .action(async (file: string, options: { databaseUrl?: string }) => {
      const target = await resolveDatabaseTarget(options.databaseUrl);
      const { backupDatabase } = await import("../storage/backup.ts");
      await backupDatabase(target, file);
      console.log(`backed up ${describeTarget(target)} to ${file}`);
    });
}

export function restoreCommand(): Command {
  return new Command("restore")
    .summary("restore a backup into an empty database")
    .description(
      "Restores a file written by `hub backup` into the database of DATABASE_URL (or --database-url), which must " +
        "hold no table: it refuses a database in use rather than mix two histories. SQLite: the file is created. " +
        "PostgreSQL: needs pg_restore on the PATH; the backup recreates the schema it was taken from, so the URL names " +
        "that schema (`?schema=`) in an empty database. A hub started on the restored database applies the migrations " +
        "newer than the backup.",
    )
    .argument("<file>", "a backup written by `hub backup`")
    .addOption(databaseUrlOption())
    .addHelpText("after", "\nExamples:\n  hub restore hub-2026-12-06.backup --database-url file:./data/restored.db")
    .action(async (file: string, options: { databaseUrl?: string }) => {
      const target = await resolveDatabaseTarget(options.databaseUrl);
      const { restoreDatabase } = await import("../storage/backup.ts");
      await restoreDatabase(target, file);
      console.log(`restored ${file} into ${describeTarget(target)}`);
    });
}
