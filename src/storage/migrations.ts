import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { openSchemaEngine } from "./schemaEngine.ts";
import { MIGRATIONS_DIR, schemaFor, type DatabaseTarget } from "./provider.ts";

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Each provider keeps its own migration history, as Prisma requires (one provider per lock file). */
export function migrationsDir(provider: DatabaseTarget["provider"]): string {
  return join(MIGRATIONS_DIR, provider);
}

function lockFile(provider: DatabaseTarget["provider"]): string {
  return `# Written by Coexist Hub's migration tool; keep it in version control.\nprovider = "${provider}"\n`;
}

export function loadMigrations(provider: DatabaseTarget["provider"]): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : lockFile(provider) },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((path) => ({
      path,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(baseDir, path, "migration.sql"), "utf8") } },
    })),
  };
}

/** Applies the committed migrations not yet applied, recording them in _prisma_migrations like `prisma migrate deploy`. */
export async function applyMigrations(target: DatabaseTarget): Promise<string[]> {
  if (target.provider === "sqlite") mkdirSync(join(target.file, ".."), { recursive: true });
  const { engine, close } = await openSchemaEngine(target);
  try {
    const out = await engine.applyMigrations({ migrationsList: loadMigrations(target.provider), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * The SQL that would bring the committed migrations up to the model definition; empty when they agree.
 * `scratch` must be a database this may change: the migrations are applied to it and the result is
 * compared with the models (the engine's own shadow-database route cannot run multi-statement
 * migrations through a driver adapter).
 */
export async function pendingModelChanges(scratch: DatabaseTarget): Promise<string> {
  if (scratch.provider === "sqlite") mkdirSync(join(scratch.file, ".."), { recursive: true });
  // One engine for both steps: a second connection to the same SQLite file would find it locked.
  const { engine, close } = await openSchemaEngine(scratch);
  try {
    await engine.applyMigrations({ migrationsList: loadMigrations(scratch.provider), filters: NO_FILTERS });
    const files = [{ path: "schema.prisma", content: schemaFor(scratch.provider) }];
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: MIGRATIONS_DIR },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return (result.stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
  } finally {
    await close();
  }
}

/** Writes a new migration directory for the given provider when the models changed. */
export async function createMigration(scratch: DatabaseTarget, name: string): Promise<string | null> {
  const sql = await pendingModelChanges(scratch);
  if (!sql) return null;
  const baseDir = migrationsDir(scratch.provider);
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = join(baseDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql + "\n");
  const lock = join(baseDir, "migration_lock.toml");
  if (!existsSync(lock)) writeFileSync(lock, lockFile(scratch.provider));
  return dir;
}
