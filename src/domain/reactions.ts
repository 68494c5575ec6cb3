import { z } from "zod";
import { REACTORS, type ReactionInput } from "./mirrorEvents.ts";

/**
 * Reactions on a message (pure; src/ingest/messageUpdates.ts stores them in `Message.reactions`).
 *
 * A thread has two parties, so a message has at most two reactions: the user's and the
 * business's. Each reactor's latest reaction wins — by Meta's timestamp, then by the reaction's
 * wamid, never by arrival order — and a removal (no emoji) is kept as the latest word of its
 * reactor, so an older reaction that arrives after it does not come back.
 */

/** One reactor's latest reaction as stored (Message.reactions); `emoji` null: removed. */
export const storedReactionRecord = z.object({
  reactor: z.enum(REACTORS),
  emoji: z.string().nullable(),
  /** ISO time of the reaction. */
  at: z.string(),
  wamid: z.string(),
});
export type StoredReaction = z.infer<typeof storedReactionRecord>;

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
  before: readonly StoredReaction[],
  reaction: Pick<ReactionInput, "reactor" | "emoji" | "timestamp" | "wamid">,
): { reactions: StoredReaction[]; shows: boolean } | null {
  const incoming: StoredReaction = { reactor: reaction.reactor, emoji: reaction.emoji, at: reaction.timestamp.toISOString(), wamid: reaction.wamid };
  const current = before.find((r) => r.reactor === incoming.reactor);
  if (current && !isNewer(incoming, current)) return null;
  const reactions = [...before.filter((r) => r.reactor !== incoming.reactor), incoming].sort(
    (a, b) => REACTORS.indexOf(a.reactor) - REACTORS.indexOf(b.reactor),
  );
  const shows = JSON.stringify(visibleReactions(before)) !== JSON.stringify(visibleReactions(reactions));
  return { reactions, shows };
}
