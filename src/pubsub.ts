import { createPubSub } from "graphql-yoga";

/**
 * Subscription topics. Payloads carry ids only: the subscription resolver re-reads the row, so a
 * client's selection shapes the query and nothing is published that was not committed.
 */
export type Topics = {
  accountEvent: [{ id: string; wabaId: string }];
  disconnection: [{ id: string; wabaId: string }];
  /** A message created or changed (merged, edited, revoked, status), of any source. */
  message: [{ id: string; threadId: string; phoneNumberId: string; wabaId: string; source: string }];
  historySync: [{ phoneNumberId: string }];
};

export type HubPubSub = ReturnType<typeof createPubSub<Topics>>;

export function createHubPubSub(): HubPubSub {
  return createPubSub<Topics>();
}
