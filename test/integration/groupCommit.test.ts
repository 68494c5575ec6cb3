import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { groupCommit, type Piece } from "../../src/outbound/groupCommit.ts";
import type { Reserved } from "../../src/outbound/reserve.ts";
import { storePaces } from "../../src/outbound/reserve.ts";
import { replanLate } from "../../src/outbound/sending.ts";
import type { Tx } from "../../src/storage/client.ts";
import { createDb, type Storage } from "../../src/storage/db.ts";
import { applyMigrations } from "../../src/storage/migrations.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { toDate, type Sql } from "../../src/storage/sql.ts";
import { freshDatabase, TEST_PROVIDER } from "../helpers/app.ts";
import { teardown } from "../helpers/teardown.ts";

// The outbound worker's writes (issue #21's throughput): lanes' SENDING commits and Meta's answers
// share transactions, and a post held up past its time is planned again before it goes.
let storage: Storage;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  const database = freshDatabase(dir);
  const target = databaseTarget(database.url);
  await applyMigrations(target);
  storage = await createDb(target);
  await storage.prepare();
  teardown(async () => {
    await storage.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
});

const paceOf = async (sql: Sql, key: string) =>
  toDate((await sql.all<{ tat: unknown }>(`SELECT "tat" FROM "SendPace" WHERE "key" = ?`, [key]))[0]?.tat)?.getTime() ?? null;
const storedPace = (key: string) => storage.writeTransaction((_tx, sql) => paceOf(sql, key));

/** A piece that writes a pace row named `key` and reports the transaction it ran in. */
const writing =
  (key: string, ran: { key: string; tx: Tx }[], options: { last?: boolean; fail?: boolean } = {}): (() => Piece<string>) =>
  () => ({
    keys: [key],
    last: options.last,
    async run(tx, sql) {
      ran.push({ key, tx });
      await storePaces(sql, [{ key, tat: new Date(1_000) }]);
      if (options.fail) throw new Error(`${key} fails`);
      return key;
    },
  });

/** A first piece held open until `release` is called, so that the next ones wait for a transaction together. */
function heldOpen(ran: { key: string; tx: Tx }[]) {
  let release = () => {};
  let started = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const piece = (): Piece<string> => ({
    keys: ["held"],
    async run(tx) {
      ran.push({ key: "held", tx });
      started();
      await gate;
      return "held";
    },
  });
  return { piece, running, release: () => release() };
}

describe(`the outbound worker's group commit (${TEST_PROVIDER})`, () => {
  it("commits the pieces that came while a transaction ran together in the next one, those marked last after the others", async () => {
    const commits = groupCommit(storage);
    const ran: { key: string; tx: Tx }[] = [];
    const held = heldOpen(ran);
    const first = commits.add(held.piece);
    await held.running;
    const next = [commits.add(writing("mark", ran, { last: true })), commits.add(writing("answers-1", ran)), commits.add(writing("answers-2", ran))];
    held.release();
    expect(await Promise.all([first, ...next])).toEqual(["held", "mark", "answers-1", "answers-2"]);
    expect(ran.map((r) => r.key)).toEqual(["held", "answers-1", "answers-2", "mark"]);
    // One transaction for the three that waited, another than the first's.
    expect(new Set(ran.slice(1).map((r) => r.tx)).size).toBe(1);
    expect(ran[1]!.tx).not.toBe(ran[0]!.tx);
    await commits.idle();
  });

  it("fails only the piece that failed: the others of its transaction are committed without it", async () => {
    const commits = groupCommit(storage);
    const ran: { key: string; tx: Tx }[] = [];
    const held = heldOpen(ran);
    const first = commits.add(held.piece);
    await held.running;
    const [kept, failed, alsoKept] = [
      commits.add(writing("kept", ran)),
      commits.add(writing("failed", ran, { fail: true })),
      commits.add(writing("also-kept", ran)),
    ];
    held.release();
    await first;
    await expect(failed).rejects.toThrow("failed fails");
    expect([await kept, await alsoKept]).toEqual(["kept", "also-kept"]);
    expect([await storedPace("kept"), await storedPace("failed"), await storedPace("also-kept")]).toEqual([1_000, null, 1_000]);
    await commits.idle();
  });
});

describe(`a send posted late is planned again (${TEST_PROVIDER})`, () => {
  const send = (phoneNumberId: string): Reserved => ({
    id: "send-1",
    messageId: "message-1",
    phoneNumberId,
    wabaId: "waba-1",
    request: {},
    recipient: "5511900000001",
    attempts: 0,
    slot: new Date(0),
    spacingMs: 125,
  });

  it("goes at once when no post of its number was planned after it, and is recorded as the latest", async () => {
    const at = Date.now() - 400;
    await storage.writeTransaction((_tx, sql) => storePaces(sql, [{ key: "posted:pn-alone", tat: new Date(at) }]));
    const before = Date.now();
    const again = await storage.writeTransaction((_tx, sql) => replanLate(sql, send("pn-alone"), at));
    expect(again).toBeGreaterThanOrEqual(before);
    expect(again).toBeLessThanOrEqual(Date.now());
    expect(await storedPace("posted:pn-alone")).toBe(again);
  });

  it("goes a spacing after the latest post planned after it (another instance's), and is recorded as the latest", async () => {
    const at = Date.now() - 400;
    const theirs = at + 125;
    await storage.writeTransaction((_tx, sql) => storePaces(sql, [{ key: "posted:pn-shared", tat: new Date(theirs) }]));
    const again = await storage.writeTransaction((_tx, sql) => replanLate(sql, send("pn-shared"), at));
    expect(again).toBeGreaterThanOrEqual(theirs + 125);
    expect(await storedPace("posted:pn-shared")).toBe(again);
  });
});
