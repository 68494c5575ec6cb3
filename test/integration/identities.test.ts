import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { seededShuffle } from "../helpers/random.ts";
import { deliverAll } from "../helpers/deliveries.ts";

// Fixtures and the pages they come from: test/fixtures/README.md ("Business-scoped user ids").
const PHONE_ID = "106540352242922";
const NUMBER = "16505551234";
const NEW_NUMBER = "12195555358";
const BSUID = "US.13491208655302741918";
const NEW_BSUID = "US.98234710052211938405";

const THREAD_FIELDS = `id waId userId
  contact { waId userId username profileName fullName identities { kind value } previousIdentities { kind value retiredAt } }
  messages(first: 20) { edges { node { wamid type text status } } }`;

async function threadBy(app: TestApp, by: { waId?: string; userId?: string }) {
  const r = await app.graphql(
    `query ($p: String!, $w: String, $u: String) { threadByParticipants(phoneNumberId: $p, waId: $w, userId: $u) { ${THREAD_FIELDS} } }`,
    { p: PHONE_ID, w: by.waId, u: by.userId },
  );
  expect(r.errors).toBeUndefined();
  return r.data.threadByParticipants;
}

async function allThreads(app: TestApp) {
  const r = await app.graphql(`{ threads(first: 5, phoneNumberId: "${PHONE_ID}") { edges { node { ${THREAD_FIELDS} } } } }`);
  expect(r.errors).toBeUndefined();
  return r.data.threads.edges.map((e: any) => e.node);
}

const deliver = (app: TestApp, ...names: string[]) =>
  deliverAll(
    app,
    names.map((name) => fixture(name)),
  );

const wamids = (thread: any) => thread.messages.edges.map((e: any) => e.node.wamid);

describe("a user known only by a business-scoped user id", () => {
  it("gets a thread from the first message to the reply's status, with no phone number invented", async () => {
    const app = await startApp();
    await deliver(app, "messages/inbound_text_bsuid_only", "smb_message_echoes/text_to_bsuid_only", "messages/status_delivered_bsuid_only");

    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    const thread = threads[0];
    expect(thread).toMatchObject({ waId: null, userId: BSUID });
    expect(thread.contact).toMatchObject({ waId: null, userId: BSUID, username: "@sheena.suculentas", profileName: "Sheena Nelson ✨" });
    expect(thread.messages.edges.map((e: any) => [e.node.type, e.node.status])).toEqual([
      ["text", null],
      ["text", "DELIVERED"],
    ]);
    expect((await threadBy(app, { userId: BSUID })).id).toBe(thread.id);
    // The BSUID's digits are nobody's phone number.
    expect(await threadBy(app, { waId: "13491208655302741918" })).toBeNull();
  });

  it("is found by threadByParticipants when the BSUID is passed as waId (it is never reduced to digits)", async () => {
    const app = await startApp();
    await deliver(app, "messages/inbound_text_bsuid_only");
    expect((await threadBy(app, { waId: BSUID })).userId).toBe(BSUID);
  });

  it("an address-book contact saved by username only is the same contact as the user's messages", async () => {
    const app = await startApp();
    await deliver(app, "smb_app_state_sync/contact_add_user_id_only", "messages/inbound_text_bsuid_only");
    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    expect(threads[0].contact).toMatchObject({ userId: BSUID, fullName: "Sheena Nelson" });
  });

  it("a from that is a business-scoped user id is a failed item with a clear error, never a phone number", async () => {
    const app = await startApp();
    const payload = fixture("messages/inbound_text_bsuid_only");
    payload.entry[0].changes[0].value.messages[0].from = BSUID;
    const res = await app.deliver(payload);
    expect(res.status).toBe(200);
    const { deliveryId, outcome } = await res.json();
    // The contacts[] entry (user_id only) still applies; the message is kept as a failed item.
    expect(outcome).toBe("PARTIAL");
    const stored = await app.graphql(`{ webhookDeliveries(first: 5, status: PARTIAL) { edges { node { id failedItems { path error } } } } }`);
    expect(stored.data.webhookDeliveries.edges[0].node).toEqual({
      id: deliveryId,
      failedItems: [{ path: "entry[0].changes[0].value.messages[0]", error: expect.stringContaining("messages.0.from") }],
    });
    expect(await threadBy(app, { waId: "13491208655302741918" })).toBeNull();
    expect((await allThreads(app)).map((t: any) => [t.waId, t.userId])).toEqual([[null, BSUID]]);
  });
});

describe("a BSUID and a phone number tied by a later payload", () => {
  it("BSUID first, then a message with both: one thread with both identifiers", async () => {
    const app = await startApp();
    await deliver(app, "messages/inbound_text_bsuid_only", "messages/inbound_text_bsuid_and_phone");
    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ waId: NUMBER, userId: BSUID });
    expect(wamids(threads[0])).toHaveLength(2);
    expect((await threadBy(app, { waId: NUMBER })).id).toBe(threads[0].id);
  });

  it("phone-only and BSUID-only threads that a later payload ties are merged into one, never two", async () => {
    const app = await startApp();
    const phoneOnly = fixture("messages/inbound_text");
    delete phoneOnly.entry[0].changes[0].value.contacts[0].user_id;
    const res = await app.deliver(phoneOnly);
    expect((await res.json()).outcome).toBe("PROCESSED");
    await deliver(app, "messages/inbound_text_bsuid_only");
    expect(await allThreads(app)).toHaveLength(2);

    await deliver(app, "messages/inbound_text_bsuid_and_phone");
    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ waId: NUMBER, userId: BSUID });
    expect(threads[0].contact).toMatchObject({ profileName: "Sheena Nelson ✨", username: "@sheena.suculentas" });
    expect(wamids(threads[0])).toHaveLength(3);
  });
});

describe("identity changes", () => {
  it("user_changed_number moves the user to the new number in the same thread, with the system message in order", async () => {
    const app = await startApp();
    await deliver(app, "messages/inbound_text", "messages/system_user_changed_number");
    const after = fixture("messages/inbound_text");
    const value = after.entry[0].changes[0].value;
    value.contacts[0].wa_id = NEW_NUMBER;
    delete value.contacts[0].user_id;
    Object.assign(value.messages[0], { from: NEW_NUMBER, id: "wamid.after-number-change", timestamp: "1767000700" });
    expect((await (await app.deliver(after)).json()).outcome).toBe("PROCESSED");

    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    const thread = threads[0];
    expect(thread.waId).toBe(NEW_NUMBER);
    expect(thread.messages.edges.map((e: any) => e.node.type)).toEqual(["text", "system", "text"]);
    expect(thread.messages.edges[1].node.text).toBe(`User Sheena Nelson changed from ${NUMBER} to ${NEW_NUMBER}`);
    expect(thread.contact.previousIdentities).toEqual([{ kind: "WA_ID", value: NUMBER, retiredAt: new Date(1767000600_000).toISOString() }]);
    expect((await threadBy(app, { waId: NUMBER })).id).toBe(thread.id);
  });

  it("user_changed_user_id moves the user to the new BSUID, whatever order the change and the new BSUID's first message arrive in", async () => {
    const afterChange = fixture("messages/inbound_text_bsuid_only");
    const value = afterChange.entry[0].changes[0].value;
    value.contacts[0].user_id = NEW_BSUID;
    Object.assign(value.messages[0], { from_user_id: NEW_BSUID, id: "wamid.after-user-id-change", timestamp: "1767001000" });

    for (const changeFirst of [true, false]) {
      const app = await startApp();
      await deliver(app, "messages/inbound_text_bsuid_only");
      const later = [fixture("messages/system_user_changed_user_id"), afterChange];
      for (const p of changeFirst ? later : later.reverse()) expect((await (await app.deliver(p)).json()).outcome).toBe("PROCESSED");

      const threads = await allThreads(app);
      expect(threads, `change first: ${changeFirst}`).toHaveLength(1);
      expect(threads[0].userId).toBe(NEW_BSUID);
      expect(threads[0].contact.previousIdentities.map((i: any) => i.value)).toEqual([BSUID]);
      expect(threads[0].messages.edges.map((e: any) => e.node.type)).toEqual(["text", "system", "text"]);
    }
  });

  it("user_changed_user_id naming the old BSUID only in system.previous_user_id (no from) moves the user forward in the same thread", async () => {
    const app = await startApp();
    await deliver(app, "messages/inbound_text_bsuid_only", "messages/system_user_changed_user_id_previous_only");
    const threads = await allThreads(app);
    expect(threads).toHaveLength(1);
    expect(threads[0].userId).toBe(NEW_BSUID);
    expect(threads[0].contact.previousIdentities.map((i: any) => i.value)).toEqual([BSUID]);
    expect(threads[0].messages.edges.map((e: any) => e.node.type)).toEqual(["text", "system"]);
    await app.stop();
  });
});

describe("order independence", () => {
  const DELIVERIES = [
    "messages/inbound_text_bsuid_only",
    "smb_message_echoes/text_to_bsuid_only",
    "messages/status_delivered_bsuid_only",
    "messages/inbound_text_bsuid_and_phone",
    "messages/inbound_text",
    "messages/system_user_changed_number",
    "smb_app_state_sync/contact_add_user_id_only",
  ];

  const snapshot = (threads: any[]) =>
    threads
      .map((t) => ({
        waId: t.waId,
        userId: t.userId,
        identities: t.contact.identities.map((i: any) => `${i.kind}:${i.value}`).sort(),
        previous: t.contact.previousIdentities.map((i: any) => `${i.kind}:${i.value}`).sort(),
        fullName: t.contact.fullName,
        messages: t.messages.edges.map((e: any) => `${e.node.wamid}:${e.node.status}`).sort(),
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it("any order and repetition of the deliveries gives the same identities and threads", async () => {
    const reference = await startApp();
    await deliver(reference, ...DELIVERIES);
    const expected = snapshot(await allThreads(reference));
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatchObject({ waId: NEW_NUMBER, userId: BSUID });

    for (const seed of [1, 2, 3]) {
      const app = await startApp();
      await deliver(app, ...seededShuffle([...DELIVERIES, ...DELIVERIES.filter((_, i) => i % 2 === seed % 2)], seed));
      expect(snapshot(await allThreads(app)), `seed ${seed}`).toEqual(expected);
    }
  });
});
