import { z } from "zod";
import type { MessageConversation, MessagePricing } from "../../domain/statusBilling.ts";
import { rawUnixSeconds, unixDate } from "./mirrorCommon.ts";

// statuses[].pricing and statuses[].conversation, per Meta's "Status messages webhook reference"
// (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/).
// Every key is optional: `billable` is being deprecated, `type` came with per-message pricing
// (PMP, July 2025), and `conversation` is absent under PMP on newer webhook versions. Loose and
// without transforms, like the status schema they belong to (the status is stored as it came).

export const pricingSchema = z.looseObject({
  billable: z.boolean().optional(),
  pricing_model: z.string().optional(),
  category: z.string().optional(),
  type: z.string().optional(),
});

export const conversationSchema = z.looseObject({
  id: z.string().optional(),
  expiration_timestamp: rawUnixSeconds.optional(),
  origin: z.looseObject({ type: z.string().optional() }).optional(),
});

export function toPricing(pricing: z.infer<typeof pricingSchema> | undefined): MessagePricing | null {
  if (!pricing) return null;
  return {
    billable: pricing.billable ?? null,
    model: pricing.pricing_model ?? null,
    category: pricing.category ?? null,
    type: pricing.type ?? null,
  };
}

export function toConversation(conversation: z.infer<typeof conversationSchema> | undefined): MessageConversation | null {
  if (!conversation) return null;
  const expires = conversation.expiration_timestamp;
  return {
    id: conversation.id ?? null,
    origin: conversation.origin?.type ?? null,
    expiresAt: expires === undefined ? null : unixDate(expires).toISOString(),
  };
}
