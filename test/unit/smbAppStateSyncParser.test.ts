import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/meta.ts";
import { FIXTURE_BUSINESS, USER, parse, ofKind, only, valueOf, parseError, unix } from "../helpers/parsers.ts";

// The `smb_app_state_sync` field (src/webhooks/fields/smbAppStateSync.ts).

describe("smb_app_state_sync", () => {
  it("a contact 'add' becomes a ContactInput with full and first name, digits of phone_number and the time", () => {
    const contacts = ofKind(parse(fixture("smb_app_state_sync/contact_add")), "contact");
    expect(contacts).toEqual([
      {
        kind: "contact",
        business: FIXTURE_BUSINESS,
        user: { waId: USER, userId: null },
        username: null,
        parentUserId: null,
        action: "add",
        profileName: null,
        fullName: "Sheena Nelson",
        firstName: "Sheena",
        timestamp: unix(1739321024),
      },
      {
        kind: "contact",
        business: FIXTURE_BUSINESS,
        user: { waId: "905325550147", userId: null },
        username: null,
        parentUserId: null,
        action: "add",
        profileName: null,
        fullName: "Zoë Çelik",
        firstName: "Zoë",
        timestamp: unix(1739321025),
      },
    ]);
  });

  it("a contact 'remove' becomes a ContactInput 'remove' without names", () => {
    expect(only(parse(fixture("smb_app_state_sync/contact_remove")), "contact")).toMatchObject({
      user: expect.objectContaining({ waId: "12125557890" }),
      action: "remove",
      fullName: null,
      firstName: null,
    });
  });

  it("an action Meta adds later is kept as it comes", () => {
    const payload = fixture("smb_app_state_sync/contact_add");
    valueOf(payload).state_sync[0].action = "update";
    expect(ofKind(parse(payload), "contact")[0]!.action).toBe("update");
  });

  it("entries of other types are skipped without being checked", () => {
    const payload = fixture("smb_app_state_sync/contact_remove");
    valueOf(payload).state_sync.unshift({ type: "label", label: { id: 7 }, metadata: { timestamp: "soon" } });
    expect(parse(payload).map((e) => e.kind)).toEqual(["contact"]);
  });

  it("a contact entry with a phone_number that is not a phone is a FieldParseError naming the path", () => {
    const payload = fixture("smb_app_state_sync/contact_add");
    valueOf(payload).state_sync[1].contact.phone_number = { number: "+90" };
    expect(parseError(payload)).toContain("state_sync.1.contact.phone_number");
  });

  it("a contact entry without action is a FieldParseError naming the path", () => {
    const payload = fixture("smb_app_state_sync/contact_remove");
    delete valueOf(payload).state_sync[0].action;
    expect(parseError(payload)).toContain("state_sync.0.action");
  });
});
