import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { refuseInserts, runSql } from "../helpers/database.ts";
import { fixture, metaBytes } from "../helpers/meta.ts";
import { OFF_LOOP_BYTES } from "../../src/webhooks/readOffLoop.ts";

const PHONE_ID = "106540352242922";

/** inbound_text with three messages, the middle one poisoned (a timestamp that is not unix seconds). */
function deliveryWithOnePoisonedMessage() {
  const payload = fixture("messages/inbound_text");
  const value = payload.entry[0].changes[0].value;
  const good = value.messages[0];
  value.messages = [
    { ...good, id: "wamid.isolation.first", timestamp: "1767000000" },
    { ...good, id: "wamid.isolation.poisoned", timestamp: "yesterday" },
    { ...good, id: "wamid.isolation.third", timestamp: "1767000020" },
  ];
  return payload;
}

describe("one bad item does not take its siblings with it", () => {
  it("a delivery with one poisoned message among valid ones applies the valid ones and is PARTIAL, with the failed item's path and error", async () => {
    const app = await startApp();
    const res = await app.deliver(deliveryWithOnePoisonedMessage());
    expect(res.status).toBe(200);
    const { deliveryId, outcome } = await res.json();
    expect(outcome).toBe("PARTIAL");

    const thread = await app.graphql(
      `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "16505551234") { messages(first: 10) { edges { node { wamid } } } } }`,
    );
    expect(thread.data.threadByParticipants.messages.edges.map((e: any) => e.node.wamid)).toEqual(["wamid.isolation.first", "wamid.isolation.third"]);

    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { id status failedItems { path error } } } } }`);
    expect(deliveries.errors).toBeUndefined();
    const [delivery] = deliveries.data.webhookDeliveries.edges.map((e: any) => e.node);
    expect(delivery).toMatchObject({ id: deliveryId, status: "PARTIAL" });
    expect(delivery.failedItems).toEqual([{ path: "entry[0].changes[0].value.messages[1]", error: expect.stringContaining("timestamp") }]);
  });

  it("a change that does not parse at all is recorded by its path while the delivery's other changes apply", async () => {
    const app = await startApp();
    const payload = fixture("messages/inbound_text");
    const broken = structuredClone(payload.entry[0].changes[0]);
    delete broken.value.metadata;
    payload.entry[0].changes.unshift(broken);
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("PARTIAL");
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([{ path: "entry[0].changes[0]", error: expect.stringContaining("metadata") }]);
    const threads = await app.graphql(`{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { waId } } } }`);
    expect(threads.data.threads.edges.map((e: any) => e.node.waId)).toEqual(["16505551234"]);
  });

  it("a delivery whose only item is poisoned is FAILED (nothing applied), as before", async () => {
    const app = await startApp();
    const payload = fixture("messages/status_sent");
    payload.entry[0].changes[0].value.statuses[0].timestamp = "soon";
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("FAILED");
  });

  it("a history chunk with one unreadable message stores the chunk's other messages and counts the chunk, PARTIAL with the message's path", async () => {
    const app = await startApp();
    const payload = fixture("history/chunk_approved");
    payload.entry[0].changes[0].value.history[0].threads[0].messages[1].timestamp = "last week";
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("PARTIAL");

    const threads = await app.graphql(
      `{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { waId messages(first: 10) { edges { node { text } } } } } } }`,
    );
    const byUser = Object.fromEntries(threads.data.threads.edges.map((e: any) => [e.node.waId, e.node.messages.edges.map((m: any) => m.node.text)]));
    expect(byUser["16505551234"]).toHaveLength(2);
    expect(byUser["12125557890"]).toHaveLength(1);
    const sync = await app.graphql(`{ historySync(phoneNumberId: "${PHONE_ID}") { progress } }`);
    expect(sync.data.historySync.progress).toBe(55);

    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([
      { path: "entry[0].changes[0].value.history[0].threads[0].messages[1]", error: expect.stringContaining("history.0.threads.0.messages.1.timestamp") },
    ]);
  });

  it("an echo without a recipient fails alone: the change's other echoes are stored", async () => {
    const app = await startApp();
    const payload = fixture("smb_message_echoes/text_with_plus_in_to");
    const value = payload.entry[0].changes[0].value;
    const echo = value.message_echoes[0];
    const { to: _to, ...withoutRecipient } = echo;
    value.message_echoes = [
      { ...withoutRecipient, id: "wamid.echo.no-recipient" },
      { ...echo, id: "wamid.echo.kept" },
    ];
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("PARTIAL");
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([
      { path: "entry[0].changes[0].value.message_echoes[0]", error: expect.stringContaining("to") },
    ]);
    const threads = await app.graphql(
      `{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { messages(first: 10) { edges { node { wamid } } } } } } }`,
    );
    expect(threads.data.threads.edges.flatMap((t: any) => t.node.messages.edges.map((m: any) => m.node.wamid))).toEqual(["wamid.echo.kept"]);
  });

  it("an address-book contact without phone number or user id fails alone: the other contacts are synced", async () => {
    const app = await startApp();
    const payload = fixture("smb_app_state_sync/contact_add");
    delete payload.entry[0].changes[0].value.state_sync[0].contact.phone_number;
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("PARTIAL");
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([{ path: "entry[0].changes[0].value.state_sync[0]" }]);
    const threads = await app.graphql(`{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { contact { fullName } } } } }`);
    expect(threads.data.threads.edges.map((e: any) => e.node.contact.fullName)).toEqual(["Zoë Çelik"]);
  });
});

describe("an item the database refuses fails alone", () => {
  it("a message the database will not store is a failed item of a PARTIAL delivery; the messages around it are stored", async () => {
    const app = await startApp();
    await refuseInserts(app.databaseUrl, "Message", "wamid", "wamid.refused");
    const payload = deliveryWithOnePoisonedMessage();
    const messages = payload.entry[0].changes[0].value.messages;
    messages[1] = { ...messages[0], id: "wamid.refused.by-the-database", timestamp: "1767000010" };
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("PARTIAL");

    const thread = await app.graphql(
      `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "16505551234") { messages(first: 10) { edges { node { wamid } } } } }`,
    );
    expect(thread.data.threadByParticipants.messages.edges.map((e: any) => e.node.wamid)).toEqual(["wamid.isolation.first", "wamid.isolation.third"]);
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([
      {
        path: "entry[0].changes[0] (message wamid.refused.by-the-database)",
        error: expect.stringMatching(/^projection failed: .*refused by the test's trigger/),
      },
    ]);
  });

  it("a delivery whose every item the database refuses is FAILED", async () => {
    const app = await startApp();
    await refuseInserts(app.databaseUrl, "Message", "wamid", "wamid.refused");
    const payload = fixture("messages/inbound_text");
    payload.entry[0].changes[0].value.messages[0].id = "wamid.refused.only";
    delete payload.entry[0].changes[0].value.contacts;
    const res = await app.deliver(payload);
    expect((await res.json()).outcome).toBe("FAILED");
  });
});

describe("a large delivery (read off the event loop, projected in pieces) isolates its items the same way", () => {
  it("a message the database refuses in its second change and a third change that does not parse are failed items with their changes' paths; everything else is stored", async () => {
    // 1 MB allowed: the body is read on the parse thread from 256 KB, and projected in pieces above 500 events.
    const app = await startApp({ webhookMaxBytes: 1024 * 1024 });
    await refuseInserts(app.databaseUrl, "Message", "wamid", "wamid.refused");
    const payload = fixture("messages/inbound_text");
    const change = payload.entry[0].changes[0];
    const good = change.value.messages[0];
    const withMessages = (ids: string[]) => ({
      ...structuredClone(change),
      value: {
        ...structuredClone(change.value),
        messages: ids.map((id, i) => ({ ...good, id, timestamp: String(1767000000 + i), text: { body: `${id} ${"·".repeat(150)}` } })),
      },
    });
    const first = Array.from({ length: 600 }, (_, i) => `wamid.large.a${i}`);
    const second = Array.from({ length: 300 }, (_, i) => (i === 150 ? "wamid.refused.in-the-second" : `wamid.large.b${i}`));
    const unreadable = structuredClone(change);
    delete unreadable.value.metadata;
    payload.entry[0].changes = [withMessages(first), withMessages(second), unreadable];
    expect(metaBytes(payload).length).toBeGreaterThan(OFF_LOOP_BYTES);
    const res = await app.deliver(payload);
    expect(res.status).toBe(200);
    expect((await res.json()).outcome).toBe("PARTIAL");

    const stored = await runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "Message" WHERE "wamid" LIKE 'wamid.large.%'`);
    expect(Number(stored[0]!.n)).toBe(first.length + second.length - 1);
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    const failed = deliveries.data.webhookDeliveries.edges[0].node.failedItems;
    expect(failed).toHaveLength(2);
    expect(failed).toEqual(
      expect.arrayContaining([
        {
          path: "entry[0].changes[1] (message wamid.refused.in-the-second)",
          error: expect.stringMatching(/^projection failed: .*refused by the test's trigger/),
        },
        { path: "entry[0].changes[2]", error: expect.stringContaining("metadata") },
      ]),
    );
  });
});
