import type { IdentityKind } from "./identityKey.ts";
import type { StoredMessage } from "./messageContent.ts";
import type { UserRef } from "./mirrorEvents.ts";
import { digits } from "./phoneNumbers.ts";

/** Meta's system messages that move a user's identity forward. */
export const IDENTITY_CHANGES = ["user_changed_number", "user_changed_user_id"] as const;
export type IdentityChange = (typeof IDENTITY_CHANGES)[number];

/** What a system message says about the user's identifiers: they were `from`, they are `to`. */
export interface DecodedIdentityChange {
  change: IdentityChange;
  /** The identifiers replaced, as far as the message names them. */
  from: UserRef;
  /** The identifiers from now on; user_changed_number names the new wa_id, user_changed_user_id the new user_id. */
  to: UserRef;
}

type IdentitySource = Pick<StoredMessage, "type" | "from" | "from_user_id" | "system">;

/**
 * The identity change a message carries, or null for any other message. user_changed_number
 * names the old number in `from` and the new one in system.wa_id; user_changed_user_id the old
 * BSUID in `from_user_id` and the new one in system.user_id. Since 2026 both may name the
 * replaced BSUID in system.previous_user_id instead, with no `from` at all.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages/system
 */
export function decodeIdentityChange(message: IdentitySource): DecodedIdentityChange | null {
  const system = message.system;
  if (message.type !== "system" || !system) return null;
  const change = IDENTITY_CHANGES.find((c) => c === system.type);
  if (change === undefined) return null;
  return {
    change,
    from: { waId: message.from === undefined ? null : digits(message.from), userId: message.from_user_id ?? system.previous_user_id ?? null },
    to: { waId: system.wa_id === undefined ? null : digits(system.wa_id), userId: system.user_id ?? null },
  };
}

/** The one identifier a change is about: the number of user_changed_number, the BSUID of user_changed_user_id. */
export function changedIdentifier(decoded: DecodedIdentityChange): { kind: IdentityKind; from: string | null; to: string | null } {
  return decoded.change === "user_changed_number"
    ? { kind: "WA_ID", from: decoded.from.waId, to: decoded.to.waId }
    : { kind: "USER_ID", from: decoded.from.userId, to: decoded.to.userId };
}
