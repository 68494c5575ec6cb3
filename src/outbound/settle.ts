import { backoffMs, classifyMetaError } from "../domain/sendErrors.ts";
import { errorOfTheHub, type SendError } from "../domain/sendError.ts";
import { gate, holdExpired } from "../domain/sendGate.ts";
import { applyPendingUpdates } from "../ingest/messageUpdates.ts";
import { noMirrorChanges } from "../ingest/mirrorChanges.ts";
import type { TopicEvent } from "../pubsub.ts";
import { sendErrorColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import { readSendFacts } from "./facts.ts";
import { sendChanged } from "./events.ts";
import type { GraphAnswer } from "./graphClient.ts";
import type { Reserved } from "./reserve.ts";
import { applyGate } from "./reserve.ts";
import type { QueueSettings } from "./settings.ts";

type Events = TopicEvent<"message">[];

/** What markSending did: SENDING committed (post now), too soon after the number's latest post (try again at `at`), or the send is no longer this instance's. */
export type Marked = { kind: "SENDING"; events: Events } | { kind: "WAIT"; at: number } | { kind: "GONE" };

/** The SendPace row holding when the number's latest post went out, from any instance. */
const postedKey = (phoneNumberId: string) => `posted:${phoneNumberId}`;

/**
 * Commits SENDING before the POST (only if this instance still holds the reservation). From here
 * on the send is posted at most once: a crash leaves it SENDING, which recovery makes UNKNOWN.
 *
 * It also keeps the number's posts at least its spacing apart as they actually go, whichever
 * instance posts: a reserved slot says when a post may go, but a post held up (a busy event loop
 * or database) can go late, right before another instance's next one, and two such crowd one
 * second past the number's rate. So each post records its time under the number's lock, and one
 * that would follow the latest too closely waits (its slot is not lost: nothing is re-reserved).
 */
export async function markSending(storage: Storage, r: Reserved, owner: string): Promise<Marked> {
  return storage.writeTransaction(async (tx, sql) => {
    const key = postedKey(r.phoneNumberId);
    await lockKeys(sql, [key]);
    const at = new Date();
    const latest = (await tx.sendPace.findUnique({ where: { key } }))?.tat;
    if (latest && at.getTime() < latest.getTime() + r.spacingMs) return { kind: "WAIT", at: latest.getTime() + r.spacingMs };
    const taken = await sql.all<{ id: string }>(
      `UPDATE "Send" SET "state" = 'SENDING', "attempts" = "attempts" + 1, "updatedAt" = ${sql.placeholder.timestamp}
       WHERE "id" = ? AND "state" = 'QUEUED' AND "leaseOwner" = ? RETURNING "id"`,
      [at, r.id, owner],
    );
    if (taken.length === 0) return { kind: "GONE" };
    await tx.sendPace.upsert({ where: { key }, create: { key, tat: at }, update: { tat: at } });
    return { kind: "SENDING", events: [await sendChanged(tx, r.messageId, r.wabaId)] };
  });
}

/** Records Meta's answer: ACCEPTED with Meta's wamid, QUEUED again for a transient error, FAILED or UNKNOWN. */
export async function settle(storage: Storage, r: Reserved, answer: GraphAnswer, settings: QueueSettings, now = new Date()): Promise<Events> {
  const attempts = r.attempts + 1;
  return storage.writeTransaction(async (tx, sql) => {
    await lockKeys(sql, [`phone:${r.phoneNumberId}`]);
    const changes = noMirrorChanges();
    const done = { leaseOwner: null, leaseExpiresAt: null };
    if (answer.kind === "OK") {
      const wamid = acceptedWamid(answer.json);
      await tx.send.update({ where: { id: r.id }, data: { state: "ACCEPTED", reason: null, error: sendErrorColumn.write(null), ...done } });
      const taken = wamid && (await tx.message.findUnique({ where: { phoneNumberId_wamid: { phoneNumberId: r.phoneNumberId, wamid } }, select: { id: true } }));
      if (wamid && !taken) {
        await tx.message.update({ where: { id: r.messageId }, data: { wamid } });
        // Statuses Meta sent for the wamid before this commit wait as pending updates: apply them now.
        await applyPendingUpdates(tx, sql, [{ phoneNumberId: r.phoneNumberId, wamid, waiting: true }], changes, () => r.wabaId);
      }
    } else if (answer.kind === "NO_ANSWER") {
      // Meta may have it: never posted again by itself (docs/sending.md, "at most once").
      await tx.send.update({
        where: { id: r.id },
        data: { state: "UNKNOWN", reason: "NO_ANSWER", error: sendErrorColumn.write(errorOfTheHub(answer.detail)), ...done },
      });
    } else {
      const error: SendError = answer.kind === "META_ERROR" ? answer.error : errorOfTheHub(`not sent: ${answer.detail}`);
      const retry = (answer.kind === "NOT_SENT" || classifyMetaError(answer.status, error.code) === "RETRY") && attempts < settings.maxAttempts;
      await tx.send.update({
        where: { id: r.id },
        data: retry
          ? {
              state: "QUEUED",
              reason: "RETRYING",
              error: sendErrorColumn.write(error),
              nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, settings.retryBaseMs)),
              ...done,
            }
          : { state: "FAILED", reason: "META_ERROR", error: sendErrorColumn.write(error), ...done },
      });
    }
    return [await sendChanged(tx, r.messageId, r.wabaId), ...changes.messages];
  });
}

/** Meta's id of the accepted message: messages[0].id of the answer. */
function acceptedWamid(json: Record<string, unknown>): string | null {
  const messages = json.messages;
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  const id = typeof first === "object" && first !== null ? (first as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : null;
}

/**
 * Sends left SENDING by an instance whose lease ran out (it died, or lost its database mid-call):
 * nobody can prove whether Meta has them, so they become UNKNOWN and are never posted again by themselves.
 */
export async function recoverInterrupted(storage: Storage, now = new Date()): Promise<Events> {
  return storage.writeTransaction(async (tx) => {
    const lost = await tx.send.findMany({ where: { state: "SENDING", leaseExpiresAt: { lt: now } }, select: { id: true, messageId: true, wabaId: true } });
    const events: Events = [];
    for (const s of lost) {
      await tx.send.update({
        where: { id: s.id },
        data: {
          state: "UNKNOWN",
          reason: "INTERRUPTED",
          error: sendErrorColumn.write(errorOfTheHub("the hub stopped while posting this send")),
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      });
      events.push(await sendChanged(tx, s.messageId, s.wabaId));
    }
    return events;
  });
}

/** Held sends: queued again once the gate opens (ACCOUNT_RECONNECTED), failed once removed or held too long. */
export async function releaseHolds(storage: Storage, settings: QueueSettings, now = new Date()): Promise<Events> {
  return storage.writeTransaction(async (tx) => {
    const held = await tx.send.findMany({ where: { state: "HELD" }, include: { message: { select: { threadId: true } } }, take: settings.batch });
    const events: Events = [];
    for (const s of held) {
      const number = await tx.phoneNumber.findUniqueOrThrow({ where: { phoneNumberId: s.phoneNumberId } });
      const g = gate(await readSendFacts(tx, number, s.message.threadId), s.template, now);
      if (g.verdict === "SEND") {
        await tx.send.update({ where: { id: s.id }, data: { state: "QUEUED", reason: null, heldSince: null, nextAttemptAt: now } });
      } else if (g.verdict === "HOLD" && holdExpired(s.heldSince ?? now, settings.holdMaxMinutes, now)) {
        const error = errorOfTheHub(`held longer than SEND_HOLD_MAX_MINUTES (${settings.holdMaxMinutes})`);
        await tx.send.update({ where: { id: s.id }, data: { state: "FAILED", reason: "HOLD_EXPIRED", error: sendErrorColumn.write(error) } });
      } else if (g.verdict !== "HOLD") {
        events.push(await applyGate(tx, s, g, now));
        continue;
      } else {
        continue;
      }
      events.push(await sendChanged(tx, s.messageId, s.wabaId));
    }
    return events;
  });
}
