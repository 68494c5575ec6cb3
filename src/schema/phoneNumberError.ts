import { builder } from "./builder.ts";
import { phoneNumberErrorCount, phoneNumberErrors } from "../resolvers/phoneNumberError.ts";

builder.prismaObject("PhoneNumberError", {
  description:
    "An error Meta reported for a business phone number in value.errors of a messages webhook (e.g. 130429 rate limit hit, 131000 something went wrong), not tied to one message.",
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    wabaId: t.exposeString("wabaId"),
    code: t.exposeInt("code", { nullable: true }),
    title: t.exposeString("title", { nullable: true }),
    message: t.exposeString("message", { nullable: true }),
    details: t.exposeString("details", { nullable: true, description: "error_data.details" }),
    occurredAt: t.expose("occurredAt", { type: "DateTime", description: "The webhook entry's time when Meta sent one, else when the hub received it." }),
    deliveryId: t.exposeID("deliveryId", { description: "The WebhookDelivery that carried it (readable with the admin power)." }),
  }),
});

builder.queryField("phoneNumberErrors", (t) =>
  t.prismaConnection({
    type: "PhoneNumberError",
    cursor: "id",
    description: "A phone number's errors from value.errors, newest first.",
    args: {
      phoneNumberId: t.arg.string({ required: true }),
      code: t.arg.int({ required: false, description: "Only errors with this code." }),
    },
    resolve: (query, _root, args, ctx) => phoneNumberErrors(query, args, ctx),
    totalCount: (_parent, args, ctx) => phoneNumberErrorCount(args, ctx),
  }),
);
