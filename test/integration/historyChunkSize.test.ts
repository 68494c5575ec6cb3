import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env.ts";
import { historyChunkOfBytes } from "../helpers/mirror.ts";
import { startApp } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";

// Meta documents webhook payloads of up to 3 MB; history is shared once, so a refused chunk is lost.
const DEFAULT_MAX_BYTES = loadConfig({ NODE_ENV: "test" }).config.webhookMaxBytes;
const THREE_MB = 3_000_000;

describe("webhook body size", () => {
  it("accepts a 3 MB history chunk with the default limit, and stores every message in it", async () => {
    expect(DEFAULT_MAX_BYTES).toBeGreaterThan(THREE_MB);
    const app = await startApp({ webhookMaxBytes: DEFAULT_MAX_BYTES });
    const { chunk, size, messages } = historyChunkOfBytes(THREE_MB);
    expect(size).toBeGreaterThanOrEqual(THREE_MB);
    expect(messages.length).toBeGreaterThan(1000);
    const res = await app.deliver(chunk);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "PROCESSED" });
    const [row] = await runSql<{ n: number | string }>(app.databaseUrl, 'SELECT COUNT(*) AS n FROM "Message"');
    expect(Number(row?.n)).toBe(messages.length);
  });

  it("answers 413 only above the configured limit", async () => {
    const app = await startApp({ webhookMaxBytes: 1000 });
    expect((await app.post("x".repeat(1001))).status).toBe(413);
    expect((await app.post("x".repeat(1000))).status).not.toBe(413);
  });
});
