import { z } from "zod";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import type { Selection } from "./selection.ts";
import { contentOf, messageFields, oneOfEach, optional, parseInput, targetOf } from "./sendInput.ts";
import { refusing } from "./sendRefusal.ts";

/** recordSentMessage's input: sendMessage's, with Meta's wamid (never one of the hub's provisional ones) and an optional time. */
const inputRecord = oneOfEach(
  z.object({
    ...messageFields,
    wamid: z
      .string()
      .trim()
      .min(1)
      .max(400)
      .refine((w) => !w.startsWith("hub."), "wamid: Meta's id of the message (hub.… ids are the hub's own provisional ones)"),
    timestamp: optional(z.date()),
  }),
);

/**
 * `recordSentMessage`: stores a message another system sent through the Cloud API (src/outbound/record.ts).
 * It calls nothing, so it needs the send power but not a Graph API token.
 */
export async function recordSentMessage(query: Selection<"Message">, input: unknown, ctx: Context) {
  requirePower(ctx.principal, "send");
  const i = parseInput(inputRecord, input);
  const messageId = await refusing(() =>
    ctx.outbound.record({
      requestedBy: ctx.principal.name,
      phoneNumberId: i.phoneNumberId,
      target: targetOf(i),
      content: contentOf(i),
      replyTo: i.replyTo,
      wamid: i.wamid,
      timestamp: i.timestamp,
      mayUse: (wabaId) => canSeeWaba(ctx.principal, wabaId),
    }),
  );
  return ctx.db.message.findUniqueOrThrow({ ...query, where: { id: messageId } });
}
