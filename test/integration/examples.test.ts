import { beforeAll, describe, expect, it } from "vitest";
import {
  ConnectionHistoryDocument,
  HistorySyncStatusDocument,
  OnDisconnectionDocument,
  OnMessageEchoDocument,
  OnThreadMessageDocument,
  ReplyToThreadDocument,
  ThreadListDocument,
  ThreadPageDocument,
  WabaNumbersDocument,
  WabasByStateDocument,
  type MessageDirection,
  type MessageSource,
  type ThreadPageQuery,
} from "../../examples/generated/graphql.ts";
import type { DocumentType } from "../../examples/generated/index.ts";
import { startApp, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { DISPLAY, PHONE_ID, accountUpdate, echoText, historyChunk, inboundText, status, type HistoryMessage } from "../helpers/mirror.ts";
import { wsClient } from "../helpers/subscriptions.ts";
import { execute, subscribeTyped } from "../helpers/typedClient.ts";
import { deliverAll } from "../helpers/deliveries.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";

/**
 * The example operations of examples/*.graphql, sent as the typed documents GraphQL Code Generator
 * made from them (examples/generated), against a real server: what an inbox and a dashboard would
 * run, with results read through their generated types.
 */

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const NON_EMPTY = /\S/;

describe("inbox: ThreadList and ThreadPage after inbound messages and echoes", () => {
  const USER = "16505551234";
  const OTHER = "5511988887777";
  const T0 = 1_700_000_000;

  interface Sent {
    wamid: string;
    waId: string;
    at: number;
    text: string;
    direction: MessageDirection;
    source: MessageSource;
    payload: unknown;
  }
  const inbound = (wamid: string, waId: string, at: number, text: string, name: string): Sent => ({
    wamid,
    waId,
    at,
    text,
    direction: "INBOUND",
    source: "WEBHOOK",
    payload: inboundText(wamid, waId, at, text, name),
  });
  const echo = (wamid: string, waId: string, to: string, at: number, text: string): Sent => ({
    wamid,
    waId,
    at,
    text,
    direction: "OUTBOUND",
    source: "ECHO",
    payload: echoText(wamid, to, at, text),
  });
  const CONVERSATION: Sent[] = [
    inbound("wamid.in.1", USER, T0, "Oi! Vocês abrem sábado?", "Sheena Nelson"),
    inbound("wamid.other.1", OTHER, T0 + 30, "Bom dia, tem horário amanhã?", "Ana Souza"),
    echo("wamid.echo.1", USER, USER, T0 + 60, "Abrimos sim, das 9h às 13h"),
    inbound("wamid.in.2", USER, T0 + 120, "Perfeito, obrigado 😀", "Sheena Nelson"),
    echo("wamid.echo.2", USER, `+${USER}`, T0 + 180, "Até sábado ✓ https://example.com/a/b"),
  ];
  const ofUser = CONVERSATION.filter((m) => m.waId === USER);
  /** The fields of a message as ThreadList/ThreadPage return them, from what was sent. */
  const expected = (m: Sent) => ({ wamid: m.wamid, direction: m.direction, source: m.source, type: "text", text: m.text, timestamp: iso(m.at) });

  let app: TestApp;
  let userThreadId: string;

  beforeAll(async () => {
    app = await startApp();
    await deliverAll(
      app,
      CONVERSATION.map((m) => m.payload),
    );
    const found = await execute(app, ThreadListDocument, { search: USER });
    userThreadId = found.threads.edges[0]?.node.id ?? "";
    expect(userThreadId).toMatch(NON_EMPTY);
  });

  it("ThreadList pages through the threads, most recent activity first, with contact and last message", async () => {
    const first = await execute(app, ThreadListDocument, { first: 1, phoneNumberId: PHONE_ID });
    expect(first.threads.edges).toHaveLength(1);
    expect(first.threads.pageInfo.hasNextPage).toBe(true);
    const top = first.threads.edges[0]!.node;
    expect(top).toMatchObject({
      phoneNumberId: PHONE_ID,
      waId: USER,
      lastMessageAt: iso(T0 + 180),
      contact: { waId: USER, profileName: "Sheena Nelson" },
      lastMessage: expected(ofUser.at(-1)!),
    });
    expect(top.id).toBe(userThreadId);

    const after = first.threads.pageInfo.endCursor;
    expect(after).toMatch(NON_EMPTY);
    const second = await execute(app, ThreadListDocument, { first: 1, after, phoneNumberId: PHONE_ID });
    expect(second.threads.pageInfo.hasNextPage).toBe(false);
    expect(second.threads.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        waId: OTHER,
        lastMessageAt: iso(T0 + 30),
        contact: expect.objectContaining({ waId: OTHER, profileName: "Ana Souza" }),
        lastMessage: expect.objectContaining(expected(CONVERSATION[1]!)),
      }),
    ]);

    // The default page (first: 20) holds both; search narrows by name.
    const all = await execute(app, ThreadListDocument, {});
    expect(all.threads.edges.map((e) => e.node.waId)).toEqual([USER, OTHER]);
    const byName = await execute(app, ThreadListDocument, { search: "Ana" });
    expect(byName.threads.edges.map((e) => e.node.waId)).toEqual([OTHER]);
  });

  const wamidsOf = (page: ThreadPageQuery) => page.thread?.messages.edges.map((e) => e.node.wamid);

  it("ThreadPage reads a thread forward with first/after, oldest first", async () => {
    const p1 = await execute(app, ThreadPageDocument, { threadId: userThreadId, first: 2 });
    expect(p1.thread).toMatchObject({ id: userThreadId, waId: USER, phoneNumberId: PHONE_ID, contact: { waId: USER, profileName: "Sheena Nelson" } });
    expect(p1.thread?.messages.edges.map((e) => e.node)).toEqual(ofUser.slice(0, 2).map((m) => expect.objectContaining(expected(m))));
    expect(p1.thread?.messages.pageInfo.hasNextPage).toBe(true);

    const p2 = await execute(app, ThreadPageDocument, { threadId: userThreadId, first: 2, after: p1.thread?.messages.pageInfo.endCursor });
    expect(p2.thread?.messages.edges.map((e) => e.node)).toEqual(ofUser.slice(2, 4).map((m) => expect.objectContaining(expected(m))));
    expect(p2.thread?.messages.pageInfo.hasNextPage).toBe(false);
    for (const node of [...(p1.thread?.messages.edges ?? []), ...(p2.thread?.messages.edges ?? [])].map((e) => e.node)) {
      expect(node).toMatchObject({ editedAt: null, revokedAt: null, edits: [], error: null });
    }
  });

  it("ThreadPage opens a thread at its end with last and scrolls back with before", async () => {
    const end = await execute(app, ThreadPageDocument, { threadId: userThreadId, last: 3 });
    expect(wamidsOf(end)).toEqual(ofUser.slice(-3).map((m) => m.wamid));
    expect(end.thread?.messages.pageInfo.hasPreviousPage).toBe(true);

    const earlier = await execute(app, ThreadPageDocument, { threadId: userThreadId, last: 3, before: end.thread?.messages.pageInfo.startCursor });
    expect(earlier.thread?.messages.edges.map((e) => e.node)).toEqual([expect.objectContaining(expected(ofUser[0]!))]);
    expect(earlier.thread?.messages.pageInfo.hasPreviousPage).toBe(false);
  });

  it("ThreadPage answers null for an unknown thread", async () => {
    expect(await execute(app, ThreadPageDocument, { threadId: "no-such-thread", first: 10 })).toEqual({ thread: null });
  });
});

describe("dashboard: ConnectionHistory, WabasByState, HistorySyncStatus", () => {
  const OFFBOARDED_WABA = "862475293675413"; // the offboard/reconnect fixtures
  const OFFBOARDED_AT = 1768477204;
  const RECONNECTED_AT = 1768477203; // Meta's example times the answer one second before
  const W = "990777";

  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });

  // The result type read off the document itself (the same as the generated ConnectionHistoryQuery).
  type EventNode = NonNullable<DocumentType<typeof ConnectionHistoryDocument>["waba"]>["events"]["edges"][number]["node"];
  /** What each event type's fragment adds (the union is narrowed by __typename). */
  function detailsOf(node: EventNode): Record<string, unknown> {
    switch (node.__typename) {
      case "PartnerAccountEvent":
        return { ownerBusinessId: node.ownerBusinessId, reason: node.disconnectionReason, initiatedBy: node.disconnectionInitiatedBy };
      case "RestrictionAccountEvent":
        return { restrictions: node.restrictions.map((r) => [r.restrictionType, r.expiration]) };
      case "BanAccountEvent":
        return { banState: node.banState, banDate: node.banDate };
      case "ViolationAccountEvent":
        return { violationType: node.violationType };
      default:
        return {};
    }
  }

  it("ConnectionHistory after an offboard/reconnect pair: connected, the disconnection resolved by the reconnection", async () => {
    await deliverAll(app, [fixture("account_update/account_offboarded"), fixture("account_update/account_reconnected_timed_before_offboarding")]);
    const { waba } = await execute(app, ConnectionHistoryDocument, { wabaId: OFFBOARDED_WABA });
    if (!waba) throw new Error("the WABA is missing");
    expect(waba).toMatchObject({
      wabaId: OFFBOARDED_WABA,
      connectionState: "CONNECTED",
      canSend: true,
      restrictions: [],
      banState: null,
      lastEventAt: iso(OFFBOARDED_AT),
    });

    // Newest first by Meta's time.
    const events = waba.events.edges.map((e) => e.node);
    expect(events.map((e) => [e.__typename, e.event, e.occurredAt])).toEqual([
      ["ConnectionAccountEvent", "ACCOUNT_OFFBOARDED", iso(OFFBOARDED_AT)],
      ["ConnectionAccountEvent", "ACCOUNT_RECONNECTED", iso(RECONNECTED_AT)],
    ]);
    expect(waba.events.pageInfo.hasNextPage).toBe(false);
    const [offboard, reconnect] = events;
    expect(waba.disconnections).toEqual([
      {
        id: offboard!.id,
        kind: "ACCOUNT_OFFBOARDED",
        reason: null,
        reasonCode: null,
        initiatedBy: null,
        occurredAt: iso(OFFBOARDED_AT),
        resolvedAt: iso(RECONNECTED_AT),
        resolvedByEventId: reconnect!.id,
        recommendedAction: "PAUSE_AND_AWAIT_RECONNECT",
      },
    ]);
  });

  it("ConnectionHistory reads each event type's own fields through its fragment, and pages events", async () => {
    const RESTRICTED_UNTIL = 4102444800; // 2100-01-01
    await deliverAll(app, [
      accountUpdate(W, 1000, { event: "PARTNER_ADDED", waba_info: { waba_id: W, owner_business_id: "42" } }),
      accountUpdate(W, 2000, {
        event: "ACCOUNT_RESTRICTION",
        restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: RESTRICTED_UNTIL }],
      }),
      accountUpdate(W, 3000, { event: "ACCOUNT_VIOLATION", violation_info: { violation_type: "SCAM" } }),
      accountUpdate(W, 4000, { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "SCHEDULE_FOR_DISABLE", waba_ban_date: "January 1, 2030" } }),
      accountUpdate(W, 5000, {
        event: "PARTNER_REMOVED",
        waba_info: { waba_id: W },
        disconnection_info: { reason: "BUSINESS_DOWNGRADE", initiated_by: "USER" },
      }),
    ]);
    const { waba } = await execute(app, ConnectionHistoryDocument, { wabaId: W });
    if (!waba) throw new Error("the WABA is missing");
    expect(waba).toMatchObject({
      ownerBusinessId: "42",
      connectionState: "DISCONNECTED",
      canSend: false,
      banState: "SCHEDULE_FOR_DISABLE",
      restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: iso(RESTRICTED_UNTIL), active: true }],
    });
    expect(waba.disconnections.map((d) => [d.kind, d.reason, d.reasonCode, d.initiatedBy, d.recommendedAction, d.resolvedAt])).toEqual([
      ["PARTNER_REMOVED", "BUSINESS_DOWNGRADE", "BUSINESS_DOWNGRADE", "USER", "NO_REENGAGEMENT", null],
    ]);
    expect(waba.events.edges.map((e) => [e.node.__typename, e.node.event, detailsOf(e.node)])).toEqual([
      ["PartnerAccountEvent", "PARTNER_REMOVED", { ownerBusinessId: null, reason: "BUSINESS_DOWNGRADE", initiatedBy: "USER" }],
      ["BanAccountEvent", "DISABLED_UPDATE", { banState: "SCHEDULE_FOR_DISABLE", banDate: "January 1, 2030" }],
      ["ViolationAccountEvent", "ACCOUNT_VIOLATION", { violationType: "SCAM" }],
      ["RestrictionAccountEvent", "ACCOUNT_RESTRICTION", { restrictions: [["RESTRICTED_BIZ_INITIATED_MESSAGING", iso(RESTRICTED_UNTIL)]] }],
      ["PartnerAccountEvent", "PARTNER_ADDED", { ownerBusinessId: "42", reason: null, initiatedBy: null }],
    ]);

    const firstTwo = await execute(app, ConnectionHistoryDocument, { wabaId: W, eventsFirst: 2 });
    expect(firstTwo.waba?.events.edges.map((e) => e.node.event)).toEqual(["PARTNER_REMOVED", "DISABLED_UPDATE"]);
    expect(firstTwo.waba?.events.pageInfo.hasNextPage).toBe(true);
    const rest = await execute(app, ConnectionHistoryDocument, { wabaId: W, eventsFirst: 10, eventsAfter: firstTwo.waba?.events.pageInfo.endCursor });
    expect(rest.waba?.events.edges.map((e) => e.node.event)).toEqual(["ACCOUNT_VIOLATION", "ACCOUNT_RESTRICTION", "PARTNER_ADDED"]);

    expect(await execute(app, ConnectionHistoryDocument, { wabaId: "no-such-waba" })).toEqual({ waba: null });
  });

  it("WabasByState lists the accounts of one connection state, or all", async () => {
    const connected = await execute(app, WabasByStateDocument, { state: "CONNECTED" });
    expect(connected.wabas.edges.map((e) => e.node)).toEqual([
      { wabaId: OFFBOARDED_WABA, ownerBusinessId: null, connectionState: "CONNECTED", canSend: true, lastEventAt: iso(OFFBOARDED_AT), restrictions: [] },
    ]);
    const disconnected = await execute(app, WabasByStateDocument, { state: "DISCONNECTED" });
    expect(disconnected.wabas.edges.map((e) => e.node)).toEqual([
      {
        wabaId: W,
        ownerBusinessId: "42",
        connectionState: "DISCONNECTED",
        canSend: false,
        lastEventAt: iso(5000),
        restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: iso(4102444800) }],
      },
    ]);
    expect((await execute(app, WabasByStateDocument, { state: "OFFBOARDED" })).wabas.edges).toEqual([]);
    const all = await execute(app, WabasByStateDocument, { state: null, first: 1 });
    expect(all.wabas.edges.map((e) => e.node.wabaId)).toEqual([OFFBOARDED_WABA]);
    expect(all.wabas.pageInfo.hasNextPage).toBe(true);
    const next = await execute(app, WabasByStateDocument, { first: 1, after: all.wabas.pageInfo.endCursor });
    expect(next.wabas.edges.map((e) => e.node.wabaId)).toEqual([W]);
  });

  it("HistorySyncStatus follows the history chunks of a number", async () => {
    expect(await execute(app, HistorySyncStatusDocument, { phoneNumberId: PHONE_ID })).toEqual({ historySync: null });
    const m = (i: number): HistoryMessage => ({
      wamid: `wamid.hist.${i}`,
      user: "5511966665555",
      outbound: i % 2 === 0,
      at: 1_700_000_000 + i,
      body: `antiga ${i}`,
    });
    await deliverAll(app, [historyChunk(0, 1, 40, [m(1), m(2)])]);
    const partial = await execute(app, HistorySyncStatusDocument, { phoneNumberId: PHONE_ID });
    expect(partial.historySync).toMatchObject({ phoneNumberId: PHONE_ID, status: "IN_PROGRESS", progress: 40, phases: [0], completedAt: null, error: null });
    await deliverAll(app, [historyChunk(1, 1, 100, [m(3)])]);
    const done = await execute(app, HistorySyncStatusDocument, { phoneNumberId: PHONE_ID });
    expect(done.historySync).toMatchObject({ status: "COMPLETE", progress: 100, error: null });
    expect([...(done.historySync?.phases ?? [])].sort()).toEqual([0, 1]);
    expect(done.historySync?.chunks.map((c) => [c.phase, c.chunkOrder, c.progress, c.messages]).sort()).toEqual([
      [0, 1, 40, 2],
      [1, 1, 100, 1],
    ]);
    expect(done.historySync?.completedAt).toMatch(ISO_TIME);
  });
});

describe("live: OnDisconnection, OnMessageEcho, OnThreadMessage over graphql-ws", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });

  it("OnDisconnection receives a PARTNER_REMOVED for its WABA, then its resolution", async () => {
    const WABA = "980198427658004"; // waba_info.waba_id of the fixture (its entry id is the partner's)
    const live = await subscribeTyped(wsClient(app.url), OnDisconnectionDocument, { wabaId: WABA });
    await deliverAll(app, [fixture("account_update/account_offboarded")]); // another WABA: not for this subscriber
    const before = Date.now();
    await deliverAll(app, [fixture("account_update/partner_removed_primary_inactivity_by_system")]);
    const after = Date.now();

    const [opened] = await live.next(1);
    const d = opened!.disconnections;
    expect(d).toEqual({
      id: expect.stringMatching(NON_EMPTY),
      wabaId: WABA,
      kind: "PARTNER_REMOVED",
      reason: "PRIMARY_INACTIVITY",
      reasonCode: "PRIMARY_INACTIVITY",
      initiatedBy: "SYSTEM",
      occurredAt: expect.stringMatching(ISO_TIME),
      resolvedAt: null,
      recommendedAction: "PROMPT_RECONNECT",
      waba: { wabaId: WABA, connectionState: "DISCONNECTED", canSend: false },
    });
    // The fixture has no entry time: the event is placed at its arrival.
    expect(Date.parse(d.occurredAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(Date.parse(d.occurredAt)).toBeLessThanOrEqual(after + 1000);

    const later = Math.floor(after / 1000) + 60;
    await deliverAll(app, [accountUpdate("2949482758682047", later, { event: "PARTNER_ADDED", waba_info: { waba_id: WABA } })]);
    const [, resolved] = await live.next(2);
    expect(resolved!.disconnections).toMatchObject({
      id: d.id,
      kind: "PARTNER_REMOVED",
      resolvedAt: iso(later),
      waba: { connectionState: "CONNECTED", canSend: true },
    });
    expect(live.received).toHaveLength(2);
  });

  it("OnMessageEcho receives an echo sent from the Business app, and no inbound message", async () => {
    const USER = "5511977770000";
    const live = await subscribeTyped(wsClient(app.url), OnMessageEchoDocument, { phoneNumberId: PHONE_ID });
    const at = 1_700_000_060;
    await deliverAll(app, [inboundText("wamid.live.in", USER, 1_700_000_000, "not an echo"), echoText("wamid.live.echo", USER, at, "enviado do app ✓")]);

    const [got] = await live.next(1);
    const m = got!.messageEchoes;
    expect(m).toEqual({
      id: expect.stringMatching(NON_EMPTY),
      wamid: "wamid.live.echo",
      threadId: m.thread.id,
      direction: "OUTBOUND",
      source: "ECHO",
      type: "text",
      text: "enviado do app ✓",
      content: { from: DISPLAY, to: USER, id: "wamid.live.echo", timestamp: String(at), type: "text", text: { body: "enviado do app ✓" } },
      timestamp: iso(at),
      thread: { id: expect.stringMatching(NON_EMPTY), waId: USER },
    });
    expect(live.received).toHaveLength(1);
  });

  it("OnThreadMessage receives its thread's new messages and status changes, not other threads'", async () => {
    const USER = "5511955554444";
    await deliverAll(app, [inboundText("wamid.tm.1", USER, 1_700_000_000, "primeira", "Bia")]);
    const list = await execute(app, ThreadListDocument, { phoneNumberId: PHONE_ID, search: USER });
    const threadId = list.threads.edges[0]?.node.id;
    if (!threadId) throw new Error("the thread is missing");

    const live = await subscribeTyped(wsClient(app.url), OnThreadMessageDocument, { threadId });
    await deliverAll(app, [
      inboundText("wamid.tm.other", "5511900001111", 1_700_000_005, "outra conversa"),
      echoText("wamid.tm.2", USER, 1_700_000_010, "resposta do app"),
      status("wamid.tm.2", USER, 1_700_000_020, "read"),
    ]);
    const got = (await live.next(2)).map((r) => r.messages);
    expect(got.map((m) => [m.wamid, m.direction, m.source, m.text, m.timestamp])).toEqual([
      ["wamid.tm.2", "OUTBOUND", "ECHO", "resposta do app", iso(1_700_000_010)],
      ["wamid.tm.2", "OUTBOUND", "ECHO", "resposta do app", iso(1_700_000_010)],
    ]);
    expect(got[1]!.status).toBe("READ");
    expect(live.received).toHaveLength(2);
  });
});

describe("dashboard: WabaNumbers", () => {
  it("lists a WABA's numbers: the one a coexistence PARTNER_REMOVED named cannot send, the WABA still can", async () => {
    const app = await startApp();
    await deliverAll(app, [
      inboundText("wamid.numbers.example", "16505551234", 1_739_200_000, "hello"),
      fixture("account_update/partner_removed_with_phone_number"),
    ]);
    const { waba } = await execute(app, WabaNumbersDocument, { wabaId: "102290129340398" });
    expect(waba).toMatchObject({ connectionState: "CONNECTED", canSend: true });
    expect(waba?.phoneNumbers).toEqual([
      {
        phoneNumberId: PHONE_ID,
        displayPhoneNumber: DISPLAY,
        canSend: false,
        lastActivityAt: iso(1739212624),
        historySync: { status: "NOT_STARTED", progress: 0 },
        disconnections: [
          { id: expect.any(String), kind: "PARTNER_REMOVED", phoneNumber: DISPLAY, occurredAt: iso(1739212624), recommendedAction: "CONFIRM_WITH_BUSINESS" },
        ],
      },
    ]);
    await app.stop();
  });
});

describe("inbox: ReplyToThread", () => {
  it("answers a conversation quoting the user's message: stored at once as queued, posted to Meta once with its context, the same key answered with the same message", async () => {
    const fake = await fakeGraph();
    const app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN } });
    const USER = "5511966665555";
    // A message from the user a minute ago: it opens the 24-hour service window, so a text may go.
    const at = Math.floor(Date.now() / 1000) - 60;
    await deliverAll(app, [inboundText("wamid.reply.in", USER, at, "Vocês entregam no sábado?", "Caio")]);
    const list = await execute(app, ThreadListDocument, { phoneNumberId: PHONE_ID, search: USER });
    const threadId = list.threads.edges[0]?.node.id;
    if (!threadId) throw new Error("the thread is missing");

    const reply = { phoneNumberId: PHONE_ID, threadId, text: "Entregamos sim, das 9h às 13h ✓", replyTo: "wamid.reply.in", idempotencyKey: "reply-1" };
    const { sendMessage: sent } = await execute(app, ReplyToThreadDocument, reply);
    expect(sent).toMatchObject({
      direction: "OUTBOUND",
      source: "API",
      type: "text",
      text: reply.text,
      send: { reason: null, idempotencyKey: "reply-1", error: null },
    });
    // Queued when stored; the queue may already have moved it on by the time the answer is read.
    expect(["QUEUED", "SENDING", "ACCEPTED"]).toContain(sent.send?.state);

    const [posted] = await eventually(
      async () => fake.sends(),
      (sends) => sends.length > 0,
      "the reply at the fake Graph API",
    );
    expect(posted!.body).toMatchObject({ to: USER, type: "text", text: { body: reply.text }, context: { message_id: "wamid.reply.in" } });
    const again = await execute(app, ReplyToThreadDocument, reply);
    expect(again.sendMessage.id).toBe(sent.id);
    const page = await eventually(
      () => execute(app, ThreadPageDocument, { threadId, last: 1 }),
      (p) => p.thread?.messages.edges[0]?.node.wamid === posted!.wamid,
      "the reply with Meta's wamid",
    );
    expect(page.thread?.messages.edges[0]?.node).toMatchObject({ source: "API", text: reply.text });
    expect(fake.sends()).toHaveLength(1);
  });
});
