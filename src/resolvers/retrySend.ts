import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import type { Selection } from "./selection.ts";
import { refusing, requireSender } from "./sendRefusal.ts";

/** `retrySend`: a FAILED or UNKNOWN send queued again under the same message (src/outbound/retry.ts). */
export async function retrySend(query: Selection<"Message">, messageId: string, ctx: Context) {
  requireSender(ctx);
  await refusing(() => ctx.outbound.retry(messageId, (wabaId) => canSeeWaba(ctx.principal, wabaId)));
  return ctx.db.message.findUniqueOrThrow({ ...query, where: { id: messageId } });
}
