import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { WebhookChange } from "../webhooks/envelope.ts";
import type { ParsedDelivery } from "../webhooks/fields/index.ts";
import type { AcceptedDelivery, SubmitDelivery } from "../webhooks/submit.ts";
import { contentHash } from "../webhooks/contentHash.ts";
import { storeDeliveries, type IncomingDelivery, type RecordedDelivery } from "./deliveries.ts";
import {
  PIECE_EVENTS,
  eventCount,
  errorText,
  lockKeysOf,
  processedOutcome,
  projectInTransaction,
  projectionTransaction,
  publish,
  settledAs,
  type ProcessOutcome,
  type StoredDelivery,
} from "./projection.ts";
import { projectDeliveries } from "./projectDeliveries.ts";
import { parseDelivery } from "../webhooks/parseDelivery.ts";
import { retryOnConflict } from "./retry.ts";
import { IngestMemory } from "./memory.ts";

export type IngestResult = ProcessOutcome & { deliveryId: string; duplicate: boolean };

interface Waiting {
  delivery: AcceptedDelivery;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

export interface Prepared {
  incoming: IncomingDelivery;
  changes: readonly WebhookChange[];
  parsed: ParsedDelivery | null;
  /** Each change's parse, when the route read the body off the loop (its changes then come without values). */
  perChange?: readonly ParsedDelivery[] | undefined;
}

/** A large delivery stored by a batch, to be projected in pieces after it (see #later). */
interface Later {
  later: StoredDelivery;
  duplicate: boolean;
}

/**
 * Group commit for webhook deliveries: while one batch is being written, the deliveries that
 * arrive queue up and go together in the next one — their raw rows and their projection in ONE
 * transaction, so one commit (one fsync) serves them all. Under light load a batch is a single
 * delivery and nothing waits for a timer. Each caller still gets its own outcome, and a delivery
 * whose projection fails is retried alone so it cannot fail the others.
 *
 * A large delivery (more than PIECE_EVENTS events) is stored with its batch but projected after it,
 * in pieces with the event loop free between them (projectInPieces.ts), one large delivery at a
 * time in a lane of its own: the batches behind it do not wait for it, and its caller is answered
 * once its last piece is committed.
 */
export class DeliveryBatcher implements SubmitDelivery {
  #queue: Waiting[] = [];
  #running: Promise<void> | null = null;
  /** The large deliveries being projected in pieces, one after the other. */
  #large: Promise<void> = Promise.resolve();
  #largeWaiting = 0;
  /** Participants seen committed, so a known user's message does not re-read them (memory.ts). */
  readonly #memory = new IngestMemory();

  constructor(
    private readonly storage: Storage,
    private readonly pubsub: HubPubSub,
    private readonly maxBatch = 200,
    /** Told each batch's size before it is written (the metrics' group-commit histogram). */
    private readonly onBatch: (deliveries: number) => void = () => {},
  ) {}

  submit(delivery: AcceptedDelivery): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ delivery, resolve, reject });
      this.#kick();
    });
  }

  /** Resolves once everything submitted so far has been written. */
  async drain(): Promise<void> {
    while (this.#running || this.#largeWaiting) await (this.#running ?? this.#large);
  }

  #kick(): void {
    if (this.#running || this.#queue.length === 0) return;
    // Start on the next turn of the event loop, after pending I/O: SQLite's driver is synchronous,
    // so a batch never yields to the network, and without this pause every request that arrived
    // meanwhile would still be unread and each batch would hold a single delivery.
    this.#running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#write(this.#queue.splice(0, this.maxBatch)))
      .finally(() => {
        this.#running = null;
        this.#kick();
      });
  }

  async #write(batch: Waiting[]): Promise<void> {
    this.onBatch(batch.length);
    const prepared = batch.map((w) => prepareDelivery(w.delivery));
    try {
      const results = await this.#together(prepared).catch(() => this.#oneByOne(prepared));
      batch.forEach((w, i) => {
        const result = results[i]!;
        if ("later" in result) this.#later(w, result);
        else w.resolve(result);
      });
      // Each delivery's row is final for now (projected, partial or failed): the deliveries page re-reads.
      // A large delivery projected in pieces is announced when its last piece is (#later).
      const announced = new Map(results.flatMap((r) => ("later" in r ? [] : [[r.deliveryId, r.outcome] as const])));
      for (const [id, outcome] of announced) this.pubsub.publish("delivery", { id, outcome });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  /** Projects a large stored delivery in its lane, then answers its caller. */
  #later(w: Waiting, { later, duplicate }: Later): void {
    this.#largeWaiting++;
    this.#large = this.#large
      .then(() => projectDeliveries(this.storage, this.pubsub, [later]))
      .then(
        (outcomes) => {
          const outcome = outcomes.get(later.id)!;
          w.resolve({ ...outcome, deliveryId: later.id, duplicate });
          this.pubsub.publish("delivery", { id: later.id, outcome: outcome.outcome });
        },
        (error: unknown) => w.reject(error),
      )
      .finally(() => this.#largeWaiting--);
  }

  /** The whole batch in one transaction: store raw rows, project, mark PROCESSED, commit, publish. */
  async #together(prepared: readonly Prepared[]): Promise<(IngestResult | Later)[]> {
    const parsedAll = prepared.flatMap((p) => (p.parsed ? [p.parsed] : []));
    const { stored, changes } = await retryOnConflict(() =>
      this.#memory.guarded(() =>
        projectionTransaction(this.storage, parsedAll, async (tx, sql) => {
          await lockKeys(
            sql,
            lockKeysOf(
              // The signed bytes: two instances handed two spellings of one delivery wait for each other.
              prepared.map((p) => p.incoming.signedHash),
              parsedAll,
            ),
          );
          // Read under the locks, so a row another instance projected meanwhile shows as PROCESSED here.
          // A new delivery projected below is inserted already marked: one write of its row, not two.
          const settle = new Map(prepared.flatMap((p) => (p.parsed && !large(p) ? [[p.incoming, settledAs(p.parsed)] as const] : [])));
          const stored = await storeDeliveries(
            sql,
            prepared.map((p) => p.incoming),
            (d) => settle.get(d) ?? null,
          );
          // A delivery stored before but not projected (RECEIVED, or FAILED on an earlier try) is projected again.
          const ready = unique(stored, prepared).flatMap(({ s, p }) =>
            s.status !== "PROCESSED" && p.parsed && !large(p) ? [{ delivery: s, parsed: p.parsed, settled: s.settled === true }] : [],
          );
          return { stored, changes: await projectInTransaction(tx, sql, ready, this.#memory) };
        }),
      ),
    );
    this.#memory.learn(changes.known);
    publish(this.pubsub, changes);
    return report(stored, prepared, (s, p) =>
      s.status === "PROCESSED"
        ? { outcome: "ALREADY_PROCESSED" }
        : large(p)
          ? { later: withParse(s, p) }
          : p.parsed
            ? processedOutcome(p.parsed)
            : failedOutcome(p),
    );
  }

  /** After the shared transaction failed: store on its own, then project each delivery alone. */
  async #oneByOne(prepared: readonly Prepared[]): Promise<(IngestResult | Later)[]> {
    const stored = await this.storage.directTransaction((_tx, sql) =>
      storeDeliveries(
        sql,
        prepared.map((p) => p.incoming),
      ),
    );
    const todo = unique(stored, prepared).filter(({ s, p }) => s.status !== "PROCESSED" && p.parsed && !large(p));
    const outcomes = await projectDeliveries(
      this.storage,
      this.pubsub,
      todo.map(({ s, p }) => withParse(s, p)),
    );
    return report(stored, prepared, (s, p) =>
      s.status === "PROCESSED" ? { outcome: "ALREADY_PROCESSED" } : large(p) ? { later: withParse(s, p) } : (outcomes.get(s.id) ?? failedOutcome(p)),
    );
  }
}

/** A delivery's own work before its batch's transaction: the fields' parse and both hashes (also run by the bench's hub-front target). */
export function prepareDelivery(d: AcceptedDelivery): Prepared {
  let parsed: ParsedDelivery | null = null;
  let error: string | undefined;
  // A large body comes parsed (the route read it off the loop, readOffLoop.ts).
  if (d.parsed && "error" in d.parsed) error = d.parsed.error;
  else if (d.parsed) parsed = d.parsed.whole;
  else {
    try {
      parsed = parseDelivery("", new Date(), d.changes);
    } catch (e) {
      error = errorText(e);
    }
  }
  return {
    incoming: {
      text: d.text,
      // A large body's come hashed from the parse thread.
      hash: d.hashes?.body ?? contentHash(d.body),
      signedHash: d.hashes?.signed ?? contentHash(d.signed),
      signature: d.signature,
      scheme: d.scheme,
      fields: d.fields,
      error,
    },
    changes: d.changes,
    parsed,
    perChange: d.parsed && !("error" in d.parsed) ? d.parsed.perChange : undefined,
  };
}

/** A stored delivery with what the route and prepareDelivery() read of it, for projectDeliveries. */
function withParse(s: RecordedDelivery, p: Prepared): StoredDelivery {
  return { ...s, changes: p.changes, parsed: p.parsed ?? undefined, parsedChanges: p.perChange };
}

/** Projected after its batch, in pieces (see #later). */
function large(p: Prepared): boolean {
  return p.parsed !== null && eventCount(p.parsed) > PIECE_EVENTS;
}

function failedOutcome(p: Prepared): ProcessOutcome {
  return { outcome: "FAILED", error: p.incoming.error ?? "unknown" };
}

/** Each stored row once, with the first delivery that carried it. */
function unique(stored: readonly RecordedDelivery[], prepared: readonly Prepared[]) {
  const seen = new Set<string>();
  return stored.flatMap((s, i) => (seen.has(s.id) ? [] : (seen.add(s.id), [{ s, p: prepared[i]! }])));
}

/** Each caller's outcome; a second copy of the same bytes in one batch was handled by the first. */
function report(
  stored: readonly RecordedDelivery[],
  prepared: readonly Prepared[],
  outcome: (s: RecordedDelivery, p: Prepared) => ProcessOutcome | Omit<Later, "duplicate">,
): (IngestResult | Later)[] {
  const reported = new Set<string>();
  return stored.map((s, i) => {
    const first = !reported.has(s.id);
    reported.add(s.id);
    const result = first ? outcome(s, prepared[i]!) : { outcome: "ALREADY_PROCESSED" as const };
    return "later" in result ? { ...result, duplicate: s.duplicate } : { ...result, deliveryId: s.id, duplicate: s.duplicate };
  });
}
