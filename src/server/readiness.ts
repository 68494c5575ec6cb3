import type { Logger } from "pino";
import type { Storage } from "../storage/db.ts";
import { pendingMigrationsOf } from "../storage/migrations.ts";

export interface ReadinessOptions {
  storage: Storage;
  log: Logger;
  /** Whether Redis answers, when one is configured. */
  redis?: () => Promise<boolean>;
  stopping: () => boolean;
}

export interface Readiness {
  status: 200 | 503;
  body: { status: "ready" | "not ready"; checks: Record<string, string> };
}

/**
 * /readyz: each check says "ok" or which way it failed, in words of our own. The driver's
 * message names hosts, users, tables and SQL: it goes to the log, never to whoever asks.
 */
export function createReadiness(o: ReadinessOptions): () => Promise<Readiness> {
  return async () => {
    const checks: Record<string, string> = {};
    try {
      await o.storage.prisma.$queryRawUnsafe("SELECT 1");
      checks.database = "ok";
    } catch (error) {
      o.log.warn({ err: error }, "readiness: database unreachable");
      checks.database = "unreachable";
    }
    if (checks.database === "ok") {
      try {
        const pending = await pendingMigrationsOf(o.storage);
        checks.migrations = pending.length ? `pending: ${pending.join(", ")}` : "ok";
      } catch (error) {
        o.log.warn({ err: error }, "readiness: migrations table unreadable");
        checks.migrations = "unreadable";
      }
    }
    if (o.redis) checks.redis = (await o.redis()) ? "ok" : "unreachable";
    if (o.stopping()) checks.server = "stopping";
    const ready = Object.values(checks).every((v) => v === "ok");
    return { status: ready ? 200 : 503, body: { status: ready ? "ready" : "not ready", checks } };
  };
}
