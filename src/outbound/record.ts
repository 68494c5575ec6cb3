import type { SendContent } from "../domain/sendRequest.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import type { Storage } from "../storage/db.ts";
import { resolveSend, storeSend, type SendTarget } from "./storeSend.ts";

/** A message another system sent through the Cloud API, as recordSentMessage accepted it. */
export interface RecordRequest {
  requestedBy: string;
  phoneNumberId: string;
  target: SendTarget;
  content: SendContent;
  replyTo: string | null;
  /** Meta's wamid of the message (from Meta's answer to the other system). */
  wamid: string;
  /** When it was sent; null: now. */
  timestamp: Date | null;
  mayUse(wabaId: string): boolean;
}

/**
 * Stores a message another system sent (the same path as a send of the hub's: source API, its Send
 * ACCEPTED under Meta's wamid) without calling Meta, so its statuses stop being orphans: those that
 * arrived before are applied as the message is stored. Idempotent on the wamid: a wamid the number
 * has a message for already returns that message.
 */
export async function recordSent(storage: Storage, pubsub: HubPubSub, r: RecordRequest, now = new Date()): Promise<string> {
  const resolved = await resolveSend(storage.prisma, r);
  const stored = (tx: Tx) => messageWith(tx, r.phoneNumberId, r.wamid);
  const earlier = await stored(storage.prisma);
  if (earlier) return earlier;
  return storeSend(storage, pubsub, resolved, {
    requestedBy: r.requestedBy,
    // Unique per token like a client's key; the prefix keeps it apart from those.
    idempotencyKey: `recorded:${r.wamid}`,
    content: r.content,
    replyTo: r.replyTo,
    wamid: r.wamid,
    timestamp: r.timestamp ?? now,
    send: { state: "ACCEPTED", reason: null, heldSince: null },
    already: stored,
  });
}

async function messageWith(db: Tx, phoneNumberId: string, wamid: string): Promise<string | null> {
  const m = await db.message.findUnique({ where: { phoneNumberId_wamid: { phoneNumberId, wamid } }, select: { id: true } });
  return m?.id ?? null;
}
