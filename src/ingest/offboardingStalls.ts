import { isStalled, offboardingStallAt, type StallPolicy } from "../domain/stalls.ts";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { disconnectionKindColumn } from "../storage/columns.ts";

/**
 * Records each open ACCOUNT_OFFBOARDED whose stall time (Meta's time of it plus the minutes,
 * src/domain/stalls.ts) has come at `now`, and announces it: on `stall`, and on `disconnection` as
 * STALLED (its recommended action changed). The column is set with a conditional update, so of
 * several checks at once (two instances, the timer and an ingest) only the one whose update moved
 * the row publishes, after it is committed; a reconnection committed first leaves the row resolved
 * and unstalled. Returns what it published.
 */
export async function checkOffboardingStalls(
  db: Db,
  pubsub: HubPubSub,
  now: Date,
  policy: Pick<StallPolicy, "offboardingMinutes">,
): Promise<TopicEvent<"stall">[]> {
  const due = await db.disconnection.findMany({
    where: {
      kind: disconnectionKindColumn.write("ACCOUNT_OFFBOARDED"),
      resolvedAt: null,
      stalledAt: null,
      occurredAt: { lte: new Date(now.getTime() - policy.offboardingMinutes * 60_000) },
    },
    select: { id: true, wabaId: true, kind: true, occurredAt: true, resolvedAt: true },
  });
  const stalled: TopicEvent<"stall">[] = [];
  for (const d of due) {
    const stallAt = offboardingStallAt(d, policy);
    if (!stallAt || !isStalled(stallAt, now)) continue;
    const moved = await db.disconnection.updateMany({ where: { id: d.id, resolvedAt: null, stalledAt: null }, data: { stalledAt: stallAt } });
    if (moved.count === 0) continue;
    const event = { kind: "OFFBOARDING" as const, wabaId: d.wabaId, phoneNumberId: null, disconnectionId: d.id };
    pubsub.publish("stall", event);
    pubsub.publish("disconnection", { id: d.id, wabaId: d.wabaId, change: "STALLED" });
    stalled.push(event);
  }
  return stalled;
}
