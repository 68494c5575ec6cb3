import { describe, expect, it } from "vitest";
import { MESSAGE_DIRECTIONS } from "../../src/domain/mirrorEvents.ts";
import { storedValue, storedValueOrNull } from "../../src/domain/storedValue.ts";

describe("a string column read back as its union", () => {
  it("gives a known value back as it is", () => {
    expect(storedValue("Message.direction", MESSAGE_DIRECTIONS, "INBOUND")).toBe("INBOUND");
  });

  it("refuses a value this version does not know, naming the column and what it may hold", () => {
    expect(() => storedValue("Message.direction", MESSAGE_DIRECTIONS, "SIDEWAYS")).toThrow(
      'stored Message.direction "SIDEWAYS" is not one of INBOUND, OUTBOUND',
    );
  });

  it("keeps null for a nullable column", () => {
    expect(storedValueOrNull("Message.status", MESSAGE_DIRECTIONS, null)).toBeNull();
  });
});
