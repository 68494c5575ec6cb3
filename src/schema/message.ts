import { filter, pipe } from "graphql-yoga";
import { MESSAGE_DIRECTIONS, MESSAGE_SOURCES, MESSAGE_STATUSES, type MetaError } from "../domain/mirrorEvents.ts";
import type { EarlierVersion } from "../domain/threadMirror.ts";
import { builder } from "./builder.ts";
import { mayReceive } from "./scope.ts";
import { readOnce } from "./readOnce.ts";

export const MessageDirectionEnum = builder.enumType("MessageDirection", { values: MESSAGE_DIRECTIONS });
export const MessageSourceEnum = builder.enumType("MessageSource", {
  description: "HISTORY: history sync. ECHO: sent from the WhatsApp Business app or a companion device. WEBHOOK: a messages webhook.",
  values: MESSAGE_SOURCES,
});
export const MessageStatusEnum = builder.enumType("MessageStatus", {
  description: "Only moves forward (a read before its delivered stays read); FAILED is final.",
  values: MESSAGE_STATUSES,
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

// A revoked message keeps its content in storage (see docs), but the API shows none of it.
const hidden = (m: { revokedAt: Date | null }) => m.revokedAt !== null;

builder.prismaObject("Message", {
  fields: (t) => ({
    id: t.exposeID("id"),
    wamid: t.exposeString("wamid"),
    threadId: t.exposeID("threadId"),
    thread: t.relation("thread"),
    direction: t.field({ type: MessageDirectionEnum, resolve: (m) => m.direction as (typeof MESSAGE_DIRECTIONS)[number] }),
    source: t.field({ type: MessageSourceEnum, resolve: (m) => m.source as (typeof MESSAGE_SOURCES)[number] }),
    type: t.exposeString("type", { description: "Meta's type: text, image, ..., media_placeholder, unsupported." }),
    text: t.string({ nullable: true, select: { text: true, revokedAt: true }, resolve: (m) => (hidden(m) ? null : m.text) }),
    content: t.field({
      type: "JSON",
      nullable: true,
      description: "The whole message object as Meta sent it; null once revoked.",
      select: { content: true, revokedAt: true },
      resolve: (m) => (hidden(m) ? null : m.content),
    }),
    timestamp: t.expose("timestamp", { type: "DateTime" }),
    status: t.field({
      type: MessageStatusEnum,
      nullable: true,
      resolve: (m) => m.status as (typeof MESSAGE_STATUSES)[number] | null,
    }),
    editedAt: t.expose("editedAt", { type: "DateTime", nullable: true }),
    edits: t.field({
      type: [EarlierVersionRef],
      description: "Earlier versions, oldest first; empty once revoked.",
      select: { edits: true, revokedAt: true },
      resolve: (m) => (hidden(m) ? [] : ((m.edits ?? []) as unknown as EarlierVersion[])),
    }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    error: t.field({
      type: MetaErrorRef,
      nullable: true,
      select: { errors: true },
      resolve: (m) => ((m.errors ?? []) as unknown as MetaError[])[0] ?? null,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  messages: t.prismaField({
    type: "Message",
    description: "New, merged, edited, revoked and status-updated messages of every source, after the commit.",
    args: { wabaId: t.arg.string({ required: false }), threadId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe("message"),
        filter(
          (p) =>
            mayReceive(ctx.principal, p) &&
            (!args.wabaId || p.wabaId === args.wabaId) &&
            (!args.threadId || p.threadId === String(args.threadId)),
        ),
      ),
    resolve: (query, payload, _args, ctx) =>
      readOnce(payload as object, query, () =>
        ctx.db.message.findUniqueOrThrow({ ...query, where: { id: (payload as { id: string }).id } }),
      ),
  }),
  messageEchoes: t.prismaField({
    type: "Message",
    description: "Messages the business sent from the WhatsApp Business app or a companion device (smb_message_echoes).",
    args: { wabaId: t.arg.string({ required: false }), phoneNumberId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe("message"),
        filter(
          (p) =>
            p.source === "ECHO" &&
            mayReceive(ctx.principal, p) &&
            (!args.wabaId || p.wabaId === args.wabaId) &&
            (!args.phoneNumberId || p.phoneNumberId === args.phoneNumberId),
        ),
      ),
    resolve: (query, payload, _args, ctx) =>
      readOnce(payload as object, query, () =>
        ctx.db.message.findUniqueOrThrow({ ...query, where: { id: (payload as { id: string }).id } }),
      ),
  }),
}));
