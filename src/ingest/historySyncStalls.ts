import { historySyncStallAt, isStalled, type StallPolicy } from "../domain/stalls.ts";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { historySyncStatusColumn, syncKindColumn } from "../storage/columns.ts";
import { isConflict } from "./retry.ts";

/**
 * Records each history sync that is waiting (requested through startSync / onboardBusiness, or
 * sending chunks, and neither COMPLETE nor DECLINED) and has been silent past its stall time at
 * `now` (src/domain/stalls.ts), and announces it on `stall` and `historySync`. The silence counts
 * from Meta's acceptance of the request or the sync row's last write (a chunk); the stall is set only
 * if that row has not moved since it was read, so a chunk that lands meanwhile wins and nothing is
 * published. A chunk clears the stall (src/ingest/historySync.ts); a later silence stalls it again.
 */
export async function checkHistorySyncStalls(
  db: Db,
  pubsub: HubPubSub,
  now: Date,
  policy: Pick<StallPolicy, "historySyncMinutes">,
): Promise<TopicEvent<"stall">[]> {
  const history = syncKindColumn.write("HISTORY");
  const inProgress = historySyncStatusColumn.write("IN_PROGRESS");
  const waiting = [historySyncStatusColumn.write("NOT_STARTED"), inProgress];
  const numbers = await db.phoneNumber.findMany({
    where: {
      OR: [{ historySync: { is: null } }, { historySync: { is: { status: { in: waiting }, stalledAt: null } } }],
      AND: [{ OR: [{ syncRequests: { some: { kind: history, requestedAt: { not: null } } } }, { historySync: { is: { status: inProgress } } }] }],
    },
    select: {
      phoneNumberId: true,
      wabaId: true,
      syncRequests: { where: { kind: history }, select: { requestedAt: true } },
      historySync: { select: { status: true, updatedAt: true } },
    },
  });
  const stalled: TopicEvent<"stall">[] = [];
  for (const n of numbers) {
    const sync = n.historySync;
    const stallAt = historySyncStallAt(
      {
        requestedAt: n.syncRequests[0]?.requestedAt ?? null,
        lastChunkAt: sync?.updatedAt ?? null,
        status: sync ? historySyncStatusColumn.read(sync.status) : "NOT_STARTED",
      },
      policy,
    );
    if (!stallAt || !isStalled(stallAt, now)) continue;
    if (!(await recordStall(db, n.phoneNumberId, sync?.updatedAt ?? null, stallAt))) continue;
    const event = { kind: "HISTORY_SYNC" as const, wabaId: n.wabaId, phoneNumberId: n.phoneNumberId, disconnectionId: null };
    pubsub.publish("stall", event);
    pubsub.publish("historySync", { phoneNumberId: n.phoneNumberId, wabaId: n.wabaId });
    stalled.push(event);
  }
  return stalled;
}

/** Sets the stall if the sync row is as it was read (`readAt`: its updatedAt; null: there was none). Whether this call set it. */
async function recordStall(db: Db, phoneNumberId: string, readAt: Date | null, stallAt: Date): Promise<boolean> {
  if (readAt) {
    const moved = await db.historySync.updateMany({ where: { phoneNumberId, stalledAt: null, updatedAt: readAt }, data: { stalledAt: stallAt } });
    return moved.count === 1;
  }
  try {
    // Requested, and no history webhook yet: the row is made here. A first chunk or another instance that made it first wins.
    await db.historySync.create({ data: { phoneNumberId, stalledAt: stallAt } });
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}
