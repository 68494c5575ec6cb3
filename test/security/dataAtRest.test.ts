import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, TEST_PROVIDER, VERIFY_TOKEN } from "../helpers/app.ts";
import { startServerProcess } from "../helpers/process.ts";
import { teardown } from "../helpers/teardown.ts";
import { sqliteFiles } from "../../src/storage/dataFiles.ts";

// Issue #18, item 9: the SQLite database (conversations, raw deliveries, token hashes) was created
// 0644 in a 0755 folder. Only the server's own user may read it: folder 0700, files 0600, and files
// an earlier version left open are tightened at start (and logged).
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** A fresh temporary folder whose `data/` the server is to create. */
function workspace(): { dataDir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-at-rest-"));
  teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, "data");
  return { dataDir, file: join(dataDir, "hub.db") };
}

const serverOn = (file: string) =>
  startServerProcess({
    NODE_ENV: "production",
    DATABASE_URL: `file:${file}`,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    API_TOKENS: API_TOKEN,
    REDIS_URL: "",
  });

/** Writes through the server, so SQLite has made its -wal and -shm files. */
async function write(url: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ query: "{ webhookDeliveries(first: 1) { totalCount } }" }),
  });
  expect(res.status).toBe(200);
}

describe.skipIf(TEST_PROVIDER !== "sqlite")("the SQLite database at rest (PostgreSQL keeps its files itself)", () => {
  it("is created owner-only: the folder 0700, the database and its -wal and -shm files 0600", async () => {
    const { dataDir, file } = workspace();
    const server = await serverOn(file);
    await write(server.url);
    expect(modeOf(dataDir)).toBe("700");
    const present = sqliteFiles(file).filter((f) => existsSync(f));
    expect(present).toEqual(expect.arrayContaining([file, `${file}-wal`, `${file}-shm`]));
    for (const f of present) expect([f, modeOf(f)]).toEqual([f, "600"]);
  });

  it("left readable by others by an earlier version, is made owner-only at start and the change is logged", async () => {
    const { file } = workspace();
    const first = await serverOn(file);
    await write(first.url);
    await first.stop();
    const present = sqliteFiles(file).filter((f) => existsSync(f));
    for (const f of present) chmodSync(f, 0o644);

    const second = await serverOn(file);
    await write(second.url);
    for (const f of present) expect([f, modeOf(f)]).toEqual([f, "600"]);
    expect(second.stdout()).toContain("made owner-only");
    expect(second.stdout()).toContain(`"file":"${file}"`);
  });
});
