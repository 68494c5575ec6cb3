import { beforeAll, describe, expect, it } from "vitest";
import { TEST_GRAPHQL, startApp } from "../helpers/app.ts";
import { inboundText } from "../helpers/mirror.ts";

// threads(search:) takes the text literally on both databases: LIKE's wildcards and its escape
// character are escaped (issue #9: "%" and "_" matched every thread, "Rob_rt" matched "Robert").
const app = await startApp({
  graphql: { ...TEST_GRAPHQL, searchMaxLength: 50 },
});

const PEOPLE = [
  { user: "5511900000001", name: "Robert Plant" },
  { user: "5511900000002", name: "Discount 100% Store" },
  { user: "5511900000003", name: "snake_case Ltd" },
  { user: "5511900000004", name: "Back\\slash Co" },
];

beforeAll(async () => {
  for (const [i, p] of PEOPLE.entries()) {
    expect((await app.deliver(inboundText(`wamid.search.${i}`, p.user, 1_760_000_000 + i, "hello", p.name))).status).toBe(200);
  }
});

const names = async (search: string) => {
  const res = await app.graphql<{ threads: { edges: { node: { contact: { profileName: string } } }[] } }>(
    "query ($search: String) { threads(search: $search) { edges { node { contact { profileName } } } } }",
    { search },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.threads.edges.map((e) => e.node.contact.profileName).sort();
};

describe("threads(search:) takes the text literally", () => {
  it('finds nothing for "%" but the one name holding a percent sign', async () => {
    expect(await names("%")).toEqual(["Discount 100% Store"]);
  });

  it('finds the one name holding "_", not every thread', async () => {
    expect(await names("_")).toEqual(["snake_case Ltd"]);
  });

  it('does not read "_" as any character ("Rob_rt" is not "Robert")', async () => {
    expect(await names("Rob_rt")).toEqual([]);
    expect(await names("Robert")).toEqual(["Robert Plant"]);
  });

  it("takes a backslash as a backslash", async () => {
    expect(await names("k\\s")).toEqual(["Back\\slash Co"]);
    expect(await names("\\%")).toEqual([]);
  });

  it("still finds a thread by part of the number", async () => {
    expect(await names("900000003")).toEqual(["snake_case Ltd"]);
  });
});

describe("threads(search:) length", () => {
  it("answers a search over the limit with BAD_USER_INPUT, not an internal error", async () => {
    const res = await app.graphql("query ($search: String) { threads(search: $search) { totalCount: edges { cursor } } }", { search: "x".repeat(51) });
    expect(res.errors?.[0]).toMatchObject({ message: "search must be at most 50 characters; got 51", extensions: { code: "BAD_USER_INPUT" } });
  });

  it("accepts a search right at the limit", async () => {
    expect(await names("x".repeat(50))).toEqual([]);
  });
});
