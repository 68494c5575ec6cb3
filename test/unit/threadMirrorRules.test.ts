import { describe, expect, it } from "vitest";
import { applyEdit, contactUpdate, editShows, type StoredContactSync, type StoredMessage } from "../../src/domain/threadMirror.ts";
import type { ContactInput } from "../../src/domain/mirrorEvents.ts";

const at = (seconds: number) => new Date(1_750_000_000_000 + seconds * 1000);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

// ---------------------------------------------------------------------------------------------
// Edits

const original: StoredMessage = { type: "text", text: "v0", content: { body: "v0" }, status: null, editedAt: null, edits: [], revokedAt: null };
const editTo = (wamid: string, seconds: number, text: string) => ({ wamid, type: "text", text, content: { body: text }, timestamp: at(seconds) });

/** The stored message after the edits, applied in the order given, as the ingest applies them. */
function edited(edits: ReturnType<typeof editTo>[], message: StoredMessage = original): StoredMessage {
  let m = message;
  for (const e of edits) {
    const next = applyEdit(m, e);
    if (next) m = { ...m, ...next };
  }
  return m;
}

describe("applyEdit", () => {
  const first = editTo("wamid.e1", 10, "v1");
  const second = editTo("wamid.e2", 20, "v2");
  const third = editTo("wamid.e3", 30, "v3");

  it("replaces the content and keeps the replaced version with the replacing edit's time and wamid", () => {
    const m = edited([first]);
    expect(m).toMatchObject({ text: "v1", content: { body: "v1" }, editedAt: at(10) });
    expect(m.edits).toEqual([{ type: "text", text: "v0", content: { body: "v0" }, replacedAt: at(10).toISOString(), editWamid: "wamid.e1" }]);
  });

  it("gives the same message whatever order the edits arrive in: ordered by their own time, the latest current", () => {
    const inOrder = edited([first, second, third]);
    expect(inOrder.text).toBe("v3");
    expect((inOrder.edits as { text: string; editWamid: string }[]).map((e) => [e.text, e.editWamid])).toEqual([
      ["v0", "wamid.e1"],
      ["v1", "wamid.e2"],
      ["v2", "wamid.e3"],
    ]);
    for (const order of permutations([first, second, third])) expect(edited(order)).toEqual(inOrder);
  });

  it("orders two edits stamped in the same second by their wamid, whichever arrives first", () => {
    const a = editTo("wamid.same.a", 10, "from a");
    const b = editTo("wamid.same.b", 10, "from b");
    expect(edited([b, a])).toEqual(edited([a, b]));
    expect(edited([b, a]).text).toBe("from b");
  });

  it("changes nothing for an edit seen before", () => {
    const m = edited([first, second]);
    expect(applyEdit(m, first)).toBeNull();
    expect(applyEdit(m, second)).toBeNull();
  });
});

describe("editShows", () => {
  it("publishes every edit of a message that is not revoked", () => {
    expect(editShows(original, { type: "text", editedAt: at(10) })).toBe(true);
  });

  it("does not publish a late edit of a revoked message that leaves its type and editedAt as they were (the rest is hidden)", () => {
    const revoked = { ...edited([editTo("wamid.e2", 20, "v2")]), revokedAt: at(40) };
    const late = applyEdit(revoked, editTo("wamid.e1", 10, "v1"))!;
    expect(late.editedAt).toEqual(at(20));
    expect(editShows(revoked, late)).toBe(false);
    expect(editShows(revoked, applyEdit(revoked, editTo("wamid.e3", 30, "v3"))!)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Address-book actions

const B = { phoneNumberId: "940000000000001", displayPhoneNumber: null, wabaId: "920000000000001" };
const sync = (action: "add" | "remove", seconds: number | null, fullName: string | null = null): ContactInput => ({
  kind: "contact",
  business: B,
  user: { waId: "5511900000201", userId: null },
  username: null,
  parentUserId: null,
  action,
  profileName: null,
  fullName,
  firstName: fullName?.split(" ")[0] ?? null,
  timestamp: seconds === null ? null : at(seconds),
});
const blank: StoredContactSync = { fullName: null, firstName: null, removedAt: null, syncedAt: null, namesSyncedAt: null };

/** What a client sees of the contact after the actions, applied in the order given. */
function contactAfter(actions: ContactInput[]) {
  let c = blank;
  for (const a of actions) c = { ...c, ...contactUpdate(c, a) };
  return { fullName: c.fullName, firstName: c.firstName, removedAt: c.removedAt };
}

describe("contactUpdate (address-book actions)", () => {
  it("keeps the names of an add when a later remove marks the contact removed", () => {
    expect(contactAfter([sync("add", 0, "Ana Souza"), sync("remove", 60)])).toEqual({ fullName: "Ana Souza", firstName: "Ana", removedAt: at(60) });
  });

  it("gives the in-order result when the add arrives after the later remove", () => {
    const add = sync("add", 0, "Ana Souza");
    const remove = sync("remove", 60);
    expect(contactAfter([remove, add])).toEqual(contactAfter([add, remove]));
  });

  it("ends as in time order for any arrival order of adds, renames and removes", () => {
    const actions = [sync("add", 0, "Ana Souza"), sync("remove", 10), sync("add", 20, "Ana S. Lima"), sync("remove", 30)];
    const inOrder = contactAfter(actions);
    expect(inOrder).toEqual({ fullName: "Ana S. Lima", firstName: "Ana", removedAt: at(30) });
    for (const order of permutations(actions)) expect(contactAfter(order)).toEqual(inOrder);
  });

  it("clears removedAt for an add newer than the remove, whichever arrives first", () => {
    const actions = [sync("remove", 10), sync("add", 20, "Ana Souza")];
    for (const order of permutations(actions)) expect(contactAfter(order)).toEqual({ fullName: "Ana Souza", firstName: "Ana", removedAt: null });
  });

  it("lets the remove win over an add stamped in the same second, and the greater name win between two adds", () => {
    const actions = [sync("add", 5, "Ana Souza"), sync("remove", 5), sync("add", 5, "Bia Lima")];
    for (const order of permutations(actions)) expect(contactAfter(order)).toEqual({ fullName: "Bia Lima", firstName: "Bia", removedAt: at(5) });
  });

  it("counts an action without a timestamp as older than every timed one", () => {
    const actions = [sync("add", null, "Sem Data"), sync("add", 0, "Ana Souza")];
    for (const order of permutations(actions)) expect(contactAfter(order).fullName).toBe("Ana Souza");
  });

  it("treats the names of a contact stored before namesSyncedAt existed as being as new as its last action", () => {
    const legacy: StoredContactSync = { fullName: "Ana Souza", firstName: "Ana", removedAt: null, syncedAt: at(20), namesSyncedAt: null };
    expect(contactUpdate(legacy, sync("add", 10, "Older Name"))).toBeNull();
    expect(contactUpdate(legacy, sync("add", 30, "Newer Name"))).toMatchObject({ fullName: "Newer Name", namesSyncedAt: at(30) });
  });

  it("sets only the values the contact already has for an action seen before (so nothing is written)", () => {
    const c = { ...blank, ...contactUpdate(blank, sync("add", 0, "Ana Souza")) };
    const again = contactUpdate(c, sync("add", 0, "Ana Souza"))!;
    expect({ ...c, ...again }).toEqual(c);
  });
});
