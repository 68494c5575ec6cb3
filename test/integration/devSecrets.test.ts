import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../helpers/app.ts";
import { runServerToExit, startServerProcess } from "../helpers/process.ts";

const BIN = fileURLToPath(new URL("../../bin/hub.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// A scratch folder stands for a fresh clone: no .env, no ./data.
const cwd = mkdtempSync(join(tmpdir(), "coexist-hub-first-start-"));
const database = freshDatabase(cwd);
afterAll(async () => {
  await database.drop();
  rmSync(cwd, { recursive: true, force: true });
});
const NO_SECRETS = { WHATSAPP_APP_SECRET: "", WHATSAPP_VERIFY_TOKEN: "", API_TOKENS: "", REDIS_URL: "", DATABASE_URL: database.url, NODE_ENV: "development" };
const SECRETS_FILE = join(cwd, "data", "dev-secrets.env");

const typename = async (url: string, token: string | undefined) =>
  (
    await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: '{"query":"{ __typename }"}',
    })
  ).status;

// Child processes on a shared machine: a start takes seconds.
describe.sequential("development secrets", { timeout: 90_000 }, () => {
  it("are generated on the first start, written owner-only to data/dev-secrets.env, and the start says where", async () => {
    const server = await startServerProcess(NO_SECRETS, { cwd });
    expect(server.stderr()).toContain("generated and kept in data/dev-secrets.env");
    const saved = parseEnv(readFileSync(SECRETS_FILE, "utf8"));
    expect(Object.keys(saved).sort()).toEqual(["API_TOKENS", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]);
    expect(statSync(SECRETS_FILE).mode & 0o777).toBe(0o600);
    expect(await typename(server.url, saved.API_TOKENS)).toBe(200);
    await server.stop();
  });

  it("are kept across a restart: the same token still works and nothing new is generated", async () => {
    const before = readFileSync(SECRETS_FILE, "utf8");
    const server = await startServerProcess(NO_SECRETS, { cwd });
    expect(server.stderr()).not.toContain("generated");
    expect(readFileSync(SECRETS_FILE, "utf8")).toBe(before);
    expect(await typename(server.url, parseEnv(before).API_TOKENS)).toBe(200);
    await server.stop();
  });

  it("are located by every later start's log, which prints none of them", async () => {
    const saved = parseEnv(readFileSync(SECRETS_FILE, "utf8"));
    const server = await startServerProcess(NO_SECRETS, { cwd });
    expect(server.stderr()).toContain("WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, API_TOKENS read from data/dev-secrets.env");
    for (const value of Object.values(saved)) expect(server.stderr()).not.toContain(value);
    await server.stop();
  });

  it("make docs/connect-meta.md's handshake check work as written in a shell where none is exported", async () => {
    const page = readFileSync(join(ROOT, "docs/connect-meta.md"), "utf8");
    const command = /^curl "https:\/\/<public host>\/webhooks\/whatsapp\?hub\.mode=subscribe.*$/m.exec(page)?.[0];
    expect(command).toBeDefined();
    const server = await startServerProcess(NO_SECRETS, { cwd });
    // From the hub's folder, as the page says; the secrets file is the scratch clone's.
    const run = await new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(
        "bash",
        ["-c", command!.replace("https://<public host>", server.url)],
        { cwd: ROOT, env: { ...process.env, ...NO_SECRETS, DEV_SECRETS_FILE: SECRETS_FILE }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: stdout, err: stderr }),
      ),
    );
    expect(run.out).toBe("42");
    expect(run.code).toBe(0);
    await server.stop();
  });

  it("are what `hub simulate` signs with, so it needs no --secret next to the server", async () => {
    const server = await startServerProcess(NO_SECRETS, { cwd });
    const run = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, "simulate", "offboard-cycle", "--url", server.url],
        { cwd, env: { ...process.env, ...NO_SECRETS }, timeout: 25_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: stdout + stderr }),
      ),
    );
    expect(run.out).not.toMatch(/no app secret|401/);
    expect(run.code).toBe(0);
    await server.stop();
  });

  it("are never read in production: a start without secrets refuses, in one line and exit 1", async () => {
    const run = await runServerToExit({ ...NO_SECRETS, NODE_ENV: "production" }, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("Coexist Hub cannot start: WHATSAPP_APP_SECRET must be set in production (see .env.example)");
  });
});

describe("a port already in use", { timeout: 90_000 }, () => {
  it("is said in one line with what to do, exit 1, no stack trace", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as import("node:net").AddressInfo;
    try {
      const run = await runServerToExit({ ...NO_SECRETS, PORT: String(port) }, cwd);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n").at(-1)).toBe(
        `Coexist Hub cannot start: port ${port} is in use; set PORT to a free port (or stop what listens there)`,
      );
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
