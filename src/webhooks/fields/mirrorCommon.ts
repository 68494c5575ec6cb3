import { z } from "zod";
import type { BusinessNumber, MetaError } from "../../domain/mirrorEvents.ts";
import type { MessageStatus } from "../../domain/messageStatus.ts";
import { describeIssues, metaId, type WebhookChange } from "../envelope.ts";
import { FieldParseError } from "./parse.ts";

// The schemas for message and status objects never transform: what they output is deep-equal to
// the object Meta sent (unknown keys kept; zod rebuilds objects, so only key order may differ),
// so it can be stored as `content` / `raw`. Conversions (dates, digits, error codes) happen in the
// functions below instead.

/** Unix seconds as Meta sends them: a numeric string or a number. Converted by `unixDate`. */
export const rawUnixSeconds = z.union([z.number().finite().nonnegative(), z.string().regex(/^\d+$/, "expected unix seconds")]);

export function unixDate(value: z.infer<typeof rawUnixSeconds>): Date {
  return new Date(Number(value) * 1000);
}

// Identifiers are checked the same way here and where a stored message object is decoded.
export { rawPhone, rawUserId } from "../../domain/rawIdentifiers.ts";

/** A count Meta documents as a number; some partner examples quote it. */
// Phases, chunk orders and progress are small whole numbers; anything else is refused here rather
// than stored and then unreadable.
export const count = z
  .union([z.number(), z.string().regex(/^\d{1,9}$/, "expected a whole number")])
  .transform(Number)
  .pipe(z.number().int("expected a whole number").nonnegative().max(1_000_000_000));

export const optionalString = z.string().optional();

// ---------------------------------------------------------------------------------------------
// value.metadata → BusinessNumber

export const metadataSchema = z.looseObject({
  display_phone_number: z.union([z.string(), z.number()]).optional(),
  phone_number_id: metaId,
});

/** The business number of a change: the WABA is the entry id for these fields (no waba_info here). */
export function businessNumber(change: WebhookChange, metadata: z.infer<typeof metadataSchema>): BusinessNumber {
  const display = metadata.display_phone_number;
  return {
    phoneNumberId: metadata.phone_number_id,
    displayPhoneNumber: display === undefined || display === "" ? null : String(display),
    wabaId: change.entryId,
  };
}

// ---------------------------------------------------------------------------------------------
// Meta's error object → MetaError

export const metaErrorSchema = z.looseObject({
  code: z.union([z.number().int(), z.string().regex(/^-?\d+$/, "expected an error code")]).optional(),
  title: optionalString,
  message: optionalString,
  error_data: z.looseObject({ details: optionalString }).optional(),
});

export type RawMetaError = z.infer<typeof metaErrorSchema>;

export function toMetaError(error: RawMetaError): MetaError {
  return {
    code: error.code === undefined ? null : Number(error.code),
    title: error.title ?? null,
    message: error.message ?? null,
    details: error.error_data?.details ?? null,
  };
}

export function toMetaErrors(errors: readonly RawMetaError[] | undefined): MetaError[] {
  return (errors ?? []).map(toMetaError);
}

// ---------------------------------------------------------------------------------------------
// Status strings → MessageStatus

// Keys are lower case; the lookup lower-cases its input (history sends "READ", statuses "read").
// "pending" is the clock icon: not yet accepted by WhatsApp's server, so PENDING. "server_ack" is
// the server's acknowledgement (one tick), which is what Cloud API calls "sent", so SENT;
// "delivery_ack" likewise means DELIVERED. "error" is how history spells a failed message.
const STATUS_OF: Record<string, MessageStatus> = {
  pending: "PENDING",
  server_ack: "SENT",
  sent: "SENT",
  delivery_ack: "DELIVERED",
  delivered: "DELIVERED",
  read: "READ",
  played: "PLAYED",
  failed: "FAILED",
  error: "FAILED",
};

/** A status string from history_context.status or statuses[].status; null when not a delivery state. */
export function toStatus(status: string | null | undefined): MessageStatus | null {
  if (!status) return null;
  const key = status.trim().toLowerCase();
  return Object.hasOwn(STATUS_OF, key) ? STATUS_OF[key]! : null;
}

// ---------------------------------------------------------------------------------------------
// Parsing a nested part with a path in the error

/**
 * Parses `value` found at `path` of the change's value; a mismatch is a FieldParseError naming
 * the full path (for parts checked only once their kind is known, e.g. a state_sync contact).
 */
export function parseAt<T extends z.ZodType>(schema: T, value: unknown, change: WebhookChange, path: readonly (string | number)[]): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
    throw new FieldParseError(change, describeIssues(new z.ZodError(issues)));
  }
  return result.data;
}
