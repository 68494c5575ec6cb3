import { z } from "zod";
import { digits } from "../../domain/phoneNumbers.ts";
import type { ContactInput, MirrorEvent } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { businessNumber, metadataSchema, parseAt, rawPhone, rawUnixSeconds, rawUserId, unixDate } from "./mirrorCommon.ts";
import { parseWith, readItem, type FailItem } from "./parse.ts";

// Entries are checked in two steps: every entry needs a `type`, but only contact entries are
// checked further, so a state type Meta adds later is skipped instead of failing the delivery.
const stateSyncValue = z.looseObject({
  metadata: metadataSchema,
  state_sync: z.array(z.looseObject({ type: z.string() })).optional(),
});

const contactEntrySchema = z.looseObject({
  contact: z
    .looseObject({
      // A contact saved by username may come with user_id only.
      phone_number: rawPhone.optional(),
      full_name: z.string().optional(),
      first_name: z.string().optional(),
      user_id: rawUserId.optional(),
    })
    .refine((c) => c.phone_number !== undefined || c.user_id !== undefined, {
      message: 'expected "phone_number" or "user_id"',
      path: ["phone_number"],
    }),
  action: z.string().min(1, "action must not be empty"),
  metadata: z.looseObject({ timestamp: rawUnixSeconds.optional() }).optional(),
});

/**
 * An `smb_app_state_sync` change → one ContactInput per contact entry, its action kept as Meta
 * spells it ("add", "remove", ...); entries of other types give nothing.
 */
export function parseSmbAppStateSync(change: WebhookChange, _receivedAt: Date, failItem?: FailItem): MirrorEvent[] {
  const value = parseWith(stateSyncValue, change);
  const business = businessNumber(change, value.metadata);
  return (value.state_sync ?? []).flatMap((item, index): ContactInput[] => {
    if (item.type.toLowerCase() !== "contact") return [];
    // Each entry on its own: one unreadable contact fails alone.
    return readItem(change, `state_sync[${index}]`, failItem, (): ContactInput[] => {
      const entry = parseAt(contactEntrySchema, item, change, ["state_sync", index]);
      const timestamp = entry.metadata?.timestamp;
      return [
        {
          kind: "contact",
          business,
          user: {
            waId: entry.contact.phone_number === undefined ? null : digits(entry.contact.phone_number),
            userId: entry.contact.user_id ?? null,
          },
          username: null,
          parentUserId: null,
          action: entry.action,
          profileName: null,
          fullName: entry.contact.full_name ?? null,
          firstName: entry.contact.first_name ?? null,
          timestamp: timestamp === undefined ? null : unixDate(timestamp),
        },
      ];
    });
  });
}
