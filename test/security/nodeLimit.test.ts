import { afterEach, describe, expect, it } from "vitest";
import { makeToken } from "../helpers/tokens.ts";
import { wsClient } from "../helpers/subscriptions.ts";
import { expectNoLeak, startTarget } from "./target.ts";

// Issue #18, items 1 and 2: the node limit (GRAPHQL_MAX_NODES, default 500,000) counts an
// operation as it would run — variables coerced with their defaults applied, and every list,
// connection or not, by its bound — on every transport, before anything runs.
const target = await startTarget();
afterEach(() => target.stillSound());
const READ_TOKEN = await makeToken(target.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });

interface Answer {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}
type Transport = (query: string, variables?: Record<string, unknown>) => Promise<Answer>;

const post = (accept: string, query: string, variables?: Record<string, unknown>) =>
  fetch(`${target.url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: accept, Authorization: `Bearer ${READ_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
/** The one result of a text/event-stream answer (its `next` event). */
const sseResult = (body: string): Answer => {
  const data = body.split("\n").filter((line) => line.startsWith("data: ") && line.length > "data: ".length);
  expect(data, body).toHaveLength(1);
  return JSON.parse(data[0]!.slice("data: ".length));
};

const TRANSPORTS: [string, Transport][] = [
  ["HTTP POST", async (query, variables) => (await post("application/json", query, variables)).json()],
  [
    "HTTP GET",
    async (query, variables) => {
      const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
      const res = await fetch(`${target.url}/graphql?${params}`, { headers: { Accept: "application/json", Authorization: `Bearer ${READ_TOKEN}` } });
      return res.json();
    },
  ],
  ["SSE", async (query, variables) => sseResult(await (await post("text/event-stream", query, variables)).text())],
  [
    "graphql-ws",
    async (query, variables) => {
      const result = await wsClient(target.url, READ_TOKEN).iterate({ query, variables }).next();
      return result.value as Answer;
    },
  ],
];

// Each message's thread's messages: 100 + 100 × 100 + 100 × 100 × 100 = 1,010,100 nodes at pages of 100.
const nested = (n: string) =>
  `threads(first: ${n}) { edges { node { messages(first: ${n}) { edges { node { thread { messages(first: ${n}) { edges { node { wamid text } } } } } } } } } }`;
const WAYS: [string, string, Record<string, unknown> | undefined][] = [
  ["a literal", `{ ${nested("100")} }`, undefined],
  ["a variable", `query ($n: Int) { ${nested("$n")} }`, { n: 100 }],
  ["a variable's default", `query ($n: Int = 100) { ${nested("$n")} }`, undefined],
];

const expectRefused = (answer: Answer, extensions: Record<string, unknown>) => {
  expectNoLeak(JSON.stringify(answer));
  expect(answer.data ?? null, "nothing ran").toBeNull();
  expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_TOO_LARGE", ...extensions }) })]);
};

describe.each(TRANSPORTS)("node limit over %s, with a read token", (_transport, send) => {
  it.each(WAYS)("pages of 100 given by %s, nested three deep (1,010,100 nodes), are refused before they run", async (_way, query, variables) => {
    expectRefused(await send(query, variables), { nodes: 1_010_100, maxNodes: 500_000 });
  });

  it.each([
    ["threads", "threads(first: $n) { edges { node { waId } } }"],
    ["alertAttempts (an admin's list, newer than the limit)", "alertAttempts(first: $n) { edges { node { id } } }"],
  ])("a variable's default of 100,000 for `first` of %s is refused as over the page size", async (_field, selection) => {
    expectRefused(await send(`query ($n: Int = 100000) { ${selection} }`), { pageSize: 100_000, maxPageSize: 100 });
  });

  it("lists that are not connections, nested four deep, are counted by their caps and refused before they run", async () => {
    // 1 WABA + 100 disconnections + 100² + 100³ + 100⁴: each `disconnections` is capped at 100.
    const query = `{ wabas(first: 1) { edges { node { disconnections { waba { disconnections { waba {
      disconnections { waba { disconnections { id reason } } } } } } } } } } }`;
    expectRefused(await send(query), { nodes: 101_010_101, maxNodes: 500_000 });
  });
});

describe("node limit on a graphql-ws subscription", () => {
  it("nested lists in a subscription's selection are refused before it starts", async () => {
    const query = "subscription { disconnections { waba { disconnections { waba { disconnections { waba { disconnections { id } } } } } } } }";
    const result = await wsClient(target.url, READ_TOKEN).iterate({ query }).next();
    expectRefused(result.value as Answer, { nodes: 1_010_100, maxNodes: 500_000 });
  });
});
