import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * The Prisma client. Both generated clients come from the same models and have the same API;
 * the code is typed against the SQLite one. Only the configured provider's client is loaded
 * (each one brings its own runtime and query compiler, so loading both costs memory for nothing).
 */
export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
