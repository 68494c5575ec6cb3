import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { enqueueSend, type SendRequest } from "./enqueue.ts";
import { createGraphClient } from "./graphClient.ts";
import type { GraphTokens } from "./graphTokens.ts";
import type { QueueSettings } from "./settings.ts";
import { startSendWorker, type SendWorker } from "./worker.ts";

/** The hub's side of the Cloud API: accepting sends into the queue, and the worker that posts them. */
export interface Outbound {
  /** Whether a Graph API token is configured (without one, sendMessage refuses NOT_CONFIGURED). */
  readonly configured: boolean;
  /** Stores a send (see enqueueSend) and wakes the worker. */
  enqueue(request: SendRequest): Promise<string>;
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
  };
}

export function createOutbound(storage: Storage, pubsub: HubPubSub, config: Pick<Config, "send" | "graph">, log: Logger, tokens?: GraphTokens): Outbound {
  const token = config.graph.token;
  let worker: SendWorker | undefined;
  return {
    configured: token !== undefined,
    async enqueue(request) {
      const id = await enqueueSend(storage, pubsub, request);
      worker?.nudge();
      return id;
    },
    start() {
      if (!token || worker) return;
      // A WABA's business token when onboardBusiness stored one, else GRAPH_API_TOKEN (src/outbound/graphTokens.ts).
      const graph = createGraphClient({
        apiUrl: config.graph.apiUrl,
        token: tokens ? (path) => tokens.tokenFor(path) : token,
        timeoutMs: config.graph.timeoutMs,
      });
      worker = startSendWorker(storage, pubsub, graph, queueSettings(config), log);
    },
    async stop() {
      await worker?.stop();
      worker = undefined;
    },
  };
}
