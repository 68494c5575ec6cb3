import { Writable } from "node:stream";
import pino from "pino";
import { expect, it } from "vitest";
import { createReadiness } from "../../src/server/readiness.ts";
import { createDb } from "../../src/storage/db.ts";
import { databaseTarget } from "../../src/storage/provider.ts";

// /readyz is public: it says which check failed, in its own words; the driver's message (hosts,
// ports, users, SQL) goes to the log only (issue #9).
it("answers 'unreachable' for a database that refuses connections and logs the driver's message", async () => {
  const target = databaseTarget("postgresql://postgres@127.0.0.1:1/test");
  const storage = await createDb(target);
  const lines: string[] = [];
  const log = pino({ level: "warn" }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  try {
    const readiness = createReadiness({ storage, log, stopping: () => false });
    expect(await readiness()).toEqual({ status: 503, body: { status: "not ready", checks: { database: "unreachable" } } });
    expect(lines.join("")).toMatch(/readiness: database unreachable/);
    expect(lines.join("")).toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  } finally {
    await storage.close().catch(() => {});
  }
});
