import { HISTORY_SYNC_STATUSES } from "../domain/mirrorEvents.ts";
import { isProvisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import { SYNC_KINDS, type SyncKind } from "../domain/syncDeadline.ts";
import type { ChunkRecord } from "../domain/threadMirror.ts";
import { chunksColumn, historySyncErrorColumn, historySyncStatusColumn, syncKindColumn, syncRequestErrorColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";
import { historySync, historySyncEvents, historySyncOf, startSync, syncStateOf } from "../resolvers/historySync.ts";
import { MetaErrorRef } from "./message.ts";

const HistorySyncStatusEnum = builder.enumType("HistorySyncStatus", { values: HISTORY_SYNC_STATUSES });

const SyncKindEnum = builder.enumType("SyncKind", {
  description: "CONTACTS: the WhatsApp Business app's contacts (Meta's sync_type smb_app_state_sync). HISTORY: its chat history (sync_type history).",
  values: SYNC_KINDS,
});

const ChunkRef = builder.objectRef<ChunkRecord>("HistoryChunk").implement({
  fields: (t) => ({
    phase: t.exposeInt("phase"),
    chunkOrder: t.exposeInt("chunkOrder"),
    progress: t.exposeInt("progress"),
    messages: t.exposeInt("messages", { description: "Messages the chunk carried." }),
  }),
});

// What the history webhooks wrote (the HistorySync row; none before the first one).
const fromWebhooks = { historySync: true } as const;
const chunksOf = (n: { historySync: { chunks: unknown } | null }): ChunkRecord[] => (n.historySync ? chunksColumn.read(n.historySync.chunks) : []);
const requestOf = (n: { syncRequests: { kind: string; requestedAt: Date | null; error: unknown }[] }, kind: SyncKind) =>
  n.syncRequests.find((r) => syncKindColumn.read(r.kind) === kind) ?? null;
const forDeadline = { syncRequests: true, wabaId: true, displayPhoneNumber: true, createdAt: true } as const;

/** A number's history sync, as a view of the number: every number the hub knows has one. */
export const HistorySyncRef = builder.prismaObject("PhoneNumber", {
  variant: "HistorySync",
  description:
    "A number's contact and history syncs: what Meta's history webhooks brought, and the hub's requests for them " +
    "(startSync, onboardBusiness) with the 24-hour deadline. See docs/connect-meta.md.",
  fields: (t) => ({
    phoneNumberId: t.string({
      nullable: true,
      description: "Meta's phone_number_id; null while only an account_update has named the number (as PhoneNumber.phoneNumberId).",
      resolve: (n) => (isProvisionalPhoneNumberId(n.phoneNumberId) ? null : n.phoneNumberId),
    }),
    status: t.field({
      type: HistorySyncStatusEnum,
      description: "NOT_STARTED until Meta's first history webhook for the number.",
      select: fromWebhooks,
      resolve: (n) => (n.historySync ? historySyncStatusColumn.read(n.historySync.status) : "NOT_STARTED"),
    }),
    progress: t.int({ description: "The highest progress (0-100) Meta reported.", select: fromWebhooks, resolve: (n) => n.historySync?.progress ?? 0 }),
    phases: t.intList({
      ...capped(LIST_CAPS.historyPhases, "The phases chunks arrived for."),
      select: fromWebhooks,
      resolve: (n) => firstOf(LIST_CAPS.historyPhases, [...new Set(chunksOf(n).map((c) => c.phase))]),
    }),
    chunks: t.field({
      type: [ChunkRef],
      ...capped(LIST_CAPS.historyChunks, "The chunks stored, in arrival order; the first kept."),
      select: fromWebhooks,
      resolve: (n) => firstOf(LIST_CAPS.historyChunks, chunksOf(n)),
    }),
    error: t.field({
      type: MetaErrorRef,
      nullable: true,
      description: "Meta's error in the history webhook (2593109: the business declined to share its history).",
      select: fromWebhooks,
      resolve: (n) => (n.historySync ? historySyncErrorColumn.read(n.historySync.error) : null),
    }),
    startedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the hub received the number's first history webhook, a chunk or the decline; set on every sync it returns.",
      select: fromWebhooks,
      resolve: (n) => n.historySync?.startedAt ?? null,
    }),
    completedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When a chunk first brought progress to 100.",
      select: fromWebhooks,
      resolve: (n) => n.historySync?.completedAt ?? null,
    }),
    stalled: t.boolean({
      description:
        "The sync was requested (or sent chunks), is neither COMPLETE nor DECLINED, and nothing came for HISTORY_SYNC_STALL_MINUTES " +
        "(default 60) since the request or the last chunk. The next chunk makes it false again.",
      select: fromWebhooks,
      resolve: (n) => (n.historySync?.stalledAt ?? null) !== null,
    }),
    stalledAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it stalled: the request or the last chunk, plus the stall minutes; null while not stalled.",
      select: fromWebhooks,
      resolve: (n) => n.historySync?.stalledAt ?? null,
    }),
    contactsRequestedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When Meta accepted the hub's contact sync request (smb_app_state_sync); null until it did.",
      select: { syncRequests: true },
      resolve: (n) => requestOf(n, "CONTACTS")?.requestedAt ?? null,
    }),
    historyRequestedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When Meta accepted the hub's history sync request; null until it did.",
      select: { syncRequests: true },
      resolve: (n) => requestOf(n, "HISTORY")?.requestedAt ?? null,
    }),
    contactsError: t.field({
      type: MetaErrorRef,
      nullable: true,
      description: "Meta's error for the latest contact sync request (2593107: requested already; 2593108: past the deadline); null when it was accepted.",
      select: { syncRequests: true },
      resolve: (n) => syncRequestErrorColumn.read(requestOf(n, "CONTACTS")?.error ?? null),
    }),
    historyError: t.field({
      type: MetaErrorRef,
      nullable: true,
      description: "Meta's error for the latest history sync request (2593107, 2593108 as for contacts); null when it was accepted.",
      select: { syncRequests: true },
      resolve: (n) => syncRequestErrorColumn.read(requestOf(n, "HISTORY")?.error ?? null),
    }),
    onboardedAt: t.field({
      type: "DateTime",
      description:
        "When the number was onboarded: its latest PARTNER_ADDED or PARTNER_APP_INSTALLED account event (Meta's time), " +
        "else when the hub first knew the number (its first webhook, or onboardBusiness).",
      select: forDeadline,
      resolve: async (n, _args, ctx) => (await syncStateOf(n, ctx)).onboardedAt,
    }),
    deadlineAt: t.field({
      type: "DateTime",
      description: "onboardedAt + 24 h: Meta takes each sync request only until then (later: 2593108).",
      select: forDeadline,
      resolve: async (n, _args, ctx) => (await syncStateOf(n, ctx)).deadlineAt,
    }),
    deadlineMissed: t.boolean({
      description:
        "The deadline passed (or Meta answered 2593108) while a sync was not requested: only a new Embedded Signup opens another window. " +
        "A sync Meta answered 2593107 for counts as requested.",
      select: forDeadline,
      resolve: async (n, _args, ctx) => (await syncStateOf(n, ctx)).deadlineMissed,
    }),
  }),
});

builder.queryField("historySync", (t) =>
  t.prismaField({
    type: HistorySyncRef,
    nullable: true,
    description: "The number's syncs; null only for a number the hub does not know. NOT_STARTED until Meta's first history webhook.",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => historySync(query, args, ctx),
  }),
);

builder.mutationField("startSync", (t) =>
  t.prismaField({
    type: HistorySyncRef,
    description:
      "Asks Meta for the number's contact (CONTACTS) or history (HISTORY) sync: POST /{phone-number-id}/smb_app_data. Meta takes each once, " +
      "within 24 hours of onboarding; its refusal is recorded and answered in contactsError / historyError (2593107 requested already, " +
      "2593108 too late), not as a GraphQL error. Contacts first, then history, is Meta's order. Needs the send power and a token that sees " +
      "the number's WABA. Errors: FORBIDDEN, BAD_USER_INPUT (unknown number), NOT_CONFIGURED (no GRAPH_API_TOKEN).",
    args: { phoneNumberId: t.arg.string({ required: true }), kind: t.arg({ type: SyncKindEnum, required: true }) },
    resolve: (query, _root, args, ctx) => startSync(query, args, ctx),
  }),
);

builder.subscriptionField("historySyncProgress", (t) =>
  t.prismaField({
    type: HistorySyncRef,
    description: "The number's syncs after each history webhook, each sync request and a stall, after the commit.",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    subscribe: (_root, args, ctx) => historySyncEvents(args, ctx),
    resolve: (query, event, _args, ctx) => historySyncOf(query, event, ctx),
  }),
);
