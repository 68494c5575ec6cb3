import type { DisconnectionKind } from "./accountEvents.ts";
import { disconnectionReasonOf } from "./disconnectionReason.ts";

/**
 * What a dashboard should do about a disconnection. The table is documented in
 * docs/webhook-contract.md; it follows Meta's guidance quoted in the seeds.
 */
export const RECOMMENDED_ACTIONS = [
  "PROMPT_RECONNECT",
  "NO_REENGAGEMENT",
  "REONBOARD_NEW_NUMBER",
  "REONBOARD",
  "CONFIRM_WITH_BUSINESS",
  "REQUEST_REAUTHORIZATION",
  "PAUSE_AND_AWAIT_RECONNECT",
  "STOP_SERVICE",
  "FINISH_REONBOARDING",
] as const;
export type RecommendedAction = (typeof RECOMMENDED_ACTIONS)[number];

export function recommendedAction(kind: DisconnectionKind, reason: string | null, initiatedBy: string | null): RecommendedAction {
  switch (kind) {
    case "ACCOUNT_OFFBOARDED":
      // Device change or re-registration: Meta re-onboards automatically within minutes.
      return "PAUSE_AND_AWAIT_RECONNECT";
    case "ACCOUNT_DELETED":
      return "STOP_SERVICE";
    case "PARTNER_APP_UNINSTALLED":
      // Permissions were revoked: tokens and management calls fail until the app is installed again.
      return "REQUEST_REAUTHORIZATION";
    case "PARTNER_REMOVED":
      return partnerRemovedAction(reason, initiatedBy);
    default:
      return assertNever(kind);
  }
}

/**
 * The action for a disconnection as it stands: an offboarding still open past its stall time
 * (src/domain/stalls.ts) is no longer waited out, re-onboarding has not completed and the business is
 * asked to finish registration in the app. The stored action is the projection's, from the events
 * alone; the stall is a fact of the clock, recorded apart (Disconnection.stalledAt).
 */
export function currentRecommendedAction(stored: RecommendedAction, d: { stalledAt: Date | null; resolvedAt: Date | null }): RecommendedAction {
  return d.resolvedAt === null && d.stalledAt !== null ? "FINISH_REONBOARDING" : stored;
}

function partnerRemovedAction(reason: string | null, initiatedBy: string | null): RecommendedAction {
  const code = disconnectionReasonOf(reason);
  switch (code) {
    case "PRIMARY_INACTIVITY":
    case "COMPANION_INACTIVITY":
      // The device went quiet on its own; a user who chose this is asked nothing.
      return initiatedBy === "USER" ? "CONFIRM_WITH_BUSINESS" : "PROMPT_RECONNECT";
    case "BUSINESS_DOWNGRADE":
      // Left a plan that supports coexistence: a deliberate choice, not to be chased.
      return "NO_REENGAGEMENT";
    case "CHANGE_NUMBER":
      return "REONBOARD_NEW_NUMBER";
    case "USER_RE_REGISTERED":
      return "REONBOARD";
    case "OTHER":
    case null:
      // No disconnection_info (or a reason Meta added later): a user who removed us meant it.
      return initiatedBy === "USER" ? "NO_REENGAGEMENT" : "CONFIRM_WITH_BUSINESS";
    default:
      return assertNever(code);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
