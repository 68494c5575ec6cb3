import Database from "better-sqlite3";
import pg from "pg";
import { databaseTarget } from "../../src/storage/provider.ts";
import { createDb, type Db } from "../../src/storage/db.ts";

/** Runs `fn` with a Prisma client of its own on an app's database (as a second process would), closed after. */
export async function withDb<T>(databaseUrl: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const storage = await createDb(databaseTarget(databaseUrl));
  try {
    return await fn(storage.prisma);
  } finally {
    await storage.close();
  }
}

/** Runs one statement on an app's database from outside the app (to break it on purpose, or to look). */
export async function runSql<T = Record<string, unknown>>(databaseUrl: string, sql: string): Promise<T[]> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") {
    const db = new Database(target.file);
    try {
      const statement = db.prepare(sql);
      return statement.reader ? (statement.all() as T[]) : (statement.run(), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path = "${target.schema}"`);
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
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

const TABLES = ["PendingMessageUpdate", "HistorySync", "Message", "Thread", "ContactIdentity", "Contact", "PhoneNumber", "Disconnection", "AccountEvent", "Waba", "WebhookDelivery"];

/** Empties every table of the app's database (migrations stay), as if it had just been created. */
export async function clearDatabase(databaseUrl: string): Promise<void> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      db.transaction(() => {
        db.exec('UPDATE "Thread" SET "lastMessageId" = NULL');
        for (const t of TABLES) db.exec(`DELETE FROM "${t}"`);
      })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.map((t) => `"${target.schema}"."${t}"`).join(", ")} CASCADE`);
  } finally {
    await client.end();
  }
}
