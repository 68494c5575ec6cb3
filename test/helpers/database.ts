import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { createDb } from "../../src/storage/db.ts";
import type { Db } from "../../src/storage/client.ts";
import { freshDatabase } from "./app.ts";
import { teardown } from "./teardown.ts";

/** Runs `fn` with a Prisma client of its own on an app's database (as a second process would), closed after. */
export async function withDb<T>(databaseUrl: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const storage = await createDb(databaseTarget(databaseUrl));
  try {
    return await fn(storage.prisma);
  } finally {
    await storage.close();
  }
}

/**
 * Opens an app's database directly, as another process would (better-sqlite3, or pg with the app's
 * schema on the search path), hands it to the provider's function, and closes it.
 */
async function direct<T>(databaseUrl: string, use: { sqlite(db: Database.Database): T; postgresql(client: pg.Client): Promise<T> }): Promise<T> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      return use.sqlite(db);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path = "${target.schema}"`);
    return await use.postgresql(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement on an app's database from outside the app (to break it on purpose, or to look). */
export function runSql<T = Record<string, unknown>>(databaseUrl: string, sql: string): Promise<T[]> {
  return direct(databaseUrl, {
    sqlite(db) {
      const statement = db.prepare(sql);
      return statement.reader ? (statement.all() as T[]) : (statement.run(), []);
    },
    postgresql: async (client) => (await client.query(sql)).rows as T[],
  });
}

/** Runs statements with `?` placeholders, in order, on an app's database from outside the app (dates as ISO times). */
export function runStatements(databaseUrl: string, statements: readonly [string, unknown[]][]): Promise<void> {
  return direct(databaseUrl, {
    sqlite(db) {
      for (const [text, params] of statements) db.prepare(text).run(...params.map((v) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v)));
    },
    async postgresql(client) {
      for (const [text, params] of statements) {
        let n = 0;
        await client.query(
          text.replace(/\?/g, () => `$${++n}`),
          params.map((v) => (v instanceof Date ? v.toISOString() : v)),
        );
      }
    },
  });
}

/**
 * Makes the app's database refuse (raise an error on) inserts into `table` whose `column` starts
 * with `prefix`: a real database error for one chosen item, as a value the database will not store.
 */
export async function refuseInserts(databaseUrl: string, table: string, column: string, prefix: string): Promise<void> {
  const name = `refuse_${table}_${column}`.toLowerCase();
  if (databaseTarget(databaseUrl).provider === "sqlite") {
    await runSql(
      databaseUrl,
      `CREATE TRIGGER "${name}" BEFORE INSERT ON "${table}" WHEN NEW."${column}" LIKE '${prefix}%' BEGIN SELECT RAISE(ABORT, 'refused by the test''s trigger'); END`,
    );
    return;
  }
  await runSql(
    databaseUrl,
    `CREATE FUNCTION "${name}"() RETURNS trigger AS $$ BEGIN IF NEW."${column}" LIKE '${prefix}%' THEN RAISE EXCEPTION 'refused by the test''s trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
     CREATE TRIGGER "${name}" BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${name}"()`,
  );
}

// Children before parents (SQLite deletes row by row, foreign keys on); ApiToken stays: tokens are set-up, not state.
const TABLES = [
  "PendingMessageUpdate",
  "PhoneNumberError",
  "HistorySync",
  "Message",
  "Thread",
  "ContactIdentity",
  "Contact",
  "PhoneNumber",
  "Disconnection",
  "AccountEvent",
  "AccountSignal",
  "MessageTemplate",
  "Waba",
  "WebhookDelivery",
];

/** Empties every table of the app's database (migrations stay), as if it had just been created. */
export function clearDatabase(databaseUrl: string): Promise<void> {
  return direct(databaseUrl, {
    sqlite(db) {
      db.transaction(() => {
        db.exec('UPDATE "Thread" SET "lastMessageId" = NULL');
        for (const t of TABLES) db.exec(`DELETE FROM "${t}"`);
      })();
    },
    async postgresql(client) {
      await client.query(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(", ")} CASCADE`);
    },
  });
}

/**
 * A fresh database (SQLite file or PostgreSQL schema, as TEST_DATABASE says) migrated up to and including
 * the migration `upTo`: what a hub of that version left, for a test of the migrations after it. Dropped
 * after the test file.
 */
export async function databaseMigratedUpTo(upTo: string): Promise<{ url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-migration-"));
  const database = freshDatabase(dir);
  teardown(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  await applyMigrations(databaseTarget(database.url), { upTo });
  return { url: database.url };
}

/**
 * An empty database to restore a backup of `sourceUrl` into: a new SQLite file in `dir`, or a new
 * PostgreSQL database whose URL names the source's schema (a dump recreates the schema it was
 * taken from). Dropped after the test.
 */
export async function emptyDatabaseFor(sourceUrl: string, dir: string): Promise<string> {
  const source = databaseTarget(sourceUrl);
  if (source.provider === "sqlite") return `file:${join(dir, `restored-${randomBytes(4).toString("hex")}.db`)}`;
  const name = `restore_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: source.connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  teardown(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(source.connectionString);
  url.pathname = `/${name}`;
  url.searchParams.set("schema", source.schema);
  return url.toString();
}
