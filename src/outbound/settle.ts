import { backoffMs, classifyMetaError } from "../domain/sendErrors.ts";
import { errorOfTheHub, type SendError } from "../domain/sendError.ts";
import { applyPendingUpdates } from "../ingest/messageUpdates.ts";
import { noMirrorChanges, type MirrorChanges } from "../ingest/mirrorChanges.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { sendErrorColumn } from "../storage/columns.ts";
import { lockKeys } from "../storage/locks.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { sendsChanged } from "./events.ts";
import type { GraphAnswer } from "./graphClient.ts";
import type { Reserved } from "./reserve.ts";
import type { QueueSettings } from "./settings.ts";

/** A posted send and what Meta answered. */
export interface Answered {
  send: Reserved;
  answer: GraphAnswer;
}

/**
 * Records Meta's answers, for any number of posts, in one transaction (the worker hands it every
 * answer that came while the previous commit ran): ACCEPTED with Meta's wamid, QUEUED again for a
 * transient error, FAILED or UNKNOWN, inside a transaction the caller runs (its own, or a lane's
 * SENDING commit). Returns the `messages` events to publish after the commit.
 */
export async function settle(tx: Tx, sql: Sql, answered: readonly Answered[], settings: QueueSettings, now = new Date()): Promise<TopicEvent<"message">[]> {
  await lockKeys(
    sql,
    answered.map((a) => `phone:${a.send.phoneNumberId}`),
  );
  const changes = noMirrorChanges();
  const accepted = answered.filter((a) => a.answer.kind === "OK");
  await recordAccepted(tx, sql, accepted, changes, now);
  for (const a of answered) if (a.answer.kind !== "OK") await recordNotAccepted(tx, a.send, a.answer, settings, now);
  return [
    ...(await sendsChanged(
      sql,
      answered.map((a) => a.send),
    )),
    ...changes.messages,
  ];
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** ACCEPTED, and Meta's wamid in place of the provisional one: a few statements for all of them. */
async function recordAccepted(tx: Tx, sql: Sql, accepted: readonly Answered[], changes: MirrorChanges, now: Date) {
  const ts = sql.placeholder.timestamp;
  for (const part of chunks(accepted, 200)) {
    await sql.run(
      `UPDATE "Send" SET "state" = 'ACCEPTED', "reason" = NULL, "error" = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${ts}
       WHERE "id" IN (${placeholders(part.length)})`,
      [now, ...part.map((a) => a.send.id)],
    );
    const withWamid = part.flatMap((a) => {
      const wamid = a.answer.kind === "OK" ? acceptedWamid(a.answer.json) : null;
      return wamid ? [{ send: a.send, wamid }] : [];
    });
    if (withWamid.length === 0) continue;
    // A wamid another message of the number has already (never from Meta, but the row's key is unique)
    // is not taken; statuses Meta sent for a wamid before this commit wait as pending updates. Both
    // looked up in one plain statement (two Prisma reads per answer batch before).
    const known = await wamidsKnown(sql, withWamid);
    const fresh = withWamid.filter((w) => !known.taken.has(wamidKey(w.send.phoneNumberId, w.wamid)));
    if (fresh.length === 0) continue;
    await sql.run(
      `UPDATE "Message" SET "wamid" = CASE "id" ${fresh.map(() => "WHEN ? THEN ?").join(" ")} END, "updatedAt" = ${ts} WHERE "id" IN (${placeholders(fresh.length)})`,
      [...fresh.flatMap((w) => [w.send.messageId, w.wamid]), now, ...fresh.map((w) => w.send.messageId)],
    );
    // Those pending updates are applied now (usually there are none, and nothing more is read).
    const wabaOf = new Map(fresh.map((w) => [w.send.phoneNumberId, w.send.wabaId] as const));
    await applyPendingUpdates(
      tx,
      sql,
      fresh.map((w) => ({ phoneNumberId: w.send.phoneNumberId, wamid: w.wamid, waiting: known.pending.has(wamidKey(w.send.phoneNumberId, w.wamid)) })),
      changes,
      (id) => wabaOf.get(id)!,
    );
  }
}

const wamidKey = (phoneNumberId: string, wamid: string) => `${phoneNumberId}\u0000${wamid}`;

/** Which of Meta's wamids a message of the number has already, and which have updates waiting for them. */
async function wamidsKnown(sql: Sql, answered: readonly { send: Reserved; wamid: string }[]) {
  const pairs = answered.map(() => `("phoneNumberId" = ? AND %c = ?)`).join(" OR ");
  const values = answered.flatMap((w) => [w.send.phoneNumberId, w.wamid]);
  const rows = await sql.all<{ kind: string; phoneNumberId: string; wamid: string }>(
    `SELECT 'taken' AS "kind", "phoneNumberId", "wamid" FROM "Message" WHERE ${pairs.replaceAll("%c", `"wamid"`)}
     UNION ALL
     SELECT DISTINCT 'pending' AS "kind", "phoneNumberId", "targetWamid" AS "wamid" FROM "PendingMessageUpdate" WHERE ${pairs.replaceAll("%c", `"targetWamid"`)}`,
    [...values, ...values],
  );
  const of = (kind: string) => new Set(rows.filter((r) => r.kind === kind).map((r) => wamidKey(r.phoneNumberId, r.wamid)));
  return { taken: of("taken"), pending: of("pending") };
}

/** QUEUED again with backoff for a transient error, FAILED for any other, UNKNOWN when no answer came. */
async function recordNotAccepted(tx: Tx, r: Reserved, answer: Exclude<GraphAnswer, { kind: "OK" }>, settings: QueueSettings, now: Date) {
  const attempts = r.attempts + 1;
  const done = { leaseOwner: null, leaseExpiresAt: null };
  if (answer.kind === "NO_ANSWER") {
    // Meta may have it: never posted again by itself (docs/sending.md, "at most once").
    await tx.send.update({
      where: { id: r.id },
      data: { state: "UNKNOWN", reason: "NO_ANSWER", error: sendErrorColumn.write(errorOfTheHub(answer.detail)), ...done },
    });
    return;
  }
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

/** Meta's id of the accepted message: messages[0].id of the answer. */
function acceptedWamid(json: Record<string, unknown>): string | null {
  const messages = json.messages;
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  const id = typeof first === "object" && first !== null ? (first as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : null;
}
