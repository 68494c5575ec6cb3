import type { WebhookChange } from "../webhooks/envelope.ts";
import type { ParsedDelivery } from "../webhooks/fields/index.ts";
import type { Tx } from "../storage/client.ts";
import { plainTransaction, type Storage } from "../storage/db.ts";
import type { MirrorEvent } from "../domain/mirrorEvents.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import type { HubPubSub } from "../pubsub.ts";
import { applyAccountEvents, type AccountChanges } from "./accountEvents.ts";
import { applyMirrorEvents } from "./threadMirror.ts";
import type { MirrorChanges } from "./mirrorChanges.ts";
import { applyPhoneNumberErrors } from "./phoneNumberErrors.ts";
import { applyAccountSignals, type SignalChanges } from "./accountSignals.ts";
import type { Settled } from "./deliveries.ts";
import type { IngestMemory } from "./memory.ts";

// The writing steps every projection path shares: the batch (batcher.ts), one delivery at a time
// (projectDeliveries.ts) and piece by piece (projectInPieces.ts).

export type ProcessOutcome =
  | { outcome: "PROCESSED" | "PARTIAL"; accountEvents: number; messages: number; signals: number; unhandledFields: string[]; failedItems: number }
  | { outcome: "ALREADY_PROCESSED" }
  | { outcome: "FAILED"; error: string };

/** A stored delivery to project; `changes` saves parsing the body again when the route already did. */
export interface StoredDelivery {
  id: string;
  contentHash: string;
  body: string;
  receivedAt: Date;
  /** Its changes as the route read them: a large body's without their values (read off the loop), and then `parsed` and `parsedChanges` are set. */
  changes?: readonly WebhookChange[] | undefined;
  /** Its parse, when the batch that stored it made one (a large delivery's takes hundreds of milliseconds). */
  parsed?: ParsedDelivery | undefined;
  /** Each change's parse (a large body's, read off the loop), in the order of `changes`. */
  parsedChanges?: readonly ParsedDelivery[] | undefined;
}

export interface ParsedStored {
  delivery: StoredDelivery;
  parsed: ParsedDelivery;
  /** Its row was inserted in this transaction already marked (storeDeliveries' `settle`). */
  settled?: boolean;
}

export type Changes = AccountChanges & MirrorChanges & SignalChanges;

/** The locks a projection takes: its deliveries (by content, so copies racing on two instances meet), WABAs and phone numbers. */
export function lockKeysOf(hashes: readonly string[], parsed: readonly ParsedDelivery[]): string[] {
  return [
    ...hashes.map((h) => `delivery:${h}`),
    ...parsed.flatMap((p) => p.accountEvents.map((e) => `waba:${e.wabaId}`)),
    ...parsed.flatMap((p) => p.signalEvents.map((e) => `waba:${e.wabaId}`)),
    ...parsed.flatMap((p) => p.mirrorEvents.map((e) => `phone:${e.business.phoneNumberId}`)),
  ];
}

/**
 * Projects parsed deliveries inside the caller's transaction (which holds their locks) and marks
 * them PROCESSED. The caller has checked, in the same transaction, that none is PROCESSED yet.
 */
export async function projectInTransaction(tx: Tx, sql: Sql, ready: readonly ParsedStored[], memory?: IngestMemory): Promise<Changes> {
  const changes = await applyParsed(tx, sql, ready, memory);
  await markProjected(
    sql,
    ready.filter((r) => !r.settled),
  );
  return changes;
}

/** Writes what parsed deliveries say, in the caller's transaction, without marking them. */
export async function applyParsed(tx: Tx, sql: Sql, ready: readonly ParsedStored[], memory?: IngestMemory): Promise<Changes> {
  const account = await applyAccountEvents(
    tx,
    sql,
    ready.flatMap((r) => r.parsed.accountEvents.map((e) => ({ ...e, deliveryId: r.delivery.id }))),
  );
  const mirror = await applyMirrorEvents(
    tx,
    sql,
    ready.flatMap((r) => r.parsed.mirrorEvents),
    memory,
  );
  // After the mirror events (they upsert the phone numbers). Each error keeps the delivery that
  // carried it and, without an entry time, takes the delivery's stored receipt time (stable on replay).
  await applyPhoneNumberErrors(
    tx,
    ready.flatMap((r) =>
      r.parsed.mirrorEvents.flatMap((e) =>
        e.kind === "phoneNumberError" ? [{ ...e, deliveryId: r.delivery.id, occurredAt: e.occurredAt ?? r.delivery.receivedAt }] : [],
      ),
    ),
  );
  const signals = await applyAccountSignals(
    tx,
    sql,
    ready.flatMap((r) => r.parsed.signalEvents.map((e) => ({ ...e, deliveryId: r.delivery.id }))),
  );
  // Each may list WABAs (an account event's, a number's, a signal's): a WABA is listed once, by whichever came first.
  return { ...account, ...mirror, ...signals, wabasListed: [...account.wabasListed, ...mirror.wabasListed, ...signals.wabasListed] };
}

/** How a delivery projected now is marked: PROCESSED, or PARTIAL with the items that failed. */
export function settledAs(parsed: ParsedDelivery): Settled {
  return parsed.failedItems.length ? { status: "PARTIAL", failedItems: parsed.failedItems } : { status: "PROCESSED", failedItems: null };
}

/** Marks projected deliveries PROCESSED, or PARTIAL with the items that failed. */
export async function markProjected(sql: Sql, ready: readonly Pick<ParsedStored, "delivery" | "parsed">[]): Promise<void> {
  if (ready.length) {
    await sql.run(
      `UPDATE "WebhookDelivery" SET "status" = 'PROCESSED', "error" = NULL, "processedAt" = ${sql.placeholder.timestamp}, "attempts" = "attempts" + 1 WHERE "id" IN (${placeholders(ready.length)})`,
      [new Date(), ...ready.map((r) => r.delivery.id)],
    );
    // Deliveries with items that could not be read: the rest is applied, the failed items kept for replay.
    for (const r of ready) {
      if (r.parsed.failedItems.length === 0) continue;
      await sql.run(`UPDATE "WebhookDelivery" SET "status" = 'PARTIAL', "failedItems" = ${sql.placeholder.json} WHERE "id" = ?`, [
        JSON.stringify(r.parsed.failedItems),
        r.delivery.id,
      ]);
    }
  }
}

export function processedOutcome(parsed: ParsedDelivery): ProcessOutcome {
  return {
    outcome: parsed.failedItems.length ? "PARTIAL" : "PROCESSED",
    failedItems: parsed.failedItems.length,
    accountEvents: parsed.accountEvents.length,
    messages: parsed.mirrorEvents.filter((e) => e.kind === "message").length,
    signals: parsed.signalEvents.length,
    unhandledFields: parsed.unhandledFields,
  };
}

/** Publishes committed changes; never call it before the commit. */
export function publish(pubsub: HubPubSub, changes: Changes): void {
  for (const payload of changes.wabasListed) pubsub.publish("wabaListed", payload);
  for (const payload of changes.accountEvents) pubsub.publish("accountEvent", payload);
  for (const payload of changes.disconnections) pubsub.publish("disconnection", payload);
  for (const payload of changes.messages) pubsub.publish("message", payload);
  for (const payload of changes.historySyncs) pubsub.publish("historySync", payload);
  for (const payload of changes.accountSignals) pubsub.publish("accountSignal", payload);
  for (const payload of changes.templates) pubsub.publish("template", payload);
}

/**
 * A delivery with more events than this is projected in pieces of at most this many, each in its own
 * transaction, with the event loop free between them (projectInPieces.ts): one transaction is one
 * synchronous stretch on SQLite, and a 15,000-status delivery in one held every request for seconds.
 * Small enough that a piece is a few tens of milliseconds; large enough that the commits (one fsync
 * each) stay a small share of the work.
 */
export const PIECE_EVENTS = 500;

/** The events a parsed delivery applies: more than PIECE_EVENTS and it is projected in pieces. */
export function eventCount(parsed: ParsedDelivery): number {
  return parsed.accountEvents.length + parsed.mirrorEvents.length + parsed.signalEvents.length;
}

/** Long transactions are expected: a large history chunk is thousands of rows (Prisma's default is 5 s). */
export const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 30_000 } as const;

/** Mirror events written by plain SQL only (threadMirror.ts, historySync.ts): an identity change, say, is not. */
const PLAIN_SQL_KINDS: ReadonlySet<MirrorEvent["kind"]> = new Set([
  "message",
  "contact",
  "status",
  "edit",
  "revoke",
  "reaction",
  "historyChunk",
  "historyDeclined",
]);

/**
 * The transaction that projects `parsed`: on the driver adapter (storage's directTransaction, no
 * Prisma engine per transaction) when what it projects is written by plain SQL — messages,
 * contacts, the updates of stored messages and history chunks, the bulk of the traffic. Account
 * events and signals are written through Prisma's client, so such a projection goes to Prisma's
 * transaction at once; one that reaches for the client anyway (a message with a referral, an
 * update that was waiting for its message) is rolled back and runs again there (plainTransaction).
 */
export function projectionTransaction<T>(storage: Storage, parsed: readonly ParsedDelivery[], fn: (tx: Tx, sql: Sql) => Promise<T>): Promise<T> {
  return projectsByPlainSql(parsed) ? plainTransaction(storage, fn, TRANSACTION_OPTIONS) : storage.writeTransaction(fn, TRANSACTION_OPTIONS);
}

/** Whether everything `parsed` projects is written by plain SQL (see projectionTransaction). */
export function projectsByPlainSql(parsed: readonly ParsedDelivery[]): boolean {
  return parsed.every((p) => p.accountEvents.length === 0 && p.signalEvents.length === 0 && p.mirrorEvents.every((e) => PLAIN_SQL_KINDS.has(e.kind)));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
