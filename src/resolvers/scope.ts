import { hubError } from "../errors.ts";
import type { Power } from "../domain/tokenPowers.ts";
import { canSeeWaba, hasPower, type Principal } from "../tokens/principal.ts";

/**
 * The one place where a principal becomes a filter. Root fields AND their own where-clause with
 * these, so a scoped token's queries simply find nothing of another WABA (no error: an error would
 * tell the token that such a WABA, thread or number exists). A nested field needs no filter when
 * everything under its parent belongs to the parent's WABA (a WABA's numbers and events, a
 * thread's messages, a number's history sync); a field whose parent is not one WABA's (a
 * delivery, which can carry several WABAs' changes) filters its rows with these too
 * (WebhookDelivery.phoneNumberErrors). test/integration/tokenScopes.test.ts walks every field.
 */

/** For models with a wabaId column (Waba, and through it its events and disconnections). */
export function wabaScope(principal: Principal): { wabaId?: { in: string[] } } {
  return principal.wabaIds === "ALL" ? {} : { wabaId: { in: [...principal.wabaIds] } };
}

/** For models that belong to a business phone number (Thread, Contact, HistorySync). */
export function phoneNumberScope(principal: Principal): { phoneNumber?: { wabaId: { in: string[] } } } {
  return principal.wabaIds === "ALL" ? {} : { phoneNumber: { wabaId: { in: [...principal.wabaIds] } } };
}

/** Subscriptions: whether a published event (which carries its WABA) may reach this subscriber. */
export function mayReceive(principal: Principal, event: { wabaId: string }): boolean {
  return canSeeWaba(principal, event.wabaId);
}

/** Fields outside any one WABA's data (e.g. deliveries, which can span WABAs) need a power. */
export function requirePower(principal: Principal, power: Power): void {
  if (!hasPower(principal, power)) {
    // yoga's own constructor: its error masking recognises the class it made and lets the message through.
    throw hubError("FORBIDDEN", `this token lacks the ${power} power (see docs/tokens.md)`);
  }
}

/**
 * Records about every WABA at once (alert targets and attempts: an event of any WABA goes to every
 * target) need the power over all WABAs: a token scoped to some would otherwise read the others'.
 */
export function requireEveryWaba(principal: Principal, power: Power): void {
  requirePower(principal, power);
  if (principal.wabaIds !== "ALL")
    throw hubError("FORBIDDEN", `this needs a token for all WABAs with the ${power} power (hub tokens create --all-wabas; docs/tokens.md)`);
}
