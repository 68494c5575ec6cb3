import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";

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

    const thread = await app.graphql(`{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "16505551234") { messages(first: 10) { edges { node { wamid } } } } }`);
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
});
