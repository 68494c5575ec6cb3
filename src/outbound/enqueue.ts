import { randomUUID } from "node:crypto";
import { identityKey } from "../domain/identityKey.ts";
import type { MessageInput } from "../domain/mirrorEvents.ts";
import { gateRefusal, SendRefused } from "../domain/sendErrors.ts";
import { gate } from "../domain/sendGate.ts";
import { addressOf, displayText, messageType, requestBody, type Address, type SendContent } from "../domain/sendRequest.ts";
import { applyMirrorEvents } from "../ingest/threadMirror.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import type { Storage } from "../storage/db.ts";
import { sendRequestColumn } from "../storage/columns.ts";
import { lockKeys } from "../storage/locks.ts";
import { readSendFacts, type SendingNumber } from "./facts.ts";

/** A send as sendMessage accepted its input (shape checked; nothing looked up yet). */
export interface SendRequest {
  /** The token's name: idempotency keys are unique per token. */
  requestedBy: string;
  idempotencyKey: string;
  phoneNumberId: string;
  target: { threadId: string } | { to: string } | { userId: string };
  content: SendContent;
  replyTo: string | null;
  /** Whether the token may act for this WABA. */
  mayUse(wabaId: string): boolean;
}

/** A message id the hub shows until Meta's wamid replaces it (never a wamid Meta could send). */
export const provisionalWamid = () => `hub.${randomUUID()}`;

/**
 * Stores a send (its message, in the thread, and its queue row) in one transaction and returns
 * the message's id; refuses with SendRefused before storing anything when the gate says no. The
 * same idempotency key from the same token returns the message stored the first time.
 */
export async function enqueueSend(storage: Storage, pubsub: HubPubSub, request: SendRequest, now = new Date()): Promise<string> {
  const db = storage.prisma;
  const earlier = await findEarlier(db, request);
  if (earlier) return earlier;
  const number = await db.phoneNumber.findUnique({ where: { phoneNumberId: request.phoneNumberId } });
  if (!number || !request.mayUse(number.wabaId)) throw new SendRefused("BAD_USER_INPUT", `no business number ${request.phoneNumberId} is known to this token`);
  const { user, threadId } = await resolveUser(db, number.phoneNumberId, request.target);
  const address = addressOf(user);
  if (!address) throw new SendRefused("BAD_USER_INPUT", "the user has neither a phone number nor a business-scoped user id to send to");
  const isTemplate = request.content.kind === "template";
  const verdict = gate(await readSendFacts(db, number, threadId), isTemplate, now);
  if (verdict.verdict === "CANNOT_SEND" || verdict.verdict === "OUTSIDE_SERVICE_WINDOW") throw gateRefusal(verdict);
  const held = verdict.verdict === "HOLD";
  const body = requestBody(address, request.content, request.replyTo);
  const message = messageInput(number, user, request.content, body, now);
  const { messageId, changes } = await storage.writeTransaction(async (tx, sql) => {
    await lockKeys(sql, [`phone:${number.phoneNumberId}`, `send:${JSON.stringify([request.requestedBy, request.idempotencyKey])}`]);
    const again = await findEarlier(tx, request);
    if (again) return { messageId: again, changes: null };
    const mirror = await applyMirrorEvents(tx, sql, [message]);
    const stored = await tx.message.findUniqueOrThrow({ where: { phoneNumberId_wamid: { phoneNumberId: number.phoneNumberId, wamid: message.wamid } } });
    await tx.send.create({
      data: {
        messageId: stored.id,
        phoneNumberId: number.phoneNumberId,
        wabaId: number.wabaId,
        requestedBy: request.requestedBy,
        idempotencyKey: request.idempotencyKey,
        state: held ? "HELD" : "QUEUED",
        reason: held ? verdict.reason : null,
        heldSince: held ? now : null,
        nextAttemptAt: now,
        recipient: recipientKey(address),
        template: isTemplate,
        request: sendRequestColumn.write(body),
      },
    });
    return { messageId: stored.id, changes: mirror };
  });
  for (const m of changes?.messages ?? []) pubsub.publish("message", m);
  return messageId;
}

async function findEarlier(db: Tx, request: SendRequest): Promise<string | null> {
  const send = await db.send.findUnique({
    where: { requestedBy_idempotencyKey: { requestedBy: request.requestedBy, idempotencyKey: request.idempotencyKey } },
    select: { messageId: true },
  });
  return send?.messageId ?? null;
}

/** The user a send names, as the hub knows them (an unknown phone number or BSUID is a new user). */
async function resolveUser(db: Tx, phoneNumberId: string, target: SendRequest["target"]) {
  if ("threadId" in target) {
    const thread = await db.thread.findUnique({ where: { id: target.threadId }, include: { contact: true } });
    if (!thread || thread.phoneNumberId !== phoneNumberId) throw new SendRefused("BAD_USER_INPUT", `thread ${target.threadId} is not a thread of this number`);
    return { user: { waId: thread.contact.waId, userId: thread.contact.userId }, threadId: thread.id };
  }
  const key = "to" in target ? identityKey("WA_ID", target.to) : identityKey("USER_ID", target.userId);
  const known = await db.contactIdentity.findUnique({
    where: { phoneNumberId_identity: { phoneNumberId, identity: key } },
    include: { contact: { include: { thread: true } } },
  });
  const given = "to" in target ? { waId: target.to, userId: null } : { waId: null, userId: target.userId };
  if (!known) return { user: given, threadId: null };
  // Addressed as asked: `to` a number keeps the number even if the contact's current one differs.
  const user = "to" in target ? { waId: target.to, userId: known.contact.userId } : { waId: known.contact.waId, userId: target.userId };
  return { user, threadId: known.contact.thread?.id ?? null };
}

function messageInput(
  number: SendingNumber,
  user: { waId: string | null; userId: string | null },
  content: SendContent,
  body: Record<string, unknown>,
  now: Date,
): MessageInput {
  return {
    kind: "message",
    business: { phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber, wabaId: number.wabaId },
    user,
    wamid: provisionalWamid(),
    direction: "OUTBOUND",
    source: "API",
    type: messageType(content),
    text: displayText(content),
    content: body,
    timestamp: now,
    status: null,
    errors: [],
    referral: null,
  };
}

/** The pair limit's key: the user as Meta is asked to reach them. */
export function recipientKey(address: Address): string {
  return "to" in address ? `to:${address.to}` : `recipient:${address.recipient}`;
}
