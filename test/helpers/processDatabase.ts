import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_TOKEN, APP_SECRET, freshDatabase, VERIFY_TOKEN } from "./app.ts";
import { startServerProcess, type ServerProcess } from "./process.ts";
import { teardown } from "./teardown.ts";

/**
 * A fresh database (a SQLite file or a PostgreSQL schema, as TEST_DATABASE says) for real server
 * processes, dropped after the test (or the file, from a hook). Every process `start` starts runs
 * on it with the same environment: a restart after kill -9 finds what the killed one left, and
 * two instances side by side share it.
 */
export interface ProcessDatabase {
  /** DATABASE_URL, for reading what the processes stored (runSql). */
  url: string;
  /** What each process gets: the database, the test secrets and API token, no Redis, then `env`. */
  env: Record<string, string>;
  /** A server process on the database; `own` is environment for this process only (say, its own GRAPH_API_URL). */
  start(own?: Record<string, string>): Promise<ServerProcess>;
}

export function processDatabase(env: Record<string, string> = {}): ProcessDatabase {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-process-"));
  const database = freshDatabase(dir);
  teardown(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const all = {
    DATABASE_URL: database.url,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    API_TOKENS: API_TOKEN,
    REDIS_URL: "",
    ...env,
  };
  return { url: database.url, env: all, start: (own = {}) => startServerProcess({ ...all, ...own }) };
}
