import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { prunePendingUpdates } from "../../src/ingest/prunePendingUpdates.ts";
import { withDb } from "../helpers/database.ts";
import { markFailedByStorage } from "../helpers/deliveries.ts";
import { fixture } from "../helpers/meta.ts";
import { PHONE_ID, echoText, envelope, status } from "../helpers/mirror.ts";

// Shapes: Meta's "Status messages webhook reference" (pricing, conversation) and "Errors messages
// webhooks reference" (value.errors); see test/fixtures/README.md.
const USER = "16505551234";
/** The wamid of messages/status_sent and messages/status_delivered_conversation_without_expiration. */
const SENT_WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0QjY3RTI5ODFBQzM0NDVFQTUA";
/** The wamid of messages/status_sent_with_pricing_pmp. */
const PMP_WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJBOUE0QzU2NzFCMjM0RjE5QkUA";

const MESSAGE_FIELDS = "wamid status pricing { billable model category type } conversation { id origin expiresAt }";

async function messageOf(app: TestApp, wamid: string) {
  const res = await app.graphql(
    `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${USER}") { messages(first: 50) { edges { node { ${MESSAGE_FIELDS} } } } } }`,
  );
  expect(res.errors).toBeUndefined();
  return res.data.threadByParticipants.messages.edges.map((e: any) => e.node).find((m: any) => m.wamid === wamid);
}

async function deliver(app: TestApp, payload: unknown): Promise<{ deliveryId: string; outcome: string }> {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  return res.json();
}

async function orphans(app: TestApp) {
  const res = await app.graphql(
    `{ orphanStatuses(phoneNumberId: "${PHONE_ID}", first: 50) { totalCount edges { node { phoneNumberId wamid status timestamp recipientWaId recipientUserId ageSeconds pricing { model category type } } } } }`,
  );
  expect(res.errors).toBeUndefined();
  return res.data.orphanStatuses as { totalCount: number; edges: { node: any }[] };
}

describe("pricing and conversation from statuses, on Message", () => {
  it("a sent status's per-message pricing is on its message (no conversation under PMP)", async () => {
    const app = await startApp();
    await deliver(app, echoText(PMP_WAMID, USER, 1749854690, "Your order shipped"));
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    expect(await messageOf(app, PMP_WAMID)).toEqual({
      wamid: PMP_WAMID,
      status: "SENT",
      pricing: { billable: true, model: "PMP", category: "utility", type: "regular" },
      conversation: null,
    });
  });

  it("a status that arrives before its message brings its pricing and conversation when the message lands", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent"));
    await deliver(app, echoText(SENT_WAMID, USER, 1749854590, "Thanks for your message"));
    expect(await messageOf(app, SENT_WAMID)).toEqual({
      wamid: SENT_WAMID,
      status: "SENT",
      pricing: { billable: true, model: "PMP", category: "service", type: "free_customer_service" },
      conversation: { id: "a75d17ad06104c51166f948319b03c6a", origin: "service", expiresAt: "2025-06-14T22:43:20.000Z" },
    });
  });

  it("a sent status arriving after its delivered leaves the state DELIVERED and still gives the conversation's expiration", async () => {
    const app = await startApp();
    await deliver(app, echoText(SENT_WAMID, USER, 1749854590, "Thanks for your message"));
    await deliver(app, fixture("messages/status_delivered_conversation_without_expiration"));
    expect((await messageOf(app, SENT_WAMID)).conversation.expiresAt).toBeNull();
    await deliver(app, fixture("messages/status_sent"));
    const message = await messageOf(app, SENT_WAMID);
    expect(message.status).toBe("DELIVERED");
    expect(message.conversation).toEqual({ id: "a75d17ad06104c51166f948319b03c6a", origin: "service", expiresAt: "2025-06-14T22:43:20.000Z" });
    expect(message.pricing).toEqual({ billable: true, model: "PMP", category: "service", type: "free_customer_service" });
  });

  it("a newer status's pricing replaces an older one's, whichever arrives first", async () => {
    const app = await startApp();
    const wamid = "wamid.statuses.repriced";
    await deliver(app, echoText(wamid, USER, 1767000000, "Offer inside"));
    const priced = (at: number, value: string, category: string) =>
      envelope("messages", {
        statuses: [
          { id: wamid, status: value, timestamp: String(at), recipient_id: USER, pricing: { billable: true, pricing_model: "PMP", category, type: "regular" } },
        ],
      });
    await deliver(app, priced(1767000010, "read", "marketing"));
    await deliver(app, priced(1767000005, "sent", "utility"));
    const message = await messageOf(app, wamid);
    expect(message.status).toBe("READ");
    expect(message.pricing.category).toBe("marketing");
  });
});

describe("value.errors of a messages change", () => {
  it("are stored for the phone number, at the delivery's time, and listed by phoneNumberErrors", async () => {
    const app = await startApp();
    const { deliveryId, outcome } = await deliver(app, fixture("messages/value_errors_130429"));
    expect(outcome).toBe("PROCESSED");
    const res = await app.graphql(
      `{ phoneNumberErrors(phoneNumberId: "${PHONE_ID}", first: 10) { totalCount edges { node { phoneNumberId wabaId code title message details deliveryId occurredAt } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.phoneNumberErrors.totalCount).toBe(1);
    expect(res.data.phoneNumberErrors.edges[0].node).toEqual({
      phoneNumberId: PHONE_ID,
      wabaId: "102290129340398",
      code: 130429,
      title: "Rate limit hit",
      message: "Rate limit hit",
      details: "Message failed to send because there were too many messages sent from this phone number in a short period of time",
      deliveryId,
      occurredAt: (await app.graphql(`{ webhookDeliveries(first: 1) { edges { node { receivedAt } } } }`)).data.webhookDeliveries.edges[0].node.receivedAt,
    });
  });

  it("are on the delivery that carried them, beside the statuses of the same change", async () => {
    const app = await startApp();
    const { deliveryId, outcome } = await deliver(app, fixture("messages/value_errors_131000_with_statuses"));
    expect(outcome).toBe("PROCESSED");
    const res = await app.graphql(`{ webhookDeliveries(first: 5) { edges { node { id phoneNumberErrors { code title } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.webhookDeliveries.edges.map((e: any) => e.node)).toEqual([
      { id: deliveryId, phoneNumberErrors: [{ code: 131000, title: "Something went wrong" }] },
    ]);
    // The status beside them is applied too (its message is not here yet: it waits as an orphan).
    expect((await orphans(app)).edges.map((e) => [e.node.wamid, e.node.status])).toEqual([
      ["wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJDNzE5RDBBMkU0RjU2QTc4OTAA", "DELIVERED"],
    ]);
  });

  it("are stored once when the delivery is projected again (a replay after a storage failure)", async () => {
    const app = await startApp();
    const { deliveryId } = await deliver(app, fixture("messages/value_errors_130429"));
    await markFailedByStorage(app, deliveryId);
    const replay = await app.graphql(`mutation { replayDeliveries(ids: ["${deliveryId}"]) { id outcome } }`);
    expect(replay.errors).toBeUndefined();
    expect(replay.data.replayDeliveries).toEqual([{ id: deliveryId, outcome: "PROCESSED" }]);
    const res = await app.graphql(`{ phoneNumberErrors(phoneNumberId: "${PHONE_ID}", first: 10) { totalCount } }`);
    expect(res.data.phoneNumberErrors.totalCount).toBe(1);
  });

  it("a malformed error among good ones is a failed item; the good ones are stored", async () => {
    const app = await startApp();
    const payload = fixture("messages/value_errors_130429");
    const good = payload.entry[0].changes[0].value.errors[0];
    payload.entry[0].changes[0].value.errors = [good, { ...good, code: "many" }, { ...good, code: 131056, title: "Pair rate limit hit" }];
    const { outcome } = await deliver(app, payload);
    expect(outcome).toBe("PARTIAL");
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([{ path: "entry[0].changes[0].value.errors[1]" }]);
    const res = await app.graphql(`{ phoneNumberErrors(phoneNumberId: "${PHONE_ID}", first: 10) { edges { node { code } } } }`);
    expect(res.data.phoneNumberErrors.edges.map((e: any) => e.node.code).sort()).toEqual([130429, 131056]);
  });
});

describe("orphan statuses (their message never reaches the hub)", () => {
  it("are listed with their status, recipient and pricing", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    const list = await orphans(app);
    expect(list.totalCount).toBe(1);
    expect(list.edges[0]!.node).toEqual({
      phoneNumberId: PHONE_ID,
      wamid: PMP_WAMID,
      status: "SENT",
      timestamp: "2025-06-13T22:45:00.000Z",
      recipientWaId: USER,
      recipientUserId: null,
      ageSeconds: expect.any(Number),
      pricing: { model: "PMP", category: "utility", type: "regular" },
    });
  });

  it("leave the list when their message arrives", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    await deliver(app, echoText(PMP_WAMID, USER, 1749854690, "Your order shipped"));
    expect((await orphans(app)).totalCount).toBe(0);
    expect((await messageOf(app, PMP_WAMID)).status).toBe("SENT");
  });

  it("are pruned by a server whose PENDING_UPDATE_MAX_AGE_DAYS they exceed (here 0), on start", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    await deliver(app, status("wamid.statuses.orphan.2", USER, 1749854800, "delivered"));
    expect((await orphans(app)).totalCount).toBe(2);
    // A second server on the same database, keeping nothing: its first prune runs on start and
    // its stop waits for the batch in progress (one batch holds both here).
    const pruner = await startApp({ databaseUrl: app.databaseUrl, pendingUpdates: { maxAgeDays: 0, pruneIntervalMs: 3_600_000, pruneBatch: 1000 } });
    await pruner.stop();
    expect((await orphans(app)).totalCount).toBe(0);
  });

  it("are pruned at most a batch per statement, oldest arrival first", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    await deliver(app, status("wamid.statuses.orphan.2", USER, 1749854800, "delivered"));
    const retention = { maxAgeDays: 0, batch: 1 };
    expect(await withDb(app.databaseUrl, (db) => prunePendingUpdates(db, retention))).toBe(1);
    expect((await orphans(app)).edges.map((e) => e.node.wamid)).toEqual(["wamid.statuses.orphan.2"]);
    expect(await withDb(app.databaseUrl, (db) => prunePendingUpdates(db, retention))).toBe(1);
    expect(await withDb(app.databaseUrl, (db) => prunePendingUpdates(db, retention))).toBe(0);
  });

  it("are kept by a server whose limit they do not exceed", async () => {
    const app = await startApp();
    await deliver(app, fixture("messages/status_sent_with_pricing_pmp"));
    const keeper = await startApp({ databaseUrl: app.databaseUrl, pendingUpdates: { maxAgeDays: 30, pruneIntervalMs: 3_600_000, pruneBatch: 1000 } });
    await keeper.stop();
    expect((await orphans(app)).totalCount).toBe(1);
  });

  it("a poisoned status among good ones is a failed item; the good ones are applied or kept as orphans", async () => {
    const app = await startApp();
    const wamid = "wamid.statuses.isolated";
    await deliver(app, echoText(wamid, USER, 1767000000, "Offer inside"));
    const payload = fixture("messages/status_sent_with_pricing_pmp");
    const good = payload.entry[0].changes[0].value.statuses[0];
    payload.entry[0].changes[0].value.statuses = [
      { ...good, id: wamid },
      { ...good, id: "wamid.statuses.poisoned", pricing: { ...good.pricing, billable: "maybe" } },
      good,
    ];
    const { outcome } = await deliver(app, payload);
    expect(outcome).toBe("PARTIAL");
    const deliveries = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { failedItems { path error } } } } }`);
    expect(deliveries.data.webhookDeliveries.edges[0].node.failedItems).toEqual([
      { path: "entry[0].changes[0].value.statuses[1]", error: expect.stringContaining("pricing.billable") },
    ]);
    expect((await messageOf(app, wamid)).pricing).toEqual({ billable: true, model: "PMP", category: "utility", type: "regular" });
    expect((await orphans(app)).edges.map((e) => e.node.wamid)).toEqual([PMP_WAMID]);
  });
});
