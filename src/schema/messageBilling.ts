import type { MessageConversation, MessagePricing } from "../domain/statusBilling.ts";
import { billingColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";

export const MessagePricingRef = builder.objectRef<MessagePricing>("MessagePricing").implement({
  description:
    "statuses[].pricing as Meta last sent it for the message: what the message is billed as. Under coexistence, messages sent from the WhatsApp Business app are free and Cloud API messages are billed.",
  fields: (t) => ({
    billable: t.exposeBoolean("billable", { nullable: true, description: "Being deprecated by Meta: absent on newer webhooks." }),
    model: t.exposeString("model", { nullable: true, description: "pricing_model: PMP (per-message pricing) or CBP (conversation-based)." }),
    category: t.exposeString("category", { nullable: true, description: "marketing, utility, authentication, service, ..." }),
    type: t.exposeString("type", { nullable: true, description: "regular, free_customer_service, free_entry_point, ... (per-message pricing)." }),
  }),
});

export const MessageConversationRef = builder.objectRef<MessageConversation>("MessageConversation").implement({
  description: "statuses[].conversation (conversation-based pricing); often absent under per-message pricing.",
  fields: (t) => ({
    id: t.exposeString("id", { nullable: true }),
    origin: t.exposeString("origin", { nullable: true, description: "conversation.origin.type: marketing, utility, service, referral_conversion, ..." }),
    expiresAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "conversation.expiration_timestamp; Meta sends it on the first status of the conversation only.",
      resolve: (c) => (c.expiresAt === null ? null : new Date(c.expiresAt)),
    }),
  }),
});

// Fields of Message kept apart from message.ts: they come from the statuses, not from the message.
builder.prismaObjectFields("Message", (t) => ({
  pricing: t.field({
    type: MessagePricingRef,
    nullable: true,
    description:
      "From the newest status that carried pricing; an older status arriving late only fills what is still unknown. Null for messages no status priced (inbound, history, app echoes without statuses).",
    select: { billing: true },
    resolve: (m) => billingColumn.read(m.billing)?.pricing ?? null,
  }),
  conversation: t.field({
    type: MessageConversationRef,
    nullable: true,
    description: "From the statuses, merged like pricing (the expiration of `sent` is kept after `delivered`).",
    select: { billing: true },
    resolve: (m) => billingColumn.read(m.billing)?.conversation ?? null,
  }),
}));
