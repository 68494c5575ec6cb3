import { createGraphQLError } from "graphql-yoga";
import { builder } from "./builder.ts";
import { phoneNumberScope } from "./scope.ts";
import { providerOf } from "../storage/locks.ts";
import { escapeLike } from "../storage/like.ts";

/** Threads whose number or contact name contains the text, taken literally (see escapeLike). */
function searchFilter(search: string, maxLength: number) {
  if (search.length > maxLength) {
    throw createGraphQLError(`search must be at most ${maxLength} characters; got ${search.length}`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  const text = escapeLike(search);
  const digits = search.replace(/\D/g, "");
  return {
    OR: [
      { waId: { contains: digits ? digits : text } },
      { contact: { fullName: { contains: text } } },
      { contact: { profileName: { contains: text } } },
    ],
  };
}

builder.prismaObject("Contact", {
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    waId: t.exposeString("waId"),
    userId: t.exposeString("userId", { nullable: true, description: "Business-scoped user id, when Meta sent one." }),
    profileName: t.exposeString("profileName", { nullable: true }),
    fullName: t.exposeString("fullName", { nullable: true }),
    firstName: t.exposeString("firstName", { nullable: true }),
    removedAt: t.expose("removedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.prismaObject("Thread", {
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    waId: t.exposeString("waId"),
    contact: t.relation("contact"),
    lastMessageAt: t.expose("lastMessageAt", { type: "DateTime", nullable: true }),
    lastMessage: t.relation("lastMessage", { nullable: true }),
    messages: t.relatedConnection("messages", {
      description: "Chronological (oldest first); page with first/after or last/before.",
      cursor: "id",
      query: { orderBy: [{ timestamp: "asc" }, { id: "asc" }] },
    }),
  }),
});

builder.queryFields((t) => ({
  threads: t.prismaConnection({
    type: "Thread",
    cursor: "id",
    description: "Most recent activity first.",
    args: {
      wabaId: t.arg.string({ required: false }),
      phoneNumberId: t.arg.string({ required: false }),
      search: t.arg.string({ required: false, description: "Part of the user's number or name." }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.thread.findMany({
        ...query,
        where: {
          AND: [phoneNumberScope(ctx.principal)],
          ...(args.phoneNumberId ? { phoneNumberId: args.phoneNumberId } : {}),
          ...(args.wabaId ? { phoneNumber: { wabaId: args.wabaId } } : {}),
          ...(args.search ? searchFilter(args.search, ctx.limits.searchMaxLength) : {}),
        },
        // Threads without messages last. SQLite sorts NULL lowest, so a plain DESC does it and
        // keeps the (lastMessageAt, id) index usable; PostgreSQL sorts NULL first unless told.
        orderBy: [
          { lastMessageAt: providerOf(ctx.db) === "sqlite" ? "desc" : { sort: "desc", nulls: "last" } },
          { id: "desc" },
        ],
      }),
  }),
  thread: t.prismaField({
    type: "Thread",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.thread.findFirst({ ...query, where: { AND: [{ id: String(args.id) }, phoneNumberScope(ctx.principal)] } }),
  }),
  threadByParticipants: t.prismaField({
    type: "Thread",
    nullable: true,
    args: { phoneNumberId: t.arg.string({ required: true }), waId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.thread.findFirst({
        ...query,
        where: { AND: [{ phoneNumberId: args.phoneNumberId, waId: args.waId.replace(/\D/g, "") }, phoneNumberScope(ctx.principal)] },
      }),
  }),
  contacts: t.prismaConnection({
    type: "Contact",
    cursor: "id",
    args: { phoneNumberId: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.contact.findMany({
        ...query,
        where: { AND: [args.phoneNumberId ? { phoneNumberId: args.phoneNumberId } : {}, phoneNumberScope(ctx.principal)] },
        orderBy: [{ waId: "asc" }, { id: "asc" }],
      }),
  }),
}));
