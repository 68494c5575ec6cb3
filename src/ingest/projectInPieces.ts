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
  PIECE_EVENTS,
  projectionTransaction,
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
 * Projects a stored delivery piece by piece, each piece in its own transaction, letting the event
 * loop turn between pieces. Two callers:
 *  - a large delivery (more than PIECE_EVENTS events, e.g. a 3 MB history chunk or 15,000 statuses):
 *    one transaction for all of it would hold the event loop (better-sqlite3 is synchronous) or,
 *    on PostgreSQL, its locks, for seconds; in pieces, requests are answered between them;
 *  - the fallback for a delivery whose projection the database refused as a whole (`wholeError`:
 *    a value it will not store, a constraint one item breaks), so that only what it refuses fails.
 * A piece is at most PIECE_EVENTS events of one change; a piece the database refuses is projected
 * event by event. Refused items are recorded on the delivery with the database's error (PARTIAL);
 * the rest is applied and published, piece by piece after each commit. Nothing applied: FAILED.
 *
 * Until the last piece is committed the delivery stays RECEIVED and a query sees the pieces
 * committed so far (a history chunk's progress is recorded with its last piece); a crash in
 * between leaves it RECEIVED, and Meta's retry (or `hub replay --received`) projects it again
 * from the start: every write of the projection is idempotent.
 * Throws when storage is down, so the caller answers Meta with a retry instead of a 200.
 */
export async function projectInPieces(
  storage: Storage,
  pubsub: HubPubSub,
  delivery: StoredDelivery,
  wholeError?: unknown,
  parsedWhole?: ParsedDelivery,
): Promise<ProcessOutcome> {
  if (wholeError !== undefined) await throwIfDown(storage, wholeError);
  const failed: FailedItem[] = [];
  const applied: ParsedDelivery[] = [];
  let firstError: string | null = null;
  const changes = delivery.changes ?? readEnvelope(JSON.parse(delivery.body));
  for (const [index, change] of changes.entries()) {
    // Parsed per change for the paths of refused events; a change the route or the caller parsed is
    // not parsed again (a 3 MB chunk takes a few hundred milliseconds, all of them holding the loop).
    const parsed = delivery.parsedChanges?.[index] ?? (parsedWhole && changes.length === 1 ? parsedWhole : parseChanges([change], delivery.receivedAt));
    failed.push(...parsed.failedItems);
    for (const piece of piecesOf(parsed)) {
      // Let requests that arrived meanwhile be answered before the next piece's transaction.
      await new Promise((resolve) => setImmediate(resolve));
      const pieceError = await tryProject(storage, pubsub, delivery, piece);
      if (pieceError === null) {
        applied.push(piece);
        continue;
      }
      firstError ??= pieceError;
      await throwIfDown(storage, new Error(pieceError));
      // The piece as a whole is refused: find the events that are.
      const events: (ParsedDelivery & { item: string })[] = [
        ...piece.accountEvents.map((e) => ({ ...only(piece, { accountEvents: [e] }), item: describeAccountEvent(e) })),
        ...piece.mirrorEvents.map((e) => ({ ...only(piece, { mirrorEvents: [e] }), item: describeMirrorEvent(e) })),
        ...piece.signalEvents.map((e) => ({ ...only(piece, { signalEvents: [e] }), item: `${e.details.field} ${e.subject}` })),
      ];
      for (const event of events) {
        const error = await tryProject(storage, pubsub, delivery, event);
        if (error === null) applied.push(event);
        else failed.push({ path: `${changePath(change)} (${event.item})`, error: `projection failed: ${error}` });
      }
    }
  }
  if (applied.length === 0) return { outcome: "FAILED", error: `projection failed: ${errorText(wholeError ?? firstError ?? "nothing to apply")}` };
  const whole: ParsedDelivery = {
    accountEvents: applied.flatMap((p) => p.accountEvents),
    mirrorEvents: applied.flatMap((p) => p.mirrorEvents),
    signalEvents: applied.flatMap((p) => p.signalEvents),
    unhandledFields: [],
    failedItems: failed,
  };
  await storage.writeTransaction((_tx, sql) => markProjected(sql, [{ delivery, parsed: whole }]));
  return processedOutcome(whole);
}

/**
 * One change's events in pieces of at most PIECE_EVENTS. What describes the change as a whole (a
 * history chunk's progress, a declined history) goes with the last piece, so that it is recorded
 * once the messages it counts are.
 */
export function piecesOf(parsed: ParsedDelivery): ParsedDelivery[] {
  const marker = (e: MirrorEvent) => e.kind === "historyChunk" || e.kind === "historyDeclined";
  // The events in order, list by list, cut every PIECE_EVENTS: slices of the parse's own lists, no
  // object per event (this runs on the event loop over up to tens of thousands of events).
  const lists: [keyof Pick<ParsedDelivery, "accountEvents" | "mirrorEvents" | "signalEvents">, readonly unknown[]][] = [
    ["accountEvents", parsed.accountEvents],
    ["signalEvents", parsed.signalEvents],
    ["mirrorEvents", parsed.mirrorEvents.filter((e) => !marker(e))],
    ["mirrorEvents", parsed.mirrorEvents.filter(marker)],
  ];
  const pieces: ParsedDelivery[] = [];
  let piece = only(parsed, {});
  let size = 0;
  for (const [key, events] of lists) {
    for (let i = 0; i < events.length;) {
      if (size === PIECE_EVENTS) {
        pieces.push(piece);
        piece = only(parsed, {});
        size = 0;
      }
      const part = events.slice(i, i + PIECE_EVENTS - size);
      (piece[key] as unknown[]).push(...part);
      size += part.length;
      i += part.length;
    }
  }
  if (size > 0) pieces.push(piece);
  return pieces;
}

/** Down rather than refusing: piece by piece would only fail again, item after item. */
async function throwIfDown(storage: Storage, error: unknown): Promise<void> {
  await storage.prisma.$queryRawUnsafe("SELECT 1").catch(() => {
    throw error;
  });
}

/** Projects one piece in its own transaction and publishes it; the database's error when it refused it, else null. */
async function tryProject(storage: Storage, pubsub: HubPubSub, delivery: StoredDelivery, piece: ParsedDelivery): Promise<string | null> {
  try {
    const changes = await retryOnConflict(() =>
      projectionTransaction(storage, [piece], async (tx, sql) => {
        await lockKeys(sql, lockKeysOf([delivery.contentHash], [piece]));
        return applyParsed(tx, sql, [{ delivery, parsed: piece }]);
      }),
    );
    publish(pubsub, changes);
    return null;
  } catch (error) {
    return errorText(error);
  }
}

function only(piece: ParsedDelivery, events: Partial<Pick<ParsedDelivery, "accountEvents" | "mirrorEvents" | "signalEvents">>): ParsedDelivery {
  return { ...piece, accountEvents: [], mirrorEvents: [], signalEvents: [], failedItems: [], ...events };
}

function describeAccountEvent(e: AccountEventInput): string {
  return `account_update ${e.event}`;
}

function describeMirrorEvent(e: MirrorEvent): string {
  if ("wamid" in e) return `${e.kind} ${e.wamid}`;
  if (e.kind === "contact") return `contact ${e.user.waId ?? e.user.userId ?? ""}`.trim();
  return e.kind;
}
