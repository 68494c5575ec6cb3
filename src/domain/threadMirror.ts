import {
  statusRank,
  type ContactInput,
  type EditInput,
  type HistoryChunkInput,
  type MessageStatus,
  type MetaError,
} from "./mirrorEvents.ts";

/** What the rules read of a stored message. */
export interface StoredMessage {
  type: string;
  text: string | null;
  content: unknown;
  status: string | null;
  editedAt: Date | null;
  edits: unknown;
  revokedAt: Date | null;
}

export interface EarlierVersion {
  type: string;
  text: string | null;
  content: unknown;
  /** When this version stopped being the current one (the replacing edit's time). */
  replacedAt: string;
  /** The edit that replaced it. */
  editWamid: string;
}

/**
 * The status a message moves to, or null to leave it: statuses only move forward (a `read` that
 * came before its `delivered` stays read) and FAILED is final.
 */
export function nextStatus(current: string | null, incoming: MessageStatus): MessageStatus | null {
  if (current === "FAILED") return null;
  if (current === null) return incoming;
  const rank = statusRank(current as MessageStatus);
  return statusRank(incoming) > rank ? incoming : null;
}

/** A message seen again (live and in history, or the media for a placeholder). */
export function mergeRepeatedMessage(
  stored: StoredMessage,
  incoming: { type: string; text: string | null; content: Record<string, unknown>; status: MessageStatus | null },
): Partial<{ type: string; text: string | null; content: Record<string, unknown>; status: MessageStatus }> | null {
  const update: Partial<{ type: string; text: string | null; content: Record<string, unknown>; status: MessageStatus }> = {};
  // Meta sends the media of the last 14 days after the history chunk that carried its placeholder.
  if (stored.type === "media_placeholder" && incoming.type !== "media_placeholder") {
    update.type = incoming.type;
    update.text = incoming.text;
    update.content = incoming.content;
  }
  const status = incoming.status && nextStatus(stored.status, incoming.status);
  if (status) update.status = status;
  return Object.keys(update).length ? update : null;
}

/**
 * An edit replaces the current content and keeps the earlier version. Edits can arrive out of
 * order: an edit older than the current version only joins the history. Seen before: null.
 */
export function applyEdit(
  stored: StoredMessage,
  edit: Pick<EditInput, "wamid" | "type" | "text" | "content" | "timestamp">,
): { type: string; text: string | null; content: Record<string, unknown> | unknown; editedAt: Date; edits: EarlierVersion[] } | null {
  const edits = (stored.edits ?? []) as EarlierVersion[];
  if (edits.some((e) => e.editWamid === edit.wamid)) return null;
  const newer = !stored.editedAt || edit.timestamp >= stored.editedAt;
  if (newer) {
    const previous: EarlierVersion = {
      type: stored.type,
      text: stored.text,
      content: stored.content,
      replacedAt: edit.timestamp.toISOString(),
      editWamid: edit.wamid,
    };
    return { type: edit.type, text: edit.text, content: edit.content, editedAt: edit.timestamp, edits: [...edits, previous] };
  }
  const late: EarlierVersion = {
    type: edit.type,
    text: edit.text,
    content: edit.content,
    replacedAt: stored.editedAt!.toISOString(),
    editWamid: edit.wamid,
  };
  const history = [...edits, late].sort((a, b) => (a.replacedAt < b.replacedAt ? -1 : 1));
  return { type: stored.type, text: stored.text, content: stored.content, editedAt: stored.editedAt!, edits: history };
}

/** The contact fields an event sets, or null when an older state-sync action arrives late. */
export function contactUpdate(
  stored: { syncedAt: Date | null } | null,
  c: ContactInput,
): Partial<{ userId: string; profileName: string; fullName: string | null; firstName: string | null; removedAt: Date | null; syncedAt: Date }> | null {
  const update: ReturnType<typeof contactUpdate> & object = {};
  if (c.userId) update.userId = c.userId;
  if (c.action === "profile") {
    if (c.profileName) update.profileName = c.profileName;
    return Object.keys(update).length ? update : null;
  }
  const at = c.timestamp ?? new Date(0);
  if (stored?.syncedAt && at < stored.syncedAt) return Object.keys(update).length ? update : null;
  update.syncedAt = at;
  if (c.action === "remove") {
    update.removedAt = at;
  } else {
    // "add" and name changes (any other action) carry the address-book names.
    update.removedAt = null;
    update.fullName = c.fullName;
    update.firstName = c.firstName;
  }
  return update;
}

export interface ChunkRecord {
  phase: number;
  chunkOrder: number;
  progress: number;
  messages: number;
}

/** History progress: chunks repeat and come out of order; the highest progress wins. */
export function historyProgress(
  stored: { status: string; progress: number; chunks: unknown } | null,
  chunk: HistoryChunkInput,
): { status: string; progress: number; chunks: ChunkRecord[]; complete: boolean } {
  const chunks = ((stored?.chunks ?? []) as ChunkRecord[]).filter(
    (c) => !(c.phase === chunk.phase && c.chunkOrder === chunk.chunkOrder),
  );
  chunks.push({ phase: chunk.phase, chunkOrder: chunk.chunkOrder, progress: chunk.progress, messages: chunk.messageCount });
  chunks.sort((a, b) => a.phase - b.phase || a.chunkOrder - b.chunkOrder);
  const progress = Math.max(stored?.progress ?? 0, chunk.progress);
  const complete = progress >= 100;
  const status = stored?.status === "DECLINED" ? "DECLINED" : complete ? "COMPLETE" : "IN_PROGRESS";
  return { status, progress, chunks, complete };
}

export function firstError(errors: readonly MetaError[] | null | undefined): MetaError | null {
  return errors?.[0] ?? null;
}
