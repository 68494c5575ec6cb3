/** Outbound delivery states in the only order they may move (failed is final, see statusRank). */
export const MESSAGE_STATUSES = ["PENDING", "SENT", "DELIVERED", "READ", "PLAYED", "FAILED"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Status only ever moves forward; FAILED is final; READ and PLAYED outrank DELIVERED. */
export function statusRank(status: MessageStatus): number {
  return MESSAGE_STATUSES.indexOf(status);
}
