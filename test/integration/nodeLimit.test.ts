import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { partnerAdded, partnerRemoved, together } from "../helpers/mirror.ts";

// The defaults (GRAPHQL_MAX_PAGE_SIZE=100, GRAPHQL_MAX_NODES=500000): the limits clients meet.
const app = await startApp();

const INBOX = `query Inbox($pageSize: Int!) {
  threads(first: 50) { edges { node { id waId
    messages(first: $pageSize) { edges { node { id wamid direction type text timestamp status source } } }
  } } }
}`;

describe("node limit (GitHub's rule: page sizes multiplied along each path, summed)", () => {
  it("runs the inbox query: 50 threads with 100 messages of 8 fields each (5,050 nodes)", async () => {
    const result = await app.graphql(INBOX, { pageSize: 100 });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ threads: { edges: [] } });
  });

  it("refuses a page size of 101 with QUERY_TOO_LARGE, naming the field and the limit", async () => {
    const result = await app.graphql(INBOX, { pageSize: 101 });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "messages(first: 101) asks for more than 100 nodes per page; page through it with after/before",
        extensions: { code: "QUERY_TOO_LARGE", field: "messages", pageSize: 101, maxPageSize: 100 },
      }),
    ]);
  });

  it("refuses a 610,100-node query with QUERY_TOO_LARGE, the computed count and the limit", async () => {
    // 100 threads + 100 × 100 messages + 100 × 100 × 60 messages of each message's thread.
    const huge = `{ threads(first: 100) { edges { node { messages(first: 100) { edges { node {
      thread { messages(first: 60) { edges { node { wamid } } } } } } } } } } }`;
    const result = await app.graphql(huge);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "this operation can return up to 610100 nodes, over the limit of 500000; ask for smaller pages or fewer nested lists",
        extensions: { code: "QUERY_TOO_LARGE", nodes: 610_100, maxNodes: 500_000 },
      }),
    ]);
  });

  it("refuses a page size given by a variable's default, as execution would read it (1,010,100 nodes)", async () => {
    const query = `query ($n: Int = 100) { threads(first: $n) { edges { node { messages(first: $n) { edges { node {
      thread { messages(first: $n) { edges { node { wamid } } } } } } } } } } }`;
    const result = await app.graphql(query);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({ code: "QUERY_TOO_LARGE", nodes: 1_010_100, maxNodes: 500_000 });
  });

  it("refuses lists that are not connections nested three deep, counted by their caps (100 + 100² + 100³ nodes)", async () => {
    const query = '{ waba(wabaId: "1") { disconnections { waba { disconnections { waba { disconnections { id } } } } } } }';
    const result = await app.graphql(query);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({ code: "QUERY_TOO_LARGE", nodes: 1_010_100, maxNodes: 500_000 });
  });
});

describe("list caps: a capped field returns no more than the cap it is counted by", () => {
  it("Waba.disconnections of a WABA with 101 returns the newest 100", async () => {
    const WABA = "880000000000101";
    const T0 = 1_750_000_000;
    const cycles = Array.from({ length: 101 }, (_, i) => [partnerRemoved(WABA, T0 + 10 * i), partnerAdded(WABA, T0 + 10 * i + 5)]).flat();
    expect((await app.deliver(together(...cycles))).status).toBe(200);
    const result = await app.graphql("query ($w: String!) { waba(wabaId: $w) { disconnections { occurredAt } } }", { w: WABA });
    const times = result.data.waba.disconnections.map((d: { occurredAt: string }) => d.occurredAt);
    expect(times).toHaveLength(100);
    expect(times[0]).toBe(new Date((T0 + 1000) * 1000).toISOString());
    expect(times[99]).toBe(new Date((T0 + 10) * 1000).toISOString());
  });
});
