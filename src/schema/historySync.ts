import { HISTORY_SYNC_STATUSES } from "../domain/mirrorEvents.ts";
import type { ChunkRecord } from "../domain/threadMirror.ts";
import { chunksColumn, historySyncErrorColumn, historySyncStatusColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";
import { historySync, historySyncEvents, historySyncOf } from "../resolvers/historySync.ts";
import { MetaErrorRef } from "./message.ts";

const HistorySyncStatusEnum = builder.enumType("HistorySyncStatus", { values: HISTORY_SYNC_STATUSES });

const chunksOf = (h: { chunks: unknown }): ChunkRecord[] => chunksColumn.read(h.chunks);

const ChunkRef = builder.objectRef<ChunkRecord>("HistoryChunk").implement({
  fields: (t) => ({
    phase: t.exposeInt("phase"),
    chunkOrder: t.exposeInt("chunkOrder"),
    progress: t.exposeInt("progress"),
    messages: t.exposeInt("messages", { description: "Messages the chunk carried." }),
  }),
});

builder.prismaObject("HistorySync", {
  fields: (t) => ({
    phoneNumberId: t.exposeString("phoneNumberId"),
    status: t.field({ type: HistorySyncStatusEnum, resolve: (h) => historySyncStatusColumn.read(h.status) }),
    progress: t.exposeInt("progress", { description: "The highest progress (0-100) Meta reported." }),
    phases: t.intList({
      ...capped(LIST_CAPS.historyPhases, "The phases chunks arrived for."),
      select: { chunks: true },
      resolve: (h) => firstOf(LIST_CAPS.historyPhases, [...new Set(chunksOf(h).map((c) => c.phase))]),
    }),
    chunks: t.field({
      type: [ChunkRef],
      ...capped(LIST_CAPS.historyChunks, "The chunks stored, in arrival order; the first kept."),
      select: { chunks: true },
      resolve: (h) => firstOf(LIST_CAPS.historyChunks, chunksOf(h)),
    }),
    error: t.field({
      type: MetaErrorRef,
      nullable: true,
      select: { error: true },
      resolve: (h) => historySyncErrorColumn.read(h.error),
    }),
    startedAt: t.expose("startedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the hub received the number's first history webhook, a chunk or the decline; set on every sync it returns.",
    }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true, description: "When a chunk first brought progress to 100." }),
  }),
});

builder.queryField("historySync", (t) =>
  t.prismaField({
    type: "HistorySync",
    nullable: true,
    description: "Null until Meta sent the first history webhook for this number (NOT_STARTED).",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => historySync(query, args, ctx),
  }),
);

builder.subscriptionField("historySyncProgress", (t) =>
  t.prismaField({
    type: "HistorySync",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    subscribe: (_root, args, ctx) => historySyncEvents(args, ctx),
    resolve: (query, event, _args, ctx) => historySyncOf(query, event, ctx),
  }),
);
