import { describe, expect, it } from "vitest";
import { historySyncStallAt, isStalled, offboardingStallAt } from "../../src/domain/stalls.ts";
import { currentRecommendedAction } from "../../src/domain/recommendedAction.ts";
import { loadConfig } from "../../src/env.ts";

const MINUTE = 60_000;
// Meta's time of an ACCOUNT_OFFBOARDED (entry.time), and clocks some minutes later.
const OFFBOARDED = new Date(1_768_477_204 * 1000);
const after = (minutes: number, from = OFFBOARDED) => new Date(from.getTime() + minutes * MINUTE);
const offboarding = { kind: "ACCOUNT_OFFBOARDED", occurredAt: OFFBOARDED, resolvedAt: null };

describe("an offboarding's stall", () => {
  it.each([
    [0, false],
    [29.99, false],
    [30, true],
    [600, true],
  ])("%s minutes after Meta's time of it, unanswered: stalled %s", (minutes, stalled) => {
    expect(isStalled(offboardingStallAt(offboarding), after(minutes))).toBe(stalled);
  });

  it("is due at Meta's time plus the configured minutes, whenever it arrived", () => {
    expect(offboardingStallAt(offboarding, { offboardingMinutes: 45 })).toEqual(after(45));
  });

  it("never comes for a resolved offboarding, nor for another kind of disconnection", () => {
    expect(offboardingStallAt({ ...offboarding, resolvedAt: after(10) })).toBeNull();
    expect(offboardingStallAt({ ...offboarding, kind: "PARTNER_REMOVED" })).toBeNull();
  });

  it("changes the recommended action while the offboarding is open, and only then", () => {
    expect(currentRecommendedAction("PAUSE_AND_AWAIT_RECONNECT", { stalledAt: after(30), resolvedAt: null })).toBe("FINISH_REONBOARDING");
    expect(currentRecommendedAction("PAUSE_AND_AWAIT_RECONNECT", { stalledAt: after(30), resolvedAt: after(40) })).toBe("PAUSE_AND_AWAIT_RECONNECT");
    expect(currentRecommendedAction("PAUSE_AND_AWAIT_RECONNECT", { stalledAt: null, resolvedAt: null })).toBe("PAUSE_AND_AWAIT_RECONNECT");
  });
});

describe("a history sync's stall", () => {
  const REQUESTED = new Date(1_768_400_000 * 1000);

  it("is due 60 minutes after the request when no chunk came", () => {
    const at = historySyncStallAt({ requestedAt: REQUESTED, lastChunkAt: null, status: "NOT_STARTED" });
    expect(at).toEqual(after(60, REQUESTED));
    expect(isStalled(at, after(59, REQUESTED))).toBe(false);
    expect(isStalled(at, after(60, REQUESTED))).toBe(true);
  });

  it("counts the silence from the last chunk, requested or not", () => {
    expect(historySyncStallAt({ requestedAt: REQUESTED, lastChunkAt: after(20, REQUESTED), status: "IN_PROGRESS" })).toEqual(after(80, REQUESTED));
    expect(historySyncStallAt({ requestedAt: null, lastChunkAt: REQUESTED, status: "IN_PROGRESS" }, { historySyncMinutes: 5 })).toEqual(after(5, REQUESTED));
  });

  it.each(["COMPLETE", "DECLINED"])("never comes for a %s sync", (status) => {
    expect(historySyncStallAt({ requestedAt: REQUESTED, lastChunkAt: REQUESTED, status })).toBeNull();
  });

  it("never comes for a sync that was neither requested nor sent", () => {
    expect(historySyncStallAt({ requestedAt: null, lastChunkAt: null, status: "NOT_STARTED" })).toBeNull();
  });
});

describe("the stall configuration", () => {
  const stalls = (env: Record<string, string>) => loadConfig({ NODE_ENV: "test", ...env }).config.stalls;

  it("defaults to 30 minutes for an offboarding, 60 for a history sync, checked every minute", () => {
    expect(stalls({})).toEqual({ offboardingMinutes: 30, historySyncMinutes: 60, checkIntervalMs: 60_000 });
  });

  it("takes 0 as that check switched off", () => {
    expect(stalls({ OFFBOARDING_STALL_MINUTES: "0", HISTORY_SYNC_STALL_MINUTES: "0" })).toMatchObject({ offboardingMinutes: 0, historySyncMinutes: 0 });
  });

  it("refuses values out of bounds, naming the variable", () => {
    expect(() => stalls({ OFFBOARDING_STALL_MINUTES: "-1" })).toThrow(/OFFBOARDING_STALL_MINUTES/);
    expect(() => stalls({ HISTORY_SYNC_STALL_MINUTES: "20000" })).toThrow(/HISTORY_SYNC_STALL_MINUTES/);
    expect(() => stalls({ STALL_CHECK_INTERVAL_MS: "10" })).toThrow(/STALL_CHECK_INTERVAL_MS/);
  });
});
