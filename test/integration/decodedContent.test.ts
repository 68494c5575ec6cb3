import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { runStatements } from "../helpers/database.ts";
import { deliverAll } from "../helpers/deliveries.ts";
import { fixture } from "../helpers/meta.ts";
import { accountUpdate } from "../helpers/mirror.ts";

// What the API answers decoded from Meta's objects (Message.details, Message.identityChange,
// Disconnection.reasonCode), so a client reads typed facts instead of re-parsing `content`.

const MESSAGE_FIELDS = `wamid type details { kind detail } identityChange { kind from to }`;

async function messagesByWamid(app: TestApp): Promise<Map<string, any>> {
  const r = await app.graphql(`{ threads(first: 10) { edges { node { messages(first: 20) { edges { node { ${MESSAGE_FIELDS} } } } } } } }`);
  expect(r.errors).toBeUndefined();
  const nodes = r.data.threads.edges.flatMap((t: any) => t.node.messages.edges.map((e: any) => e.node));
  return new Map(nodes.map((n: any) => [n.wamid, n]));
}

const wamidOf = (name: string): string => fixture(name).entry[0].changes[0].value.messages[0].id;

describe("Message.identityChange and Message.details", () => {
  let app: TestApp;
  let messages: Map<string, any>;
  beforeAll(async () => {
    app = await startApp();
    await deliverAll(
      app,
      [
        "messages/system_user_changed_number",
        "messages/system_user_changed_user_id_previous_only",
        "messages/inbound_location",
        "messages/inbound_contacts",
        "messages/interactive_list_reply",
        "messages/inbound_text",
      ].map((name) => fixture(name)),
    );
    messages = await messagesByWamid(app);
  });
  afterAll(() => app.stop());

  it("user_changed_number reads as a WA_ID change from the old number to the new one", () => {
    expect(messages.get(wamidOf("messages/system_user_changed_number"))).toMatchObject({
      details: { kind: "SYSTEM", detail: null },
      identityChange: { kind: "WA_ID", from: "16505551234", to: "12195555358" },
    });
  });

  it("user_changed_user_id naming the old id only in system.previous_user_id reads it as `from`", () => {
    expect(messages.get(wamidOf("messages/system_user_changed_user_id_previous_only"))?.identityChange).toEqual({
      kind: "USER_ID",
      from: "US.13491208655302741918",
      to: "US.98234710052211938405",
    });
  });

  it("other messages carry no identity change, and their kind and naming detail", () => {
    expect(messages.get(wamidOf("messages/inbound_location"))).toMatchObject({ identityChange: null, details: { kind: "LOCATION", detail: "Café Zoë" } });
    expect(messages.get(wamidOf("messages/inbound_contacts"))?.details).toEqual({ kind: "CONTACTS", detail: "José Álvarez" });
    expect(messages.get(wamidOf("messages/interactive_list_reply"))?.details).toEqual({ kind: "REPLY", detail: "Terça, 10h" });
    expect(messages.get(wamidOf("messages/inbound_text"))?.details).toEqual({ kind: "TEXT", detail: null });
  });
});

describe("a stored message object that no longer reads", () => {
  it("answers its decoded fields null with a masked error, and the rest of the message as stored", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("messages/system_user_changed_number")]);
    const wamid = wamidOf("messages/system_user_changed_number");
    // Damage only a storage fault (or a hand edit) makes: the new number is a business-scoped user id.
    const damaged = {
      ...fixture("messages/system_user_changed_number").entry[0].changes[0].value.messages[0],
      system: { type: "user_changed_number", wa_id: "US.1" },
    };
    await runStatements(app.databaseUrl, [[`UPDATE "Message" SET "content" = ? WHERE "wamid" = ?`, [JSON.stringify(damaged), wamid]]]);

    const r = await app.graphql(`{ threads(first: 1) { edges { node { messages(first: 5) { edges { node { wamid text ${MESSAGE_FIELDS} } } } } } } }`);
    expect(r.data.threads.edges[0].node.messages.edges[0].node).toMatchObject({ wamid, type: "system", details: null, identityChange: null });
    expect(r.errors?.map((e: any) => [e.message, e.extensions?.code, e.path.at(-1)])).toEqual([
      ["Unexpected error.", "INTERNAL_SERVER_ERROR", "details"],
      ["Unexpected error.", "INTERNAL_SERVER_ERROR", "identityChange"],
    ]);
    await app.stop();
  });
});

describe("Disconnection.reasonCode", () => {
  it("decodes Meta's reason, answers OTHER for one this version does not know, and keeps the raw reason", async () => {
    const app = await startApp();
    const removed = (wabaId: string, time: number, reason: string) =>
      accountUpdate(wabaId, time, { event: "PARTNER_REMOVED", waba_info: { waba_id: wabaId }, disconnection_info: { reason, initiated_by: "SYSTEM" } });
    await deliverAll(app, [removed("900000000000001", 1_760_000_000, "COMPANION_INACTIVITY"), removed("900000000000002", 1_760_000_100, "QUANTUM_DRIFT")]);
    const r = await app.graphql(`{
      wabas(first: 10) { edges { node { wabaId
        disconnections { reason reasonCode }
        events(first: 5) { edges { node { ... on PartnerAccountEvent { disconnectionReason disconnectionReasonCode } } } }
      } } }
    }`);
    expect(r.errors).toBeUndefined();
    const byWaba = Object.fromEntries(r.data.wabas.edges.map((e: any) => [e.node.wabaId, e.node]));
    expect(byWaba["900000000000001"].disconnections).toEqual([{ reason: "COMPANION_INACTIVITY", reasonCode: "COMPANION_INACTIVITY" }]);
    expect(byWaba["900000000000002"].disconnections).toEqual([{ reason: "QUANTUM_DRIFT", reasonCode: "OTHER" }]);
    expect(byWaba["900000000000002"].events.edges.map((e: any) => e.node)).toEqual([
      { disconnectionReason: "QUANTUM_DRIFT", disconnectionReasonCode: "OTHER" },
    ]);
    await app.stop();
  });
});
