import { MESSAGE_CHANGES, MESSAGE_DIRECTIONS, MESSAGE_SOURCES, type MetaError } from "../domain/mirrorEvents.ts";
import { MESSAGE_STATUSES } from "../domain/messageStatus.ts";
import type { EarlierVersion } from "../domain/threadMirror.ts";
import { editsColumn, messageDirectionColumn, messageErrorsColumn, messageSourceColumn, messageStatusColumn } from "../storage/columns.ts";
import { MESSAGE_KINDS, type MessageDetails } from "../domain/messageDetails.ts";
import type { IdentityKind } from "../domain/identityKey.ts";
import { builder } from "./builder.ts";
import { IdentityKindEnum } from "./thread.ts";
import { LIST_CAPS, capped, lastOf } from "./listBounds.ts";
import { detailsOf, echoEvents, identityChangeOf, messageEvents, messageOf } from "../resolvers/message.ts";
import { fixedAtCommit } from "../resolvers/published.ts";

export const MessageDirectionEnum = builder.enumType("MessageDirection", { values: MESSAGE_DIRECTIONS });
export const MessageSourceEnum = builder.enumType("MessageSource", {
  description: "HISTORY: history sync. ECHO: sent from the WhatsApp Business app or a companion device. WEBHOOK: a messages webhook.",
  values: MESSAGE_SOURCES,
});
export const MessageStatusEnum = builder.enumType("MessageStatus", {
  description: "Only moves forward (a read before its delivered stays read); FAILED is final.",
  values: MESSAGE_STATUSES,
});

export const MessageChangeEnum = builder.enumType("MessageChange", {
  description:
    "What the commit behind a message event did: CREATED (first stored) or UPDATED (merged, edited, revoked, a status, or its user reads differently).",
  values: MESSAGE_CHANGES,
});

export const MetaErrorRef = builder.objectRef<MetaError>("MetaError").implement({
  description: "An error object as Meta sent it (e.g. 131060 on an unsupported message: look in the WhatsApp Business app).",
  fields: (t) => ({
    code: t.exposeInt("code", { nullable: true }),
    title: t.exposeString("title", { nullable: true }),
    message: t.exposeString("message", { nullable: true }),
    details: t.exposeString("details", { nullable: true }),
  }),
});

const EarlierVersionRef = builder.objectRef<EarlierVersion>("MessageVersion").implement({
  description: "A version of a message that an edit replaced.",
  fields: (t) => ({
    type: t.exposeString("type"),
    text: t.exposeString("text", { nullable: true }),
    content: t.expose("content", { type: "JSON" }),
    replacedAt: t.field({ type: "DateTime", resolve: (v) => new Date(v.replacedAt) }),
    editWamid: t.exposeString("editWamid"),
  }),
});

export const MessageKindEnum = builder.enumType("MessageKind", {
  description:
    "What a message is, from Meta's `type`: REPLY is an interactive reply or a template's quick-reply button; OTHER a type this version does not know (`type` names it).",
  values: MESSAGE_KINDS,
});

const MessageDetailsRef = builder.objectRef<MessageDetails>("MessageDetails").implement({
  description: "What the hub decoded from the message object besides its text, the same way it read it on arrival.",
  fields: (t) => ({
    kind: t.field({ type: MessageKindEnum, resolve: (d) => d.kind }),
    detail: t.exposeString("detail", {
      nullable: true,
      description:
        "A media file's name (else its MIME type), a location's name (else its address), the shared contact's name, the chosen reply's title, a reaction's emoji, a template's name. Null when there is none.",
    }),
  }),
});

const MessageIdentityChangeRef = builder.objectRef<{ kind: IdentityKind; from: string | null; to: string | null }>("MessageIdentityChange").implement({
  description:
    "A user_changed_number (kind WA_ID: phone numbers, digits) or user_changed_user_id (kind USER_ID: business-scoped user ids) system message, decoded.",
  fields: (t) => ({
    kind: t.field({ type: IdentityKindEnum, resolve: (c) => c.kind }),
    from: t.exposeString("from", {
      nullable: true,
      description: "The identifier replaced: `from` / `from_user_id`, or system.previous_user_id. Null when the message does not name it.",
    }),
    to: t.exposeString("to", { nullable: true, description: "The identifier from now on: system.wa_id or system.user_id." }),
  }),
});

// A revoked message keeps its content in storage (see docs), but the API shows none of it.
const hidden = (m: { revokedAt: Date | null }) => m.revokedAt !== null;

builder.prismaObject("Message", {
  fields: (t) => ({
    id: t.exposeID("id"),
    wamid: t.exposeString("wamid"),
    threadId: t.exposeID("threadId"),
    thread: t.relation("thread"),
    direction: t.field({ type: MessageDirectionEnum, resolve: (m) => messageDirectionColumn.read(m.direction) }),
    source: t.field({ type: MessageSourceEnum, resolve: (m) => messageSourceColumn.read(m.source) }),
    type: t.exposeString("type", { description: "Meta's type: text, image, ..., media_placeholder, unsupported." }),
    text: t.string({ nullable: true, select: { text: true, revokedAt: true }, resolve: (m) => (hidden(m) ? null : m.text) }),
    content: t.field({
      type: "JSON",
      nullable: true,
      description: "The whole message object as Meta sent it; null once revoked.",
      select: { content: true, revokedAt: true },
      resolve: (m) => (hidden(m) ? null : m.content),
    }),
    details: t.field({
      type: MessageDetailsRef,
      nullable: true,
      description: "What kind of message it is and the fact that names it; null once revoked.",
      select: { type: true, content: true, revokedAt: true },
      resolve: (m) => (hidden(m) ? null : detailsOf(m)),
    }),
    identityChange: t.field({
      type: MessageIdentityChangeRef,
      nullable: true,
      description: "The identity change a system message records; null for any other message.",
      select: { type: true, content: true },
      resolve: (m) => identityChangeOf(m),
    }),
    timestamp: t.expose("timestamp", { type: "DateTime" }),
    status: t.field({
      type: MessageStatusEnum,
      nullable: true,
      resolve: (m) => messageStatusColumn.read(m.status),
    }),
    editedAt: t.expose("editedAt", { type: "DateTime", nullable: true }),
    edits: t.field({
      type: [EarlierVersionRef],
      ...capped(LIST_CAPS.edits, "Earlier versions, oldest first, the latest kept; empty once revoked."),
      select: { edits: true, revokedAt: true },
      resolve: (m) => (hidden(m) ? [] : lastOf(LIST_CAPS.edits, editsColumn.read(m.edits))),
    }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    change: t.field({
      type: MessageChangeEnum,
      nullable: true,
      description: "On a `messages` or `messageEchoes` event: what its commit did, fixed then. Null when read any other way.",
      resolve: (m) => fixedAtCommit(m, "change", MESSAGE_CHANGES),
    }),
    statusAtCommit: t.field({
      type: MessageStatusEnum,
      nullable: true,
      description:
        "On a `messages` or `messageEchoes` event: the status its commit left (`status` is read when the event is delivered, and may be later). Null when the message had none, or when read any other way.",
      resolve: (m) => fixedAtCommit(m, "status", MESSAGE_STATUSES),
    }),
    error: t.field({
      type: MetaErrorRef,
      nullable: true,
      select: { errors: true },
      resolve: (m) => messageErrorsColumn.read(m.errors)[0] ?? null,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  messages: t.prismaField({
    type: "Message",
    description: "New, merged, edited, revoked and status-updated messages of every source, after the commit.",
    args: { wabaId: t.arg.string({ required: false }), threadId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => messageEvents(args, ctx),
    resolve: (query, event, _args, ctx) => messageOf(query, event, ctx),
  }),
  messageEchoes: t.prismaField({
    type: "Message",
    description: "Messages the business sent from the WhatsApp Business app or a companion device (smb_message_echoes).",
    args: { wabaId: t.arg.string({ required: false }), phoneNumberId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) => echoEvents(args, ctx),
    resolve: (query, event, _args, ctx) => messageOf(query, event, ctx),
  }),
}));
