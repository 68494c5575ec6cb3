import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "pino";
import { bearerToken, judgeToken, type Authenticate } from "../auth.ts";
import type { ErrorCode } from "../errors.ts";
import type { Storage } from "../storage/db.ts";
import { hasPower } from "../tokens/principal.ts";
import type { WebhookObserver } from "../webhooks/route.ts";
import { sendError } from "../webhooks/route.ts";
import type { StreamBudget } from "./streamBudget.ts";

export const METRICS_PATH = "/metrics";

/**
 * The hub's Prometheus metrics (issue #23, docs/production.md "Metrics"). A registry per app, not
 * prom-client's global one, so that apps started side by side (the tests) count apart. Counters
 * are this instance's; the gauges read from the database (sends, projection lag) are the whole
 * hub's, so with several instances alert on them from one instance's series (or with max()).
 */
export interface HubMetrics {
  readonly webhook: WebhookObserver;
  /** A batch the ingest wrote in one transaction: how many deliveries it held (group commit at work, or not). */
  readonly batch: (deliveries: number) => void;
  /** GET /metrics: the text format, for a token with the admin power only. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createMetrics(deps: { storage: Storage; streams: StreamBudget; authenticate: Authenticate; log: Logger }): HubMetrics {
  const registry = new Registry();
  // Process and runtime: CPU, memory, handles, garbage collection and event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });

  const deliveries = new Counter({
    name: "hub_webhook_deliveries_total",
    help: "Deliveries stored, by field and outcome (PROCESSED, PARTIAL, FAILED, ALREADY_PROCESSED); a delivery of several fields counts once per field",
    labelNames: ["field", "outcome"],
    registers: [registry],
  });
  const refused = new Counter({
    name: "hub_webhook_refused_total",
    help: "Deliveries answered with an error, by code (SERVICE_UNAVAILABLE: the database could not store it)",
    labelNames: ["code"],
    registers: [registry],
  });
  const ingestSeconds = new Histogram({
    name: "hub_webhook_ingest_seconds",
    help: "From a delivery's body read to its answer: signature checked, stored and projected",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const batchSizes = new Histogram({
    name: "hub_ingest_batch_deliveries",
    help: "Deliveries written together in one ingest transaction (group commit): 1 when they arrive one by one",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [registry],
  });
  new Gauge({
    name: "hub_streams_open",
    help: "Long-lived streams open on this instance, by transport (sse, ws)",
    labelNames: ["transport"],
    registers: [registry],
    collect() {
      for (const [transport, n] of Object.entries(deps.streams.open().streams)) this.set({ transport }, n);
    },
  });
  new Gauge({
    name: "hub_subscriptions_open",
    help: "GraphQL subscriptions open on this instance, by transport (sse, ws)",
    labelNames: ["transport"],
    registers: [registry],
    collect() {
      for (const [transport, n] of Object.entries(deps.streams.open().subscriptions)) this.set({ transport }, n);
    },
  });
  new Gauge({
    name: "hub_deliveries_unprojected",
    help: "Deliveries stored but not yet projected (status RECEIVED), in the whole database",
    registers: [registry],
    async collect() {
      this.set(await deps.storage.prisma.webhookDelivery.count({ where: { status: "RECEIVED" } }));
    },
  });
  new Gauge({
    name: "hub_projection_lag_seconds",
    help: "Age of the oldest delivery stored but not yet projected (0: none waiting)",
    registers: [registry],
    async collect() {
      const oldest = await deps.storage.prisma.webhookDelivery.findFirst({
        where: { status: "RECEIVED" },
        orderBy: { receivedAt: "asc" },
        select: { receivedAt: true },
      });
      this.set(oldest ? Math.max(0, (Date.now() - oldest.receivedAt.getTime()) / 1000) : 0);
    },
  });
  const disconnections = new Gauge({
    name: "hub_disconnections_open",
    help: "Disconnections not resolved yet, by kind (ACCOUNT_OFFBOARDED, PARTNER_REMOVED, ...), in the whole database",
    labelNames: ["kind"],
    registers: [registry],
    async collect() {
      const rows = await deps.storage.prisma.disconnection.groupBy({ by: ["kind"], where: { resolvedAt: null }, _count: { _all: true } });
      disconnections.reset();
      for (const r of rows) this.set({ kind: r.kind }, r._count._all);
    },
  });
  const sends = new Gauge({
    name: "hub_sends",
    help: "Sends through the Cloud API by state (QUEUED, HELD, SENDING, ACCEPTED, FAILED, UNKNOWN), in the whole database",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const rows = await deps.storage.prisma.send.groupBy({ by: ["state"], _count: { _all: true } });
      sends.reset();
      for (const r of rows) this.set({ state: r.state }, r._count._all);
    },
  });

  return {
    batch: (deliveries) => batchSizes.observe(deliveries),
    webhook: {
      stored(fields, outcome, seconds) {
        for (const field of fields) deliveries.inc({ field, outcome });
        ingestSeconds.observe(seconds);
      },
      refused(code: ErrorCode) {
        refused.inc({ code });
      },
    },
    async serve(req, res) {
      if (req.method !== "GET") {
        res.setHeader("Allow", "GET");
        return sendError(res, "METHOD_NOT_ALLOWED", "method not allowed: use GET");
      }
      const verdict = await judgeToken(deps.authenticate, bearerToken(req.headers.authorization), deps.log);
      if ("refusal" in verdict) {
        if (verdict.refusal.code === "UNAUTHENTICATED") res.setHeader("WWW-Authenticate", "Bearer");
        return sendError(res, verdict.refusal.code, verdict.refusal.message);
      }
      // Counts across every WABA: an admin's view (docs/tokens.md).
      if (!hasPower(verdict.principal, "admin")) return sendError(res, "FORBIDDEN", "this token lacks the admin power (see docs/tokens.md)");
      const text = await registry.metrics();
      res.writeHead(200, { "Content-Type": registry.contentType });
      res.end(text);
    },
  };
}
