import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { API_TOKEN } from "../helpers/app.ts";
import { fixture, metaBytes } from "../helpers/meta.ts";
import { rawGet } from "../helpers/rawHttp.ts";
import { Signal } from "../helpers/signal.ts";
import { mapLimit } from "../helpers/mapLimit.ts";
import { errorCode, openSse, type SseStream } from "../helpers/sse.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";
import { makeToken, revokeNamed } from "../helpers/tokens.ts";
import { LIMITS, startTarget } from "./target.ts";

// Issue #18, items 3–5: long-lived streams (SSE and graphql-ws) against the real server process.
// Small limits, as an operator could set them, so that each is reached with a few dozen sockets.
const STREAMS = { API_TOKEN_CACHE_TTL_MS: "300", SUBSCRIPTIONS_MAX_PER_TOKEN: "4", STREAMS_MAX: "8" };
const target = await startTarget(STREAMS);
afterEach(() => target.stillSound());

const PER_TOKEN = Number(STREAMS.SUBSCRIPTIONS_MAX_PER_TOKEN);
// A revoke is seen once the token's cached answer expires (one TTL) and the next re-check runs
// (every max(TTL, 1 s)); twice that, plus room for a loaded machine.
const TTL = Number(STREAMS.API_TOKEN_CACHE_TTL_MS);
const REVOKE_BOUND_MS = 2 * (TTL + Math.max(TTL, 1000)) + 3_000;

const LIVE = "subscription { accountEvents { __typename } }";
let names = 0;
/** A stored read token for every WABA, as `hub tokens create` makes it. */
async function newToken(): Promise<{ name: string; secret: string }> {
  const name = `streams-${++names}`;
  return { name, secret: await makeToken(target.databaseUrl, { name, wabaIds: "ALL", scope: "read" }) };
}

const refusedWith = (s: SseStream) => s.events.map(errorCode).find(Boolean);
const streaming = (s: SseStream) => s.status === 200 && s.events.length === 0;
async function endedByRevoke(s: SseStream) {
  await s.waitFor((e) => errorCode(e) === "UNAUTHENTICATED", REVOKE_BOUND_MS, "the UNAUTHENTICATED event of a revoked stream");
  await s.ended;
}

describe("a revoked token's SSE streams", () => {
  it(`end with an UNAUTHENTICATED event within about two cache periods (${REVOKE_BOUND_MS} ms), GET and POST`, async () => {
    const { name, secret } = await newToken();
    const streams = [await openSse(target.url, secret, LIVE, "POST"), await openSse(target.url, secret, LIVE, "GET")];
    expect((await target.deliver(metaBytes(fixture("account_update/account_offboarded")))).status).toBe(200);
    for (const s of streams) await s.waitFor((e) => e.event === "next" && !errorCode(e), 5_000, "a live event");
    await revokeNamed(target.databaseUrl, name);
    for (const s of streams) await endedByRevoke(s);
  });
});

describe(`subscriptions per token (SUBSCRIPTIONS_MAX_PER_TOKEN ${PER_TOKEN})`, () => {
  it("the one past the limit is refused TOO_MANY_SUBSCRIPTIONS, on SSE and on graphql-ws alike", async () => {
    const { secret } = await newToken();
    const sse = [await openSse(target.url, secret, LIVE), await openSse(target.url, secret, LIVE)];
    const client = wsClient(target.url, secret);
    const ws = [await subscribe(client, LIVE), await subscribe(client, LIVE)];
    expect([...sse.map(streaming), ...ws.map((c) => c.items.length === 0)]).toEqual([true, true, true, true]);
    const overSse = await openSse(target.url, secret, LIVE);
    await overSse.ended;
    expect(refusedWith(overSse)).toBe("TOO_MANY_SUBSCRIPTIONS");
    const overWs = await subscribe(client, LIVE);
    await overWs.waitForCount(1, 5_000).catch(() => {});
    expect(JSON.stringify(overWs.errors())).toContain("TOO_MANY_SUBSCRIPTIONS");
  });

  it(`a flood of one token's SSE streams (more than HTTP_MAX_CONNECTIONS, ${LIMITS.HTTP_MAX_CONNECTIONS}) leaves /healthz and another token's query answering`, async () => {
    const { secret } = await newToken();
    // Eight at a time: a burst of dozens of fresh connections from one busy process is the half-open budget's case, not this one.
    const flood = await mapLimit(Array.from({ length: Number(LIMITS.HTTP_MAX_CONNECTIONS) + 10 }), 8, () => openSse(target.url, secret, LIVE));
    // The refused end at once (their one event said why); the admitted stay open.
    const ended = new Signal();
    let refused = 0;
    for (const s of flood) void s.ended.then(() => (refused++, ended.notify()));
    await ended.until(() => refused >= flood.length - PER_TOKEN, 10_000, "the refused streams to end");
    expect(flood.filter((s) => refusedWith(s) === "TOO_MANY_SUBSCRIPTIONS")).toHaveLength(flood.length - PER_TOKEN);
    expect(flood.filter(streaming)).toHaveLength(PER_TOKEN);
    expect((await rawGet(target.port, "/healthz")).status).toBe(200);
    const other = await newToken();
    const res = await fetch(`${target.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${other.secret}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await res.json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe(`the stream budget (STREAMS_MAX ${STREAMS.STREAMS_MAX})`, () => {
  it("is shared by every token: past it, SSE gets TOO_MANY_STREAMS and a WebSocket upgrade 503; a revoke gives its slots back", async () => {
    const [first, second, late] = [await newToken(), await newToken(), await newToken()];
    const held = [];
    for (const t of [first, second]) for (let i = 0; i < PER_TOKEN; i++) held.push(await openSse(target.url, t.secret, LIVE));
    expect(held.every(streaming)).toBe(true);
    const refused = await openSse(target.url, late.secret, LIVE);
    await refused.ended;
    expect(refusedWith(refused)).toBe("TOO_MANY_STREAMS");
    expect(await upgradeStatus()).toBe(503);
    expect((await rawGet(target.port, "/healthz")).status).toBe(200);

    await revokeNamed(target.databaseUrl, first.name);
    for (const s of held.slice(0, PER_TOKEN)) await endedByRevoke(s);
    const after = [];
    for (let i = 0; i < PER_TOKEN; i++) after.push(await openSse(target.url, late.secret, LIVE));
    expect(after.every(streaming)).toBe(true);
  });
});

describe("sockets that never authenticate", () => {
  it(`a flood of never-init sockets, reopened on close, leaves clients that show their token at the upgrade able to connect (WS_MAX_UNAUTHENTICATED_SOCKETS ${LIMITS.WS_MAX_UNAUTHENTICATED_SOCKETS})`, async () => {
    const url = target.url.replace("http", "ws") + "/graphql";
    let flooding = true;
    const open = new Set<WebSocket>();
    const flooder = () => {
      if (!flooding) return;
      const s = new WebSocket(url, "graphql-transport-ws");
      open.add(s);
      s.on("error", () => {});
      // Reopened 10 ms after each close: a flood reconnecting faster than that from one address
      // churns every budget of the process; that is the proxy's per-client limit (SECURITY.md).
      s.on("close", () => (open.delete(s), setTimeout(flooder, 10)));
    };
    // Four times their budget, and more than the stream budget; fewer than HTTP_MAX_CONNECTIONS
    // (a flood past that, from one address, is for the proxy's per-client limit: docs/production.md).
    for (let i = 0; i < 4 * Number(LIMITS.WS_MAX_UNAUTHENTICATED_SOCKETS); i++) flooder();
    try {
      for (let i = 0; i < 5; i++) {
        // A Node client can show its token at the upgrade (browsers cannot: for them the flood's
        // own oldest sockets are pushed out first, and graphql-ws clients reconnect).
        // And, as real clients do, it reconnects when a connection is dropped before its upgrade is answered.
        const client = wsClient(target.url, API_TOKEN, {
          webSocketImpl: withUpgradeHeaders({ Authorization: `Bearer ${API_TOKEN}` }),
          retryAttempts: 5,
          shouldRetry: () => true,
          retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
        });
        const answer = await client.iterate({ query: "{ __typename }" }).next();
        expect(answer.value).toEqual({ data: { __typename: "Query" } });
        await client.dispose();
      }
    } finally {
      flooding = false;
      open.forEach((s) => s.terminate());
    }
  });
});

/** The status of a WebSocket upgrade on /graphql (101 when it opens). */
function upgradeStatus(): Promise<number> {
  return new Promise((resolve) => {
    const s = new WebSocket(target.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    s.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    s.on("open", () => (resolve(101), s.close()));
    s.on("error", () => resolve(0));
  });
}

/** A WebSocket class that sends `headers` with its upgrade request (what graphql-ws's webSocketImpl takes). */
function withUpgradeHeaders(headers: Record<string, string>): unknown {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}
