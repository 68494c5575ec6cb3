import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, TEST_PROVIDER, VERIFY_TOKEN, freshDatabase } from "../helpers/app.ts";
import { metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { inboundText } from "../helpers/mirror.ts";
import { COMPILED_ARGS, startServerProcess, type ServerProcess } from "../helpers/process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Issue #22: every module a hub loads stays in its memory for good. The GraphiQL bundle (8.7 MB of
// source, ~40 MB of heap), the Redis client and the other database's driver were loaded by every
// hub that never used them (bench/ANALYSIS.md). A production hub that ingests and answers a query
// loads only what its configuration uses.
beforeAll(() => execFileSync(process.execPath, [join(ROOT, "scripts/buildIfStale.mjs")], { cwd: ROOT, stdio: "ignore" }), 240_000);

describe("the modules a production hub loads", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-modules-"));
  const log = join(dir, "modules.log");
  const database = freshDatabase(dir);
  let server: ServerProcess;
  let loaded: string[];
  beforeAll(async () => {
    writeFileSync(log, "");
    server = await startServerProcess(
      {
        NODE_ENV: "production",
        DATABASE_URL: database.url,
        REDIS_URL: "",
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
        API_TOKENS: API_TOKEN,
        MODULE_LOG: log,
      },
      { cwd: dir, args: ["--import", join(ROOT, "test/helpers/moduleLog.mjs"), ...COMPILED_ARGS] },
    );
    const body = metaBytes(inboundText("wamid.modules-1", "5511900000009", 1_760_000_000, "hello"));
    const delivered = await fetch(`${server.url}/webhooks/whatsapp`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "content-type": "application/json", "x-hub-signature-256": signLikeMeta(body, APP_SECRET) },
    });
    expect(delivered.status).toBe(200);
    const queried = await fetch(`${server.url}/graphql`, {
      method: "POST",
      body: JSON.stringify({ query: "{ threads(first: 1) { edges { node { waId } } } }" }),
      headers: { "content-type": "application/json", authorization: `Bearer ${API_TOKEN}` },
    });
    expect(queried.status).toBe(200);
    loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const packageLoaded = (name: string) => loaded.some((url) => url.includes(`/node_modules/${name}/`));

  it("does not load GraphiQL's bundle while nobody asks for GraphiQL", () => {
    expect(loaded.length).toBeGreaterThan(100);
    expect(packageLoaded("@graphql-yoga/render-graphiql")).toBe(false);
  });

  it("does not load the Redis client without REDIS_URL", () => {
    expect(packageLoaded("ioredis")).toBe(false);
  });

  it("loads the driver of its own database only", () => {
    expect(packageLoaded(TEST_PROVIDER === "sqlite" ? "better-sqlite3" : "pg")).toBe(true);
    expect(packageLoaded(TEST_PROVIDER === "sqlite" ? "pg" : "better-sqlite3")).toBe(false);
  });
});
