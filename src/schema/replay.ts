import { builder } from "./builder.ts";
import { listBound } from "./listBounds.ts";
import { DeliveryStatusEnum } from "./delivery.ts";
import { deliveryStatusColumn } from "../storage/columns.ts";
import type { ReplayResult } from "../ingest/replayDeliveries.ts";
import { replayDeliveries, replayedDelivery } from "../resolvers/replay.ts";

const ReplayOutcomeEnum = builder.enumType("ReplayOutcome", {
  description:
    "PROCESSED: projected now. PARTIAL: projected except some items (see the delivery's failedItems). ALREADY_PROCESSED: it was, nothing done. FAILED: still fails (see error; kept for replay). MISSING: no delivery has the id.",
  values: ["PROCESSED", "PARTIAL", "ALREADY_PROCESSED", "FAILED", "MISSING"] as const,
});

const DeliveryReplay = builder.objectRef<ReplayResult>("DeliveryReplay").implement({
  description: "What replaying one stored delivery did.",
  fields: (t) => ({
    id: t.exposeID("id"),
    before: t.field({
      type: DeliveryStatusEnum,
      nullable: true,
      description: "The status before the replay (null when MISSING).",
      resolve: (r) => (r.before === null ? null : deliveryStatusColumn.read(r.before)),
    }),
    outcome: t.field({ type: ReplayOutcomeEnum, resolve: (r) => r.result.outcome }),
    error: t.string({ nullable: true, resolve: (r) => (r.result.outcome === "FAILED" ? r.result.error : null) }),
    delivery: t.prismaField({
      type: "WebhookDelivery",
      nullable: true,
      description: "The delivery as it is after the replay.",
      resolve: (query, r, _args, ctx) => replayedDelivery(query, r, ctx),
    }),
  }),
});

builder.mutationField("replayDeliveries", (t) =>
  t.field({
    type: [DeliveryReplay],
    description:
      "Projects stored deliveries again from the bytes the hub kept (as `hub replay` does), one transaction each, in the order given; subscribers see the changes. At most GRAPHQL_MAX_REPLAY_IDS ids. Needs a token with the admin power.",
    args: { ids: t.arg.idList({ required: true }) },
    // One result per id: the node limit counts as many as `ids` has.
    extensions: listBound({ lengthOf: "ids" }),
    resolve: (_root, args, ctx) => replayDeliveries(args, ctx),
  }),
);
