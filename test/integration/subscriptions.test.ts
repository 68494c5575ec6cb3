import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";
import * as samples from "../../src/cli/samples.ts";
import { PHONE_ID, echoText, edit, historyChunk, inboundText, partnerAdded, partnerRemoved, revoke, status } from "../helpers/mirror.ts";

const app = await startApp();

describe("live lifecycle changes over graphql-ws", () => {
  it("pushes the disconnection a signed POST opened, once committed", async () => {
    const client = wsClient(app.url);
    const live = await subscribe(
      client,
      `subscription { disconnections(wabaId: "980198427658004") { kind reason initiatedBy recommendedAction resolvedAt waba { connectionState } } }`,
    );
    expect((await app.deliver(fixture("account_update/partner_removed_primary_inactivity_by_system"))).status).toBe(200);
    const [first] = await live.next(1);
    expect(first).toEqual({
      disconnections: {
        kind: "PARTNER_REMOVED",
        reason: "PRIMARY_INACTIVITY",
        initiatedBy: "SYSTEM",
        recommendedAction: "PROMPT_RECONNECT",
        resolvedAt: null,
        waba: { connectionState: "DISCONNECTED" },
      },
    });
  });

  it("says on each disconnection event what its commit did: OPENED, then RESOLVED", async () => {
    const waba = "300000000000001";
    const live = await subscribe(wsClient(app.url), `subscription { disconnections(wabaId: "${waba}") { kind change } }`);
    expect((await app.deliver(partnerRemoved(waba, 1_750_000_000))).status).toBe(200);
    expect((await app.deliver(partnerAdded(waba, 1_750_000_001))).status).toBe(200);
    expect(await live.next(2)).toEqual([
      { disconnections: { kind: "PARTNER_REMOVED", change: "OPENED" } },
      { disconnections: { kind: "PARTNER_REMOVED", change: "RESOLVED" } },
    ]);
  });

  it("leaves change null on a disconnection read by a query", async () => {
    const waba = "300000000000002";
    await app.deliver(partnerRemoved(waba, 1_750_000_000));
    const res = await app.graphql(`{ waba(wabaId: "${waba}") { disconnections { kind change } } }`);
    expect(res).toEqual({ data: { waba: { disconnections: [{ kind: "PARTNER_REMOVED", change: null }] } } });
  });

  it("pushes each account event once, even when Meta retries the delivery", async () => {
    const client = wsClient(app.url);
    const live = await subscribe(
      client,
      `subscription { accountEvents(wabaId: "862475293675413") { __typename event occurredAt waba { wabaId connectionState } } }`,
    );
    await app.deliver(fixture("account_update/account_offboarded"));
    await app.deliver(fixture("account_update/account_offboarded"));
    await app.deliver(fixture("account_update/account_reconnected_timed_before_offboarding"));
    const events = await live.next(2);
    expect(events.map((e: any) => e.accountEvents.event)).toEqual(["ACCOUNT_OFFBOARDED", "ACCOUNT_RECONNECTED"]);
    expect(events[1]).toMatchObject({ accountEvents: { __typename: "ConnectionAccountEvent", waba: { connectionState: "CONNECTED" } } });
    // A third event for this WABA would have arrived by now if the retry had been published again.
    await app.deliver(fixture("account_update/account_deleted"));
    expect(live.received).toHaveLength(2);
  });

  it("filters by wabaId and delivers to an unfiltered subscriber too", async () => {
    const client = wsClient(app.url);
    const other = await subscribe(client, `subscription { accountEvents(wabaId: "nobody") { event } }`);
    const all = await subscribe(client, `subscription { accountEvents { event waba { wabaId } } }`);
    await app.deliver(fixture("account_update/account_violation_adult"));
    expect((await all.next(1))[0]).toEqual({ accountEvents: { event: "ACCOUNT_VIOLATION", waba: { wabaId: "102290129340398" } } });
    expect(other.received).toEqual([]);
  });
});

describe("new WABAs over graphql-ws", () => {
  it("announces a WABA first seen through a message on wabaListed, once, with its row as stored", async () => {
    const business = { wabaId: "300000000000101", phoneNumberId: "400000000000101", displayNumber: "15550000101" };
    const live = await subscribe(wsClient(app.url), `subscription { wabaListed { wabaId connectionState phoneNumbers { phoneNumberId } } }`);
    const message = (n: number) =>
      samples.inboundText(business, { wamid: `wamid.listed.${n}`, user: "5511900000101", at: 1_760_000_000 + n, body: "oi", profileName: "Ana" });
    expect((await app.deliver(message(1))).status).toBe(200);
    expect(await live.next(1)).toEqual([
      { wabaListed: { wabaId: business.wabaId, connectionState: "CONNECTED", phoneNumbers: [{ phoneNumberId: business.phoneNumberId }] } },
    ]);
    // Known now: its next message and its first account event list nothing new. A WABA listed after them
    // arrives next, so had either been announced, it would be in between.
    expect((await app.deliver(message(2))).status).toBe(200);
    expect((await app.deliver(partnerRemoved(business.wabaId, 1_760_000_010))).status).toBe(200);
    expect((await app.deliver(partnerRemoved("300000000000102", 1_760_000_011))).status).toBe(200);
    await live.waitForCount(2);
    expect(live.received.map((r: any) => r.wabaListed.wabaId)).toEqual([business.wabaId, "300000000000102"]);
  });
});

describe("deliveries over graphql-ws", () => {
  it("pushes each delivery once its POST is answered, with the status it was left in", async () => {
    const live = await subscribe(wsClient(app.url), `subscription { deliveryRecorded { id status fields processedAt } }`);
    const res = await app.deliver(partnerRemoved("300000000000201", 1_760_000_020));
    expect(res.status).toBe(200);
    const [event] = await live.next(1);
    expect(event).toMatchObject({ deliveryRecorded: { status: "PROCESSED", fields: ["account_update"] } });
    expect(event.deliveryRecorded.processedAt).not.toBeNull();
  });
});

describe("live thread mirror over graphql-ws", () => {
  it("pushes an echo caused by a signed POST to messageEchoes, and not an inbound message", async () => {
    const client = wsClient(app.url);
    const echoes = await subscribe(client, `subscription { messageEchoes(phoneNumberId: "${PHONE_ID}") { wamid direction source text thread { waId } } }`);
    await app.deliver(inboundText("wamid.live.in", "5511988887777", 1_700_000_000, "not an echo"));
    await app.deliver(echoText("wamid.live.echo", "+5511988887777", 1_700_000_060, "enviado do app ✓"));
    expect(await echoes.next(1)).toEqual([
      { messageEchoes: { wamid: "wamid.live.echo", direction: "OUTBOUND", source: "ECHO", text: "enviado do app ✓", thread: { waId: "5511988887777" } } },
    ]);
    expect(echoes.received).toHaveLength(1);
  });

  it("pushes a thread's new, edited and revoked messages to messages(threadId)", async () => {
    await app.deliver(inboundText("wamid.t.1", "5511977776666", 1_700_000_000, "primeira"));
    const t = await app.graphql(`{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "5511977776666") { id } }`);
    const client = wsClient(app.url);
    const live = await subscribe(client, `subscription ($t: ID) { messages(threadId: $t) { wamid text revokedAt editedAt } }`, {
      t: t.data.threadByParticipants.id,
    });
    await app.deliver(inboundText("wamid.t.2", "5511977776666", 1_700_000_010, "segunda"));
    await app.deliver(edit("wamid.t.e", "wamid.t.2", "5511977776666", 1_700_000_020, "segunda, editada"));
    await app.deliver(revoke("wamid.t.r", "wamid.t.1", "5511977776666", 1_700_000_030));
    const got = (await live.next(3)).map((m: any) => m.messages);
    expect(got).toEqual([
      { wamid: "wamid.t.2", text: "segunda", revokedAt: null, editedAt: null },
      { wamid: "wamid.t.2", text: "segunda, editada", revokedAt: null, editedAt: "2023-11-14T22:13:40.000Z" },
      { wamid: "wamid.t.1", text: null, revokedAt: "2023-11-14T22:13:50.000Z", editedAt: null },
    ]);
  });

  it("says on each message event what its commit did and the status it left: CREATED, then UPDATED to DELIVERED and READ", async () => {
    const user = "5511955554444";
    const live = await subscribe(wsClient(app.url), `subscription { messages { wamid change statusAtCommit } }`);
    await app.deliver(echoText("wamid.commit.1", user, 1_700_000_000, "enviada"));
    await app.deliver(status("wamid.commit.1", user, 1_700_000_005, "delivered"));
    await app.deliver(status("wamid.commit.1", user, 1_700_000_009, "read"));
    const got = (await live.next(3)).map((m: any) => m.messages);
    expect(got.map((m: any) => [m.wamid, m.change])).toEqual([
      ["wamid.commit.1", "CREATED"],
      ["wamid.commit.1", "UPDATED"],
      ["wamid.commit.1", "UPDATED"],
    ]);
    expect(got.slice(1).map((m: any) => m.statusAtCommit)).toEqual(["DELIVERED", "READ"]);
  });

  it("publishes a message created and moved to DELIVERED in one commit once, as CREATED with statusAtCommit DELIVERED", async () => {
    const user = "5511944443333";
    const live = await subscribe(wsClient(app.url), `subscription { messages { wamid change statusAtCommit } }`);
    // One delivery with two changes, as Meta may batch them: the echo, then its status.
    const echo = echoText("wamid.commit.2", user, 1_700_000_000, "enviada");
    const delivered = status("wamid.commit.2", user, 1_700_000_004, "delivered");
    await app.deliver({ ...echo, entry: [{ ...echo.entry[0]!, changes: [...echo.entry[0]!.changes, ...delivered.entry[0]!.changes] }] });
    expect(await live.next(1)).toEqual([{ messages: { wamid: "wamid.commit.2", change: "CREATED", statusAtCommit: "DELIVERED" } }]);
    await app.deliver(fixture("account_update/account_deleted"));
    expect(live.received).toHaveLength(1);
  });

  it("pushes history progress to historySyncProgress", async () => {
    const client = wsClient(app.url);
    const live = await subscribe(client, `subscription { historySyncProgress(phoneNumberId: "${PHONE_ID}") { status progress } }`);
    const m = { wamid: "wamid.h.1", user: "5511966665555", outbound: false, at: 1_700_000_000, body: "antiga" };
    await app.deliver(historyChunk(2, 1, 40, [m]));
    await app.deliver(historyChunk(2, 2, 100, [{ ...m, wamid: "wamid.h.2" }]));
    expect((await live.next(2)).map((h: any) => h.historySyncProgress)).toEqual([
      { status: "IN_PROGRESS", progress: 40 },
      { status: "COMPLETE", progress: 100 },
    ]);
  });
});
