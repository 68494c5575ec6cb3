// The schema engine (WebAssembly, ~100 MB once instantiated) and pg are loaded only by the
// functions that need them: the server imports this module for the /readyz check alone.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MIGRATIONS_DIR, PROVIDERS, SCHEMA_PATH, databaseTarget, withProvider, type DatabaseTarget, type Provider } from "./provider.ts";

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * Layout, one migration history per provider (Prisma allows one provider per history):
 *   prisma/migrations/<provider>/<stamp>_<name>/migration.sql   applied in name order
 *   prisma/migrations/models/<stamp>_<name>.prisma              the models as they were after it
 * The model snapshots let new migrations and the drift check be computed datamodel-to-datamodel,
 * without a shadow database (which the engine cannot drive through a driver adapter).
 */
export function migrationsDir(provider: Provider): string {
  return join(MIGRATIONS_DIR, provider);
}
const SNAPSHOTS_DIR = join(MIGRATIONS_DIR, "models");

function lockFile(provider: Provider): string {
  return `# Written by Coexist Hub's migration tool; keep it in version control.\nprovider = "${provider}"\n`;
}

export function migrationNames(provider: Provider): string[] {
  const dir = migrationsDir(provider);
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

export function loadMigrations(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : lockFile(provider) },
    shadowDbInitScript: "",
    migrationDirectories: migrationNames(provider).map((path) => ({
      path,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(baseDir, path, "migration.sql"), "utf8") } },
    })),
  };
}

/** Applies the committed migrations not yet applied, recording them in _prisma_migrations like `prisma migrate deploy`. */
export async function applyMigrations(target: DatabaseTarget, options: { upTo?: string } = {}): Promise<string[]> {
  if (target.provider === "sqlite") {
    mkdirSync(join(target.file, ".."), { recursive: true, mode: 0o700 });
    return runMigrations(target, options);
  }
  return withPgMigrationLock(target, () => runMigrations(target, options));
}

async function runMigrations(target: DatabaseTarget, options: { upTo?: string }): Promise<string[]> {
  const { openSchemaEngine } = await import("./schemaEngine.ts");
  const { engine, close } = await openSchemaEngine(target);
  try {
    const all = loadMigrations(target.provider);
    // upTo: an older schema, for tests that check a migration carries existing data over.
    const upTo = options.upTo;
    const migrationsList = upTo === undefined ? all : { ...all, migrationDirectories: all.migrationDirectories.filter((m) => m.path <= upTo) };
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/** Anything that runs a raw query: the server's client, or a short-lived probe. */
type Queryable = { $queryRawUnsafe<T = unknown>(query: string): Promise<T> };

/**
 * Names of committed migrations the database has not applied, from one query on Prisma's own
 * bookkeeping table (the same one `prisma migrate deploy` keeps). A database without that table
 * (new, or unreachable) has everything pending.
 */
export async function pendingMigrations(provider: Provider, client: Queryable): Promise<string[]> {
  let rows: { migration_name: string; finished_at: unknown }[] = [];
  try {
    rows = await client.$queryRawUnsafe<typeof rows>('SELECT migration_name, finished_at FROM "_prisma_migrations"');
  } catch {
    return migrationNames(provider);
  }
  const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
  return migrationNames(provider).filter((m) => !done.has(m));
}

/**
 * Applies what is pending, asking first through an ordinary short-lived connection: starting the
 * schema engine costs seconds and ~100 MB, and it locks a SQLite file exclusively, so it cannot even
 * look while a hub has the file open. With nothing to apply (the usual start) it is never started.
 * `apply` is the way to run the engine: in this process, or in a child (see migrateProcess.ts).
 */
export async function migrateIfPending(target: DatabaseTarget, apply: (target: DatabaseTarget) => Promise<string[]>): Promise<string[]> {
  const { createDb } = await import("./db.ts");
  const probe = await createDb(target);
  let pending: string[];
  try {
    pending = await pendingMigrations(target.provider, probe.prisma);
  } finally {
    await probe.close();
  }
  return pending.length ? apply(target) : [];
}

type PgTarget = Extract<DatabaseTarget, { provider: "postgresql" }>;

/**
 * Instances started together (a rolling deploy, two replicas) migrate the same schema at once:
 * `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent twin (one fails on the catalog's
 * unique index), and neither is applying the same migration twice. A session advisory lock keyed by
 * the schema makes them take turns; the one that waited finds nothing left to do. The lock is
 * released with the connection, also when the process dies.
 */
async function withPgMigrationLock<T>(target: PgTarget, work: () => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`coexist-hub migrations ${target.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema.replace(/"/g, '""')}"`);
    return await work();
  } finally {
    await client.end();
  }
}

/** Creates the hub's schema when the database does not have it yet (a restore into a new database). */
export async function ensurePgSchema(target: PgTarget): Promise<void> {
  await withPgMigrationLock(target, async () => undefined);
}

function snapshots(): string[] {
  return existsSync(SNAPSHOTS_DIR)
    ? readdirSync(SNAPSHOTS_DIR)
        .filter((f) => f.endsWith(".prisma"))
        .sort()
    : [];
}

/** SQL taking a database from the `from` models (or nothing) to the `to` models, for one provider. */
async function diffModels(provider: Provider, from: string | null, to: string): Promise<string> {
  // The diff reads and writes nothing, but the engine connects at start-up: an in-memory SQLite
  // database, or any reachable PostgreSQL server (MIGRATION_DIFF_DATABASE_URL).
  const target: DatabaseTarget =
    provider === "sqlite"
      ? { provider, url: "file::memory:", file: ":memory:" }
      : databaseTarget(process.env.MIGRATION_DIFF_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres");
  const { openSchemaEngine } = await import("./schemaEngine.ts");
  const { engine, close } = await openSchemaEngine(target);
  try {
    const datamodel = (text: string) => ({ tag: "schemaDatamodel" as const, files: [{ path: "schema.prisma", content: withProvider(text, provider) }] });
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return (result.stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
  } finally {
    await close();
  }
}

const currentModels = () => readFileSync(SCHEMA_PATH, "utf8");
const latestSnapshot = () => {
  const last = snapshots().at(-1);
  return last ? readFileSync(join(SNAPSHOTS_DIR, last), "utf8") : null;
};

/** After editing prisma/schema.prisma: writes the migration for every provider and the models snapshot. */
export async function createMigration(name: string): Promise<string[]> {
  const from = latestSnapshot();
  const to = currentModels();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dirName = `${stamp}_${name.replace(/\W+/g, "_")}`;
  const written: string[] = [];
  for (const provider of PROVIDERS) {
    const sql = await diffModels(provider, from, to);
    if (!sql) continue;
    const dir = join(migrationsDir(provider), dirName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql + "\n");
    const lock = join(migrationsDir(provider), "migration_lock.toml");
    if (!existsSync(lock)) writeFileSync(lock, lockFile(provider));
    written.push(dir);
  }
  if (written.length) {
    mkdirSync(SNAPSHOTS_DIR, { recursive: true });
    writeFileSync(join(SNAPSHOTS_DIR, `${dirName}.prisma`), to);
  }
  return written;
}

/**
 * A migration as the engine generated it, before hand-written data steps were added: schema
 * changes that would lose or orphan rows (a new NOT NULL column filled from other tables, say)
 * need SQL the engine cannot write. Such SQL sits between `-- hand-written: <why>` and
 * `-- end hand-written`, and a generated statement it stands in for stays in the file as a
 * `-- replaced: <statement>` line, so the drift check still compares the generated part exactly.
 */
export function generatedPart(sql: string): string {
  return sql
    .replace(/^-- hand-written:[^\n]*\n[\s\S]*?^-- end hand-written\n?/gm, "")
    .replace(/^-- replaced: /gm, "")
    .trim();
}

/**
 * Where the committed migrations and the models disagree, for one provider: the models changed
 * since the last migration, or a migration's SQL is not what its snapshots say it should be.
 */
export async function migrationDrift(provider: Provider): Promise<string[]> {
  const problems: string[] = [];
  const names = migrationNames(provider);
  const snaps = snapshots();
  if (names.join() !== snaps.map((s) => s.replace(/\.prisma$/, "")).join()) {
    problems.push(`migrations/${provider} (${names.join(", ")}) and migrations/models (${snaps.join(", ")}) do not pair up`);
    return problems;
  }
  let previous: string | null = null;
  for (const name of names) {
    const snapshot = readFileSync(join(SNAPSHOTS_DIR, `${name}.prisma`), "utf8");
    const expected = await diffModels(provider, previous, snapshot);
    const committed = generatedPart(readFileSync(join(migrationsDir(provider), name, "migration.sql"), "utf8"));
    if (committed !== expected) problems.push(`${provider}/${name}/migration.sql differs from what its models give`);
    previous = snapshot;
  }
  const pending = await diffModels(provider, previous, currentModels());
  if (pending) problems.push(`prisma/schema.prisma has changes without a migration:\n${pending}`);
  return problems;
}

/** A failed migration, said with what to do: SQLite's schema engine needs the file to itself. */
export function explainMigrationFailure(target: DatabaseTarget, error: unknown): unknown {
  if (target.provider !== "sqlite") return error;
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new Error(`${message}\n(migrating SQLite needs the file to itself: stop any hub using ${target.url} and retry)`, { cause: error });
}

/** The migrations the storage's database has not applied yet. */
export function pendingMigrationsOf(storage: { provider: Provider; prisma: Queryable }): Promise<string[]> {
  return pendingMigrations(storage.provider, storage.prisma);
}
