import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseTarget } from "./provider.ts";

/**
 * The PostgreSQL adapter for a target: tables in its schema, unqualified SQL resolved there too.
 * `lockTimeoutMs` bounds how long a write waits for a lock held elsewhere, like SQLite's busy timeout.
 */
export function pgAdapter(target: Extract<DatabaseTarget, { provider: "postgresql" }>, lockTimeoutMs?: number): PrismaPg {
  const options = [`-c search_path="${target.schema}"`, ...(lockTimeoutMs ? [`-c lock_timeout=${lockTimeoutMs}`] : [])];
  return new PrismaPg({ connectionString: target.connectionString, options: options.join(" ") }, { schema: target.schema });
}
