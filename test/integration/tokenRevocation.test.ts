import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startApp } from "../helpers/app.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { dropTokenTable, makeToken, revokeNamed } from "../helpers/tokens.ts";
import { wsJson } from "../helpers/subscriptions.ts";

// A short cache period, so a revoke shows within the test's patience.
const app = await startApp({ apiTokenCacheTtlMs: 300 });
const A = "310000000000001";

const graphql = (token: string, query: string) => graphqlAnswer(app.url, query, undefined, { token });

describe("a revoked token", () => {
  /** Asks until the answer is 401, within the cache period plus a margin (the app's API_TOKEN_CACHE_TTL_MS is 300 ms). */
  async function statusWithin(token: string, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    let status: number;
    do {
      status = (await graphql(token, "{ wabas(first: 1) { edges { node { wabaId } } } }")).status;
      if (status === 401) return status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    return status;
  }

  const wsCloseCode = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(app.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } })));
      socket.on("message", (m) => {
        if (wsJson(m).type === "connection_ack") socket.close(1000);
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });

  it("is answered 401 over HTTP once the cache period has passed, and refused with 4401 by graphql-ws", async () => {
    const secret = await makeToken(app.databaseUrl, { name: "soon-revoked", wabaIds: [A], scope: "read" });
    expect((await graphql(secret, "{ __typename }")).status).toBe(200);
    expect(await wsCloseCode(secret)).toBe(1000);
    await revokeNamed(app.databaseUrl, "soon-revoked");
    expect(await statusWithin(secret, 2_000)).toBe(401);
    expect(await wsCloseCode(secret)).toBe(4401);
  });

  it("loses its open graphql-ws connection, closed with 4401", async () => {
    const secret = await makeToken(app.databaseUrl, { name: "revoked-while-subscribed", wabaIds: [A], scope: "read" });
    const closed = new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(app.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${secret}` } })));
      socket.on("message", (m) => {
        if (wsJson(m).type !== "connection_ack") return;
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { messages { id } }" } }));
        void revokeNamed(app.databaseUrl, "revoked-while-subscribed");
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });
    expect(await closed).toBe(4401);
  });

  it("and a made-up secret with the token prefix are both answered 401", async () => {
    expect((await graphql("chub_made-up-secret", "{ __typename }")).status).toBe(401);
  });
});

describe("a token that cannot be looked up", () => {
  it("is answered 500 over HTTP and 1011 over graphql-ws, with no database text, and the hub stays up", async () => {
    const broken = await startApp();
    // Not an outage but a broken database: the tokens table is gone.
    await dropTokenTable(broken.databaseUrl);
    const res = await fetch(`${broken.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer chub_not-findable" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body).errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(body).not.toMatch(/ApiToken|table|relation|SQL/i);
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(broken.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: "Bearer chub_not-findable" } })));
      socket.on("close", (code, reason) => resolve({ code, reason: String(reason) }));
      socket.on("error", reject);
    });
    expect(closed).toEqual({ code: 1011, reason: "Unexpected error." });
    expect((await fetch(`${broken.url}/healthz`)).status).toBe(200);
  });
});
