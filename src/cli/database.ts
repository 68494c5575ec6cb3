import { Option } from "commander";
import type { Storage } from "../storage/db.ts";
import { DEFAULT_DATABASE_URL, databaseTarget, type DatabaseTarget } from "../storage/provider.ts";

/** The option every database command takes; the environment is read only when the command runs. */
export function databaseUrlOption(): Option {
  return new Option("--database-url <url>", `database to use (default: DATABASE_URL from the environment or .env, else ${DEFAULT_DATABASE_URL})`);
}

/** The flag's value, else DATABASE_URL (.env loaded first, set variables win), else the default. */
export async function resolveDatabaseTarget(flag: string | undefined): Promise<DatabaseTarget> {
  // Loaded on use: env.ts brings zod, which `--help` does not need.
  const { loadDotEnv } = await import("../env.ts");
  loadDotEnv();
  return databaseTarget(flag || process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
}

/** Applies pending migrations (none: the engine is never started); returns their names. */
export async function migrateIfNeeded(target: DatabaseTarget): Promise<string[]> {
  // Loaded on use: the Prisma clients and the schema engine take a while, and `--help` needs neither.
  const { applyMigrations, explainMigrationFailure, migrateIfPending } = await import("../storage/migrations.ts");
  try {
    return await migrateIfPending(target, applyMigrations);
  } catch (error) {
    throw explainMigrationFailure(target, error);
  }
}

/**
 * Opens the database the way the server does (migrations first, so a command run before the
 * first `hub serve` still finds its tables), runs `use`, and always disconnects: an open Prisma
 * client would keep the process alive.
 */
export async function withDatabase<T>(target: DatabaseTarget, use: (storage: Storage) => Promise<T>): Promise<T> {
  await migrateIfNeeded(target);
  const { createDb } = await import("../storage/db.ts");
  const storage = await createDb(target);
  try {
    await storage.prepare();
    return await use(storage);
  } finally {
    await storage.close();
  }
}
