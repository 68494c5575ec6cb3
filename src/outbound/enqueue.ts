import { randomUUID } from "node:crypto";
import { gateRefusal } from "../domain/sendErrors.ts";
import { gate } from "../domain/sendGate.ts";
import type { SendContent } from "../domain/sendRequest.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import type { Storage } from "../storage/db.ts";
import { readSendFacts } from "./facts.ts";
import { resolveSend, storeSend, type SendTarget } from "./storeSend.ts";
import { refuseUnsendableTemplate } from "./templateGate.ts";

/** A send as sendMessage accepted its input (shape checked; nothing looked up yet). */
export interface SendRequest {
  /** The token's name: idempotency keys are unique per token. */
  requestedBy: string;
  idempotencyKey: string;
  phoneNumberId: string;
  target: SendTarget;
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
  const resolved = await resolveSend(db, request);
  const isTemplate = request.content.kind === "template";
  const verdict = gate(await readSendFacts(db, resolved.number, resolved.threadId, { isTemplate, now }), isTemplate, now);
  if (verdict.verdict === "CANNOT_SEND" || verdict.verdict === "OUTSIDE_SERVICE_WINDOW") throw gateRefusal(verdict);
  if (request.content.kind === "template") await refuseUnsendableTemplate(db, resolved.number, request.content, resolved.user);
  const held = verdict.verdict === "HOLD";
  return storeSend(storage, pubsub, resolved, {
    requestedBy: request.requestedBy,
    idempotencyKey: request.idempotencyKey,
    content: request.content,
    replyTo: request.replyTo,
    wamid: provisionalWamid(),
    timestamp: now,
    send: held ? { state: "HELD", reason: verdict.reason, heldSince: now } : { state: "QUEUED", reason: null, heldSince: null },
    // Under the lock: of two requests with the same key, the second finds the first's message.
    already: (tx) => findEarlier(tx, request),
  });
}

async function findEarlier(db: Tx, request: SendRequest): Promise<string | null> {
  const send = await db.send.findUnique({
    where: { requestedBy_idempotencyKey: { requestedBy: request.requestedBy, idempotencyKey: request.idempotencyKey } },
    select: { messageId: true },
  });
  return send?.messageId ?? null;
}
