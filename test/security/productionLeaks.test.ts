import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { API_TOKEN, TEST_PROVIDER, VERIFY_TOKEN } from "../helpers/app.ts";
import { rawGet, rawRequest, type RawResponse } from "../helpers/rawHttp.ts";
import { wsClient } from "../helpers/subscriptions.ts";
import { expectNoLeak, startTarget } from "./target.ts";

// Issue #18, item 11: in production (introspection off) validation errors still named the
// schema's enum values and fields ("Did you mean the enum value CONNECTED…"), 404s echoed the
// request path, and answers lacked `X-Content-Type-Options: nosniff`. GraphiQL is turned on here
// (introspection stays off) only so its page and assets can be checked for the header too.
const target = await startTarget({ GRAPHIQL: "true" });
afterEach(() => target.stillSound());

const SUGGESTION = /did you mean|CONNECTED|wabaId|"first"/i;

describe(`no suggestions with introspection off (${TEST_PROVIDER})`, () => {
  it.each([
    ["a misspelt enum value", "{ wabas(first: 1, state: CONNECTD) { edges { cursor } } }", undefined],
    ["a misspelt enum value in a variable", "query ($s: ConnectionState) { wabas(first: 1, state: $s) { edges { cursor } } }", { s: "CONNECTD" }],
    ["a misspelt field", "{ wabas(first: 1) { edges { node { wabaI } } } }", undefined],
    ["a misspelt argument", '{ threads(first: 1, wabaI: "1") { totalCount } }', undefined],
    ["a misspelt argument of a list", "{ threads(firs: 1) { totalCount } }", undefined],
  ])("%s gets an error that names nothing of the schema", async (_case, query, variables) => {
    const answer = await target.graphql(query, variables);
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer.errors)).not.toMatch(SUGGESTION);
  });

  it("a misspelt argument over graphql-ws gets an error that names nothing of the schema", async () => {
    const errors: unknown = await wsClient(target.url, API_TOKEN)
      .iterate({ query: 'subscription { accountEvents(wabaI: "1") { id } }' })
      .next()
      .then(
        () => [],
        (error: unknown) => error,
      );
    expect(JSON.stringify(errors)).toMatch(/Unknown argument/);
    expect(JSON.stringify(errors)).not.toMatch(SUGGESTION);
  });
});

describe("answers that reflect nothing and are never sniffed", () => {
  it("a 404 does not echo the path it was asked for", async () => {
    const marker = `no-such-${randomBytes(6).toString("hex")}`;
    const res = await rawGet(target.port, `/${marker}<script>`, { Accept: "application/json" });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(marker);
    expectNoLeak(res.body);
  });

  const post = (path: string, body: string, headers = "") =>
    rawRequest(
      target.port,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`,
    );
  const CASES: [string, () => Promise<RawResponse>][] = [
    ["/healthz", () => rawGet(target.port, "/healthz")],
    ["/readyz", () => rawGet(target.port, "/readyz")],
    ["a 404", () => rawGet(target.port, "/nothing-here", { Accept: "application/json" })],
    ["the console", () => rawGet(target.port, "/", { Accept: "text/html" })],
    ["the webhook handshake", () => rawGet(target.port, `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`)],
    ["an unsigned webhook POST", () => post("/webhooks/whatsapp", "{}")],
    ["a GraphQL POST", () => post("/graphql", JSON.stringify({ query: "{ __typename }" }), `Authorization: Bearer ${API_TOKEN}\r\n`)],
    ["a GraphQL POST without a token", () => post("/graphql", JSON.stringify({ query: "{ __typename }" }))],
    ["the GraphiQL page", () => rawGet(target.port, "/graphql", { Accept: "text/html" })],
    ["a GraphiQL asset", () => rawGet(target.port, "/graphiql/start.js")],
  ];
  it.each(CASES)("%s carries X-Content-Type-Options: nosniff", async (_name, request) => {
    const res = await request();
    expect(res.status).toBeGreaterThan(0);
    expect(res.head).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
  });
});
