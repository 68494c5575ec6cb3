import { REACTORS } from "../domain/mirrorEvents.ts";
import { visibleReactions, type StoredReaction } from "../domain/reactions.ts";
import { reactionsColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";

const ReactorEnum = builder.enumType("MessageReactor", {
  description: "USER: the WhatsApp user of the thread. BUSINESS: the business, from the WhatsApp Business app (an echo).",
  values: REACTORS,
});

const MessageReactionRef = builder.objectRef<StoredReaction>("MessageReaction").implement({
  description: "An emoji reaction on a message: each party's latest one (by Meta's time, not by arrival).",
  fields: (t) => ({
    emoji: t.string({ resolve: (r) => r.emoji ?? "" }),
    from: t.field({ type: ReactorEnum, resolve: (r) => r.reactor }),
    at: t.field({ type: "DateTime", resolve: (r) => new Date(r.at) }),
    wamid: t.exposeString("wamid", { description: "The reaction's own wamid." }),
  }),
});

builder.prismaObjectFields("Message", (t) => ({
  reactions: t.field({
    type: [MessageReactionRef],
    ...capped(LIST_CAPS.reactions, "Reactions of the user and of the business, the user's first; a removed reaction is gone; empty once revoked."),
    select: { reactions: true, revokedAt: true },
    resolve: (m) => (m.revokedAt !== null ? [] : firstOf(LIST_CAPS.reactions, visibleReactions(reactionsColumn.read(m.reactions)))),
  }),
}));
