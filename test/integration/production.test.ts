import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, VERIFY_TOKEN, freshDatabase } from "../helpers/app.ts";
import { COMPILED_ARGS, processesMarked, startServerProcess, type ServerProcess } from "../helpers/process.ts";
import { expectCleanStop, heldDelivery } from "../helpers/shutdown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The HEALTHCHECK command of the Dockerfile, run as the container would run it. */
function healthCheck(port: number): number {
  const line = readFileSync(join(ROOT, "Dockerfile"), "utf8").match(/CMD node -e "(.+)"\n/)?.[1];
  if (!line) throw new Error("no HEALTHCHECK command found in the Dockerfile");
  try {
    execFileSync(process.execPath, ["-e", line], { env: { ...process.env, PORT: String(port) }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  }
}

const productionEnv = (databaseUrl: string) => ({
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  REDIS_URL: "",
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  API_TOKENS: API_TOKEN,
});

// `npm test` builds before vitest starts; this only builds when the file runs alone on stale dist/.
beforeAll(() => execFileSync(process.execPath, [join(ROOT, "scripts/buildIfStale.mjs")], { cwd: ROOT, stdio: "ignore" }), 240_000);

// What the image runs, without a container (no Docker engine on the CI machines): the compiled
// server with NODE_ENV=production and its secrets from the environment.
describe("the production start (dist/main.js, as the image's CMD runs it)", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-production-"));
  const database = freshDatabase(dir);
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(productionEnv(database.url), { cwd: dir, args: COMPILED_ARGS });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes the image's health check once ready, and fails it when nothing answers", async () => {
    const port = Number(new URL(server.url).port);
    expect(healthCheck(port)).toBe(0);
    await server.stop();
    expect(healthCheck(port)).toBe(1);
  });
});

// A process manager that runs `npm start` signals npm, not the server: npm must pass SIGTERM on and
// the server stop as cleanly as when signalled itself (the image runs node directly; see test/image).
describe("SIGTERM to `npm start`", { timeout: 120_000 }, () => {
  it("finishes the delivery in flight, closes subscribers with 1001 and the database, exits 0 and leaves no process behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coexist-hub-npm-start-"));
    const database = freshDatabase(dir);
    const marker = randomBytes(8).toString("hex");
    try {
      const npm = await startServerProcess(
        { ...productionEnv(database.url), COEXIST_HUB_TEST_MARKER: marker },
        { cwd: ROOT, command: "npm", args: ["start", "--silent"] },
      );
      await expectCleanStop({ ...npm, databaseUrl: database.url, terminate: () => npm.child.kill("SIGTERM") });
      expect(processesMarked(`COEXIST_HUB_TEST_MARKER=${marker}`)).toEqual([]);
    } finally {
      // Whatever the outcome, no orphan keeps the port and the database after the test.
      for (const pid of processesMarked(`COEXIST_HUB_TEST_MARKER=${marker}`)) process.kill(pid, "SIGKILL");
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SHUTDOWN_GRACE_MS", { timeout: 120_000 }, () => {
  it("bounds the stop: a delivery whose body never comes does not keep the process past it, and the exit says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coexist-hub-grace-"));
    const database = freshDatabase(dir);
    try {
      const server = await startServerProcess({ ...productionEnv(database.url), SHUTDOWN_GRACE_MS: "1000" }, { cwd: dir, args: COMPILED_ARGS });
      const held = await heldDelivery(server.url);
      held.answer.catch(() => {}); // cut off with the process
      server.child.kill("SIGTERM");
      expect(await server.exit).toBe(1);
      expect(server.stdout()).toContain("shutdown took longer than SHUTDOWN_GRACE_MS");
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
