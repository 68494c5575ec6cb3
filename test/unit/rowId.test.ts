import { afterEach, describe, expect, it, vi } from "vitest";
import { newRowId } from "../../src/storage/rowId.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds a version-7 id carries in its first 48 bits. */
const millisOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("row ids (UUID version 7)", () => {
  afterEach(() => vi.useRealTimers());

  it("are UUIDs of version 7 and the RFC 9562 variant", () => {
    for (let i = 0; i < 1000; i++) expect(newRowId()).toMatch(UUID_V7);
  });

  it("carry the time they were made in, so ids made later sort after earlier ones", () => {
    vi.useFakeTimers({ now: new Date("2026-12-06T20:00:00.000Z"), toFake: ["Date"] });
    const first = newRowId();
    vi.setSystemTime(new Date("2026-12-06T20:00:00.001Z"));
    const second = newRowId();
    vi.setSystemTime(new Date("2100-01-01T00:00:00.000Z"));
    const third = newRowId();
    expect(millisOf(first)).toBe(Date.parse("2026-12-06T20:00:00.000Z"));
    expect(millisOf(third)).toBe(Date.parse("2100-01-01T00:00:00.000Z"));
    expect([third, first, second].sort()).toEqual([first, second, third]);
  });

  it("differ when made in the same millisecond", () => {
    vi.useFakeTimers({ now: new Date("2026-12-06T20:00:00.000Z"), toFake: ["Date"] });
    const ids = Array.from({ length: 10_000 }, newRowId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map(millisOf)).size).toBe(1);
  });
});
