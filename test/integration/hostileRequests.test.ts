import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { API_TOKEN, APP_SECRET, TEST_GRAPHQL, TEST_HTTP, startApp } from "../helpers/app.ts";
import { LEAK, rawGet, rawRequest } from "../helpers/rawHttp.ts";
import { signLikeMeta } from "../helpers/meta.ts";
import { OFF_LOOP_BYTES } from "../../src/webhooks/readOffLoop.ts";

// Requests an attacker writes by hand (issue #9): each is answered, nothing in the answer shows
// how the hub is built, and the process keeps serving.
const app = await startApp();
const locked = await startApp({ graphql: { ...TEST_GRAPHQL, introspection: false, graphiql: false } });

const healthy = async (port = app.port) => expect((await rawGet(port, "/healthz")).status).toBe(200);

describe("request targets and Host headers that are not URLs", () => {
  it.each(["/\\[", "//[", "http://[", "http://[/graphql", "/graphql/../[", "*"])("answers %s without crashing or leaking", async (target) => {
    const res = await rawGet(app.port, target);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toMatch(LEAK);
    await healthy();
  });

  it("answers Host: [ on /graphql with 400 and no stack", async () => {
    const res = await rawGet(app.port, "/graphql", { Host: "[", Accept: "application/json" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ code: "BAD_REQUEST_TARGET", error: "request target or Host header is not a valid URL" });
    await healthy();
  });

  it("routes an absolute-form target by its path", async () => {
    expect((await rawGet(app.port, "http://example.com/healthz")).status).toBe(200);
  });

  it("reads the webhook handshake from an absolute-form target", async () => {
    const res = await rawGet(app.port, "http://x/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=42");
    expect(res.status).toBe(200);
    expect(res.body).toBe("42");
  });
});

describe("every GraphQL operation needs a token, whatever the URL looks like", () => {
  const query = encodeURIComponent("{ threads(first: 5) { edges { node { waId lastMessage { text } } } } }");
  const tricks = [
    ["a query after a fragment", `/graphql#?query=${query}`, "application/json, text/html"],
    ["the same as a live SSE stream", `/graphql#?query=${query}`, "text/event-stream, text/html"],
    ["a plain GET query asking for HTML too", `/graphql?query=${query}`, "application/json, text/html"],
    ["a persisted-style documentId", `/graphql?documentId=x`, "text/html"],
  ] as const;

  for (const [name, target, accept] of tricks) {
    it(`answers 401 to ${name}, GraphiQL on`, async () => {
      const res = await rawGet(app.port, target, { Accept: accept });
      expect(res.status).toBe(401);
      expect(res.body).not.toContain("lastMessage");
    });
    it(`answers 401 to ${name}, GraphiQL off`, async () => {
      expect((await rawGet(locked.port, target, { Accept: accept })).status).toBe(401);
    });
  }

  it("serves the GraphiQL page itself without a token when GraphiQL is on", async () => {
    const res = await rawGet(app.port, "/graphql", { Accept: "text/html" });
    expect(res.status).toBe(200);
    expect(res.body).toContain("Coexist Hub");
  });

  it("answers 401 to a browser's GET for the page when GraphiQL is off", async () => {
    expect((await rawGet(locked.port, "/graphql", { Accept: "text/html" })).status).toBe(401);
  });

  it("still answers a GET query that carries the token", async () => {
    const res = await rawGet(app.port, `/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      Accept: "application/json",
      Authorization: `Bearer ${API_TOKEN}`,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ data: { __typename: "Query" } });
  });
});

describe("webhook envelopes", () => {
  it('answers a signed {"object":"page"} envelope with 400 and stores nothing', async () => {
    const res = await app.deliver({ object: "page", entry: [{ id: "1", changes: [] }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: "BAD_BODY", error: 'expected object "whatsapp_business_account", got "page"' });
    expect((await app.graphql("{ webhookDeliveries { totalCount } }")).data.webhookDeliveries.totalCount).toBe(0);
  });

  it("answers a signed body nested 5,000 levels deep with 400, and keeps serving", async () => {
    // Written as text: building it as an object would overflow the test's own JSON.stringify.
    const value = "[".repeat(5_000) + '"x"' + "]".repeat(5_000);
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":${value}}]}]}`;
    const res = await app.post(body, { "X-Hub-Signature-256": signLikeMeta(body, APP_SECRET) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/nested deeper than 64 levels/);
    await healthy();
  });

  it("answers a body of 256 KB and more (read on the parse thread) as any other: 401 when wrongly signed, 400 when nested too deep, and stores nothing", async () => {
    const large = await startApp({ webhookMaxBytes: 1024 * 1024 });
    const padding = `"${"x".repeat(OFF_LOOP_BYTES)}"`;
    const deep = `{"object":"whatsapp_business_account","pad":${padding},"entry":[{"id":"1","changes":[{"field":"account_update","value":${"[".repeat(5_000)}"x"${"]".repeat(5_000)}}]}]}`;
    const tooDeep = await large.post(deep, { "X-Hub-Signature-256": signLikeMeta(deep, APP_SECRET) });
    expect(tooDeep.status).toBe(400);
    expect(await tooDeep.json()).toEqual({ code: "BAD_BODY", error: "JSON nested deeper than 64 levels" });
    const page = `{"object":"page","pad":${padding},"entry":[{"id":"1","changes":[]}]}`;
    const unsigned = await large.post(page, { "X-Hub-Signature-256": signLikeMeta(page, "not the app secret") });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).code).toBe("BAD_SIGNATURE");
    const foreign = await large.post(page, { "X-Hub-Signature-256": signLikeMeta(page, APP_SECRET) });
    expect(await foreign.json()).toEqual({ code: "BAD_BODY", error: 'expected object "whatsapp_business_account", got "page"' });
    expect((await large.graphql("{ webhookDeliveries { totalCount } }")).data.webhookDeliveries.totalCount).toBe(0);
    await healthy(large.port);
  });

  it("answers a verification with a wrong token of the right length with 403", async () => {
    const res = await rawGet(app.port, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-tokeX&hub.challenge=1");
    expect(res.status).toBe(403);
  });
});

describe("slow and oversized requests", () => {
  it("refuses a header block over HTTP_MAX_HEADER_BYTES with 431", async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `X-${i}: ${"v".repeat(10)}\r\n`).join("");
    const res = await rawRequest(app.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}Connection: close\r\n\r\n`);
    expect(res.status).toBe(431);
    await healthy();
  });
});

describe("slow clients", () => {
  it("answers 408 and closes a connection whose headers do not arrive in time", async () => {
    const slow = await startApp({
      http: { ...TEST_HTTP, headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 1_000 },
    });
    const started = Date.now();
    const res = await rawRequest(slow.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5_000);
    expect(res.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await rawGet(slow.port, "/healthz")).status).toBe(200);
  });

  it("closes a body that does not arrive in time", async () => {
    const slow = await startApp({
      http: { ...TEST_HTTP, headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 1_000 },
    });
    const started = Date.now();
    const res = await rawRequest(slow.port, "POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{", 5_000);
    expect([0, 400, 408]).toContain(res.status);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("connection count", () => {
  it("drops connections beyond HTTP_MAX_CONNECTIONS and serves again once they close", async () => {
    const capped = await startApp({
      http: { ...TEST_HTTP, maxConnections: 2 },
    });
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect(capped.port, "127.0.0.1", () => resolve(s));
          }),
      ),
    );
    expect((await rawGet(capped.port, "/healthz")).status).toBe(0);
    held.forEach((s) => s.destroy());
    // The server counts a socket as gone when it sees the close: ask until it has.
    let status = 0;
    for (const deadline = Date.now() + 5_000; status !== 200 && Date.now() < deadline;) status = (await rawGet(capped.port, "/healthz")).status;
    expect(status).toBe(200);
  });
});
