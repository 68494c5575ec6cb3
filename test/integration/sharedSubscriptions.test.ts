/**
 * Subscriptions that send the same operation (document, operationName, variables) share one
 * execution per event on the server. From the outside nothing may change: every subscriber still
 * sees exactly its own stream. These specify that, across connections and on one connection.
 */
import { describe, expect, it } from "vitest";
import type { Client } from "graphql-ws";
import { startApp } from "../helpers/app.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";
import { PHONE_ID, inboundText } from "../helpers/mirror.ts";

const app = await startApp();

const ON_THREAD = `subscription OnThread($t: ID) { messages(threadId: $t) { wamid text } }`;

let clock = 1_700_000_000;
const say = (wamid: string, from: string, body = wamid) => app.deliver(inboundText(wamid, from, clock++, body));

/** A thread's id, created by a first message from `user`. */
async function threadOf(user: string): Promise<string> {
  await say(`wamid.${user}.first`, user);
  const t = await app.graphql(`{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${user}") { id } }`);
  return t.data.threadByParticipants.id;
}

/** Waits until the server has handled everything this client sent before (one socket, in order). */
const roundTrip = (client: Client) => client.iterate({ query: "{ __typename }" }).next();

const wamids = (results: any[]) => results.map((r) => r.messages.wamid);

describe("subscribers of the same operation", () => {
  it("each receive every event exactly once, on separate connections and on one", async () => {
    const user = "5511900000001";
    const t = await threadOf(user);
    const first = wsClient(app.url);
    const a = await subscribe(first, ON_THREAD, { t });
    const b = await subscribe(first, ON_THREAD, { t });
    const c = await subscribe(wsClient(app.url), ON_THREAD, { t });

    await say("wamid.same.1", user);
    await say("wamid.same.2", user);
    await say("wamid.same.3", user);

    for (const live of [a, b, c]) expect(wamids(await live.next(3))).toEqual(["wamid.same.1", "wamid.same.2", "wamid.same.3"]);
    // A duplicate would have been sent before the last event: by now it would have arrived.
    for (const live of [a, b, c]) expect(live.received).toHaveLength(3);
  });

  it("with other variables or another selection get only their own events, in their own shape", async () => {
    const [u1, u2] = ["5511900000002", "5511900000003"];
    const [t1, t2] = [await threadOf(u1), await threadOf(u2)];
    const client = wsClient(app.url);
    const onT1 = await subscribe(client, ON_THREAD, { t: t1 });
    const onT2 = await subscribe(wsClient(app.url), ON_THREAD, { t: t2 });
    const onT1Wamids = await subscribe(client, `subscription OnThread($t: ID) { messages(threadId: $t) { wamid } }`, { t: t1 });

    await say("wamid.own.1", u1, "para t1");
    await say("wamid.own.2", u2, "para t2");
    await say("wamid.own.3", u1, "de novo t1");

    expect((await onT1.next(2)).map((r: any) => r.messages)).toEqual([
      { wamid: "wamid.own.1", text: "para t1" },
      { wamid: "wamid.own.3", text: "de novo t1" },
    ]);
    expect((await onT2.next(1)).map((r: any) => r.messages)).toEqual([{ wamid: "wamid.own.2", text: "para t2" }]);
    expect((await onT1Wamids.next(2)).map((r: any) => r.messages)).toEqual([{ wamid: "wamid.own.1" }, { wamid: "wamid.own.3" }]);
    expect([onT1.received.length, onT2.received.length, onT1Wamids.received.length]).toEqual([2, 1, 2]);
  });

  it("keep their stream when another one leaves, and a new subscriber after everyone left gets events again", async () => {
    const user = "5511900000004";
    const t = await threadOf(user);
    const leaving = wsClient(app.url);
    const staying = wsClient(app.url);
    const gone = await subscribe(leaving, ON_THREAD, { t });
    const kept = await subscribe(staying, ON_THREAD, { t });

    await say("wamid.leave.1", user);
    await gone.next(1);
    gone.unsubscribe();
    await roundTrip(leaving);

    await say("wamid.leave.2", user);
    expect(wamids(await kept.next(2))).toEqual(["wamid.leave.1", "wamid.leave.2"]);
    expect(gone.received).toHaveLength(1);

    // The last one leaving releases the shared stream; the next subscriber must not find it dead.
    kept.unsubscribe();
    await roundTrip(staying);
    const again = await subscribe(wsClient(app.url), ON_THREAD, { t });
    await say("wamid.leave.3", user);
    expect(wamids(await again.next(1))).toEqual(["wamid.leave.3"]);
  });

  it("all get the errors of an execution, as a subscriber alone would", async () => {
    const user = "5511900000005";
    const t = await threadOf(user);
    // A nested argument the resolver rejects: the error arrives with each event, in the result.
    const failing = `subscription ($t: ID) { messages(threadId: $t) { wamid thread { messages(first: -1) { edges { cursor } } } } }`;
    const clients = [wsClient(app.url), wsClient(app.url)];
    const streams = clients.map((client) => client.iterate({ query: failing, variables: { t } }));
    const pending = streams.map((s) => s.next());
    await Promise.all(clients.map(roundTrip));

    await say("wamid.err.1", user);
    for (const step of await Promise.all(pending)) {
      expect(step.value).toEqual({
        data: null,
        errors: [expect.objectContaining({ message: 'Argument "first" must be a non-negative integer', path: ["messages"] })],
      });
    }
  });

  it("all get the error of variables that do not coerce, and their subscriptions end", async () => {
    const clients = [wsClient(app.url), wsClient(app.url)];
    const streams = clients.map((client) => client.iterate({ query: ON_THREAD, variables: { t: { not: "an id" } } }));
    for (const stream of streams) {
      const first = await stream.next();
      expect(first.value).toEqual({
        errors: [
          expect.objectContaining({
            message: 'Variable "$t" got invalid value { not: "an id" }; ID cannot represent value: { not: "an id" }',
            extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
          }),
        ],
      });
      expect(await stream.next()).toEqual({ done: true, value: undefined });
    }
  });
});
