import { z } from "zod";
import { digits } from "../../domain/phoneNumbers.ts";
import type { MirrorEvent } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { messageEvent } from "./messageEvent.ts";
import { businessNumber, metadataSchema } from "./mirrorCommon.ts";
import { messageSchema } from "./messageObject.ts";
import { itemFailer, parseItems, parseWith, readItem, type FailItem } from "./parse.ts";

// An echo is the business's own message sent from the WhatsApp Business app (or a companion
// device): `to` or `to_user_id` is the user, one of them required, since it is the only way to
// know the thread.
const echoSchema = messageSchema.refine((echo) => echo.to !== undefined || echo.to_user_id !== undefined, {
  message: 'expected "to" or "to_user_id" (the recipient)',
  path: ["to"],
});

const echoesValue = z.looseObject({
  metadata: metadataSchema,
  // Each echo is checked on its own (parseItems): one unreadable echo fails alone.
  message_echoes: z.array(z.unknown()).optional(),
});

/**
 * An `smb_message_echoes` change → one outbound message (source ECHO) per echo, or an edit /
 * revoke of an earlier business message; the thread is digits(to), which may carry a leading "+".
 */
export function parseSmbMessageEchoes(change: WebhookChange, _receivedAt: Date, failItem?: FailItem): MirrorEvent[] {
  const value = parseWith(echoesValue, change);
  const business = businessNumber(change, value.metadata);
  return parseItems(echoSchema, value.message_echoes, change, "message_echoes", itemFailer(change, failItem)).flatMap(({ item: echo, index }) =>
    readItem(change, `message_echoes[${index}]`, failItem, () => [
      messageEvent(
        change,
        echo,
        {
          business,
          user: { waId: echo.to === undefined ? null : digits(echo.to), userId: echo.to_user_id ?? null },
          direction: "OUTBOUND",
          source: "ECHO",
        },
        `message_echoes.${index}`,
      ),
    ]),
  );
}
