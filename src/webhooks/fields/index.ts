import type { AccountEventInput } from "../../domain/accountEvents.ts";
import type { MirrorEvent } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { parseAccountUpdate } from "./accountUpdate.ts";
import { parseHistory } from "./history.ts";
import { parseMessages } from "./messages.ts";
import { parseSmbAppStateSync } from "./smbAppStateSync.ts";
import { parseSmbMessageEchoes } from "./smbMessageEchoes.ts";

/** What the changes of one delivery mean, field by field, ready for storage. */
export interface ParsedDelivery {
  accountEvents: AccountEventInput[];
  mirrorEvents: MirrorEvent[];
  /** Fields no parser knows: acknowledged and kept in the stored delivery, nothing projected. */
  unhandledFields: string[];
}

type FieldParser = (change: WebhookChange, receivedAt: Date, into: ParsedDelivery) => void;

const mirror =
  (parse: (change: WebhookChange, receivedAt: Date) => MirrorEvent[]): FieldParser =>
  (change, receivedAt, into) => {
    into.mirrorEvents.push(...parse(change, receivedAt));
  };

/** One parser per Meta webhook field. */
export const FIELD_PARSERS = {
  account_update: (change, receivedAt, into) => {
    into.accountEvents.push(...parseAccountUpdate(change, receivedAt));
  },
  messages: mirror(parseMessages),
  history: mirror(parseHistory),
  smb_message_echoes: mirror(parseSmbMessageEchoes),
  smb_app_state_sync: mirror(parseSmbAppStateSync),
} satisfies Record<string, FieldParser>;

export function parseChanges(changes: readonly WebhookChange[], receivedAt: Date): ParsedDelivery {
  const into: ParsedDelivery = { accountEvents: [], mirrorEvents: [], unhandledFields: [] };
  for (const change of changes) {
    const parser: FieldParser | undefined = Object.hasOwn(FIELD_PARSERS, change.field)
      ? (FIELD_PARSERS as Record<string, FieldParser>)[change.field]
      : undefined;
    if (parser) parser(change, receivedAt, into);
    else if (!into.unhandledFields.includes(change.field)) into.unhandledFields.push(change.field);
  }
  return into;
}
