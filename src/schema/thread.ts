import { IDENTITY_KINDS, identityKeys, parseIdentityKey } from "../domain/identityKey.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";
import { contacts, thread, threadByParticipants, threads } from "../resolvers/thread.ts";

export const IdentityKindEnum = builder.enumType("IdentityKind", {
  description: "WA_ID: a phone number (digits). USER_ID: a business-scoped user id (BSUID).",
  values: IDENTITY_KINDS,
});

const ContactIdentityRef = builder.prismaObject("ContactIdentity", {
  description: "An identifier a contact has been known by.",
  fields: (t) => ({
    kind: t.field({ type: IdentityKindEnum, resolve: (i) => parseIdentityKey(i.identity).kind }),
    value: t.string({ resolve: (i) => parseIdentityKey(i.identity).value }),
    currentSince: t.expose("currentSince", {
      type: "DateTime",
      nullable: true,
      description: "When an identity change last named it the user's new identifier.",
    }),
    retiredAt: t.expose("retiredAt", { type: "DateTime", nullable: true, description: "When an identity change last replaced it." }),
    firstSeenAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("Contact", {
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    waId: t.exposeString("waId", { nullable: true, description: "The current phone number (digits); null while Meta names the user only by BSUID." }),
    userId: t.exposeString("userId", { nullable: true, description: "The current business-scoped user id (BSUID), when Meta sent one." }),
    username: t.exposeString("username", { nullable: true }),
    parentUserId: t.exposeString("parentUserId", { nullable: true, description: "Parent BSUID shared across linked business portfolios." }),
    profileName: t.exposeString("profileName", { nullable: true }),
    fullName: t.exposeString("fullName", { nullable: true }),
    firstName: t.exposeString("firstName", { nullable: true }),
    removedAt: t.expose("removedAt", { type: "DateTime", nullable: true }),
    identities: t.relation("identities", {
      // Ordered by value, not by arrival: the same set of deliveries in any order reads the same.
      ...capped(LIST_CAPS.identities, "Every phone number and BSUID the contact has been known by (phone numbers first, then BSUIDs, each by value)."),
      query: { orderBy: [{ identity: "desc" }], take: LIST_CAPS.identities },
    }),
    previousIdentities: t.field({
      type: [ContactIdentityRef],
      ...capped(LIST_CAPS.identities, "The identifiers that are no longer current (an earlier number or BSUID)."),
      // Two more than the cap: the current number and BSUID are among them and left out.
      select: { waId: true, userId: true, identities: { orderBy: [{ identity: "desc" }], take: LIST_CAPS.identities + 2 } },
      resolve: (c) =>
        firstOf(
          LIST_CAPS.identities,
          c.identities.filter((i) => !identityKeys(c).includes(i.identity)),
        ),
    }),
  }),
});

builder.prismaObject("Thread", {
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    phoneNumber: t.relation("phoneNumber", {
      description: "The thread's business number: whether it can send now (`sending`), and its WABA (`wabaId`).",
    }),
    waId: t.string({
      nullable: true,
      description: "The user's current phone number (the contact's waId).",
      select: { contact: { select: { waId: true } } },
      resolve: (thread) => thread.contact.waId,
    }),
    userId: t.string({
      nullable: true,
      description: "The user's current business-scoped user id (the contact's userId).",
      select: { contact: { select: { userId: true } } },
      resolve: (thread) => thread.contact.userId,
    }),
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
    resolve: (query, _root, args, ctx) => threads(query, args, ctx),
  }),
  thread: t.prismaField({
    type: "Thread",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => thread(query, args, ctx),
  }),
  threadByParticipants: t.prismaField({
    type: "Thread",
    nullable: true,
    description: "The thread of a user of a business number, by phone number (waId) or business-scoped user id (userId), current or earlier.",
    args: {
      phoneNumberId: t.arg.string({ required: true }),
      waId: t.arg.string({ required: false }),
      userId: t.arg.string({ required: false }),
    },
    resolve: (query, _root, args, ctx) => threadByParticipants(query, args, ctx),
  }),
  contacts: t.prismaConnection({
    type: "Contact",
    cursor: "id",
    args: { phoneNumberId: t.arg.string({ required: false }) },
    resolve: (query, _root, args, ctx) => contacts(query, args, ctx),
  }),
}));
