import type { AccountEventInput } from "../../domain/accountEvents.ts";
import type { MirrorEvent } from "../../domain/mirrorEvents.ts";
import type { SignalEvent } from "../../domain/accountSignals.ts";
import type { WebhookChange } from "../envelope.ts";
import { changePath, type FailItem } from "./parse.ts";
import type { FailedItem } from "../../domain/deliveryStatus.ts";
import { parseAccountUpdate } from "./accountUpdate.ts";
import { parseHistory } from "./history.ts";
import { parseMessages } from "./messages.ts";
import { parseSmbAppStateSync } from "./smbAppStateSync.ts";
import { parseSmbMessageEchoes } from "./smbMessageEchoes.ts";
import { parseTemplateCategory, parseTemplateQuality, parseTemplateStatus } from "./templates.ts";
import { parseNumberName, parseNumberQuality, parseSecurity } from "./numberSignals.ts";
import { parseAlert, parseCapabilities } from "./wabaSignals.ts";
import { parseUserPreferences } from "./userPreferences.ts";

/** What the changes of one delivery mean, field by field, ready for storage. */
export interface ParsedDelivery {
  accountEvents: AccountEventInput[];
  mirrorEvents: MirrorEvent[];
  /** The operators' fields (templates, a number's quality, name and security, capabilities, alerts, user preferences). */
  signalEvents: SignalEvent[];
  /** Fields no parser knows: acknowledged and kept in the stored delivery, nothing projected. */
  unhandledFields: string[];
  /** Changes or items that could not be read: recorded on the delivery (PARTIAL), the rest applied. */
  failedItems: FailedItem[];
}

type FieldParser = (change: WebhookChange, receivedAt: Date, into: ParsedDelivery) => void;

const mirror =
  (parse: (change: WebhookChange, receivedAt: Date, fail: FailItem) => MirrorEvent[]): FieldParser =>
  (change, receivedAt, into) => {
    into.mirrorEvents.push(...parse(change, receivedAt, (item) => into.failedItems.push(item)));
  };

const signals =
  (parse: (change: WebhookChange, receivedAt: Date, fail: FailItem) => SignalEvent[]): FieldParser =>
  (change, receivedAt, into) => {
    into.signalEvents.push(...parse(change, receivedAt, (item) => into.failedItems.push(item)));
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
  message_template_status_update: signals(parseTemplateStatus),
  template_category_update: signals(parseTemplateCategory),
  message_template_quality_update: signals(parseTemplateQuality),
  phone_number_quality_update: signals(parseNumberQuality),
  phone_number_name_update: signals(parseNumberName),
  security: signals(parseSecurity),
  business_capability_update: signals(parseCapabilities),
  account_alerts: signals(parseAlert),
  user_preferences: signals(parseUserPreferences),
} satisfies Record<string, FieldParser>;

/** A parse with nothing in it yet. */
export function emptyParse(): ParsedDelivery {
  return { accountEvents: [], mirrorEvents: [], signalEvents: [], unhandledFields: [], failedItems: [] };
}

/** Every list of a parse, by name: code that takes a parse apart and puts it back (the parse thread) names none itself. */
export const PARSE_LISTS = Object.keys(emptyParse()) as readonly (keyof ParsedDelivery)[];

export function parseChanges(changes: readonly WebhookChange[], receivedAt: Date): ParsedDelivery {
  const into = emptyParse();
  for (const change of changes) {
    const parser: FieldParser | undefined = Object.hasOwn(FIELD_PARSERS, change.field)
      ? (FIELD_PARSERS as Record<string, FieldParser>)[change.field]
      : undefined;
    if (!parser) {
      if (!into.unhandledFields.includes(change.field)) into.unhandledFields.push(change.field);
      continue;
    }
    // Each change on its own: one that does not parse is recorded, the delivery's other changes still apply.
    const part = emptyParse();
    try {
      parser(change, receivedAt, part);
    } catch (error) {
      into.failedItems.push({ path: changePath(change), error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    into.accountEvents.push(...part.accountEvents);
    into.mirrorEvents.push(...part.mirrorEvents);
    into.signalEvents.push(...part.signalEvents);
    into.failedItems.push(...part.failedItems);
  }
  return into;
}

/** Nothing of the delivery could be read, though something was wrong: the delivery FAILED rather than PARTIAL. */
export function nothingParsed(parsed: ParsedDelivery): boolean {
  return parsed.failedItems.length > 0 && parsed.accountEvents.length === 0 && parsed.mirrorEvents.length === 0 && parsed.signalEvents.length === 0;
}
