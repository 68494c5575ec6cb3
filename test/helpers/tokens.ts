import { withDb } from "./database.ts";
import { createToken, revokeToken, type NewToken } from "../../src/tokens/store.ts";

/** Makes a stored token in an app's database (as `hub tokens create` does) and returns its secret. */
export async function makeToken(databaseUrl: string, token: NewToken): Promise<string> {
  return withDb(databaseUrl, (db) => createToken(db, token));
}

export async function revokeNamed(databaseUrl: string, name: string): Promise<void> {
  await withDb(databaseUrl, (db) => revokeToken(db, name));
}

/** Breaks an app's database for token lookups (the table is gone), to see how failures are answered. */
export async function dropTokenTable(databaseUrl: string): Promise<void> {
  await withDb(databaseUrl, (db) => db.$executeRawUnsafe('DROP TABLE "ApiToken"'));
}
