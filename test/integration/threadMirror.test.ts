import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { PHONE_ID, echoText, edit, generateHistory, historyChunk, inboundText, revoke, stateSync, status } from "../helpers/mirror.ts";
import { deliverAll } from "../helpers/deliveries.ts";
import { seededShuffle } from "../helpers/random.ts";

const USER = "16505551234";

const MESSAGE_FIELDS = "wamid direction source type text content status editedAt edits { text editWamid } revokedAt error { code title details }";

async function thread(app: TestApp, waId = USER) {
  const r = await app.graphql(
    `query ($p: String!, $w: String!) { threadByParticipants(phoneNumberId: $p, waId: $w) { id waId lastMessageAt lastMessage { wamid }
      contact { waId fullName firstName profileName userId removedAt }
      messages(first: 100) { edges { node { ${MESSAGE_FIELDS} } } } } }`,
    { p: PHONE_ID, w: waId },
  );
  expect(r.errors).toBeUndefined();
  return r.data.threadByParticipants;
}

const messagesOf = async (app: TestApp, waId = USER) => (await thread(app, waId)).messages.edges.map((e: any) => e.node);
const one = async (app: TestApp, wamid: string) => (await messagesOf(app)).find((m: any) => m.wamid === wamid);

describe("history sync", () => {
  it("imports a six-month history sent as shuffled, repeated chunks: COMPLETE, every message exactly once", async () => {
    const app = await startApp();
    const { messages, chunks } = generateHistory(40, 60, 100); // 2,400 messages in 24 chunks
    const repeated = [...chunks, ...chunks.filter((_, i) => i % 3 === 0)];
    await deliverAll(app, seededShuffle(repeated, 42));

    const sync = (await app.graphql(`{ historySync(phoneNumberId: "${PHONE_ID}") { status progress phases chunks { phase chunkOrder messages } } }`)).data
      .historySync;
    expect(sync.status).toBe("COMPLETE");
    expect(sync.progress).toBe(100);
    expect(sync.phases.sort()).toEqual([0, 1, 2]);
    expect(sync.chunks.reduce((n: number, c: any) => n + c.messages, 0)).toBe(messages.length);

    // One thread per request: a single query for all 2,400 messages is over the GraphQL cost limit.
    const threads = (await app.graphql(`{ threads(first: 100, phoneNumberId: "${PHONE_ID}") { edges { node { waId } } } }`)).data.threads.edges;
    expect(threads).toHaveLength(40);
    const stored: any[] = [];
    for (const t of threads) {
      const page = await app.graphql(
        `query ($w: String!) { threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: $w) { messages(first: 100) { edges { node { wamid direction source text } } } } }`,
        { w: t.node.waId },
      );
      stored.push(...page.data.threadByParticipants.messages.edges.map((e: any) => ({ ...e.node, waId: t.node.waId })));
    }
    expect(stored).toHaveLength(messages.length);
    expect(new Set(stored.map((m: any) => m.wamid)).size).toBe(messages.length);
    const sent = new Map(messages.map((m) => [m.wamid, m]));
    for (const m of stored) {
      const original = sent.get(m.wamid)!;
      expect(m).toMatchObject({ waId: original.user, text: original.body, source: "HISTORY", direction: original.outbound ? "OUTBOUND" : "INBOUND" });
    }
    await app.stop();
  });

  it("keeps the highest progress when a lower one arrives later", async () => {
    const app = await startApp();
    const m = (i: number) => ({ wamid: `wamid.p${i}`, user: USER, outbound: false, at: 1_700_000_000 + i, body: `m${i}` });
    await deliverAll(app, [historyChunk(1, 2, 60, [m(2)]), historyChunk(0, 1, 30, [m(1)])]);
    const sync = (await app.graphql(`{ historySync(phoneNumberId: "${PHONE_ID}") { status progress } }`)).data.historySync;
    expect(sync).toEqual({ status: "IN_PROGRESS", progress: 60 });
    await app.stop();
  });

  it("marks the sync DECLINED with Meta's reason when the business did not share its history", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("history/declined")]);
    const sync = (await app.graphql(`{ historySync(phoneNumberId: "${PHONE_ID}") { status error { code title details } } }`)).data.historySync;
    expect(sync).toEqual({
      status: "DECLINED",
      error: {
        code: 2593109,
        title: "History sync is turned off by the business from the WhatsApp Business App",
        details: "History sharing is turned off by the business",
      },
    });
    await app.stop();
  });

  // startedAt is when the hub first heard of the number's history sync, chunk or decline: before,
  // a decline that came first left it null for good, and the same deliveries in the other order set it.
  it("starts the sync at its first history webhook even when that is the decline, and a later chunk leaves it DECLINED and started then", async () => {
    const app = await startApp();
    const read = async () => (await app.graphql(`{ historySync(phoneNumberId: "${PHONE_ID}") { status progress startedAt completedAt } }`)).data.historySync;
    await deliverAll(app, [fixture("history/declined")]);
    const declined = await read();
    expect(declined).toMatchObject({ status: "DECLINED", progress: 0, completedAt: null });
    expect(declined.startedAt).not.toBeNull();
    const m = { wamid: "wamid.after.decline", user: USER, outbound: false, at: 1_700_000_000, body: "depois" };
    await deliverAll(app, [historyChunk(0, 1, 40, [m])]);
    expect(await read()).toEqual({ ...declined, progress: 40 });
    await app.stop();
  });

  it("fills a media placeholder when the media arrives later, and keeps one message", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("history/chunk_approved")]);
    const wamid = "wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA";
    expect(await one(app, wamid)).toMatchObject({ type: "media_placeholder", text: null, status: "PLAYED" });
    await deliverAll(app, [fixture("history/media_fill_for_placeholder")]);
    const filled = await one(app, wamid);
    expect(filled).toMatchObject({ type: "image", text: "Black Prince echeveria", direction: "OUTBOUND", status: "PLAYED" });
    expect(filled.content.image.sha256).toBe("3f9d94d399fa61c191bc1d4ca71375a035cd9b9f5b1128e1f0963a415c16b0cc");
    expect((await messagesOf(app)).filter((m: any) => m.wamid === wamid)).toHaveLength(1);
    await app.stop();
  });

  it("keeps a message that came both live and in history as one message", async () => {
    const app = await startApp();
    await deliverAll(app, [inboundText("wamid.both", USER, 1_700_000_100, "olá")]);
    await deliverAll(app, [historyChunk(0, 1, 100, [{ wamid: "wamid.both", user: USER, outbound: false, at: 1_700_000_100, body: "olá" }])]);
    const list = await messagesOf(app);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ wamid: "wamid.both", source: "WEBHOOK", status: "DELIVERED" });
    await app.stop();
  });
});

describe("echoes and inbound messages", () => {
  it("puts an echo (to with a leading +) in the same thread as the user's inbound messages", async () => {
    const app = await startApp();
    await deliverAll(app, [inboundText("wamid.in1", USER, 1_700_000_000, "Oi! 😀 https://example.com/a/b")]);
    await deliverAll(app, [echoText("wamid.echo1", `+${USER}`, 1_700_000_060, "Olá, já respondo")]);
    const t = await thread(app);
    expect(t.messages.edges.map((e: any) => [e.node.wamid, e.node.direction, e.node.source])).toEqual([
      ["wamid.in1", "INBOUND", "WEBHOOK"],
      ["wamid.echo1", "OUTBOUND", "ECHO"],
    ]);
    expect(t.lastMessage.wamid).toBe("wamid.echo1");
    expect(t.contact.profileName).toBe("Sheena Nelson");
    await app.stop();
  });

  it.each([
    ["messages/inbound_image_with_caption", "image"],
    ["messages/inbound_location", "location"],
    ["messages/inbound_contacts", "contacts"],
    ["messages/interactive_button_reply", "interactive"],
    ["messages/interactive_list_reply", "interactive"],
    ["smb_message_echoes/image", "image"],
  ])("stores %s with its full content", async (name, type) => {
    const app = await startApp();
    const payload = fixture(name);
    await deliverAll(app, [payload]);
    const value = payload.entry[0].changes[0].value;
    const sent = (value.messages ?? value.message_echoes)[0];
    const threads = (await app.graphql(`{ threads { edges { node { messages { edges { node { wamid type content } } } } } } }`)).data.threads.edges;
    const stored = threads.flatMap((t: any) => t.node.messages.edges.map((e: any) => e.node)).find((m: any) => m.wamid === sent.id);
    expect(stored).toEqual({ wamid: sent.id, type, content: sent });
    await app.stop();
  });

  it("stores an unsupported message with error 131060 so the inbox can send the agent to the app", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("messages/unsupported_131060")]);
    const [m] = await messagesOf(app);
    expect(m).toMatchObject({
      type: "unsupported",
      error: { code: 131060, title: "This message is currently unavailable.", details: "Please check the WhatsApp Business app for the message." },
    });
    await app.stop();
  });

  it("keeps the business-scoped user_id beside wa_id", async () => {
    const app = await startApp();
    await deliverAll(app, [fixture("messages/inbound_text")]);
    expect((await thread(app)).contact.userId).toMatch(/\S/);
    await app.stop();
  });
});

describe("edits, revokes and statuses", () => {
  const original = (app: TestApp) => deliverAll(app, [inboundText("wamid.orig", USER, 1_700_000_000, "first version")]);

  it("replaces the content on edit and keeps the earlier version", async () => {
    const app = await startApp();
    await original(app);
    await deliverAll(app, [edit("wamid.edit1", "wamid.orig", USER, 1_700_000_100, "second version")]);
    expect(await one(app, "wamid.orig")).toMatchObject({
      text: "second version",
      editedAt: "2023-11-14T22:15:00.000Z",
      edits: [{ text: "first version", editWamid: "wamid.edit1" }],
    });
    await app.stop();
  });

  it("applies an edit that arrived before its message when the message lands", async () => {
    const app = await startApp();
    await deliverAll(app, [edit("wamid.edit1", "wamid.orig", USER, 1_700_000_100, "second version")]);
    expect(await thread(app)).toBeNull();
    await original(app);
    expect(await one(app, "wamid.orig")).toMatchObject({ text: "second version", edits: [{ text: "first version" }] });
    await app.stop();
  });

  it("applies the same edit once however often it is delivered", async () => {
    const app = await startApp();
    await original(app);
    const e = edit("wamid.edit1", "wamid.orig", USER, 1_700_000_100, "second version");
    await deliverAll(app, [e, { ...e, entry: [{ ...e.entry[0], time: 1 }] }]);
    expect((await one(app, "wamid.orig")).edits).toHaveLength(1);
    await app.stop();
  });

  it("marks a revoked message and hides its content, before or after it lands", async () => {
    for (const order of ["after", "before"] as const) {
      const app = await startApp();
      const r = revoke("wamid.rev", "wamid.orig", USER, 1_700_000_200);
      if (order === "before") await deliverAll(app, [r]);
      await original(app);
      if (order === "after") await deliverAll(app, [r]);
      expect(await one(app, "wamid.orig")).toMatchObject({ revokedAt: "2023-11-14T22:16:40.000Z", text: null, content: null, edits: [] });
      await app.stop();
    }
  });

  it("moves an outbound status only forward: a read that came before its delivered stays read", async () => {
    const app = await startApp();
    await deliverAll(app, [echoText("wamid.out", USER, 1_700_000_000, "hi")]);
    await deliverAll(app, [
      status("wamid.out", USER, 1_700_000_010, "sent"),
      status("wamid.out", USER, 1_700_000_030, "read"),
      status("wamid.out", USER, 1_700_000_020, "delivered"),
    ]);
    expect((await one(app, "wamid.out")).status).toBe("READ");
    await app.stop();
  });

  it("keeps FAILED final, with Meta's error", async () => {
    const app = await startApp();
    await deliverAll(app, [echoText("wamid.out", USER, 1_700_000_000, "hi")]);
    const errors = [{ code: 131026, title: "Message undeliverable", error_data: { details: "Message Undeliverable." } }];
    await deliverAll(app, [status("wamid.out", USER, 1_700_000_010, "failed", errors), status("wamid.out", USER, 1_700_000_020, "read")]);
    expect(await one(app, "wamid.out")).toMatchObject({ status: "FAILED", error: { code: 131026, details: "Message Undeliverable." } });
    await app.stop();
  });

  it("applies a status that arrived before its message when the message lands", async () => {
    const app = await startApp();
    await deliverAll(app, [status("wamid.out", USER, 1_700_000_010, "delivered")]);
    await deliverAll(app, [echoText("wamid.out", USER, 1_700_000_000, "hi")]);
    expect((await one(app, "wamid.out")).status).toBe("DELIVERED");
    await app.stop();
  });
});

describe("contact sync", () => {
  const contact = async (app: TestApp, waId: string) =>
    (await app.graphql(`{ contacts(phoneNumberId: "${PHONE_ID}") { edges { node { waId fullName firstName removedAt } } } }`)).data.contacts.edges
      .map((e: any) => e.node)
      .find((c: any) => c.waId === waId);

  it("adds a contact, and a removed contact stays known, marked removed", async () => {
    const app = await startApp();
    await deliverAll(app, [stateSync("+1 212-555-7890", "add", 1_700_000_000, "João Silva")]);
    expect(await contact(app, "12125557890")).toEqual({ waId: "12125557890", fullName: "João Silva", firstName: "João", removedAt: null });
    await deliverAll(app, [stateSync("12125557890", "remove", 1_700_000_100)]);
    expect(await contact(app, "12125557890")).toMatchObject({ fullName: "João Silva", removedAt: "2023-11-14T22:15:00.000Z" });
    await app.stop();
  });

  it("gives an add overtaken by a later remove its names, as in time order: the contact stays removed", async () => {
    const app = await startApp();
    await deliverAll(app, [stateSync("12125557890", "remove", 1_700_000_100), stateSync("12125557890", "add", 1_700_000_000, "João Silva")]);
    expect(await contact(app, "12125557890")).toEqual({
      waId: "12125557890",
      fullName: "João Silva",
      firstName: "João",
      removedAt: "2023-11-14T22:15:00.000Z",
    });
    await app.stop();
  });

  it("takes a later name change and ignores an older action that arrives late", async () => {
    const app = await startApp();
    await deliverAll(app, [stateSync("12125557890", "add", 1_700_000_200, "João S."), stateSync("12125557890", "remove", 1_700_000_100)]);
    expect(await contact(app, "12125557890")).toMatchObject({ fullName: "João S.", removedAt: null });
    await app.stop();
  });
});

describe("the thread list and a thread's pages", () => {
  it("lists threads by most recent activity and pages a thread's messages both ways", async () => {
    const app = await startApp();
    const users = ["5511900000001", "5511900000002", "5511900000003"];
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const user = users[i % 3]!;
      const wamid = `wamid.page.${i}`;
      await deliverAll(app, [i % 2 ? echoText(wamid, user, 1_700_000_000 + i * 60, `msg ${i}`) : inboundText(wamid, user, 1_700_000_000 + i * 60, `msg ${i}`)]);
      if (user === users[0]) sent.push(wamid);
    }
    const list = (await app.graphql(`{ threads(first: 2) { pageInfo { hasNextPage endCursor } edges { node { waId lastMessage { text } } } } }`)).data.threads;
    expect(list.edges.map((e: any) => [e.node.waId, e.node.lastMessage.text])).toEqual([
      [users[2], "msg 11"],
      [users[1], "msg 10"],
    ]);
    const rest = (
      await app.graphql(`query ($a: String) { threads(first: 2, after: $a) { pageInfo { hasNextPage } edges { node { waId } } } }`, {
        a: list.pageInfo.endCursor,
      })
    ).data.threads;
    expect(rest).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { waId: users[0] } }] });

    const page = async (args: string) =>
      (
        await app.graphql(
          `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${users[0]}") { messages(${args}) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { wamid } } } } }`,
        )
      ).data.threadByParticipants.messages;
    const first = await page("first: 2");
    expect(first.edges.map((e: any) => e.node.wamid)).toEqual(sent.slice(0, 2));
    const second = await page(`first: 2, after: "${first.pageInfo.endCursor}"`);
    expect(second.edges.map((e: any) => e.node.wamid)).toEqual(sent.slice(2, 4));
    const last = await page("last: 1");
    expect(last.edges.map((e: any) => e.node.wamid)).toEqual(sent.slice(-1));
    const before = await page(`last: 2, before: "${last.pageInfo.startCursor}"`);
    expect(before.edges.map((e: any) => e.node.wamid)).toEqual(sent.slice(1, 3));

    const search = (await app.graphql(`{ threads(search: "900000002") { edges { node { waId } } } }`)).data.threads.edges;
    expect(search).toEqual([{ node: { waId: users[1] } }]);
    await app.stop();
  });
});

describe("bad thread payloads", () => {
  it("records a wrongly typed message as a failed item and stores its valid sibling (PARTIAL)", async () => {
    const app = await startApp();
    await deliverAll(app, [inboundText("wamid.ok", USER, 1_700_000_000, "kept")]);
    const bad = inboundText("wamid.bad", USER, 1_700_000_100, "x");
    (bad.entry[0]!.changes[0]!.value as any).messages[0].text = { body: 42 };
    (bad.entry[0]!.changes[0]!.value as any).messages.unshift({
      from: USER,
      id: "wamid.valid-sibling",
      timestamp: "1700000050",
      type: "text",
      text: { body: "stored" },
    });
    const res = await app.deliver(bad);
    expect(res.status).toBe(200);
    expect((await res.json()).outcome).toBe("PARTIAL");
    expect((await messagesOf(app)).map((m: any) => m.wamid)).toEqual(["wamid.ok", "wamid.valid-sibling"]);
    await app.stop();
  });
});
