import { z } from "zod";
import { MESSAGE_STATUSES, statusRank, type MessageStatus } from "./messageStatus.ts";

/**
 * What a status webhook says about the bill (statuses[].pricing), as Meta sends it in 2026:
 * `billable` (being deprecated, may be absent), `pricing_model` (CBP, PMP), `category`
 * (marketing, utility, authentication, service, ...) and `type` (regular, free_customer_service,
 * free_entry_point, ...). Under coexistence, messages sent from the WhatsApp Business app are free
 * and API messages are billed: these fields are how a business reconciles its bill per message.
 * Zod records and ISO strings (not Dates): the value is stored as JSON as it is and read back through them.
 */
export const pricingRecord = z.object({
  billable: z.boolean().nullable(),
  model: z.string().nullable(),
  category: z.string().nullable(),
  type: z.string().nullable(),
});
export type MessagePricing = z.infer<typeof pricingRecord>;

/** statuses[].conversation (conversation-based pricing; often absent under per-message pricing). */
export const conversationRecord = z.object({
  id: z.string().nullable(),
  /** conversation.origin.type: marketing, utility, authentication, service, referral_conversion, ... */
  origin: z.string().nullable(),
  /** conversation.expiration_timestamp as an ISO string; Meta sends it on the first status only. */
  expiresAt: z.string().nullable(),
});
export type MessageConversation = z.infer<typeof conversationRecord>;

/** What a message keeps of its statuses' billing, with the status it was last taken from (Message.billing). */
export const billingRecord = z.object({
  pricing: pricingRecord.nullable(),
  conversation: conversationRecord.nullable(),
  /** The newest status (time, then rank) that contributed: an older one only fills gaps. */
  status: z.enum(MESSAGE_STATUSES),
  at: z.string(),
});
export type MessageBilling = z.infer<typeof billingRecord>;

/** The billing part of a status, as the parser hands it over. */
export interface StatusBilling {
  status: MessageStatus;
  timestamp: Date;
  pricing: MessagePricing | null;
  conversation: MessageConversation | null;
}

/** An object's fields that carry a value (Meta leaves fields out rather than sending null). */
function present<T extends Record<string, unknown>>(value: T | null | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** Every field of `newer` that carries a value, the others from `older`. */
function merge<T extends Record<string, unknown>>(newer: T | null | undefined, older: T | null | undefined): T | null {
  const base = newer ?? older;
  if (!base) return null;
  return { ...base, ...present(older), ...present(newer) };
}

/** Field by field: stored JSON can come back with its keys in another order (PostgreSQL jsonb). */
function sameFields<T extends Record<string, unknown>>(a: T | null | undefined, b: T | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/**
 * The billing a message keeps once `incoming` is applied, or null when it changes nothing.
 *
 * Statuses arrive in any order and only the delivery state is forward-only (nextStatus); the bill
 * must not lose what any status said. So billing is merged independently of the state:
 *  - the newer status (by its own time, then by status rank: read outranks delivered in the same
 *    second) sets every pricing / conversation field it carries;
 *  - an older status arriving late (a `sent` after its `read`, or after a `failed`) only fills
 *    the fields still unknown, e.g. the conversation's expiration that only `sent` carries;
 *  - a status without pricing or conversation changes nothing.
 */
export function mergeBilling(stored: MessageBilling | null, incoming: StatusBilling): MessageBilling | null {
  if (!incoming.pricing && !incoming.conversation) return null;
  const at = incoming.timestamp.toISOString();
  const newer =
    !stored ||
    incoming.timestamp.getTime() > Date.parse(stored.at) ||
    (incoming.timestamp.getTime() === Date.parse(stored.at) && statusRank(incoming.status) >= statusRank(stored.status));
  const next: MessageBilling = newer
    ? {
        pricing: merge(incoming.pricing, stored?.pricing),
        conversation: merge(incoming.conversation, stored?.conversation),
        status: incoming.status,
        at,
      }
    : {
        pricing: merge(stored.pricing, incoming.pricing),
        conversation: merge(stored.conversation, incoming.conversation),
        status: stored.status,
        at: stored.at,
      };
  const unchanged =
    stored !== null &&
    next.status === stored.status &&
    next.at === stored.at &&
    sameFields(next.pricing, stored.pricing) &&
    sameFields(next.conversation, stored.conversation);
  return unchanged ? null : next;
}
