import { describe, expect, it } from "vitest";
import { API_TOKEN, TEST_GRAPHQL, startApp } from "../helpers/app.ts";

const app = await startApp({
  graphql: { ...TEST_GRAPHQL, maxDepth: 8, maxNodes: 2000, maxAliases: 3, maxTokens: 400 },
});
const locked = await startApp({
  graphql: { ...TEST_GRAPHQL, introspection: false, graphiql: false, maxDepth: 8, maxNodes: 2000, maxAliases: 3, maxTokens: 400 },
});

const firstError = async (query: string, target = app) => (await target.graphql(query)).errors?.[0]?.message ?? null;

describe("GraphQL limits (graphql-armor: depth, aliases, tokens)", () => {
  it("accepts an ordinary inbox query", async () => {
    expect(await firstError("{ threads(first: 20) { edges { node { waId lastMessage { text } contact { fullName } } } } }")).toBeNull();
  });

  it("rejects a query nested deeper than the limit", async () => {
    const deep = "{ threads { edges { node { lastMessage { thread { lastMessage { thread { lastMessage { thread { waId } } } } } } } } } }";
    expect(await firstError(deep)).toMatch(/Query depth limit of 8 exceeded/);
  });

  it("rejects more aliases than allowed", async () => {
    expect(await firstError("{ a: wabas { totalCount: __typename } b: wabas { __typename } c: wabas { __typename } d: wabas { __typename } }")).toMatch(
      /Aliases limit of 3 exceeded/,
    );
  });

  it("rejects a document with too many tokens", async () => {
    const fields = Array.from({ length: 450 }, () => "__typename").join(" ");
    expect(await firstError(`{ ${fields} }`)).toMatch(/Token limit of 400 exceeded/);
  });
});

describe("introspection and GraphiQL switches", () => {
  it("answer introspection when on", async () => {
    expect(await firstError("{ __schema { queryType { name } } }")).toBeNull();
  });

  it("refuse introspection when off", async () => {
    expect(await firstError("{ __schema { queryType { name } } }", locked)).toMatch(/introspection/i);
  });

  it("do not serve the GraphiQL page when off", async () => {
    const res = await fetch(`${locked.url}/graphql`, { headers: { Accept: "text/html", Authorization: `Bearer ${API_TOKEN}` } });
    expect(await res.text()).not.toContain("Coexist Hub");
  });
});
