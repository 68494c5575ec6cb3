import type { AccountEventInput } from "../domain/accountEvents.ts";
import type { MirrorEvent } from "../domain/mirrorEvents.ts";
import { readEnvelope } from "../webhooks/envelope.ts";
import { parseChanges, type ParsedDelivery } from "../webhooks/fields/index.ts";
import { changePath } from "../webhooks/fields/parse.ts";
import type { FailedItem } from "../domain/deliveryStatus.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import type { HubPubSub } from "../pubsub.ts";
import {
  TRANSACTION_OPTIONS,
  applyParsed,
  errorText,
  lockKeysOf,
  markProjected,
  processedOutcome,
  publish,
  type ProcessOutcome,
  type StoredDelivery,
} from "./projection.ts";
import { retryOnConflict } from "./retry.ts";

/**
 * The fallback for a delivery that parsed but whose projection the database refused as a whole
 * (a value it will not store, a constraint one item breaks): its changes are projected one at a
 * time, each in its own transaction, and a change that still fails is projected event by event,
 * so that only the items the database refuses fail. They are recorded on the delivery with the
 * database's error (PARTIAL); the rest is applied and published. Nothing applied at all: FAILED.
 *
 * Safe to repeat (a replay runs it again): every write of the projection is idempotent.
 * Throws when storage is down, so the caller answers Meta with a retry instead of a 200.
 */
export async function projectInPieces(storage: Storage, pubsub: HubPubSub, delivery: StoredDelivery, wholeError: unknown): Promise<ProcessOutcome> {
  // Down rather than refusing: piece by piece would only fail again, item after item.
  await storage.prisma.$queryRawUnsafe("SELECT 1").catch(() => {
    throw wholeError;
  });
  const failed: FailedItem[] = [];
  const applied: ParsedDelivery[] = [];
  for (const change of delivery.changes ?? readEnvelope(JSON.parse(delivery.body))) {
    const piece = parseChanges([change], delivery.receivedAt);
    failed.push(...piece.failedItems);
    if (piece.accountEvents.length + piece.mirrorEvents.length === 0) continue;
    if ((await tryProject(storage, pubsub, delivery, piece)) === null) {
      applied.push(piece);
      continue;
    }
    // The change as a whole is refused: find the events that are.
    const events: (ParsedDelivery & { item: string })[] = [
      ...piece.accountEvents.map((e) => ({ ...only(piece, { accountEvents: [e] }), item: describeAccountEvent(e) })),
      ...piece.mirrorEvents.map((e) => ({ ...only(piece, { mirrorEvents: [e] }), item: describeMirrorEvent(e) })),
    ];
    for (const event of events) {
      const error = await tryProject(storage, pubsub, delivery, event);
      if (error === null) applied.push(event);
      else failed.push({ path: `${changePath(change)} (${event.item})`, error: `projection failed: ${error}` });
    }
  }
  if (applied.length === 0) return { outcome: "FAILED", error: `projection failed: ${errorText(wholeError)}` };
  const whole: ParsedDelivery = {
    accountEvents: applied.flatMap((p) => p.accountEvents),
    mirrorEvents: applied.flatMap((p) => p.mirrorEvents),
    unhandledFields: [],
    failedItems: failed,
  };
  await storage.writeTransaction((_tx, sql) => markProjected(sql, [{ delivery, parsed: whole }]));
  return processedOutcome(whole);
}

/** Projects one piece in its own transaction and publishes it; the database's error when it refused it, else null. */
async function tryProject(storage: Storage, pubsub: HubPubSub, delivery: StoredDelivery, piece: ParsedDelivery): Promise<string | null> {
  try {
    const changes = await retryOnConflict(() =>
      storage.writeTransaction(async (tx, sql) => {
        await lockKeys(sql, lockKeysOf([delivery.contentHash], [piece]));
        return applyParsed(tx, sql, [{ delivery, parsed: piece }]);
      }, TRANSACTION_OPTIONS),
    );
    publish(pubsub, changes);
    return null;
  } catch (error) {
    return errorText(error);
  }
}

function only(piece: ParsedDelivery, events: Partial<Pick<ParsedDelivery, "accountEvents" | "mirrorEvents">>): ParsedDelivery {
  return { ...piece, accountEvents: [], mirrorEvents: [], failedItems: [], ...events };
}

function describeAccountEvent(e: AccountEventInput): string {
  return `account_update ${e.event}`;
}

function describeMirrorEvent(e: MirrorEvent): string {
  if ("wamid" in e) return `${e.kind} ${e.wamid}`;
  if (e.kind === "contact") return `contact ${e.user.waId ?? e.user.userId ?? ""}`.trim();
  return e.kind;
}
