import { MAX_RATE_PER_SECOND, validRate } from "../domain/sendPace.ts";
import { setNumberRate } from "../outbound/facts.ts";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import type { Selection } from "./selection.ts";
import { refuse } from "./sendRefusal.ts";

/** `setSendRate`: a number's own pace (admin), read by every instance's queue at its next reservation. */
export async function setSendRate(query: Selection<"PhoneNumber">, args: { phoneNumberId: string; ratePerSecond?: number | null }, ctx: Context) {
  requirePower(ctx.principal, "admin");
  const rate = args.ratePerSecond ?? null;
  if (rate !== null && !validRate(rate)) refuse("BAD_USER_INPUT", `ratePerSecond: more than 0 and at most ${MAX_RATE_PER_SECOND} (Meta's most); got ${rate}`);
  const number = await ctx.db.phoneNumber.findUnique({ where: { phoneNumberId: args.phoneNumberId }, select: { wabaId: true } });
  if (!number || !canSeeWaba(ctx.principal, number.wabaId)) refuse("BAD_USER_INPUT", `no business number ${args.phoneNumberId} is known to this token`);
  await ctx.storage.writeTransaction((tx) => setNumberRate(tx, args.phoneNumberId, rate));
  return ctx.db.phoneNumber.findUniqueOrThrow({ ...query, where: { phoneNumberId: args.phoneNumberId } });
}
