import { describe, expect, it } from "vitest";
import { parse } from "graphql";
import { schema } from "../../src/schema/index.ts";
import { DEFAULT_PAGE_SIZE, countNodes } from "../../src/server/nodeLimit.ts";

const count = (query: string, variables: Record<string, unknown> = {}) => countNodes(schema, parse(query), undefined, variables, 100);

describe("countNodes", () => {
  it("counts a connection's page size, and nested connections as the product of the page sizes above them", () => {
    expect(count("{ threads(first: 50) { edges { node { messages(first: 100) { totalCount } } } } }")).toBe(50 + 50 * 100);
  });

  it("sums sibling connections", () => {
    expect(count("{ a: threads(first: 10) { totalCount } b: contacts(last: 30) { totalCount } }")).toBe(40);
  });

  it("reads page sizes from variables", () => {
    expect(count("query ($n: Int) { threads(first: $n) { totalCount } }", { n: 7 })).toBe(7);
  });

  it("reads a variable's default when the variable is not sent, as execution does", () => {
    expect(count("query ($n: Int = 100) { threads(first: $n) { totalCount } }")).toBe(100);
  });

  it("reads a variable sent as null as null, not as its default (the default page)", () => {
    expect(count("query ($n: Int = 100) { threads(first: $n) { totalCount } }", { n: null })).toBe(DEFAULT_PAGE_SIZE);
  });

  it("throws QUERY_TOO_LARGE for a variable's default over the page limit", () => {
    expect(() => count("query ($n: Int = 100000) { threads(first: $n) { totalCount } }")).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_TOO_LARGE", pageSize: 100_000 }) }),
    );
  });

  it("counts nothing for variables execution refuses (nothing runs)", () => {
    expect(count("query ($n: Int!) { threads(first: $n) { totalCount } }", { n: "100" })).toBe(0);
  });

  it("counts a list that is not a connection by its cap, and multiplies what it holds by it", () => {
    expect(count('{ waba(wabaId: "x") { disconnections { waba { disconnections { id } } } } }')).toBe(100 + 100 * 100);
  });

  it("counts a scalar list by its cap", () => {
    expect(count('{ waba(wabaId: "x") { adAccounts } }')).toBe(50);
  });

  it("counts replayDeliveries by the ids it was given", () => {
    expect(count('mutation { replayDeliveries(ids: ["a", "b", "c"]) { delivery { phoneNumberErrors { code } } } }')).toBe(3 + 3 * 100);
  });

  it("counts a connection's edges once, at the connection", () => {
    expect(count("{ threads(first: 7) { edges { node { id } } } }")).toBe(7);
  });

  it("counts a connection without first/last at the schema's default page size", () => {
    expect(count("{ threads { edges { node { messages { totalCount } } } } }")).toBe(DEFAULT_PAGE_SIZE + DEFAULT_PAGE_SIZE ** 2);
  });

  it("follows fragments, named and inline", () => {
    const query = `{ threads(first: 5) { edges { node { ...M } } } }
      fragment M on Thread { ... on Thread { messages(first: 4) { totalCount } } }`;
    expect(count(query)).toBe(5 + 20);
  });

  it("does not multiply through fields that are not connections", () => {
    expect(count('{ thread(id: "x") { messages(first: 9) { edges { node { thread { waId } } } } } }')).toBe(9);
  });

  it("throws QUERY_TOO_LARGE for a page size over the limit", () => {
    expect(() => count("{ threads(first: 101) { totalCount } }")).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_TOO_LARGE", pageSize: 101 }) }),
    );
  });
});
