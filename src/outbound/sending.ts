import type { TopicEvent } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";
import { sendsChanged } from "./events.ts";
import type { Reserved } from "./reserve.ts";
import { storePaces } from "./reserve.ts";

/** A send committed SENDING, to be posted at `at` (epoch ms). */
export interface Going {
  send: Reserved;
  at: number;
}

/**
 * What markSending did: SENDING committed for `going` (post each at its time); `gone`, sends no
 * longer this instance's (another took them after a lease ran out, or they changed); `nextAt`, when
 * the first send left out (its turn not within the window) may be marked, if any was left out.
 */
export interface Marked {
  going: Going[];
  gone: string[];
  nextAt: number | null;
  events: TopicEvent<"message">[];
}

/** The SendPace row holding when the number's latest post goes out, from any instance. */
const postedKey = (phoneNumberId: string) => `posted:${phoneNumberId}`;

/**
 * Commits SENDING for sends of one number (in the order given, each no earlier than its slot),
 * before they are posted, in a transaction the caller runs (the worker records waiting answers in
 * the same commit; this lock comes after their `phone:` locks, as keys sort). Only those this
 * instance still holds, the first only once its turn has come, the others only if theirs comes
 * within `windowMs` after. From here on each is posted at most once: a crash leaves it SENDING,
 * which recovery makes UNKNOWN. One transaction for the batch instead of one per send.
 *
 * It also keeps the number's posts at least its spacing apart as they actually go, whichever
 * instance posts: a reserved slot says when a post may go, but a post held up (a busy event loop
 * or database) can go late, right before another instance's next one, and two such crowd one
 * second past the number's rate. So the batch records its last post's time under the number's
 * lock, and a batch that would follow the latest post too closely starts after it, or waits.
 */
export async function markSending(sql: Sql, sends: readonly Reserved[], owner: string, windowMs: number, lastLocal: number): Promise<Marked> {
  const phoneNumberId = sends[0]!.phoneNumberId;
  const spacing = sends[0]!.spacingMs;
  const key = postedKey(phoneNumberId);
  await lockKeys(sql, [key]);
  const now = Date.now();
  const latest = toDate((await sql.all<{ tat: unknown }>(`SELECT "tat" FROM "SendPace" WHERE "key" = ?`, [key]))[0]?.tat)?.getTime() ?? 0;
  let previous = Math.max(latest, lastLocal);
  const planned: Going[] = [];
  for (const send of sends) {
    const at = Math.max(now, send.slot.getTime(), previous + spacing);
    // The first goes at once or not yet: committed when its turn has come, posted right after the
    // commit, so that the commit's time adds to the spacing (slack for a post held up on its way).
    if (at > now + (planned.length === 0 ? 0 : windowMs)) break;
    planned.push({ send, at });
    previous = at;
  }
  const left = sends[planned.length];
  const nextAt = left ? Math.max(left.slot.getTime(), previous + spacing) : null;
  if (planned.length === 0) return { going: [], gone: [], nextAt, events: [] };
  const taken = new Set(
    (
      await sql.all<{ id: string }>(
        `UPDATE "Send" SET "state" = 'SENDING', "attempts" = "attempts" + 1, "updatedAt" = ${sql.placeholder.timestamp}
         WHERE "id" IN (${placeholders(planned.length)}) AND "state" = 'QUEUED' AND "leaseOwner" = ? RETURNING "id"`,
        [new Date(now), ...planned.map((p) => p.send.id), owner],
      )
    ).map((r) => r.id),
  );
  const going = planned.filter((p) => taken.has(p.send.id));
  const gone = planned.filter((p) => !taken.has(p.send.id)).map((p) => p.send.id);
  if (going.length > 0) await storePaces(sql, [{ key, tat: new Date(going.at(-1)!.at) }]);
  return {
    going,
    gone,
    nextAt,
    events: await sendsChanged(
      sql,
      going.map((g) => g.send),
    ),
  };
}

/**
 * When a send committed SENDING for `at` may go now that `at` has long passed (src/outbound/lane.ts
 * LATE_MS): at once if no post of the number was planned after it, by any instance; else a spacing
 * after the latest one, which is recorded as the number's latest post, as markSending does.
 * Posting it late as planned would crowd it against the posts planned after it.
 */
export async function replanLate(storage: Storage, send: Reserved, at: number): Promise<number> {
  return storage.writeTransaction(async (_tx, sql) => {
    const key = postedKey(send.phoneNumberId);
    await lockKeys(sql, [key]);
    const now = Date.now();
    const latest = toDate((await sql.all<{ tat: unknown }>(`SELECT "tat" FROM "SendPace" WHERE "key" = ?`, [key]))[0]?.tat)?.getTime() ?? 0;
    const again = latest > at ? Math.max(now, latest + send.spacingMs) : now;
    await storePaces(sql, [{ key, tat: new Date(Math.max(again, latest)) }]);
    return again;
  });
}
