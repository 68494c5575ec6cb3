import { afterEach, describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import { TEST_PROVIDER } from "../helpers/app.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { metaBytes } from "../helpers/meta.ts";
import { rawGet, rawRequest } from "../helpers/rawHttp.ts";
import { errorCode, openSse } from "../helpers/sse.ts";
import { wsClient } from "../helpers/subscriptions.ts";
import { makeToken } from "../helpers/tokens.ts";
import { expectNoLeak, startTarget } from "./target.ts";

// The hub acts on Meta's Graph API now (#21) and serves /metrics (#23). A token that may only read
// must not act through any transport (HTTP, SSE, GET, graphql-ws), by literal or by variable, and a
// token scoped to one WABA must not act on another's; /metrics answers hostile requests plainly.
// The fake Graph API records every request: a refused action posted nothing to Meta.
const fake = await fakeGraph();
const target = await startTarget({ GRAPH_API_URL: fake.url, GRAPH_API_TOKEN: GRAPH_TOKEN });
afterEach(() => target.stillSound());

const A = { wabaId: "350000000000001", phoneNumberId: "450000000000001", displayNumber: "15550005001" };
const B = { wabaId: "360000000000002", phoneNumberId: "460000000000002", displayNumber: "15550005002" };
const USER = "5511900005001";
for (const b of [A, B]) {
  const inbound = samples.inboundText(b, { wamid: `wamid.in.${b.wabaId}`, user: USER, at: Math.floor(Date.now() / 1000), body: "hi", profileName: "Ana" });
  expect((await target.deliver(metaBytes(inbound))).status).toBe(200);
}
const readA = await makeToken(target.databaseUrl, { name: "read-a", wabaIds: [A.wabaId], scope: "read" });
const sendA = await makeToken(target.databaseUrl, { name: "send-a", wabaIds: [A.wabaId], scope: "send" });

let key = 0;
const SEND = "mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id } }";
const sendInput = (b: typeof A) => ({ phoneNumberId: b.phoneNumberId, to: USER, text: "hello", idempotencyKey: `attack-${++key}` });
/** Every acting mutation, aimed at a business, written with literals only. */
const ACTIONS = (b: typeof A) => [
  `mutation { sendMessage(input: { phoneNumberId: "${b.phoneNumberId}", to: "${USER}", text: "hello", idempotencyKey: "attack-${++key}" }) { id } }`,
  `mutation { markRead(phoneNumberId: "${b.phoneNumberId}", wamid: "wamid.in.${b.wabaId}", typing: true) }`,
  `mutation { startSync(phoneNumberId: "${b.phoneNumberId}", kind: HISTORY) { phoneNumberId } }`,
  `mutation { onboardBusiness(wabaId: "${b.wabaId}", phoneNumberId: "${b.phoneNumberId}") { wabaId } }`,
  `mutation { setSendRate(phoneNumberId: "${b.phoneNumberId}", ratePerSecond: 50) { phoneNumberId } }`,
  `mutation { refreshTemplates(wabaId: "${b.wabaId}") { name } }`,
  `mutation { recordSentMessage(input: { phoneNumberId: "${b.phoneNumberId}", to: "${USER}", text: "hello", wamid: "wamid.out.${++key}" }) { id } }`,
  `mutation { retrySend(messageId: "any") { id } }`,
  `mutation { replayAlert(attemptId: "any") { id } }`,
  `mutation { replayDeliveries(ids: ["any"]) { outcome } }`,
];
const sentMessages = async () => (await target.graphql(`{ threads(first: 10) { edges { node { messages(first: 20) { edges { node { source } } } } } } }`)).data;

/** Asserts nothing reached the fake Graph API and no message was sent or queued. */
async function nothingActed() {
  expect(fake.requests).toEqual([]);
  expect(JSON.stringify(await sentMessages())).not.toContain('"API"');
}

describe(`a read token cannot act, on any transport (${TEST_PROVIDER})`, () => {
  it("over HTTP POST: every acting mutation is FORBIDDEN", async () => {
    for (const action of ACTIONS(A)) {
      const answer = await graphqlAnswer(target.url, action, undefined, { token: readA });
      expect(answer.body.errors?.[0]?.extensions?.code, action).toBe("FORBIDDEN");
      expectNoLeak(JSON.stringify(answer.body));
    }
    await nothingActed();
  });

  it("over HTTP POST with the input in a variable: FORBIDDEN", async () => {
    const answer = await graphqlAnswer(target.url, SEND, { input: sendInput(A) }, { token: readA });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await nothingActed();
  });

  it("over SSE (POST, Accept: text/event-stream): FORBIDDEN", async () => {
    for (const action of ACTIONS(A)) {
      const stream = await openSse(target.url, readA, action);
      await stream.ended;
      expect(stream.events.map(errorCode).filter(Boolean), action).toEqual(["FORBIDDEN"]);
    }
    await nothingActed();
  });

  it("over GET: a mutation is refused before any check (405), as GraphQL over HTTP says", async () => {
    for (const action of ACTIONS(A)) {
      const res = await rawGet(target.port, `/graphql?query=${encodeURIComponent(action)}`, { Authorization: `Bearer ${readA}`, Accept: "application/json" });
      expect(res.status, action).toBe(405);
      expectNoLeak(res.body);
    }
    await nothingActed();
  });

  it("over graphql-ws: every acting mutation is FORBIDDEN, by literal and by variable", async () => {
    const client = wsClient(target.url, readA);
    for (const [action, variables] of [...ACTIONS(A).map((a) => [a, undefined] as const), [SEND, { input: sendInput(A) }] as const]) {
      const { value } = await client.iterate({ query: action, variables }).next();
      expect(value.errors?.[0]?.extensions?.code, action).toBe("FORBIDDEN");
      expect(value.data ?? null).toBeNull();
    }
    await nothingActed();
  });
});

describe(`a send token scoped to WABA A cannot act on WABA B (${TEST_PROVIDER})`, () => {
  it("over graphql-ws, sending to B's number is refused and nothing is posted", async () => {
    const { value } = await wsClient(target.url, sendA)
      .iterate({ query: SEND, variables: { input: sendInput(B) } })
      .next();
    expect(value.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(value.data ?? null).toBeNull();
    expect(JSON.stringify(value)).not.toContain(B.wabaId);
    await nothingActed();
  });

  it("the admin's actions (replaying alerts and deliveries) are FORBIDDEN to it, even on A", async () => {
    for (const action of [`mutation { replayAlert(attemptId: "any") { id } }`, `mutation { replayDeliveries(ids: ["any"]) { outcome } }`]) {
      const answer = await graphqlAnswer(target.url, action, undefined, { token: sendA });
      expect(answer.body.errors?.[0]?.extensions?.code, action).toBe("FORBIDDEN");
    }
    await nothingActed();
  });
});

// Last, since it acts: the same operation on the same transport does act for the power and the WABA it
// needs, so the refusals above are the checks', not a transport that cannot act at all.
describe(`a send token scoped to WABA A (${TEST_PROVIDER})`, () => {
  it("sends to A's number over graphql-ws: the message is stored from the API and posted once", async () => {
    const { value } = await wsClient(target.url, sendA)
      .iterate({ query: SEND, variables: { input: sendInput(A) } })
      .next();
    expect(value.errors).toBeUndefined();
    expect(JSON.stringify(await sentMessages())).toContain('"API"');
    await expect.poll(() => fake.sends().length).toBe(1);
  });
});

describe(`GET /metrics on a raw socket (${TEST_PROVIDER})`, () => {
  const noMetrics = (body: string) => {
    expectNoLeak(body);
    expect(body).not.toContain("# HELP");
  };

  it("answers 401 without a token and 403 to a read or send token, with no figures", async () => {
    expect((await rawGet(target.port, "/metrics")).status).toBe(401);
    for (const token of [readA, sendA]) {
      const res = await rawGet(target.port, "/metrics", { Authorization: `Bearer ${token}` });
      expect(res.status).toBe(403);
      noMetrics(res.body);
    }
  });

  it.each(["/metrics/", "/metrics?format=json", "//metrics", "/%6detrics", "/METRICS", "/metrics/../metrics"])(
    "GET %s without a token shows no figures",
    async (path) => {
      const res = await rawGet(target.port, path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      noMetrics(res.body);
    },
  );

  it.each([
    ["a malformed bearer", { Authorization: "Bearer" }],
    ["another scheme", { Authorization: "Basic YWRtaW46YWRtaW4=" }],
    ["a 6 KB token", { Authorization: `Bearer ${"x".repeat(6_000)}` }],
    ["a token with a NUL", { Authorization: "Bearer abc\u0000def" }],
  ])("answers %s plainly (no figures, no stack)", async (_, headers) => {
    const res = await rawGet(target.port, "/metrics", headers);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    noMetrics(res.body);
  });

  it("refuses POST with a body and HEAD without figures", async () => {
    for (const method of ["POST", "HEAD", "DELETE"]) {
      const res = await rawRequest(target.port, `${method} /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect(res.status, method).toBeGreaterThanOrEqual(400);
      noMetrics(res.body);
    }
  });
});
