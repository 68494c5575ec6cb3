import { z } from "zod";
import type { SendRequest } from "../outbound/enqueue.ts";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import type { Selection } from "./selection.ts";
import { contentOf, id, messageFields, oneOfEach, parseInput, targetOf } from "./sendInput.ts";
import { refusing, requireSender } from "./sendRefusal.ts";

/** sendMessage's input: exactly one addressee and exactly one content (GraphQL cannot say "one of"). */
const inputRecord = oneOfEach(z.object({ ...messageFields, idempotencyKey: id }));

/**
 * `sendMessage`: checks the token and the input, stores the send (or refuses it, with a code the
 * client can act on), and returns the stored message as the client selected it.
 */
export async function sendMessage(query: Selection<"Message">, input: unknown, ctx: Context) {
  requireSender(ctx);
  const i = parseInput(inputRecord, input);
  const request: SendRequest = {
    requestedBy: ctx.principal.name,
    idempotencyKey: i.idempotencyKey,
    phoneNumberId: i.phoneNumberId,
    target: targetOf(i),
    content: contentOf(i),
    replyTo: i.replyTo,
    mayUse: (wabaId) => canSeeWaba(ctx.principal, wabaId),
  };
  const messageId = await refusing(() => ctx.outbound.enqueue(request));
  return ctx.db.message.findUniqueOrThrow({ ...query, where: { id: messageId } });
}
