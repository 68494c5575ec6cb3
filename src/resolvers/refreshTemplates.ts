import { hubError } from "../errors.ts";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { metaFailure } from "./metaFailure.ts";
import { requireSender } from "./sendRefusal.ts";
import type { Selection } from "./selection.ts";

/**
 * `refreshTemplates(wabaId)`: lists the WABA's templates from Meta now (src/outbound/templateCache.ts)
 * and answers them as stored. The send power, as every operation that calls Meta for a WABA on demand: a
 * read token's reads of Waba.templates list at most once per TEMPLATE_CACHE_MINUTES, so it cannot make the
 * hub spend the business's Graph API calls at will.
 */
export async function refreshTemplates(query: Selection<"MessageTemplate">, wabaId: string, ctx: Context, take: number) {
  requireSender(ctx);
  const cache = ctx.outbound.templates;
  const waba = await ctx.db.waba.findUnique({ where: { wabaId }, select: { wabaId: true } });
  // The same answer for an unknown WABA and another's: a scoped token learns nothing of the other.
  if (!cache || !waba || !canSeeWaba(ctx.principal, wabaId)) throw hubError("BAD_USER_INPUT", `wabaId: no WABA "${wabaId}" that this token can see`);
  const outcome = await cache.refresh(wabaId);
  if (outcome.kind !== "OK") metaFailure(outcome, "the template list");
  return ctx.db.messageTemplate.findMany({ ...query, where: { wabaId }, orderBy: [{ name: "asc" }, { language: "asc" }, { id: "asc" }], take });
}
