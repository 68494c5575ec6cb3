import { MEDIA_KINDS, SEND_STATES } from "../domain/sendRequest.ts";
import { sendErrorColumn, sendStateColumn } from "../storage/columns.ts";
import { markRead } from "../resolvers/markRead.ts";
import { retrySend } from "../resolvers/retrySend.ts";
import { sendMessage } from "../resolvers/sendMessage.ts";
import type { InputFieldBuilder } from "@pothos/core";
import { builder, type BuilderTypes } from "./builder.ts";
import { MetaErrorRef } from "./message.ts";

export const SendStateEnum = builder.enumType("SendState", {
  description:
    "QUEUED: waiting for its slot. HELD: paused while the WABA is offboarded (goes out after ACCOUNT_RECONNECTED). SENDING: being posted. " +
    "ACCEPTED: Meta took it (its wamid replaced the provisional one; `status` follows Meta's statuses). FAILED: see reason and error. " +
    "UNKNOWN: the hub stopped while posting it, or Meta did not answer; never sent again by itself.",
  values: SEND_STATES,
});

const MediaKindEnum = builder.enumType("MediaKind", { values: MEDIA_KINDS });

builder.prismaObject("Send", {
  description: "A message's place in the outbound queue (docs/sending.md).",
  fields: (t) => ({
    state: t.field({ type: SendStateEnum, resolve: (s) => sendStateColumn.read(s.state) }),
    reason: t.exposeString("reason", {
      nullable: true,
      description: "Why it is held, retried or failed (ACCOUNT_OFFBOARDED, PARTNER_REMOVED, META_ERROR, HOLD_EXPIRED, ...).",
    }),
    attempts: t.exposeInt("attempts"),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true }),
    error: t.field({ type: MetaErrorRef, nullable: true, description: "Meta's error of the last attempt.", resolve: (s) => sendErrorColumn.read(s.error) }),
    idempotencyKey: t.exposeString("idempotencyKey"),
  }),
});

const SendMediaInput = builder.inputType("SendMediaInput", {
  fields: (t) => ({
    kind: t.field({ type: MediaKindEnum, required: true }),
    link: t.string(),
    id: t.string({ description: "A media id from Meta's upload." }),
    caption: t.string(),
    filename: t.string({ description: "DOCUMENT only." }),
  }),
});

const SendTemplateInput = builder.inputType("SendTemplateInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    language: t.string({ required: true, description: "The template's language code, e.g. en_US." }),
    components: t.field({ type: "JSON", description: "Meta's components array, as Meta takes it." }),
  }),
});

const SendReactionInput = builder.inputType("SendReactionInput", {
  fields: (t) => ({ wamid: t.string({ required: true }), emoji: t.string({ required: true, description: "Empty: removes the reaction." }) }),
});

/** The fields sendMessage and recordSentMessage take alike (src/resolvers/sendInput.ts checks the "exactly one" rules). */
export const messageInputFields = (t: InputFieldBuilder<BuilderTypes, "InputObject">) => ({
  phoneNumberId: t.string({ required: true }),
  threadId: t.id(),
  to: t.string({ description: "The user's phone number, digits only with the country code." }),
  userId: t.string({ description: "The user's business-scoped user id (BSUID): sent as Meta's `recipient`." }),
  text: t.string(),
  media: t.field({ type: SendMediaInput }),
  template: t.field({ type: SendTemplateInput }),
  reaction: t.field({ type: SendReactionInput }),
  replyTo: t.string({ description: "The wamid of the message this one answers." }),
});

const SendMessageInput = builder.inputType("SendMessageInput", {
  description: "Exactly one of threadId, to and userId; exactly one of text, media, template and reaction.",
  fields: (t) => ({
    ...messageInputFields(t),
    idempotencyKey: t.string({ required: true, description: "The same key again (from the same token) returns the same message and sends nothing." }),
  }),
});

builder.mutationFields((t) => ({
  sendMessage: t.prismaField({
    type: "Message",
    description:
      "Queues a message for sending through the Cloud API and returns it at once (source API, `send.state` QUEUED or HELD, a provisional wamid " +
      "until Meta's). Needs a token with the send power. Refusals: NOT_CONFIGURED, CANNOT_SEND (reason, recommendedAction), " +
      "OUTSIDE_SERVICE_WINDOW (windowClosedAt; null: never opened), BAD_USER_INPUT, FORBIDDEN. See docs/sending.md.",
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (query, _root, args, ctx) => sendMessage(query, args.input, ctx),
  }),
  retrySend: t.prismaField({
    type: "Message",
    description:
      "Sends a FAILED or UNKNOWN send again: the same message is queued again (its attempts counted from zero) after the send gate " +
      "is checked again. An UNKNOWN send may already have reached the user (the hub stopped, or Meta did not answer, while it " +
      "was posted): Meta has no idempotency key, so this can deliver it twice. Other states: BAD_USER_INPUT. Needs the send power.",
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => retrySend(query, String(args.messageId), ctx),
  }),
  markRead: t.boolean({
    description:
      "Marks a user's message (and the earlier ones of the conversation) read, and shows Meta's typing indicator when `typing` " +
      "(until the business answers, or 25 s). A direct call to the Cloud API, not queued; true once Meta accepted it. " +
      "Meta's refusal: META_ERROR with `metaCode`; no answer: META_UNREACHABLE. Needs the send power.",
    args: { phoneNumberId: t.arg.string({ required: true }), wamid: t.arg.string({ required: true }), typing: t.arg.boolean() },
    resolve: (_root, args, ctx) => markRead(args, ctx),
  }),
}));

builder.prismaObjectField("Message", "send", (t) =>
  t.relation("send", { nullable: true, description: "Its place in the outbound queue, for a message sent through the hub; null for every other source." }),
);
