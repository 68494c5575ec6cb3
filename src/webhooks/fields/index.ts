import type { AccountEventInput } from "../../domain/accountEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { parseAccountUpdate } from "./accountUpdate.ts";

/** What the changes of one delivery mean, field by field, ready for storage. */
export interface ParsedDelivery {
  accountEvents: AccountEventInput[];
  /** Fields no parser knows: acknowledged and kept in the stored delivery, nothing projected. */
  unhandledFields: string[];
}

type FieldParser = (change: WebhookChange, receivedAt: Date, into: ParsedDelivery) => void;

/** One parser per Meta webhook field. */
export const FIELD_PARSERS = {
  account_update: (change, receivedAt, into) => {
    into.accountEvents.push(...parseAccountUpdate(change, receivedAt));
  },
} satisfies Record<string, FieldParser>;

export function parseChanges(changes: readonly WebhookChange[], receivedAt: Date): ParsedDelivery {
  const into: ParsedDelivery = { accountEvents: [], unhandledFields: [] };
  for (const change of changes) {
    const parser: FieldParser | undefined = (FIELD_PARSERS as Record<string, FieldParser>)[change.field];
    if (parser) parser(change, receivedAt, into);
    else if (!into.unhandledFields.includes(change.field)) into.unhandledFields.push(change.field);
  }
  return into;
}
