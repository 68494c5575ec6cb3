import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";
import type { DatabaseTarget } from "./provider.ts";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createDb(target: DatabaseTarget): Db {
  if (target.provider !== "sqlite") {
    throw new Error("PostgreSQL is not supported yet: the generated client is built for SQLite (issue #4)");
  }
  mkdirSync(dirname(target.file), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url }) });
}
