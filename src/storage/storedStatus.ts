import { z } from "zod";
import type { UserRef } from "../domain/mirrorEvents.ts";
import { MESSAGE_STATUSES, type MessageStatus } from "../domain/messageStatus.ts";
import type { MessageBilling, MessageConversation, MessagePricing } from "../domain/statusBilling.ts";

// Reading back what the hub stored as JSON about statuses (Message.billing, the payload of a
// pending STATUS update): checked on the way out, so a row written by an older version reads as
// "unknown" rather than as a wrong type.

const pricing = z.object({
  billable: z.boolean().nullable(),
  model: z.string().nullable(),
  category: z.string().nullable(),
  type: z.string().nullable(),
}) satisfies z.ZodType<MessagePricing>;

const conversation = z.object({
  id: z.string().nullable(),
  origin: z.string().nullable(),
  expiresAt: z.string().nullable(),
}) satisfies z.ZodType<MessageConversation>;

const status = z.enum(MESSAGE_STATUSES) satisfies z.ZodType<MessageStatus>;

const billing = z.object({
  pricing: pricing.nullable(),
  conversation: conversation.nullable(),
  status,
  at: z.string(),
}) satisfies z.ZodType<MessageBilling>;

/** Message.billing, or null when there is none (or it cannot be read). */
export function readBilling(json: unknown): MessageBilling | null {
  const parsed = billing.safeParse(json);
  return parsed.success ? parsed.data : null;
}

// A StatusInput as applyMessageUpdate stored it in PendingMessageUpdate.payload (dates as ISO
// strings). Payloads from before pricing was kept have no pricing/conversation keys.
const pendingStatus = z.object({
  kind: z.literal("status"),
  wamid: z.string(),
  status,
  timestamp: z.string(),
  user: z.object({ waId: z.string().nullable(), userId: z.string().nullable() }) satisfies z.ZodType<UserRef>,
  pricing: pricing.nullable().optional(),
  conversation: conversation.nullable().optional(),
});

export interface PendingStatus {
  wamid: string;
  status: MessageStatus;
  timestamp: Date;
  recipient: UserRef;
  pricing: MessagePricing | null;
  conversation: MessageConversation | null;
}

/** A pending STATUS update's payload, or null when it is not one this version can read. */
export function readPendingStatus(json: unknown): PendingStatus | null {
  const parsed = pendingStatus.safeParse(json);
  if (!parsed.success) return null;
  const p = parsed.data;
  return {
    wamid: p.wamid,
    status: p.status,
    timestamp: new Date(p.timestamp),
    recipient: p.user,
    pricing: p.pricing ?? null,
    conversation: p.conversation ?? null,
  };
}
