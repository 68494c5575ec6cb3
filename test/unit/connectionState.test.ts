import { describe, expect, it } from "vitest";
import { RECONNECT_SKEW_MS, canSend, projectWaba } from "../../src/domain/connectionState.ts";
import type { LifecycleEvent } from "../../src/domain/wabaProjection.ts";
import type { AccountEventDetails } from "../../src/domain/accountEvents.ts";

let n = 0;
const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);
const ev = (event: string, seconds: number, details: AccountEventDetails = {}, phoneNumber: string | null = null): LifecycleEvent => ({
  id: `e${String(++n).padStart(3, "0")}`,
  event,
  occurredAt: at(seconds),
  phoneNumber,
  details,
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

describe("connection state", () => {
  it("is CONNECTED for a WABA with no connection-impacting event", () => {
    expect(projectWaba([ev("PARTNER_ADDED", 1)]).connectionState).toBe("CONNECTED");
  });

  it("is OFFBOARDED after ACCOUNT_OFFBOARDED and CONNECTED again after ACCOUNT_RECONNECTED", () => {
    const off = ev("ACCOUNT_OFFBOARDED", 10);
    expect(projectWaba([off]).connectionState).toBe("OFFBOARDED");
    const p = projectWaba([off, ev("ACCOUNT_RECONNECTED", 200)]);
    expect(p.connectionState).toBe("CONNECTED");
    expect(p.disconnections[0]).toMatchObject({ kind: "ACCOUNT_OFFBOARDED", resolvedAt: at(200), recommendedAction: "PAUSE_AND_AWAIT_RECONNECT" });
  });

  it("treats a reconnection stamped just before the offboarding as its answer (Meta's own example)", () => {
    const p = projectWaba([ev("ACCOUNT_OFFBOARDED", 1768477204), ev("ACCOUNT_RECONNECTED", 1768477203)]);
    expect(p.connectionState).toBe("CONNECTED");
    expect(p.disconnections).toHaveLength(1);
    expect(p.disconnections[0]!.resolvedAt).toEqual(at(1768477203));
  });

  it("does not let a reconnection answer an offboarding that came longer than the skew later", () => {
    const gap = RECONNECT_SKEW_MS / 1000 + 1;
    const p = projectWaba([ev("ACCOUNT_RECONNECTED", 0), ev("ACCOUNT_OFFBOARDED", gap)]);
    expect(p.connectionState).toBe("OFFBOARDED");
  });

  it("is DISCONNECTED after PARTNER_REMOVED until the partner is added again", () => {
    const removed = ev("PARTNER_REMOVED", 5, { disconnectionReason: "PRIMARY_INACTIVITY", disconnectionInitiatedBy: "SYSTEM" });
    expect(projectWaba([removed]).connectionState).toBe("DISCONNECTED");
    expect(projectWaba([removed, ev("PARTNER_ADDED", 6)]).connectionState).toBe("CONNECTED");
  });

  it("is DISCONNECTED after PARTNER_APP_UNINSTALLED until the app is installed again", () => {
    const gone = ev("PARTNER_APP_UNINSTALLED", 5);
    expect(projectWaba([gone]).connectionState).toBe("DISCONNECTED");
    expect(projectWaba([gone, ev("PARTNER_APP_INSTALLED", 9)]).connectionState).toBe("CONNECTED");
  });

  it("keeps DISCONNECTED over OFFBOARDED when both are open", () => {
    expect(projectWaba([ev("ACCOUNT_OFFBOARDED", 1), ev("PARTNER_REMOVED", 2)]).connectionState).toBe("DISCONNECTED");
  });

  it("is DELETED for good: later events do not bring the WABA back", () => {
    const p = projectWaba([ev("ACCOUNT_DELETED", 1), ev("PARTNER_ADDED", 2), ev("ACCOUNT_RECONNECTED", 3)]);
    expect(p.connectionState).toBe("DELETED");
    expect(p.disconnections.map((d) => [d.kind, d.resolvedAt])).toEqual([["ACCOUNT_DELETED", null]]);
  });

  it("decides by event time, not by arrival order", () => {
    const events = [
      ev("PARTNER_REMOVED", 1),
      ev("PARTNER_ADDED", 2),
      ev("ACCOUNT_OFFBOARDED", 3),
      ev("ACCOUNT_RECONNECTED", 400),
      ev("PARTNER_APP_UNINSTALLED", 500),
    ];
    const expected = projectWaba(events);
    expect(expected.connectionState).toBe("DISCONNECTED");
    for (const order of permutations(events)) expect(projectWaba(order)).toEqual(expected);
  });

  it("applies a disconnection before a reconnection stamped in the same second (the WABA ends connected)", () => {
    for (const order of permutations([ev("PARTNER_REMOVED", 7), ev("PARTNER_ADDED", 7)])) {
      expect(projectWaba(order).connectionState).toBe("CONNECTED");
    }
  });

  it("opens one disconnection per kind while it is open; a late, earlier one takes its place", () => {
    const later = ev("PARTNER_REMOVED", 50, { disconnectionReason: "CHANGE_NUMBER" });
    const earlier = ev("PARTNER_REMOVED", 40, { disconnectionReason: "PRIMARY_INACTIVITY", disconnectionInitiatedBy: "SYSTEM" });
    const p = projectWaba([later, earlier]);
    expect(p.disconnections).toHaveLength(1);
    expect(p.disconnections[0]).toMatchObject({ id: earlier.id, reason: "PRIMARY_INACTIVITY" });
  });
});

describe("recommended action of a disconnection", () => {
  const action = (details: AccountEventDetails, kind = "PARTNER_REMOVED") => projectWaba([ev(kind, 1, details)]).disconnections[0]!.recommendedAction;

  it.each([
    [{ disconnectionReason: "PRIMARY_INACTIVITY", disconnectionInitiatedBy: "SYSTEM" }, "PROMPT_RECONNECT"],
    [{ disconnectionReason: "COMPANION_INACTIVITY", disconnectionInitiatedBy: "SYSTEM" }, "PROMPT_RECONNECT"],
    [{ disconnectionReason: "BUSINESS_DOWNGRADE", disconnectionInitiatedBy: "USER" }, "NO_REENGAGEMENT"],
    [{ disconnectionReason: "CHANGE_NUMBER", disconnectionInitiatedBy: "SYSTEM" }, "REONBOARD_NEW_NUMBER"],
    [{ disconnectionReason: "USER_RE_REGISTERED", disconnectionInitiatedBy: "USER" }, "REONBOARD"],
    [{ disconnectionInitiatedBy: "USER" }, "NO_REENGAGEMENT"],
    [{}, "CONFIRM_WITH_BUSINESS"],
    [{ disconnectionReason: "SOMETHING_META_ADDS_LATER", disconnectionInitiatedBy: "SYSTEM" }, "CONFIRM_WITH_BUSINESS"],
  ] as const)("PARTNER_REMOVED %j → %s", (details, expected) => {
    expect(action(details)).toBe(expected);
  });

  it("keeps a reason it does not know as Meta sent it", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 1, { disconnectionReason: "SOMETHING_META_ADDS_LATER" })]);
    expect(p.disconnections[0]!.reason).toBe("SOMETHING_META_ADDS_LATER");
  });

  it.each([
    ["PARTNER_APP_UNINSTALLED", "REQUEST_REAUTHORIZATION"],
    ["ACCOUNT_OFFBOARDED", "PAUSE_AND_AWAIT_RECONNECT"],
    ["ACCOUNT_DELETED", "STOP_SERVICE"],
  ])("%s → %s", (kind, expected) => {
    expect(action({}, kind)).toBe(expected);
  });
});

describe("facts beside the state", () => {
  it("uses the earliest tier_update_time of events describing one tier change", () => {
    const tier = { tier: "25000001:50000000", pricingCategory: "UTILITY", region: "INDIA", effectiveMonth: "2025-11" };
    const p = projectWaba([
      ev("VOLUME_BASED_PRICING_TIER_UPDATE", 100, { pricingTier: { ...tier, tierUpdateTime: at(90).toISOString() } }),
      ev("VOLUME_BASED_PRICING_TIER_UPDATE", 200, { pricingTier: { ...tier, tierUpdateTime: at(80).toISOString() } }),
    ]);
    expect(p.pricingTiers).toEqual([{ ...tier, tierUpdateTime: at(80).toISOString() }]);
  });

  it("takes the restrictions of the latest ACCOUNT_RESTRICTION event", () => {
    const p = projectWaba([
      ev("ACCOUNT_RESTRICTION", 2, { restrictions: [{ restrictionType: "RESTRICTED_ADD_PHONE_NUMBER_ACTION", expiration: null }] }),
      ev("ACCOUNT_RESTRICTION", 1, { restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: null }] }),
    ]);
    expect(p.restrictions.map((r) => r.restrictionType)).toEqual(["RESTRICTED_ADD_PHONE_NUMBER_ACTION"]);
  });

  it("keeps the latest ban state and every violation", () => {
    const p = projectWaba([
      ev("DISABLED_UPDATE", 2, { banState: "REINSTATE" }),
      ev("DISABLED_UPDATE", 1, { banState: "DISABLE" }),
      ev("ACCOUNT_VIOLATION", 3, { violationType: "ADULT" }),
      ev("ACCOUNT_VIOLATION", 4, { violationType: "SCAM" }),
    ]);
    expect(p.banState).toBe("REINSTATE");
    expect(p.violations.map((v) => v.violationType)).toEqual(["ADULT", "SCAM"]);
  });
});

describe("canSend", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const base = { connectionState: "CONNECTED", banState: null, restrictions: [] };

  it("is true for a connected WABA without ban or restriction", () => {
    expect(canSend(base, now)).toBe(true);
  });

  it.each(["OFFBOARDED", "DISCONNECTED", "DELETED"])("is false while %s", (connectionState) => {
    expect(canSend({ ...base, connectionState }, now)).toBe(false);
  });

  it("is false while disabled, true again once reinstated or only scheduled for disable", () => {
    expect(canSend({ ...base, banState: "DISABLE" }, now)).toBe(false);
    expect(canSend({ ...base, banState: "REINSTATE" }, now)).toBe(true);
    expect(canSend({ ...base, banState: "SCHEDULE_FOR_DISABLE" }, now)).toBe(true);
  });

  it("is false under an unexpired business-initiated messaging restriction, true once it expired", () => {
    const r = (expiration: string | null) => ({ ...base, restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration }] });
    expect(canSend(r("2026-02-01T00:00:00Z"), now)).toBe(false);
    expect(canSend(r(null), now)).toBe(false);
    expect(canSend(r("2025-12-01T00:00:00Z"), now)).toBe(true);
  });

  it("ignores restrictions on other actions", () => {
    expect(canSend({ ...base, restrictions: [{ restrictionType: "RESTRICTED_ADD_PHONE_NUMBER_ACTION", expiration: null }] }, now)).toBe(true);
  });
});

describe("per-number disconnections (a coexistence PARTNER_REMOVED naming phone_number)", () => {
  const NUMBER = "15550783881";
  const OTHER = "15550783882";

  it("opens a disconnection of that number and leaves the WABA CONNECTED", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER)]);
    expect(p.connectionState).toBe("CONNECTED");
    expect(p.disconnections).toEqual([expect.objectContaining({ kind: "PARTNER_REMOVED", phoneNumber: NUMBER, resolvedAt: null })]);
  });

  it("keeps one open disconnection per number and kind: another number's removal opens its own", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_REMOVED", 20, {}, NUMBER), ev("PARTNER_REMOVED", 30, {}, OTHER)]);
    expect(p.disconnections.map((d) => d.phoneNumber)).toEqual([NUMBER, OTHER]);
  });

  it("is resolved by an answer naming the same number, not by one naming another number", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_ADDED", 20, {}, OTHER)]);
    expect(p.disconnections[0]!.resolvedAt).toBeNull();
    const q = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_ADDED", 20, {}, NUMBER)]);
    expect(q.disconnections[0]!.resolvedAt).toEqual(at(20));
  });

  it("is resolved by an answer naming no number (the business onboarded again)", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_ADDED", 20)]);
    expect(p.disconnections[0]).toMatchObject({ phoneNumber: NUMBER, resolvedAt: at(20) });
  });

  it("does not stop a WABA-wide PARTNER_REMOVED from disconnecting the WABA", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_REMOVED", 20)]);
    expect(p.connectionState).toBe("DISCONNECTED");
    expect(p.disconnections).toHaveLength(2);
  });

  it("an ACCOUNT_DELETED naming a number still deletes the whole WABA", () => {
    expect(projectWaba([ev("ACCOUNT_DELETED", 10, {}, NUMBER)]).connectionState).toBe("DELETED");
  });

  it("applies the reconnection clock skew per number: a number's early ACCOUNT_RECONNECTED answers that number's offboarding", () => {
    const p = projectWaba([ev("ACCOUNT_RECONNECTED", 9, {}, NUMBER), ev("ACCOUNT_OFFBOARDED", 10, {}, NUMBER)]);
    expect(p.disconnections[0]).toMatchObject({ phoneNumber: NUMBER, resolvedAt: at(9) });
    const q = projectWaba([ev("ACCOUNT_RECONNECTED", 9, {}, OTHER), ev("ACCOUNT_OFFBOARDED", 10, {}, NUMBER)]);
    expect(q.disconnections[0]!.resolvedAt).toBeNull();
  });

  it("records the time of each number's latest event", () => {
    const p = projectWaba([ev("PARTNER_REMOVED", 10, {}, NUMBER), ev("PARTNER_ADDED", 30, {}, NUMBER), ev("PARTNER_ADDED", 20)]);
    expect(p.numbers).toEqual(new Map([[NUMBER, at(30)]]));
  });
});
