/**
 * account_update's disconnection_info.reason (on a coexistence PARTNER_REMOVED), decoded. Meta
 * documents PRIMARY_INACTIVITY, COMPANION_INACTIVITY and BUSINESS_DOWNGRADE; CHANGE_NUMBER and
 * USER_RE_REGISTERED come from its offboarding guidance. A reason Meta adds later is OTHER (the raw
 * string is kept beside it), so a client can switch over the known ones exhaustively.
 * https://developers.facebook.com/docs/whatsapp/embedded-signup/webhooks#account-update
 */
export const DISCONNECTION_REASONS = [
  "PRIMARY_INACTIVITY",
  "COMPANION_INACTIVITY",
  "BUSINESS_DOWNGRADE",
  "CHANGE_NUMBER",
  "USER_RE_REGISTERED",
  "OTHER",
] as const;
export type DisconnectionReason = (typeof DISCONNECTION_REASONS)[number];

/** The reason as Meta sent it → its code; null when Meta gave none. */
export function disconnectionReasonOf(reason: string | null | undefined): DisconnectionReason | null {
  if (reason === null || reason === undefined || reason === "") return null;
  return DISCONNECTION_REASONS.find((r) => r !== "OTHER" && r === reason) ?? "OTHER";
}
