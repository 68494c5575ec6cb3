import { z } from "zod";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { metaFailure } from "./metaFailure.ts";
import { refuse, requireSender } from "./sendRefusal.ts";

const args = z.object({
  phoneNumberId: z.string().trim().min(1).max(200),
  wamid: z.string().trim().min(1).max(400),
  typing: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});

/**
 * `markRead`: the user's message (and those before it) marked read, with the typing indicator when
 * asked; a direct call (src/outbound/outbound.ts says why it is not queued), Meta's error surfaced as it came.
 */
export async function markRead(input: { phoneNumberId: string; wamid: string; typing?: boolean | null }, ctx: Context): Promise<boolean> {
  requireSender(ctx);
  const parsed = args.safeParse(input);
  if (!parsed.success) refuse("BAD_USER_INPUT", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { phoneNumberId, wamid, typing } = parsed.data;
  const number = await ctx.db.phoneNumber.findUnique({ where: { phoneNumberId }, select: { wabaId: true } });
  if (!number || !canSeeWaba(ctx.principal, number.wabaId)) refuse("BAD_USER_INPUT", `no business number ${phoneNumberId} is known to this token`);
  const answer = await ctx.outbound.markRead(phoneNumberId, wamid, typing);
  if (answer.kind !== "OK") metaFailure(answer, "the read receipt");
  return true;
}
