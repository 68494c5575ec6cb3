// graphql-yoga's factory, not `new GraphQLError`: its masking recognises errors of its own graphql
// instance only, and under a loader that resolves graphql twice (ESM and CJS) the class differs.
import { createGraphQLError } from "graphql-yoga";
import { builder } from "./builder.ts";
import { DeliveryStatusEnum, asDeliveryStatus } from "./delivery.ts";
import { replayDeliveries, type ReplayResult } from "../ingest/replayDeliveries.ts";
import { requirePower } from "./scope.ts";

const ReplayOutcomeEnum = builder.enumType("ReplayOutcome", {
  description:
    "PROCESSED: projected now. PARTIAL: projected except some items (see the delivery's failedItems). ALREADY_PROCESSED: it was, nothing done. FAILED: still fails (see error; kept for replay). MISSING: no delivery has the id.",
  values: ["PROCESSED", "PARTIAL", "ALREADY_PROCESSED", "FAILED", "MISSING"] as const,
});

const DeliveryReplay = builder.objectRef<ReplayResult>("DeliveryReplay").implement({
  description: "What replaying one stored delivery did.",
  fields: (t) => ({
    id: t.exposeID("id"),
    before: t.field({ type: DeliveryStatusEnum, nullable: true, description: "The status before the replay (null when MISSING).", resolve: (r) => asDeliveryStatus(r.before) }),
    outcome: t.field({ type: ReplayOutcomeEnum, resolve: (r) => r.result.outcome }),
    error: t.string({ nullable: true, resolve: (r) => (r.result.outcome === "FAILED" ? r.result.error : null) }),
    delivery: t.prismaField({
      type: "WebhookDelivery",
      nullable: true,
      description: "The delivery as it is after the replay.",
      resolve: (query, r, _args, ctx) => ctx.db.webhookDelivery.findUnique({ ...query, where: { id: r.id } }),
    }),
  }),
});

builder.mutationField("replayDeliveries", (t) =>
  t.field({
    type: [DeliveryReplay],
    description:
      "Projects stored deliveries again from the bytes the hub kept (as `hub replay` does), one transaction each, in the order given; subscribers see the changes. At most GRAPHQL_MAX_REPLAY_IDS ids. Needs a token with the admin power.",
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, { ids }, ctx) => {
      // A delivery can carry several WABAs' changes: only tokens with the admin power may replay.
      requirePower(ctx.principal, "admin");
      if (ids.length === 0 || ids.length > ctx.limits.maxReplayIds) {
        throw createGraphQLError(`ids: expected 1 to ${ctx.limits.maxReplayIds} delivery ids, got ${ids.length}`, { extensions: { code: "BAD_USER_INPUT" } });
      }
      return replayDeliveries(ctx.storage, ctx.pubsub, ids.map(String));
    },
  }),
);
