import { inactivityRisk, type InactivityPolicy } from "../domain/inactivity.ts";
import type { Db } from "../storage/client.ts";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";

/**
 * Announces each number whose inactivity level (src/domain/inactivity.ts) differs from the one last
 * announced, at `now`: levels move with the clock (WARN from day 10 with no new sign of the app) as
 * well as with deliveries (a new echo brings it back to OK), so this runs on a timer
 * (src/server/inactivityWatch.ts). The level is recorded with a conditional update, so of several
 * instances checking at once only the one whose update moved the row publishes. Returns what it
 * published.
 */
export async function checkInactivity(db: Db, pubsub: HubPubSub, now: Date, policy: InactivityPolicy): Promise<TopicEvent<"inactivity">[]> {
  const numbers = await db.phoneNumber.findMany({
    where: { lastAppActivityAt: { not: null } },
    select: { phoneNumberId: true, wabaId: true, lastAppActivityAt: true, inactivityLevel: true },
  });
  const changed: TopicEvent<"inactivity">[] = [];
  for (const n of numbers) {
    const risk = inactivityRisk(n.lastAppActivityAt, now, policy);
    if (!risk || risk.level === n.inactivityLevel) continue;
    const moved = await db.phoneNumber.updateMany({
      where: { phoneNumberId: n.phoneNumberId, OR: [{ inactivityLevel: null }, { inactivityLevel: { not: risk.level } }] },
      data: { inactivityLevel: risk.level },
    });
    if (moved.count === 0) continue;
    const event = { phoneNumberId: n.phoneNumberId, wabaId: n.wabaId, level: risk.level };
    pubsub.publish("inactivity", event);
    changed.push(event);
  }
  return changed;
}
