import type { BusinessNumber, PhoneNumberErrorInput } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { metaErrorSchema, toMetaError } from "./mirrorCommon.ts";
import { parseItems, type FailItem } from "./parse.ts";

/**
 * value.errors[] of a `messages` change: errors about the phone number rather than one message,
 * per Meta's "Errors messages webhooks reference"
 * (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors),
 * e.g. 130429 "Rate limit hit". They come alone or beside messages and statuses. Each error is an
 * item of its own: a malformed one is a failed item, its neighbours are kept.
 */
export function parseValueErrors(
  change: WebhookChange,
  errors: readonly unknown[] | undefined,
  business: BusinessNumber,
  fail: FailItem,
): PhoneNumberErrorInput[] {
  // The messages field's entries usually carry no time: the projection then uses the delivery's
  // stored receipt time, the same on every replay.
  const occurredAt = change.entryTime ?? null;
  return parseItems(metaErrorSchema, errors, change, "errors", fail).map(({ item }) => ({
    kind: "phoneNumberError",
    business,
    error: toMetaError(item),
    occurredAt,
  }));
}
