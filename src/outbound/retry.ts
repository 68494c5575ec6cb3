import { gateRefusal, SendRefused } from "../domain/sendErrors.ts";
import { gate } from "../domain/sendGate.ts";
import { RETRIABLE_SEND_STATES } from "../domain/sendRequest.ts";
import type { HubPubSub } from "../pubsub.ts";
import { sendErrorColumn, sendStateColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { sendChanged } from "./events.ts";
import { readSendFacts } from "./facts.ts";

const retriable: readonly string[] = RETRIABLE_SEND_STATES;

/**
 * "Send again": a FAILED or UNKNOWN send re-enters the queue under the same message (same row, same
 * request body), its attempts counted from zero, after the gate is checked again (refused as
 * sendMessage refuses, or HELD while offboarded). An UNKNOWN send may have reached the user
 * already: only a person who asked for it sends it again (docs/sending.md, "at most once").
 */
export async function retrySend(storage: Storage, pubsub: HubPubSub, messageId: string, mayUse: (wabaId: string) => boolean, now = new Date()): Promise<void> {
  const db = storage.prisma;
  const send = await db.send.findUnique({ where: { messageId }, include: { message: { select: { threadId: true } } } });
  if (!send || !mayUse(send.wabaId)) throw new SendRefused("BAD_USER_INPUT", `no message ${messageId} sent through the hub is known to this token`);
  const state = sendStateColumn.read(send.state);
  if (!retriable.includes(state)) {
    throw new SendRefused("BAD_USER_INPUT", `only a FAILED or UNKNOWN send may be sent again; this one is ${state}`, { state });
  }
  const number = await db.phoneNumber.findUniqueOrThrow({ where: { phoneNumberId: send.phoneNumberId } });
  const verdict = gate(await readSendFacts(db, number, send.message.threadId), send.template, now);
  if (verdict.verdict === "CANNOT_SEND" || verdict.verdict === "OUTSIDE_SERVICE_WINDOW") throw gateRefusal(verdict);
  const held = verdict.verdict === "HOLD";
  const event = await storage.writeTransaction(async (tx) => {
    // Only from the state read above: of two concurrent retries one re-queues, the other is refused.
    const { count } = await tx.send.updateMany({
      where: { id: send.id, state: { in: [...retriable] } },
      data: {
        state: held ? "HELD" : "QUEUED",
        reason: held ? verdict.reason : null,
        heldSince: held ? now : null,
        attempts: 0,
        error: sendErrorColumn.write(null),
        nextAttemptAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
      },
    });
    return count === 0 ? null : sendChanged(tx, messageId, send.wabaId);
  });
  if (!event) throw new SendRefused("BAD_USER_INPUT", "this send was sent again meanwhile");
  pubsub.publish("message", event);
}
