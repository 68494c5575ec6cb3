import { REACTORS, type ReactionInput, type Reactor } from "./mirrorEvents.ts";

/**
 * Reactions on a message (pure; src/ingest/messageUpdates.ts stores them in `Message.reactions`).
 *
 * A thread has two parties, so a message has at most two reactions: the user's and the
 * business's. Each reactor's latest reaction wins — by Meta's timestamp, then by the reaction's
 * wamid, never by arrival order — and a removal (no emoji) is kept as the latest word of its
 * reactor, so an older reaction that arrives after it does not come back.
 */

/** One reactor's latest reaction as stored; `emoji` null: removed. A type alias, so it is a JSON value. */
export type StoredReaction = {
  reactor: Reactor;
  emoji: string | null;
  /** ISO time of the reaction. */
  at: string;
  wamid: string;
};

const isReactor = (value: unknown): value is Reactor => REACTORS.some((r) => r === value);

/** The stored JSON read back, keeping only well-formed entries (the column may be null). */
export function storedReactions(value: unknown): StoredReaction[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): StoredReaction[] => {
    if (!entry || typeof entry !== "object") return [];
    const { reactor, emoji, at, wamid } = entry as Record<string, unknown>;
    if (!isReactor(reactor) || typeof at !== "string" || typeof wamid !== "string") return [];
    return [{ reactor, emoji: typeof emoji === "string" ? emoji : null, at, wamid }];
  });
}

function isNewer(a: { at: string; wamid: string }, b: { at: string; wamid: string }): boolean {
  const ta = new Date(a.at).getTime();
  const tb = new Date(b.at).getTime();
  return ta > tb || (ta === tb && a.wamid > b.wamid);
}

/** The reactions shown: those with an emoji, the user's first. */
export function visibleReactions(reactions: readonly StoredReaction[]): StoredReaction[] {
  return reactions.filter((r) => r.emoji !== null).sort((a, b) => REACTORS.indexOf(a.reactor) - REACTORS.indexOf(b.reactor));
}

/**
 * The message's reactions once `reaction` is applied, and whether what they show changed; null
 * when nothing changes (the same reaction again, or one older than the reactor's latest).
 */
export function applyReaction(
  stored: unknown,
  reaction: Pick<ReactionInput, "reactor" | "emoji" | "timestamp" | "wamid">,
): { reactions: StoredReaction[]; shows: boolean } | null {
  const before = storedReactions(stored);
  const incoming: StoredReaction = { reactor: reaction.reactor, emoji: reaction.emoji, at: reaction.timestamp.toISOString(), wamid: reaction.wamid };
  const current = before.find((r) => r.reactor === incoming.reactor);
  if (current && !isNewer(incoming, current)) return null;
  const reactions = [...before.filter((r) => r.reactor !== incoming.reactor), incoming].sort(
    (a, b) => REACTORS.indexOf(a.reactor) - REACTORS.indexOf(b.reactor),
  );
  const shows = JSON.stringify(visibleReactions(before)) !== JSON.stringify(visibleReactions(reactions));
  return { reactions, shows };
}
