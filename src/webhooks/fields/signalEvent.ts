import { createHash } from "node:crypto";
import { z } from "zod";
import type { SignalDetails, SignalEvent } from "../../domain/accountSignals.ts";
import { digits } from "../../domain/phoneNumbers.ts";
import { metaId, type WebhookChange } from "../envelope.ts";
import { FieldParseError, canonicalJson } from "./parse.ts";

/** A string Meta may send as null or leave out: both read as null. */
export const nullableText = z.string().nullish();

/** A count Meta documents as an integer (some examples quote it). */
export const nullableCount = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,12}$/, "expected a whole number")])
  .transform(Number)
  .nullish();

/** Meta's id of a template: a number in its examples, a string in some partners'. */
export const templateId = metaId.nullish();

export const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

/** A business display number as these fields name it, digits only; refused when it has none. */
export function displayDigits(change: WebhookChange, value: string | number): string {
  const d = digits(value);
  if (!d) throw new FieldParseError(change, `display_phone_number must contain digits, got ${JSON.stringify(value)}`);
  return d;
}

/**
 * One operators' event. Its id hashes the field, the WABA, Meta's entry time and the value (or
 * item) as sent, so the same event in two deliveries (Meta's retries, a replay) is one row. The
 * WABA is the entry id for every one of these fields. Without a time of Meta's, the delivery's
 * receipt time (stored, the same on every replay) stands in.
 */
export function signalEvent(
  change: WebhookChange,
  receivedAt: Date,
  subject: string,
  details: SignalDetails,
  item: { raw?: Record<string, unknown>; occurredAt?: Date | undefined; key?: string } = {},
): SignalEvent {
  const raw = item.raw ?? (change.value as Record<string, unknown>);
  const id = createHash("sha256")
    .update(JSON.stringify([details.field, change.entryId, change.entryTime?.getTime() ?? null, item.key ?? null, canonicalJson(raw)]))
    .digest("hex");
  return { id, wabaId: change.entryId, subject, occurredAt: item.occurredAt ?? change.entryTime ?? receivedAt, raw, details };
}
