import type { InboxMessageFragment } from "../generated/graphql.ts";

/**
 * Whether the agent can reply or react to a message: Meta must know it by its wamid (a send still
 * in the hub's queue has only a provisional one), and it must be a message, not a reaction, a
 * system line or a deleted message.
 */
export function canAnswer(m: InboxMessageFragment): boolean {
  if (m.identityChange || m.revokedAt || m.details?.kind === "REACTION" || m.details?.kind === "SYSTEM") return false;
  return !m.send || m.send.state === "ACCEPTED";
}
