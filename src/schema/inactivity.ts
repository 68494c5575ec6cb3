import { INACTIVITY_LEVELS, type InactivityRisk } from "../domain/inactivity.ts";
import { builder } from "./builder.ts";
import { inactivityEvents, inactivityOf, phoneNumberInactivityRisk } from "../resolvers/inactivity.ts";

const InactivityLevelEnum = builder.enumType("InactivityLevel", {
  description:
    "OK; WARN from INACTIVITY_WARN_DAYS (10) days without a sign of the WhatsApp Business app; CRITICAL from " +
    "INACTIVITY_CRITICAL_DAYS (12). Meta disconnects a coexistence number after about 14 (PRIMARY_INACTIVITY).",
  values: INACTIVITY_LEVELS,
});

const InactivityRiskRef = builder.objectRef<InactivityRisk>("InactivityRisk").implement({
  description: "How close a coexistence number is to Meta's ~14-day inactivity cut-off, from the last sign of its app (docs/account-signals.md).",
  fields: (t) => ({
    level: t.field({ type: InactivityLevelEnum, resolve: (r) => r.level }),
    daysLeft: t.exposeInt("daysLeft", { description: "Whole days left before the cut-off (INACTIVITY_DISCONNECT_DAYS after the last sign), rounded down." }),
    since: t.expose("since", { type: "DateTime", description: "When the number reached this level (OK: its last app activity)." }),
  }),
});

builder.prismaObjectFields("PhoneNumber", (t) => ({
  lastAppActivityAt: t.expose("lastAppActivityAt", {
    type: "DateTime",
    nullable: true,
    description:
      "Meta's time of the latest sign that the WhatsApp Business app was used: a message or reaction sent from it (echo), an " +
      "address-book sync, a message the business sent in a history chunk. Null when the hub has seen none.",
  }),
  inactivityRisk: t.field({
    type: InactivityRiskRef,
    nullable: true,
    description:
      "The risk, now, of Meta disconnecting the number for app inactivity; null without any sign of the app. An app opened " +
      "without sending or syncing anything leaves no trace, so the warning then comes early (docs/account-signals.md).",
    select: { lastAppActivityAt: true },
    resolve: (n, _args, ctx) => phoneNumberInactivityRisk(n, ctx),
  }),
}));

builder.subscriptionField("inactivityLevels", (t) =>
  t.prismaField({
    type: "PhoneNumber",
    description:
      "A number whose inactivity level moved (OK → WARN → CRITICAL as days pass without a sign of the app, back to OK with one), " +
      "checked every INACTIVITY_CHECK_INTERVAL_MS.",
    args: { wabaId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) => inactivityEvents(args, ctx),
    resolve: (query, event, _args, ctx) => inactivityOf(query, event, ctx),
  }),
);
