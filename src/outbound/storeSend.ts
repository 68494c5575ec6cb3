import { identityKey } from "../domain/identityKey.ts";
import type { MessageInput } from "../domain/mirrorEvents.ts";
import { SendRefused } from "../domain/sendErrors.ts";
import { addressOf, displayText, messageType, requestBody, type Address, type SendContent, type SendState } from "../domain/sendRequest.ts";
import { applyMirrorEvents } from "../ingest/threadMirror.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { sendRequestColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import type { SendingNumber } from "./facts.ts";

/**
 * The one storage path of a message sent through the Cloud API, whether the hub sends it
 * (sendMessage) or another system did (recordSentMessage): the user looked up as the hub knows
 * them, the message stored in the user's thread like any other (pending statuses for its wamid
 * applied), and its Send row, in one transaction.
 */

export type SendTarget = { threadId: string } | { to: string } | { userId: string };

/** A send's number, user, thread and address, looked up (and refused with BAD_USER_INPUT when one is unknown). */
export interface ResolvedSend {
  number: SendingNumber;
  user: { waId: string | null; userId: string | null };
  threadId: string | null;
  address: Address;
}

export async function resolveSend(db: Tx, request: { phoneNumberId: string; target: SendTarget; mayUse(wabaId: string): boolean }): Promise<ResolvedSend> {
  const number = await db.phoneNumber.findUnique({ where: { phoneNumberId: request.phoneNumberId } });
  if (!number || !request.mayUse(number.wabaId)) throw new SendRefused("BAD_USER_INPUT", `no business number ${request.phoneNumberId} is known to this token`);
  const { user, threadId } = await resolveUser(db, number.phoneNumberId, request.target);
  const address = addressOf(user);
  if (!address) throw new SendRefused("BAD_USER_INPUT", "the user has neither a phone number nor a business-scoped user id to send to");
  return { number, user, threadId, address };
}

export interface StoredSend {
  requestedBy: string;
  idempotencyKey: string;
  content: SendContent;
  replyTo: string | null;
  wamid: string;
  timestamp: Date;
  send: { state: SendState; reason: string | null; heldSince: Date | null };
  /** Checked under the number's lock before storing: the message id stored already for this request, if any. */
  already(tx: Tx): Promise<string | null>;
}

/** Stores the message and its Send row (or finds the one `already` names) and returns the message's id; publishes after the commit. */
export async function storeSend(storage: Storage, pubsub: HubPubSub, resolved: ResolvedSend, s: StoredSend): Promise<string> {
  const { number, user, address } = resolved;
  const body = requestBody(address, s.content, s.replyTo);
  const message = messageInput(number, user, s.content, body, s.wamid, s.timestamp);
  const { messageId, changes } = await storage.writeTransaction(async (tx, sql) => {
    await lockKeys(sql, [`phone:${number.phoneNumberId}`, `send:${JSON.stringify([s.requestedBy, s.idempotencyKey])}`]);
    const again = await s.already(tx);
    if (again) return { messageId: again, changes: null };
    const mirror = await applyMirrorEvents(tx, sql, [message]);
    const stored = await tx.message.findUniqueOrThrow({ where: { phoneNumberId_wamid: { phoneNumberId: number.phoneNumberId, wamid: message.wamid } } });
    await tx.send.create({
      data: {
        messageId: stored.id,
        phoneNumberId: number.phoneNumberId,
        wabaId: number.wabaId,
        requestedBy: s.requestedBy,
        idempotencyKey: s.idempotencyKey,
        ...s.send,
        nextAttemptAt: s.timestamp,
        recipient: recipientKey(address),
        template: s.content.kind === "template",
        request: sendRequestColumn.write(body),
      },
    });
    return { messageId: stored.id, changes: mirror };
  });
  for (const m of changes?.messages ?? []) pubsub.publish("message", m);
  return messageId;
}

/** The user a send names, as the hub knows them (an unknown phone number or BSUID is a new user). */
async function resolveUser(db: Tx, phoneNumberId: string, target: SendTarget) {
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
  wamid: string,
  timestamp: Date,
): MessageInput {
  return {
    kind: "message",
    business: { phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber, wabaId: number.wabaId },
    user,
    wamid,
    direction: "OUTBOUND",
    source: "API",
    type: messageType(content),
    text: displayText(content),
    content: body,
    timestamp,
    status: null,
    errors: [],
    referral: null,
  };
}

/** The pair limit's key: the user as Meta is asked to reach them. */
export function recipientKey(address: Address): string {
  return "to" in address ? `to:${address.to}` : `recipient:${address.recipient}`;
}
