import type { Db } from "../storage/db.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { WebhookChange } from "../webhooks/envelope.ts";
import { storeDeliveries, type IncomingDelivery } from "./deliveries.ts";
import { projectDeliveries, type ProcessOutcome } from "./projectDeliveries.ts";

export interface AcceptedDelivery extends IncomingDelivery {
  changes: readonly WebhookChange[];
}

export type IngestResult = ProcessOutcome & { deliveryId: string; duplicate: boolean };

interface Waiting {
  delivery: AcceptedDelivery;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for webhook deliveries: while one batch is being written, the deliveries that
 * arrive queue up and go together in the next one (one insert of raw rows, one projection
 * transaction). Under light load a batch is a single delivery, so nothing waits for a timer;
 * under heavy load the per-transaction cost is shared. Each caller still gets its own outcome.
 */
export class DeliveryBatcher {
  #queue: Waiting[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly pubsub: HubPubSub,
    private readonly maxBatch = 200,
  ) {}

  submit(delivery: AcceptedDelivery): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ delivery, resolve, reject });
      this.#kick();
    });
  }

  /** Resolves once everything submitted so far has been written. */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
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
    try {
      const stored = await storeDeliveries(this.db, batch.map((w) => w.delivery));
      const todo = new Map<string, { id: string; body: string; receivedAt: Date; changes: readonly WebhookChange[] }>();
      stored.forEach((s, i) => {
        if (s.status !== "PROCESSED" && !todo.has(s.id)) todo.set(s.id, { ...s, changes: batch[i]!.delivery.changes });
      });
      const outcomes = await projectDeliveries(this.db, this.pubsub, [...todo.values()]);
      // Each stored row reports its projection once; other copies of the same bytes were already handled.
      const reported = new Set<string>();
      stored.forEach((s, i) => {
        const outcome = (!reported.has(s.id) && outcomes.get(s.id)) || ({ outcome: "ALREADY_PROCESSED" } as const);
        reported.add(s.id);
        batch[i]!.resolve({ ...outcome, deliveryId: s.id, duplicate: s.duplicate });
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
