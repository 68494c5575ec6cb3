import { SIGNAL_FIELDS } from "../domain/accountSignals.ts";
import { builder } from "./builder.ts";
import { accountSignalEvents, accountSignalOf } from "../resolvers/accountSignals.ts";

const SignalFieldEnum = builder.enumType("AccountSignalField", {
  description: "The operators' webhook fields the hub reads (Meta's field names).",
  values: SIGNAL_FIELDS,
});

builder.prismaObject("AccountSignal", {
  description:
    "One event of an operators' webhook field (templates, a number's quality, name and security, capabilities, alerts, a user's " +
    "marketing preference), stored once however many deliveries carried it. The typed views are on Waba, PhoneNumber and Contact.",
  fields: (t) => ({
    id: t.exposeID("id"),
    wabaId: t.exposeString("wabaId"),
    field: t.field({
      type: SignalFieldEnum,
      resolve: (e) => {
        const field = SIGNAL_FIELDS.find((f) => f === e.field);
        if (!field) throw new Error(`stored AccountSignal.field "${e.field}" is not an operators' field`);
        return field;
      },
    }),
    subject: t.exposeString("subject", {
      description:
        'What it is about: "template:<id>", "number:<digits>", "waba", "alert:<entity type>:<entity id>:<type>", "user:<phone number id>:<identity>".',
    }),
    at: t.expose("occurredAt", { type: "DateTime", description: "Meta's time of the event." }),
    receivedAt: t.expose("createdAt", { type: "DateTime" }),
    raw: t.expose("raw", { type: "JSON", description: "The change's value (a user preference: its item) exactly as Meta sent it." }),
  }),
});

builder.subscriptionField("accountSignals", (t) =>
  t.prismaField({
    type: "AccountSignal",
    description: "Each operators' event once stored (a repeated delivery announces nothing); narrowed by WABA and by field.",
    args: { wabaId: t.arg.string({ required: false }), fields: t.arg({ type: [SignalFieldEnum], required: false }) },
    subscribe: (_root, args, ctx) => accountSignalEvents(args, ctx),
    resolve: (query, event, _args, ctx) => accountSignalOf(query, event, ctx),
  }),
);
