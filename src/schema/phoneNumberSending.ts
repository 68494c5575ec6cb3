import { phoneNumberSending, type NumberSendingView } from "../resolvers/sending.ts";
import { setSendRate } from "../resolvers/setSendRate.ts";
import { builder } from "./builder.ts";
import { RecommendedActionEnum } from "./disconnection.ts";

const PhoneNumberSendingRef = builder.objectRef<NumberSendingView>("PhoneNumberSending").implement({
  description: "Whether the number may send now, by the rules sendMessage applies (docs/sending.md), its pace and its waiting sends.",
  fields: (t) => ({
    canSend: t.exposeBoolean("canSend", {
      description: "False when sends are refused (removed, uninstalled, deleted, disabled: `reason`) or held (`held`).",
    }),
    held: t.exposeBoolean("held", { description: "Sends are accepted but held (ACCOUNT_OFFBOARDED) until the number is reconnected." }),
    reason: t.exposeString("reason", {
      nullable: true,
      description:
        "Why it cannot send or holds (NOT_CONFIGURED: the hub has no Graph API token; PARTNER_REMOVED, PARTNER_APP_UNINSTALLED, " +
        "ACCOUNT_DELETED, DISABLED, ACCOUNT_OFFBOARDED); " +
        "when it can, an active restriction that refuses one kind of send (RESTRICTED_CUSTOMER_INITIATED_MESSAGING: replies; " +
        "RESTRICTED_BIZ_INITIATED_MESSAGING: templates outside a window); else null.",
    }),
    recommendedAction: t.field({ type: RecommendedActionEnum, nullable: true, resolve: (s) => s.recommendedAction }),
    ratePerSecond: t.exposeFloat("ratePerSecond", { description: "Messages per second the queue paces this number at." }),
    queued: t.exposeInt("queued", { description: "Its sends not done yet: QUEUED, HELD or SENDING." }),
  }),
});

builder.prismaObjectField("PhoneNumber", "sending", (t) =>
  t.field({
    type: PhoneNumberSendingRef,
    select: { phoneNumberId: true, wabaId: true, displayPhoneNumber: true },
    resolve: (n, _args, ctx) => phoneNumberSending(n, ctx),
  }),
);

builder.mutationFields((t) => ({
  setSendRate: t.prismaField({
    type: "PhoneNumber",
    description:
      "Sets the messages per second the outbound queue paces this number at (every instance reads it); null: back to the default " +
      "(SEND_RATE_PER_SECOND). A coexistence number never goes above SEND_COEXISTENCE_RATE_PER_SECOND (Meta fixes it at 20), " +
      "whatever is set here. More than 0, at most 1000. Needs the admin power. `sending.ratePerSecond` shows the rate in force.",
    args: { phoneNumberId: t.arg.string({ required: true }), ratePerSecond: t.arg.float() },
    resolve: (query, _root, args, ctx) => setSendRate(query, args, ctx),
  }),
}));
