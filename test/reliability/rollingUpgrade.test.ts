import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, TEST_PROVIDER, VERIFY_TOKEN } from "../helpers/app.ts";
import { databaseMigratedUpTo, runSql } from "../helpers/database.ts";
import { post, signed } from "../helpers/metaSender.ts";
import { historyChunk } from "../helpers/mirror.ts";
import { startServerProcess, type ServerProcess } from "../helpers/process.ts";
import { Signal } from "../helpers/signal.ts";
import { migrationNames } from "../../src/storage/migrations.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();

/**
 * The previous release, really: the sources of the commit before the newest migration was added
 * (git archive, so no worktree is registered), with this checkout's packages and its own Prisma
 * clients generated from its own schema.
 */
function previousRelease(newest: string, into: string): string {
  // Along the first parents, merges included (-m): a migration made while merging a branch is added by the merge.
  const added = git("log", "-m", "--first-parent", "--diff-filter=A", "--format=%H", "--", `prisma/migrations/${TEST_PROVIDER}/${newest}`).split("\n").at(-1)!;
  execFileSync("sh", ["-ec", `git archive ${added}^ | tar -x -C "${into}"`], { cwd: ROOT });
  symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"));
  // Prisma's config loader (jiti) would cache the old tree's config inside the shared node_modules.
  execFileSync("npm", ["run", "--silent", "generate"], { cwd: into, stdio: "ignore", env: { ...process.env, JITI_FS_CACHE: "false", JITI_CACHE: "false" } });
  return into;
}

const env = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL: "",
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  API_TOKENS: API_TOKEN,
});

/** A distinct signed delivery per number: one history message each. */
const delivery = (i: number) =>
  signed(
    historyChunk(0, i + 1, 50, [
      { wamid: `wamid.upgrade.${i}`, user: String(5511800000000 + (i % 7)), outbound: false, at: 1_760_000_000 + i, body: `m ${i}` },
    ]),
  );

const dir = mkdtempSync(join(tmpdir(), "coexist-hub-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// docs/production.md, "Upgrading with a migration pending": one migrate run while the old instances
// serve, then new instances replace them one at a time. Two instances share a database only on PostgreSQL.
describe.runIf(TEST_PROVIDER === "postgresql")("a rolling upgrade with a migration pending", () => {
  it("loses no delivery: the old instance ingests through the migration, the new one beside it, the old one stops cleanly", async () => {
    const names = migrationNames(TEST_PROVIDER);
    const database = await databaseMigratedUpTo(names.at(-2)!);
    const old = previousRelease(names.at(-1)!, mkdtempSync(join(dir, "previous-")));
    const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const oldHub = await startServerProcess(env(database.url), { cwd: old, args: ["--import", tsx, join(old, "src/main.ts")] });

    // Meta's side: one delivery after another, each to an instance behind the proxy, until told to stop.
    // A connection the stopping instance closes under a request (the keep-alive race every HTTP/1.1
    // server has) is no answer: Meta sends that delivery again, here to the next instance.
    const serving: ServerProcess[] = [oldHub];
    const acknowledged = new Map<string, ServerProcess>();
    const progress = new Signal();
    const answers: number[] = [];
    const unanswered: string[] = [];
    let sending = true;
    const sender = (async () => {
      for (let i = 0, attempt = 0; sending; attempt++) {
        const to = serving[attempt % serving.length]!;
        const d = delivery(i);
        const answer = await post(to.url, d).catch((error: unknown) => {
          unanswered.push(String(error));
          return null;
        });
        if (answer) {
          answers.push(answer.status);
          if (answer.status === 200) acknowledged.set(d.hash, to);
          i++;
        }
        progress.notify();
      }
    })();
    const ackedBy = (hub: ServerProcess) => [...acknowledged.values()].filter((h) => h === hub).length;

    await progress.until(() => ackedBy(oldHub) >= 5, 60_000, "deliveries to the old instance");
    const migrate = execFileSync(process.execPath, [join(ROOT, "bin/hub.mjs"), "migrate", "--database-url", database.url], { cwd: dir, encoding: "utf8" });
    expect(migrate).toContain(`applied ${names.at(-1)}`);
    const migratedAt = ackedBy(oldHub);
    await progress.until(() => ackedBy(oldHub) >= migratedAt + 5, 60_000, "deliveries to the old instance on the migrated schema");

    const newHub = await startServerProcess(env(database.url));
    serving.push(newHub);
    await progress.until(() => ackedBy(newHub) >= 5, 60_000, "deliveries to the new instance");
    serving.splice(serving.indexOf(oldHub), 1);
    await oldHub.stop();
    expect(await oldHub.exit).toBe(0);
    const before = ackedBy(newHub);
    await progress.until(() => ackedBy(newHub) >= before + 5, 60_000, "deliveries to the new instance alone");
    sending = false;
    await sender;

    expect(answers.filter((s) => s !== 200)).toEqual([]);
    // Only the instance being stopped may drop a connection, and only around its stop.
    expect(unanswered.length).toBeLessThanOrEqual(2);
    const stored = await runSql<{ contentHash: string; status: string }>(database.url, `SELECT "contentHash", "status" FROM "WebhookDelivery"`);
    const processed = new Set(stored.filter((r) => r.status === "PROCESSED").map((r) => r.contentHash));
    expect([...acknowledged.keys()].filter((hash) => !processed.has(hash))).toEqual([]);
    const messages = await runSql<{ n: number | bigint }>(database.url, `SELECT COUNT(*) AS n FROM "Message" WHERE "wamid" LIKE 'wamid.upgrade.%'`);
    expect(Number(messages[0]!.n)).toBe(acknowledged.size);
  });
});
