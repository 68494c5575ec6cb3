import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { API_TOKEN, APP_SECRET, TEST_PROVIDER } from "../helpers/app.ts";
import { fixture, metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { inboundText } from "../helpers/mirror.ts";
import { rawGet, rawRequest, type RawResponse } from "../helpers/rawHttp.ts";
import { LIMITS, expectNoLeak, startTarget } from "./target.ts";
import { wsJson } from "../helpers/subscriptions.ts";

// Issue #9, replayed as an attacker would, on raw sockets, against the real server process in
// production mode. After each attack: still up, ready, nothing unsigned stored (afterEach).
const target = await startTarget();
afterEach(() => target.stillSound());

const THREADS = encodeURIComponent("{ threads(first: 5) { edges { node { waId lastMessage { text } } } } }");
const noData = (res: RawResponse) => {
  expectNoLeak(res.body);
  expect(res.body).not.toContain('"data"');
};

/** POSTs bytes on a raw socket with the given signature header (or none). */
const rawPost = (body: Buffer, signature?: string) =>
  rawRequest(
    target.port,
    Buffer.concat([
      Buffer.from(
        `POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
          (signature ? `X-Hub-Signature-256: ${signature}\r\n` : "") +
          "Connection: close\r\n\r\n",
      ),
      body,
    ]),
  );
const signedPost = async (body: Buffer) => {
  const res = await rawPost(body, signLikeMeta(body, APP_SECRET));
  if (res.status === 200) target.signedAndAccepted++;
  return res;
};

describe(`request targets that are not URLs (${TEST_PROVIDER})`, () => {
  it.each(["/\\[", "//[", "http://[", "http://[/graphql"])("GET %s is answered, not a crash", async (t) => {
    const res = await rawGet(target.port, t);
    expect(res.status).toBeGreaterThanOrEqual(400);
    noData(res);
  });

  it("Host: [ on /graphql is a 400 without a stack", async () => {
    const res = await rawGet(target.port, "/graphql", { Host: "[", Accept: "application/json" });
    expect(res.status).toBe(400);
    noData(res);
  });
});

describe("GraphQL without a token", () => {
  it.each([
    ["a query after a fragment", `/graphql#?query=${THREADS}`, "application/json, text/html"],
    ["a live SSE stream after a fragment", `/graphql#?query=${THREADS}`, "text/event-stream, text/html"],
    ["a plain GET query", `/graphql?query=${THREADS}`, "application/json"],
    ["the GraphiQL page (off in production)", "/graphql", "text/html"],
  ])("%s gets 401", async (_name, t, accept) => {
    const res = await rawGet(target.port, t, { Accept: accept });
    expect(res.status).toBe(401);
    noData(res);
  });

  it("a POST gets 401", async () => {
    const body = JSON.stringify({ query: decodeURIComponent(THREADS) });
    const res = await rawRequest(
      target.port,
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(res.status).toBe(401);
    noData(res);
  });

  it("a WebSocket without a token is closed with 4401", async () => {
    const socket = new WebSocket(target.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
    expect(await new Promise((resolve) => socket.on("close", resolve))).toBe(4401);
  });

  it("an origin not on CORS_ORIGINS gets no CORS headers", async () => {
    const res = await rawRequest(
      target.port,
      "OPTIONS /graphql HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n",
    );
    expect(res.head).not.toMatch(/access-control-allow-(origin|credentials)/i);
  });
});

describe("WebSocket before authentication", () => {
  it(`a 20 MB frame before connection_init is refused without the memory growing (${LIMITS.WS_MAX_PAYLOAD_BEFORE_INIT}-byte limit)`, async () => {
    const before = target.rssMb();
    const socket = new WebSocket(target.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(Buffer.alloc(20 * 1024 * 1024, 0x61));
    expect(await new Promise((resolve) => socket.on("close", resolve))).toBe(1009);
    expect(target.rssMb() - before).toBeLessThan(15);
  });

  it("a socket that never sends connection_init is closed (4408)", async () => {
    const socket = new WebSocket(target.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    expect(await new Promise((resolve) => socket.on("close", resolve))).toBe(4408);
  });

  it(`once STREAMS_MAX (${LIMITS.STREAMS_MAX}) sockets are acknowledged, the next upgrade gets 503`, async () => {
    const url = target.url.replace("http", "ws") + "/graphql";
    // One after the other: opened all at once, more than WS_MAX_UNAUTHENTICATED_SOCKETS would push each other out.
    const open: WebSocket[] = [];
    while (open.length < Number(LIMITS.STREAMS_MAX)) {
      const s = new WebSocket(url, "graphql-transport-ws");
      s.on("open", () => s.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${API_TOKEN}` } })));
      open.push(await new Promise<WebSocket>((resolve) => s.on("message", () => resolve(s))));
    }
    const refused = await new Promise<number>((resolve) => {
      const s = new WebSocket(url, "graphql-transport-ws");
      s.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      s.on("open", () => resolve(101));
      s.on("error", () => {});
    });
    expect(refused).toBe(503);
    await Promise.all(open.map((s) => new Promise((resolve) => (s.on("close", resolve), s.close()))));
  });

  it("a syntax error in one subscribe is an error for that id; the socket and its other subscription stay", async () => {
    const socket = new WebSocket(target.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    const messages: any[] = [];
    const arrived = (p: (m: any) => boolean) =>
      new Promise<any>((resolve) => {
        const check = () => {
          const m = messages.find(p);
          if (m) resolve(m);
        };
        socket.on("message", (d) => (messages.push(wsJson(d)), check()));
        check();
      });
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${API_TOKEN}` } })));
    await arrived((m) => m.type === "connection_ack");
    socket.send(JSON.stringify({ id: "live", type: "subscribe", payload: { query: "subscription { accountEvents { __typename } }" } }));
    socket.send(JSON.stringify({ id: "bad", type: "subscribe", payload: { query: "subscription { (" } }));
    expect((await arrived((m) => m.id === "bad")).type).toBe("error");
    const res = await signedPost(metaBytes(fixture("account_update/account_offboarded")));
    expect(res.status).toBe(200);
    expect((await arrived((m) => m.id === "live")).type).toBe("next");
    socket.close();
  });
});

describe("webhook bodies", () => {
  it("unsigned 1 MB bodies, ASCII and non-ASCII, are refused with 401", async () => {
    for (const unit of ["a", "é"]) {
      const body = Buffer.from(
        `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":"${unit.repeat(450_000)}"}]}]}`,
      );
      for (const signature of [undefined, "sha256=" + "0".repeat(64)]) {
        const res = await rawPost(body, signature);
        expect(res.status).toBe(401);
        expectNoLeak(res.body);
      }
    }
  });

  it('a signed {"object":"page"} envelope is a 400, not stored', async () => {
    const res = await signedPost(Buffer.from('{"object":"page","entry":[{"id":"1","changes":[]}]}'));
    expect(res.status).toBe(400);
  });

  it("a signed body nested 5,000 levels deep is a 400", async () => {
    const value = "[".repeat(5_000) + "1" + "]".repeat(5_000);
    const res = await signedPost(
      Buffer.from(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":${value}}]}]}`),
    );
    expect(res.status).toBe(400);
    expectNoLeak(res.body);
  });

  it("a signed delivery with NUL in names and keys is stored and projected", async () => {
    const res = await signedPost(metaBytes(inboundText("wamid.sec.nul", "5511900000099", 1_760_000_000, "oi\u0000", "Ana\u0000")));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).outcome).not.toBe("FAILED");
  });

  it("a wrong verify token of the right length is a 403", async () => {
    const res = await rawGet(target.port, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-tokeX&hub.challenge=1");
    expect(res.status).toBe(403);
  });
});

describe("search", () => {
  it('"%" and "_" are taken literally', async () => {
    for (const search of ["%", "_"]) {
      const res = await target.graphql("query ($s: String) { threads(search: $s) { edges { node { waId } } } }", { s: search });
      expect(res.data.threads.edges).toEqual([]);
    }
  });

  it("a 50,000-character search is a BAD_USER_INPUT error", async () => {
    const res = await target.graphql("query ($s: String) { threads(search: $s) { edges { node { waId } } } }", { s: "x".repeat(50_000) });
    expect(res.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expectNoLeak(JSON.stringify(res));
  });
});

describe("slow and many clients", () => {
  it(`headers that never end are cut off after HTTP_HEADERS_TIMEOUT_MS (${LIMITS.HTTP_HEADERS_TIMEOUT_MS} ms)`, async () => {
    const started = Date.now();
    const res = await rawRequest(target.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 10_000);
    expect(res.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it(`connections beyond HTTP_MAX_CONNECTIONS (${LIMITS.HTTP_MAX_CONNECTIONS}) are dropped, and service resumes when they go`, async () => {
    // Each has sent a whole request and sits in keep-alive: past the half-open budget, so only the cap holds it.
    // One after the other, so that none is pushed out as half-open before its request is read,
    // until one is dropped unanswered (other clients' keep-alive connections may hold a few).
    const held: Socket[] = [];
    let dropped = false;
    while (!dropped && held.length <= Number(LIMITS.HTTP_MAX_CONNECTIONS)) {
      const s = connect(target.port, "127.0.0.1", () => s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      s.on("error", () => {});
      held.push(s);
      dropped = await new Promise<boolean>((resolve) => (s.once("data", () => resolve(false)), s.once("close", () => resolve(true))));
    }
    expect(dropped, `a connection past HTTP_MAX_CONNECTIONS was answered (${held.length} open)`).toBe(true);
    expect((await rawGet(target.port, "/healthz")).status).toBe(0);
    held.forEach((s) => s.destroy());
    let status = 0;
    for (const deadline = Date.now() + 5_000; status !== 200 && Date.now() < deadline;) status = (await rawGet(target.port, "/healthz")).status;
    expect(status).toBe(200);
  });

  it(`connections that never finish their headers cannot keep /healthz out (HTTP_MAX_PENDING_CONNECTIONS ${LIMITS.HTTP_MAX_PENDING_CONNECTIONS}, oldest dropped)`, async () => {
    // More slowloris sockets than HTTP_MAX_CONNECTIONS, each with half a request head.
    const slow = await Promise.all(
      Array.from(
        { length: Number(LIMITS.HTTP_MAX_CONNECTIONS) + 20 },
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect(target.port, "127.0.0.1", () => (s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"), resolve(s)));
            s.on("error", () => {});
          }),
      ),
    );
    expect((await rawGet(target.port, "/healthz")).status).toBe(200);
    slow.forEach((s) => s.destroy());
  });
});
