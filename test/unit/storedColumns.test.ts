import { describe, expect, it } from "vitest";
import { StoredValueError } from "../../src/storage/column.ts";
import {
  accountEventFamilyColumn,
  accountEventRawColumn,
  apiTokenPowersColumn,
  apiTokenWabaIdsColumn,
  billingColumn,
  editsColumn,
  messageDirectionColumn,
  messageStatusColumn,
  pendingUpdateColumn,
  reactionsColumn,
  restrictionsColumn,
} from "../../src/storage/columns.ts";
import { Prisma } from "../../src/storage/generated/prisma/client.ts";

describe("a stored string column read back as its union", () => {
  it("gives a known value back as it is", () => {
    expect(messageDirectionColumn.read("INBOUND")).toBe("INBOUND");
  });

  it("refuses a value this version does not know, naming the column and what it may hold", () => {
    expect(() => messageDirectionColumn.read("SIDEWAYS")).toThrow('stored Message.direction "SIDEWAYS" is not one of INBOUND, OUTBOUND');
    expect(() => messageDirectionColumn.read("SIDEWAYS")).toThrow(StoredValueError);
  });

  it("keeps null for a nullable column", () => {
    expect(messageStatusColumn.read(null)).toBeNull();
  });
});

describe("a stored JSON column read back through its record", () => {
  it("reads SQL NULL as the column's empty value", () => {
    expect(restrictionsColumn.read(null)).toEqual([]);
    expect(billingColumn.read(null)).toBeNull();
  });

  it("refuses what does not match its record, naming the column, instead of dropping it", () => {
    expect(() => reactionsColumn.read([{ reactor: "SOMEONE", at: "x", wamid: "w" }])).toThrow(/stored Message\.reactions does not match its record/);
    expect(() => editsColumn.read({ not: "a list" })).toThrow(StoredValueError);
  });

  it("writes null as SQL NULL and reads back what it wrote", () => {
    expect(billingColumn.write(null)).toBe(Prisma.DbNull);
    const restrictions = [{ restrictionType: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: null }];
    expect(restrictionsColumn.read(restrictionsColumn.write(restrictions))).toEqual(restrictions);
  });
});

describe("the columns written without a codec before (Message.content, AccountEvent.raw and family, ApiToken)", () => {
  it("keeps Meta's value object whole and refuses one that is not an object", () => {
    const raw = { event: "PARTNER_ADDED", waba_info: { waba_id: "1" }, extra: [1, "two"] };
    expect(accountEventRawColumn.read(JSON.parse(JSON.stringify(accountEventRawColumn.write(raw))))).toEqual(raw);
    expect(() => accountEventRawColumn.read("PARTNER_ADDED")).toThrow(/stored AccountEvent\.raw does not match its record/);
  });

  it("refuses an event family this version does not know", () => {
    expect(accountEventFamilyColumn.read("PARTNER")).toBe("PARTNER");
    expect(() => accountEventFamilyColumn.read("GOSSIP")).toThrow(StoredValueError);
  });

  it("reads a token's WABAs and powers back, refusing a power this version does not know", () => {
    expect(apiTokenWabaIdsColumn.read(apiTokenWabaIdsColumn.write(["102290129340398"]))).toEqual(["102290129340398"]);
    expect(apiTokenPowersColumn.read(apiTokenPowersColumn.write(["read", "send"]))).toEqual(["read", "send"]);
    expect(() => apiTokenPowersColumn.read(["read", "root"])).toThrow(/stored ApiToken\.powers does not match its record/);
  });

  it("refuses an earlier version of a message whose content is not a message object", () => {
    const version = { type: "text", text: "olá", replacedAt: "2026-03-01T10:00:00.000Z", editWamid: "wamid.E" };
    expect(editsColumn.read([{ ...version, content: { text: { body: "olá" } } }])).toHaveLength(1);
    expect(() => editsColumn.read([{ ...version, content: "olá" }])).toThrow(StoredValueError);
  });
});

describe("a pending update's payload", () => {
  const business = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881", wabaId: "102290129340398" };
  const user = { waId: "16505551234", userId: null };

  it("comes back as the update it was, its times as Dates again", () => {
    const status = {
      kind: "status" as const,
      business,
      wamid: "wamid.A",
      user,
      status: "DELIVERED" as const,
      timestamp: new Date("2026-03-01T10:00:00.000Z"),
      errors: [],
      pricing: null,
      conversation: null,
      raw: { id: "wamid.A" },
    };
    // As the database hands it back: the JSON text Prisma wrote, parsed.
    const stored: unknown = JSON.parse(JSON.stringify(pendingUpdateColumn.write(status)));
    expect(pendingUpdateColumn.read(stored)).toEqual(status);
  });

  it("reads a status an older version kept, without pricing, errors or raw", () => {
    const older = { kind: "status", business, wamid: "wamid.A", user, status: "READ", timestamp: "2026-03-01T10:00:00.000Z" };
    expect(pendingUpdateColumn.read(older)).toMatchObject({ kind: "status", status: "READ", pricing: null, conversation: null, errors: [], raw: {} });
  });

  it("refuses a payload whose time is not a time", () => {
    expect(() => pendingUpdateColumn.read({ kind: "revoke", business, user, wamid: "w", originalWamid: "o", timestamp: "yesterday" })).toThrow(
      StoredValueError,
    );
  });
});
