// graphql-yoga's factory, not `new GraphQLError`: its masking recognises errors of its own graphql
// instance only, and under a loader that resolves graphql twice (ESM and CJS) the class differs.
import { hubError } from "../errors.ts";
import { replayDeliveries as replay } from "../ingest/replayDeliveries.ts";
import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import type { Selection } from "./selection.ts";

/** `replayDeliveries(ids)`: admin only, at most GRAPHQL_MAX_REPLAY_IDS ids, one transaction each. */
export async function replayDeliveries(args: { ids: readonly (string | number)[] }, ctx: Context) {
  // A delivery can carry several WABAs' changes: only tokens with the admin power may replay.
  requirePower(ctx.principal, "admin");
  const { ids } = args;
  if (ids.length === 0 || ids.length > ctx.limits.maxReplayIds) {
    throw hubError("BAD_USER_INPUT", `ids: expected 1 to ${ctx.limits.maxReplayIds} delivery ids, got ${ids.length}`);
  }
  return replay(ctx.storage, ctx.pubsub, ids.map(String));
}

/** `DeliveryReplay.delivery`: the delivery as the replay left it. */
export function replayedDelivery(query: Selection<"WebhookDelivery">, r: { id: string }, ctx: Context) {
  return ctx.db.webhookDelivery.findUnique({ ...query, where: { id: r.id } });
}
