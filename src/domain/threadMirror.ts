import { z } from "zod";
import type { ContactInput, EditInput, HistoryChunkInput, HistoryDeclinedInput, MetaError } from "./mirrorEvents.ts";
import { statusRank, type MessageStatus } from "./messageStatus.ts";

/** What the rules read of a stored message. */
export interface StoredMessage {
  type: string;
  text: string | null;
  /** Meta's message object (Message.content). */
  content: Record<string, unknown>;
  status: MessageStatus | null;
  editedAt: Date | null;
  edits: EarlierVersion[];
  revokedAt: Date | null;
}

export const earlierVersionRecord = z.object({
  type: z.string(),
  text: z.string().nullable(),
  // A message object as Meta sent it (the original or an edit's replacement).
  content: z.record(z.string(), z.unknown()),
  /** When this version stopped being the current one (the replacing edit's time). */
  replacedAt: z.string(),
  /** The edit that replaced it. */
  editWamid: z.string(),
});
export type EarlierVersion = z.infer<typeof earlierVersionRecord>;

/**
 * The status a message moves to, or null to leave it: statuses only move forward (a `read` that
 * came before its `delivered` stays read) and FAILED is final.
 */
export function nextStatus(current: MessageStatus | null, incoming: MessageStatus): MessageStatus | null {
  if (current === "FAILED") return null;
  if (current === null) return incoming;
  return statusRank(incoming) > statusRank(current) ? incoming : null;
}

/** A message seen again (live and in history, or the media for a placeholder). */
export function mergeRepeatedMessage(
  stored: Pick<StoredMessage, "type" | "status">,
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

/** One version of a message's content. */
interface Version {
  type: string;
  text: string | null;
  content: Record<string, unknown>;
}

/** An edit as the rules order it: its own time, then its wamid (a deterministic tie-break). */
interface TimedEdit {
  editWamid: string;
  at: Date;
  /** The version this edit put in place. */
  version: Version;
}

const versionOf = (v: Version): Version => ({ type: v.type, text: v.text, content: v.content });

function editOrder(a: TimedEdit, b: TimedEdit): number {
  return a.at.getTime() - b.at.getTime() || (a.editWamid < b.editWamid ? -1 : a.editWamid > b.editWamid ? 1 : 0);
}

/**
 * An edit replaces the current content and keeps the earlier version. Edits can arrive in any
 * order, so the stored state is a pure function of the original and the set of edits: the edits
 * sorted by their own time (then by edit wamid), the current content that of the last one, and
 * `edits` every earlier version, oldest first, each with the time and wamid of the edit that
 * replaced it. A late edit is slotted into that sequence and the history rebuilt around it.
 * Seen before: null.
 */
export function applyEdit(
  stored: StoredMessage,
  edit: Pick<EditInput, "wamid" | "type" | "text" | "content" | "timestamp">,
): { type: string; text: string | null; content: Record<string, unknown>; editedAt: Date; edits: EarlierVersion[] } | null {
  const history = stored.edits;
  if (history.some((e) => e.editWamid === edit.wamid)) return null;
  // Back from the stored form: history[i] was replaced by edit i, which put in place the next
  // version (history[i + 1], or the current content for the last edit).
  const versions = [...history.map(versionOf), versionOf(stored)];
  const edits: TimedEdit[] = history.map((h, i) => ({ editWamid: h.editWamid, at: new Date(h.replacedAt), version: versions[i + 1]! }));
  edits.push({ editWamid: edit.wamid, at: edit.timestamp, version: { type: edit.type, text: edit.text, content: edit.content } });
  edits.sort(editOrder);

  let previous = versions[0]!;
  const rebuilt: EarlierVersion[] = [];
  for (const e of edits) {
    rebuilt.push({ ...previous, replacedAt: e.at.toISOString(), editWamid: e.editWamid });
    previous = e.version;
  }
  const last = edits.at(-1)!;
  return { ...last.version, editedAt: last.at, edits: rebuilt };
}

/**
 * Whether an applied edit changes what the API shows, so whether it is published: a revoked
 * message shows its type and editedAt but none of its text, content or earlier versions, so a
 * late edit that leaves both as they were is stored (for audit) without a visible change.
 */
export function editShows(stored: Pick<StoredMessage, "type" | "editedAt" | "revokedAt">, edited: { type: string; editedAt: Date }): boolean {
  return stored.revokedAt === null || stored.type !== edited.type || stored.editedAt?.getTime() !== edited.editedAt.getTime();
}

/** What contactUpdate reads of a stored contact. */
export interface StoredContactSync {
  fullName: string | null;
  firstName: string | null;
  removedAt: Date | null;
  /** Time of the latest state-sync action: every action (add, remove, name change) sets presence. */
  syncedAt: Date | null;
  /** Time of the state-sync action whose names are kept (every action but "remove" carries names). */
  namesSyncedAt: Date | null;
}

type ContactChange = Partial<{
  username: string;
  parentUserId: string;
  profileName: string;
  fullName: string | null;
  firstName: string | null;
  removedAt: Date | null;
  syncedAt: Date;
  namesSyncedAt: Date;
}>;

/**
 * The contact fields an event sets, or null when it changes nothing.
 *
 * Address-book actions (smb_app_state_sync) can arrive in any order and must end as in time
 * order, so a contact is two last-writer-wins registers, each with the time of the action that
 * last set it:
 *  - presence (`removedAt`, time `syncedAt`): every action sets it; "remove" marks the contact
 *    removed, any other action clears that. Of two actions in the same second, the remove wins.
 *  - names (`fullName`, `firstName`, time `namesSyncedAt`): every action but "remove" sets them;
 *    a remove leaves the names the contact had. Of two name actions in the same second, the
 *    greater (fullName, firstName) wins.
 * An older action arriving late still sets the register it is the latest for: an "add" overtaken
 * by a later "remove" still gives its names, and the contact stays removed.
 * An action without metadata.timestamp counts as older than every timed one.
 */
export function contactUpdate(stored: StoredContactSync | null, c: ContactInput): ContactChange | null {
  const update: ContactChange = {};
  // Identifiers (wa_id, user_id) are not registers: src/domain/contactIdentity.ts decides them.
  if (c.username) update.username = c.username;
  if (c.parentUserId) update.parentUserId = c.parentUserId;
  if (c.action === "profile") {
    if (c.profileName) update.profileName = c.profileName;
    return Object.keys(update).length ? update : null;
  }
  const at = c.timestamp ?? new Date(0);
  const removes = c.action === "remove";

  const presenceAt = stored?.syncedAt ?? null;
  const storedRemoved = stored?.removedAt != null;
  if (!presenceAt || at > presenceAt || (at.getTime() === presenceAt.getTime() && (removes || !storedRemoved))) {
    update.syncedAt = at;
    update.removedAt = removes ? at : null;
  }

  if (!removes) {
    // Contacts stored before namesSyncedAt existed: their names are at most as new as syncedAt.
    const namesAt = stored?.namesSyncedAt ?? (stored?.fullName != null || stored?.firstName != null ? presenceAt : null);
    const incoming = [c.fullName ?? "", c.firstName ?? ""] as const;
    const current = [stored?.fullName ?? "", stored?.firstName ?? ""] as const;
    const sameSecondWins = incoming[0] > current[0] || (incoming[0] === current[0] && incoming[1] >= current[1]);
    if (!namesAt || at > namesAt || (at.getTime() === namesAt.getTime() && sameSecondWins)) {
      update.namesSyncedAt = at;
      update.fullName = c.fullName;
      update.firstName = c.firstName;
    }
  }
  return Object.keys(update).length ? update : null;
}

export const chunkRecord = z.object({ phase: z.number(), chunkOrder: z.number(), progress: z.number(), messages: z.number() });
export type ChunkRecord = z.infer<typeof chunkRecord>;

/** What the history rules read of a stored HistorySync. */
export interface StoredHistorySync {
  status: string;
  progress: number;
  chunks: readonly ChunkRecord[];
  startedAt: Date | null;
}

/**
 * History progress: chunks repeat and come out of order; the highest progress wins.
 * `startedAt` is when the hub first heard of the number's history sync — its first chunk or its
 * decline, whichever came first — and never moves afterwards (`now` is the arrival time).
 */
export function historyProgress(
  stored: StoredHistorySync | null,
  chunk: HistoryChunkInput,
  now: Date,
): { status: string; progress: number; chunks: ChunkRecord[]; complete: boolean; startedAt: Date } {
  const chunks = (stored?.chunks ?? []).filter((c) => !(c.phase === chunk.phase && c.chunkOrder === chunk.chunkOrder));
  chunks.push({ phase: chunk.phase, chunkOrder: chunk.chunkOrder, progress: chunk.progress, messages: chunk.messageCount });
  chunks.sort((a, b) => a.phase - b.phase || a.chunkOrder - b.chunkOrder);
  const progress = Math.max(stored?.progress ?? 0, chunk.progress);
  const complete = progress >= 100;
  const status = stored?.status === "DECLINED" ? "DECLINED" : complete ? "COMPLETE" : "IN_PROGRESS";
  return { status, progress, chunks, complete, startedAt: stored?.startedAt ?? now };
}

/**
 * The business declined to share its history: DECLINED for good (later chunks keep it DECLINED),
 * with Meta's error. Like a first chunk, a decline that comes first starts the sync's record.
 */
export function historyDeclined(
  stored: Pick<StoredHistorySync, "startedAt"> | null,
  e: HistoryDeclinedInput,
  now: Date,
): { status: "DECLINED"; error: MetaError; startedAt: Date } {
  return { status: "DECLINED", error: e.error, startedAt: stored?.startedAt ?? now };
}

/** Whether a message at (at, wamid) comes after the current last one: by time, then by wamid, so arrival order never decides. */
export function isLater(at: Date, wamid: string, lastAt: Date | null, lastWamid: string | null): boolean {
  if (!lastAt) return true;
  return at.getTime() > lastAt.getTime() || (at.getTime() === lastAt.getTime() && wamid > (lastWamid ?? ""));
}
