import { recordSentMessage } from "../resolvers/recordSentMessage.ts";
import { builder } from "./builder.ts";
import { messageInputFields } from "./send.ts";

const RecordSentMessageInput = builder.inputType("RecordSentMessageInput", {
  description: "A message another system sent through the Cloud API: as sendMessage's input, with Meta's wamid instead of an idempotency key.",
  fields: (t) => ({
    ...messageInputFields(t),
    wamid: t.string({ required: true, description: "Meta's id of the message (messages[0].id of Meta's answer to the other system)." }),
    timestamp: t.field({ type: "DateTime", description: "When it was sent; default: now." }),
  }),
});

builder.mutationFields((t) => ({
  recordSentMessage: t.prismaField({
    type: "Message",
    description:
      "Stores a message that another system sent through the Cloud API, by the path sendMessage's sends take (source API, " +
      "`send.state` ACCEPTED, Meta's wamid) without calling Meta: its statuses advance it instead of waiting as orphans, and " +
      "those that arrived before are applied at once. Idempotent on the wamid (the number's message with that wamid is returned). " +
      "Needs the send power; no Graph API token. Refusals: BAD_USER_INPUT, FORBIDDEN.",
    args: { input: t.arg({ type: RecordSentMessageInput, required: true }) },
    resolve: (query, _root, args, ctx) => recordSentMessage(query, args.input, ctx),
  }),
}));
