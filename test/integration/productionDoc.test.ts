import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { databaseMigratedUpTo, emptyDatabaseFor } from "../helpers/database.ts";
import { deliverAll } from "../helpers/deliveries.ts";
import { readDeliveries } from "../helpers/finalState.ts";
import { fixture } from "../helpers/meta.ts";
import { migrationNames } from "../../src/storage/migrations.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = join(ROOT, "docs/production.md");
/** Blocks no test here can run: they need a Docker engine (the image itself is test/image's). */
const NEEDS_DOCKER = "compose";

/** The page's ```sh blocks, by the name after the language (```sh backup). */
function shellBlocks(markdown: string): { name: string; code: string }[] {
  return [...markdown.matchAll(/^ *```sh(?: +(\S+))?\n([\s\S]*?)^ *```$/gm)].map((m) => ({ name: m[1] ?? "", code: m[2]!.replace(/^ +/gm, "") }));
}

function block(name: string): string {
  const found = shellBlocks(readFileSync(PAGE, "utf8")).filter((b) => b.name === name);
  expect(found, `one \`\`\`sh ${name} block in docs/production.md`).toHaveLength(1);
  return found[0]!.code;
}

/** Runs a block of the page as written, with `sh -e`, from the repository (where an operator runs npm). */
function runBlock(name: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-ec", block(name)], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), "coexist-hub-production-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/production.md, its commands run as written", { timeout: 240_000 }, () => {
  it("names every shell block, so each is either run below or left to a Docker engine", () => {
    const names = shellBlocks(readFileSync(PAGE, "utf8")).map((b) => b.name);
    expect(names.filter((n) => ![NEEDS_DOCKER, "backup", "restore", "upgrade"].includes(n))).toEqual([]);
  });

  it("backup, then restore into a new database, bring every delivery across", async () => {
    const source = await startApp();
    await deliverAll(source, [fixture("account_update/account_offboarded"), fixture("messages/inbound_text")]);
    const backups = join(dir, "backups");
    mkdirSync(backups);
    const backup = await runBlock("backup", { DATABASE_URL: source.databaseUrl, BACKUP_DIR: backups });
    expect(backup.code, backup.stderr).toBe(0);

    const restoredUrl = await emptyDatabaseFor(source.databaseUrl, dir);
    const restore = await runBlock("restore", { DATABASE_URL: source.databaseUrl, BACKUP_DIR: backups, NEW_DATABASE_URL: restoredUrl });
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await startApp({ databaseUrl: restoredUrl });
    expect(await readDeliveries(restored.url)).toEqual(await readDeliveries(source.url));
  });

  it("the upgrade's migrate step applies the migration a database of the previous release lacks", async () => {
    const names = migrationNames(TEST_PROVIDER);
    const previous = await databaseMigratedUpTo(names.at(-2)!);
    const upgrade = await runBlock("upgrade", { DATABASE_URL: previous.url });
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain(`applied ${names.at(-1)}`);
  });
});
