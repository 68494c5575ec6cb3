import { describe, expect, it } from "vitest";
import { StatementCache } from "../../src/storage/statementCache.ts";

/** A cache over a counting "prepare": how often each text was prepared. */
function counting(budget: number, largest: number) {
  const prepared = new Map<string, number>();
  const cache = new StatementCache(
    (text) => {
      prepared.set(text, (prepared.get(text) ?? 0) + 1);
      return { text };
    },
    budget,
    largest,
  );
  return { cache, prepared };
}

const withParams = (n: number, tag: string) => `INSERT INTO t VALUES (${Array(n).fill("?").join(", ")}) -- ${tag}`;

describe("the prepared-statement cache", () => {
  it("prepares a statement once and hands the same one back", () => {
    const { cache, prepared } = counting(1000, 500);
    const a = cache.get(withParams(3, "a"));
    expect(cache.get(withParams(3, "a"))).toBe(a);
    expect(prepared.get(withParams(3, "a"))).toBe(1);
  });

  it("keeps the statements used last within its budget of parameters, dropping the least recently used", () => {
    // Each weighs 100 parameters + 32: three fit in 400, a fourth pushes the least recently used out.
    const { cache, prepared } = counting(400, 500);
    for (const tag of ["a", "b", "c"]) cache.get(withParams(100, tag));
    cache.get(withParams(100, "a")); // a is now the most recent
    cache.get(withParams(100, "d"));
    expect(cache.size).toEqual({ statements: 3, weight: 396 });
    cache.get(withParams(100, "a"));
    cache.get(withParams(100, "b"));
    expect(prepared.get(withParams(100, "a"))).toBe(1);
    expect(prepared.get(withParams(100, "b"))).toBe(2);
  });

  it("does not keep a statement larger than its limit (prepared each time it runs)", () => {
    const { cache, prepared } = counting(100_000, 500);
    cache.get(withParams(600, "big"));
    cache.get(withParams(600, "big"));
    expect(prepared.get(withParams(600, "big"))).toBe(2);
    expect(cache.size).toEqual({ statements: 0, weight: 0 });
  });
});
