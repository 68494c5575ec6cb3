import type { Gate } from "./sendGate.ts";

/**
 * What a send can end with: the refusals of sendMessage (GraphQL `extensions.code`; each is a code
 * of the hub's error catalogue, src/errors.ts, which checks it), and how the queue treats each of Meta's
 * error codes (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */

/** A refusal of sendMessage, as `extensions.code`. */
export const SEND_REFUSALS = [
  "NOT_CONFIGURED",
  "CANNOT_SEND",
  "OUTSIDE_SERVICE_WINDOW",
  "TEMPLATE_NOT_SENDABLE",
  "MARKETING_OPTED_OUT",
  "BAD_USER_INPUT",
  "FORBIDDEN",
] as const;
export type SendRefusal = (typeof SEND_REFUSALS)[number];

/**
 * Transient: throughput (130429), pair rate (131056), WABA rate (80007), app rate (4) and Meta's
 * "unknown error" (131000). Backed off and retried; anything else Meta answers is final.
 */
const RETRIED = new Set([130429, 131056, 80007, 4, 131000]);

/**
 * Final, listed so the rule reads both ways: outside the window (131047), undeliverable (131026),
 * unsupported type (131051), bad parameter (100), token (190), restricted (368), locked (131031),
 * BSUID not allowed (131062). Unlisted codes are final too: only what Meta documents as transient is retried.
 */
export const FINAL_META_CODES = [131047, 131026, 131051, 100, 190, 368, 131031, 131062] as const;

/** What the queue does after Meta answered with an error. */
export type MetaErrorVerdict = "RETRY" | "FAIL";

/** A 5xx without a known code is Meta's trouble, retried; a known code decides by itself. */
export function classifyMetaError(httpStatus: number, code: number | null): MetaErrorVerdict {
  if (code !== null && RETRIED.has(code)) return "RETRY";
  if (code !== null && (FINAL_META_CODES as readonly number[]).includes(code)) return "FAIL";
  return httpStatus >= 500 ? "RETRY" : "FAIL";
}

/** Exponential backoff for attempt n (1-based): 1 s, 2 s, 4 s, ... capped at 5 minutes. */
export function backoffMs(attempt: number, baseMs = 1000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000);
}

/** A send refused before anything was stored: the resolver turns it into a GraphQL error with `code` and `details` as extensions. */
export class SendRefused extends Error {
  constructor(
    readonly code: SendRefusal,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "SendRefused";
  }
}

/** The refusal of a send the gate said no to (sendMessage and retrySend answer the same). */
export function gateRefusal(g: Extract<Gate, { verdict: "CANNOT_SEND" | "OUTSIDE_SERVICE_WINDOW" }>): SendRefused {
  if (g.verdict === "CANNOT_SEND") {
    return new SendRefused("CANNOT_SEND", `this number cannot send: ${g.reason}`, { reason: g.reason, recommendedAction: g.recommendedAction });
  }
  const closed = g.windowClosedAt;
  return new SendRefused(
    "OUTSIDE_SERVICE_WINDOW",
    closed
      ? `the service window closed at ${closed.toISOString()}: only a template may be sent`
      : "the user never opened a service window: only a template may be sent",
    { windowClosedAt: closed?.toISOString() ?? null, reason: closed ? "WINDOW_CLOSED" : "NEVER_OPENED" },
  );
}
