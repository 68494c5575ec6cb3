import { describe, expect, it } from "vitest";
import { gate, windowMatters, type SendFacts } from "../../src/domain/sendGate.ts";

// The queue reads a thread's window only when it can change the verdict (src/outbound/factsReader.ts):
// these say when that is, and that skipping it never changes what the gate decides.
const NOW = new Date("2026-12-06T12:00:00Z");
const unrestricted: SendFacts = { waba: { banState: null, restrictions: [] }, open: [], lastOpenerAt: null };
const bizRestricted: SendFacts = {
  waba: { banState: null, restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: "2026-12-07T00:00:00Z" }] },
  open: [],
  lastOpenerAt: null,
};
const expired: SendFacts = {
  waba: { banState: null, restrictions: [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: "2026-12-05T00:00:00Z" }] },
  open: [],
  lastOpenerAt: null,
};
const openedAnHourAgo = (f: SendFacts): SendFacts => ({ ...f, lastOpenerAt: new Date(NOW.getTime() - 3_600_000) });

describe("whether a send's gate needs the user's window", () => {
  it("does for any reply", () => {
    expect(windowMatters(unrestricted, false, NOW)).toBe(true);
  });

  it("does not for a template while business-initiated messaging is unrestricted, and the verdict is the same either way", () => {
    expect(windowMatters(unrestricted, true, NOW)).toBe(false);
    expect(windowMatters(expired, true, NOW)).toBe(false);
    expect(gate(unrestricted, true, NOW)).toEqual(gate(openedAnHourAgo(unrestricted), true, NOW));
    expect(gate(expired, true, NOW)).toEqual(gate(openedAnHourAgo(expired), true, NOW));
  });

  it("does for a template while business-initiated messaging is restricted: the window decides", () => {
    expect(windowMatters(bizRestricted, true, NOW)).toBe(true);
    expect(gate(bizRestricted, true, NOW).verdict).toBe("CANNOT_SEND");
    expect(gate(openedAnHourAgo(bizRestricted), true, NOW).verdict).toBe("SEND");
  });
});
