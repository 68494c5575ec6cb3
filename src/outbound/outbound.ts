import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { enqueueSend, type SendRequest } from "./enqueue.ts";
import type { Tx } from "../storage/client.ts";
import { ratePerSecondOf } from "./facts.ts";
import { readReceiptBody } from "../domain/sendRequest.ts";
import { createGraphClient, type GraphAnswer } from "./graphClient.ts";
import type { GraphTokens } from "./graphTokens.ts";
import { recordSent, type RecordRequest } from "./record.ts";
import { retrySend } from "./retry.ts";
import type { QueueSettings } from "./settings.ts";
import { createTemplateCache, type TemplateCache } from "./templateCache.ts";
import { startSendWorker, type SendWorker } from "./worker.ts";

/** The hub's side of the Cloud API: accepting sends into the queue, and the worker that posts them. */
export interface Outbound {
  /** Whether a Graph API token is configured (without one, sendMessage refuses NOT_CONFIGURED). */
  readonly configured: boolean;
  /** Stores a send (see enqueueSend) and wakes the worker. */
  enqueue(request: SendRequest): Promise<string>;
  /** Stores a message another system sent through the Cloud API (see recordSent); calls nothing. */
  record(request: RecordRequest): Promise<string>;
  /** Queues a FAILED or UNKNOWN send again (see retrySend) and wakes the worker. */
  retry(messageId: string, mayUse: (wabaId: string) => boolean): Promise<void>;
  /**
   * Marks a user's message read (and shows the typing indicator): one direct POST, Meta's answer
   * returned as it came. Not queued: a receipt and an indicator are worth something only now (the
   * indicator lasts 25 s), and posting one twice does no harm (Meta marks the same messages read
   * again), so the queue's at-most-once bookkeeping buys nothing and a failure is the caller's to see.
   */
  markRead(phoneNumberId: string, wamid: string, typing: boolean): Promise<GraphAnswer>;
  /** The WABAs' templates listed from Meta (src/outbound/templateCache.ts); undefined without a Graph API token. */
  readonly templates: TemplateCache | undefined;
  /** The rate a number sends at now, messages per second (what the worker paces it by). */
  ratePerSecond(db: Tx, phoneNumberId: string): Promise<number>;
  /** Starts the worker (after migrations); nothing runs without a token. */
  start(): void;
  stop(): Promise<void>;
}

export function queueSettings(config: Pick<Config, "send" | "graph">): QueueSettings {
  const s = config.send;
  return {
    rates: { ratePerSecond: s.ratePerSecond, coexistenceRatePerSecond: s.coexistenceRatePerSecond },
    pair: { intervalMs: s.pairIntervalMs, burst: s.pairBurst },
    holdMaxMinutes: s.holdMaxMinutes,
    maxAttempts: s.maxAttempts,
    retryBaseMs: s.retryBaseMs,
    horizonMs: 1000,
    batch: 100,
    // Longer than any post can take (its timeout), so a live instance's SENDING is never taken for lost.
    leaseMs: config.graph.timeoutMs + 5_000,
    pollIntervalMs: s.pollIntervalMs,
    inFlightPerNumber: s.inFlightPerNumber,
    batchWindowMs: 20,
  };
}

export function createOutbound(
  storage: Storage,
  pubsub: HubPubSub,
  config: Pick<Config, "send" | "graph" | "templates">,
  log: Logger,
  tokens?: GraphTokens,
): Outbound {
  const token = config.graph.token;
  const settings = queueSettings(config);
  // A WABA's business token when onboardBusiness stored one, else GRAPH_API_TOKEN (src/outbound/graphTokens.ts).
  const graph = token === undefined ? undefined : createGraphClient({ ...config.graph, token: tokens ? (path) => tokens.tokenFor(path) : token });
  let worker: SendWorker | undefined;
  const templates = graph && createTemplateCache(storage, pubsub, graph, config.templates, log);
  return {
    configured: token !== undefined,
    templates,
    async enqueue(request) {
      const id = await enqueueSend(storage, pubsub, request);
      worker?.nudge();
      return id;
    },
    record: (request) => recordSent(storage, pubsub, request),
    async retry(messageId, mayUse) {
      await retrySend(storage, pubsub, messageId, mayUse);
      worker?.nudge();
    },
    ratePerSecond: (db, phoneNumberId) => ratePerSecondOf(db, phoneNumberId, settings.rates),
    async markRead(phoneNumberId, wamid, typing) {
      if (!graph) return { kind: "NOT_SENT", detail: "no GRAPH_API_TOKEN" };
      return graph.post(`${phoneNumberId}/messages`, readReceiptBody(wamid, typing));
    },
    start() {
      if (!graph || worker) return;
      worker = startSendWorker(storage, pubsub, graph, settings, log);
    },
    async stop() {
      await worker?.stop();
      worker = undefined;
      await templates?.settle();
    },
  };
}
