import { z } from "zod";
import { userSubject, type SignalEvent } from "../../domain/accountSignals.ts";
import { identityKey } from "../../domain/identityKey.ts";
import { digits } from "../../domain/phoneNumbers.ts";
import type { WebhookChange } from "../envelope.ts";
import { businessNumber, metadataSchema, rawPhone, rawUnixSeconds, rawUserId, unixDate } from "./mirrorCommon.ts";
import { itemFailer, parseItems, parseWith, type FailItem } from "./parse.ts";
import { nullableText, signalEvent } from "./signalEvent.ts";

// user_preferences webhook reference (Jun 2026): a user stopped or resumed marketing messages
// ("Offers and announcements"). Each item has its own time; the user is named by wa_id, or (a user
// known by a business-scoped user id) by user_id.
const preference = z
  .looseObject({
    wa_id: rawPhone.optional(),
    user_id: rawUserId.optional(),
    detail: nullableText,
    category: z.string().min(1, "category must not be empty"),
    value: z.string().min(1, "value must not be empty"),
    timestamp: rawUnixSeconds,
  })
  .refine((p) => p.wa_id !== undefined || p.user_id !== undefined, { message: 'expected "wa_id" or "user_id" (the user)', path: ["wa_id"] });

const preferencesValue = z.looseObject({ metadata: metadataSchema, user_preferences: z.array(z.unknown()).optional() });

/** One event per preference item; an unreadable item fails alone. */
export function parseUserPreferences(change: WebhookChange, receivedAt: Date, failItem?: FailItem): SignalEvent[] {
  const value = parseWith(preferencesValue, change);
  const { phoneNumberId } = businessNumber(change, value.metadata);
  return parseItems(preference, value.user_preferences, change, "user_preferences", itemFailer(change, failItem)).map(({ item }) => {
    const waId = item.wa_id === undefined ? null : digits(item.wa_id);
    const userId = item.user_id ?? null;
    const identity = waId ? identityKey("WA_ID", waId) : identityKey("USER_ID", userId ?? "");
    const details = {
      field: "user_preferences" as const,
      phoneNumberId,
      waId,
      userId,
      category: item.category,
      value: item.value,
      detail: item.detail ?? null,
    };
    return signalEvent(change, receivedAt, userSubject(phoneNumberId, identity), details, {
      raw: item,
      occurredAt: unixDate(item.timestamp),
      key: phoneNumberId,
    });
  });
}
