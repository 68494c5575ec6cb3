import { threadServiceWindow, windowOpener, type ServiceWindowView } from "../resolvers/sending.ts";
import { builder } from "./builder.ts";

const ServiceWindowRef = builder.objectRef<ServiceWindowView>("ServiceWindow").implement({
  description:
    "The user's customer service window (coexistence rules, docs/sending.md): opened only by a message the user sent through the " +
    "Cloud API after the number was onboarded, for 24 hours from Meta's timestamp of it. Echoes, history and contact sync never open it.",
  fields: (t) => ({
    open: t.exposeBoolean("open", { description: "Whether anything but a template may be sent now." }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      nullable: true,
      description: "When it closes (or closed, when `open` is false); null: never opened.",
    }),
    openedBy: t.prismaField({
      type: "Message",
      nullable: true,
      description: "The user's latest message that opened a window (the one `expiresAt` counts from); null: none.",
      resolve: (query, w, _args, ctx) => windowOpener(query, w, ctx),
    }),
  }),
});

builder.prismaObjectField("Thread", "serviceWindow", (t) =>
  t.field({
    type: ServiceWindowRef,
    description: "Whether a reply may be sent now, and until when (the rule sendMessage applies).",
    select: { id: true, phoneNumber: { select: { wabaId: true } } },
    resolve: (thread, _args, ctx) => threadServiceWindow(thread, ctx),
  }),
);
