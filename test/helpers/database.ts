import Database from "better-sqlite3";
import pg from "pg";
import { databaseTarget } from "../../src/storage/provider.ts";
import { closeDb, createDb, type Db } from "../../src/storage/db.ts";

/** Runs `fn` with a Prisma client of its own on an app's database (as a second process would), closed after. */
export async function withDb<T>(databaseUrl: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await createDb(databaseTarget(databaseUrl));
  try {
    return await fn(db);
  } finally {
    await closeDb(db);
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
