import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { databaseMigratedUpTo, runStatements } from "../helpers/database.ts";

/** The last migration before threads were keyed by contact (20261129150900_contact_identities). */
const BEFORE_IDENTITIES = "20261122032849_contact_names_synced_at";
const PHONE_ID = "106540352242922";

describe("migration to contact identities", () => {
  it("carries threads, contacts and messages stored under the old schema over: same threads, found by number and by BSUID", async () => {
    const database = await databaseMigratedUpTo(BEFORE_IDENTITIES);

    const at = new Date("2026-11-01T12:00:00Z");
    const rows: [string, unknown[]][] = [
      [
        `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "updatedAt") VALUES (?, ?, ?, ?)`,
        [PHONE_ID, "15550783881", "102290129340398", at],
      ],
    ];
    const users = [
      { contact: "c-1", thread: "t-1", waId: "16505551234", userId: "US.13491208655302741918", name: "Sheena" },
      { contact: "c-2", thread: "t-2", waId: "5511977776666", userId: null, name: "Zoë" },
    ];
    for (const u of users) {
      rows.push(
        [
          `INSERT INTO "Contact" ("id", "phoneNumberId", "waId", "userId", "profileName", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
          [u.contact, PHONE_ID, u.waId, u.userId, u.name, at],
        ],
        [`INSERT INTO "Thread" ("id", "phoneNumberId", "waId") VALUES (?, ?, ?)`, [u.thread, PHONE_ID, u.waId]],
        [
          `INSERT INTO "Message" ("id", "phoneNumberId", "wamid", "threadId", "direction", "source", "type", "text", "content", "timestamp", "updatedAt") VALUES (?, ?, ?, ?, 'INBOUND', 'WEBHOOK', 'text', ?, ?, ?, ?)`,
          [`m-${u.thread}`, PHONE_ID, `wamid.old.${u.thread}`, u.thread, `hello from ${u.name}`, JSON.stringify({ type: "text" }), at, at],
        ],
        [`UPDATE "Thread" SET "lastMessageId" = ?, "lastMessageAt" = ? WHERE "id" = ?`, [`m-${u.thread}`, at, u.thread]],
      );
    }
    await runStatements(database.url, rows);

    const app = await startApp({ databaseUrl: database.url });
    const threads = await app.graphql(
      `{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { id waId userId contact { id profileName } lastMessage { wamid } messages(first: 5) { edges { node { wamid } } } } } } }`,
    );
    expect(threads.errors).toBeUndefined();
    const byId = Object.fromEntries(threads.data.threads.edges.map((e: any) => [e.node.id, e.node]));
    expect(Object.keys(byId).sort()).toEqual(["t-1", "t-2"]);
    for (const u of users) {
      expect(byId[u.thread]).toMatchObject({
        waId: u.waId,
        userId: u.userId,
        contact: { id: u.contact, profileName: u.name },
        lastMessage: { wamid: `wamid.old.${u.thread}` },
      });
      expect(byId[u.thread].messages.edges.map((e: any) => e.node.wamid)).toEqual([`wamid.old.${u.thread}`]);
    }
    const byBsuid = await app.graphql(`{ threadByParticipants(phoneNumberId: "${PHONE_ID}", userId: "US.13491208655302741918") { id } }`);
    expect(byBsuid.data.threadByParticipants.id).toBe("t-1");
    const byNumber = await app.graphql(`{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "+55 11 97777-6666") { id } }`);
    expect(byNumber.data.threadByParticipants.id).toBe("t-2");
  });
});
