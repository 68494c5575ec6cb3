/**
 * Backups of the hub's database that are safe while a hub runs, and their restore into an empty one.
 *
 * SQLite: better-sqlite3's online backup API copies the pages of a consistent snapshot while
 * writers go on (it restarts on a page written mid-copy). PostgreSQL: pg_dump of the hub's schema
 * alone, which reads one snapshot. Either way the file is written under a temporary name, synced,
 * and renamed only once complete: a failed backup leaves nothing that looks like a backup.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { DatabaseTarget } from "./provider.ts";

type PgTarget = Extract<DatabaseTarget, { provider: "postgresql" }>;

/**
 * Connection parameters libpq (pg_dump, pg_restore) understands; Prisma's own (connection_limit,
 * pool_timeout, pgbouncer, schema, …) make it refuse the URL ("invalid URI query parameter").
 */
const LIBPQ_PARAMETERS = new Set([
  "application_name",
  "channel_binding",
  "connect_timeout",
  "gssencmode",
  "keepalives",
  "keepalives_idle",
  "keepalives_interval",
  "keepalives_count",
  "options",
  "sslcert",
  "sslkey",
  "sslmode",
  "sslpassword",
  "sslrootcert",
  "target_session_attrs",
]);

/** The hub's DATABASE_URL as libpq takes it: Prisma's options left out (the schema goes to `--schema`). */
export function libpqUrl(target: PgTarget): string {
  const url = new URL(target.url);
  for (const key of [...url.searchParams.keys()]) if (!LIBPQ_PARAMETERS.has(key)) url.searchParams.delete(key);
  return url.toString();
}

/** pg_dump's arguments for a custom-format dump of the hub's schema into `file`. */
export function pgDumpArgs(target: PgTarget, file: string): string[] {
  return ["--format=custom", `--schema=${target.schema}`, "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${libpqUrl(target)}`];
}

/** pg_restore's arguments: all or nothing (one transaction, stop at the first error), the entries of `list` only. */
export function pgRestoreArgs(target: PgTarget, file: string, list: string): string[] {
  return ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--use-list=${list}`, `--dbname=${libpqUrl(target)}`, file];
}

/** A dump's table of contents without the schema's own entries (the restore creates the schema if needed). */
export function withoutSchemaEntries(toc: string): { schema: string | undefined; list: string } {
  const schema = /^\d+; \d+ \d+ SCHEMA - (\S+)/m.exec(toc)?.[1];
  const list = toc
    .split("\n")
    .filter((line) => !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?\S+ /.test(line))
    .join("\n");
  return { schema, list };
}

/**
 * A dump names the schema it was taken from; the restore puts it back under that name (the URL
 * must name it), creating it when missing: `public` exists in every new database.
 */
async function restorePostgres(target: PgTarget, file: string): Promise<void> {
  const { schema, list } = withoutSchemaEntries(await run("pg_restore", ["--list", file]));
  if (schema === undefined) throw new Error(`${file} is not a backup of a hub's schema (it names no schema)`);
  if (schema !== target.schema) throw new Error(`${file} holds the schema "${schema}"; restore it with ?schema=${schema} in the database URL`);
  const { ensurePgSchema } = await import("./migrations.ts");
  await ensurePgSchema(target);
  const listFile = join(tmpdir(), `hub-restore-${process.pid}.list`);
  writeFileSync(listFile, list);
  try {
    await run("pg_restore", pgRestoreArgs(target, file, listFile));
  } finally {
    rmSync(listFile, { force: true });
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.once("error", (error) => reject(new Error(`${command} could not run (${error.message}); install the PostgreSQL client tools`)));
    child.once("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}: ${output.trim()}`))));
  });
}

/** Makes `path`'s bytes, and its name in its folder, durable before it is trusted. */
function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a backup of `target` to `file`. Throws, leaving no file at `file`, when it cannot. */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (existsSync(file)) throw new Error(`${file} exists; name a new file (a backup never overwrites one)`);
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    if (target.provider === "sqlite") await backupSqlite(target.file, partial);
    else await run("pg_dump", pgDumpArgs(target, partial));
    fsyncPath(partial);
    renameSync(partial, file);
    fsyncPath(dirname(file));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

async function backupSqlite(source: string, into: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`no SQLite database at ${source}`);
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(into);
  } finally {
    db.close();
  }
}

/** Restores `file` into `target`, which must hold no table yet. */
export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no backup at ${file}`);
  const tables = await tablesIn(target);
  if (tables.length) {
    throw new Error(
      `refusing to restore into a database that holds tables (${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", …" : ""}); restore into an empty one`,
    );
  }
  if (target.provider === "postgresql") return restorePostgres(target, file);
  // A log beside the target would be applied to the restored file: something has it open.
  if (existsSync(`${target.file}-wal`)) throw new Error(`${target.file}-wal exists: stop whatever uses ${target.file} first`);
  const { default: Database } = await import("better-sqlite3");
  const backup = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hub = backup.prepare("SELECT 1 FROM sqlite_master WHERE name = '_prisma_migrations'").get();
    if (!hub) throw new Error(`${file} is not a backup of a hub's database (no _prisma_migrations table)`);
    // Into a temporary file beside the target, renamed once whole: a failure leaves no half database.
    const partial = join(dirname(target.file), `.${basename(target.file)}.partial-${process.pid}`);
    try {
      await backup.backup(partial);
      fsyncPath(partial);
      renameSync(partial, target.file);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
  } finally {
    backup.close();
  }
}

async function tablesIn(target: DatabaseTarget): Promise<string[]> {
  if (target.provider === "sqlite") {
    if (!existsSync(target.file)) return [];
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(target.file, { readonly: true });
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1", [target.schema]);
    return rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}
