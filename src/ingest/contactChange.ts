import type { ContactInput } from "../domain/mirrorEvents.ts";
import { contactUpdate } from "../domain/threadMirror.ts";
import type { StoredContact } from "./participant.ts";

// Whether a contact event changes a stored contact: applyContacts writes only those, and a remembered
// contact is used without reading it only when no event of the delivery changes it.

/** Whether a contact event would write anything to the stored contact. */
export function changesContact(stored: StoredContact, c: ContactInput): boolean {
  const update = contactUpdate(stored, c);
  return update !== null && differs(stored, update);
}

export function differs(stored: StoredContact, update: NonNullable<ReturnType<typeof contactUpdate>>): boolean {
  return (Object.keys(update) as (keyof typeof update)[]).some((f) => !sameValue(stored[f], update[f]));
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}
