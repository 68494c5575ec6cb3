/**
 * Parsing a fixture the way the webhook route does (envelope, then the parser of its field), and
 * reading the events that come out: for the per-field parser tests in test/unit/.
 */
import { expect } from "vitest";
import type { MirrorEvent } from "../../src/domain/mirrorEvents.ts";
import { readEnvelope, type WebhookChange } from "../../src/webhooks/envelope.ts";
import { parseHistory } from "../../src/webhooks/fields/history.ts";
import { parseMessages } from "../../src/webhooks/fields/messages.ts";
import { FieldParseError } from "../../src/webhooks/fields/parse.ts";
import { parseSmbAppStateSync } from "../../src/webhooks/fields/smbAppStateSync.ts";
import { parseSmbMessageEchoes } from "../../src/webhooks/fields/smbMessageEchoes.ts";

type Parser = (change: WebhookChange, receivedAt: Date) => MirrorEvent[];
type Kind = MirrorEvent["kind"];
type EventOf<K extends Kind> = Extract<MirrorEvent, { kind: K }>;

/** The thread-mirror fields, each with its parser. */
export const PARSERS: Record<string, Parser> = {
  messages: parseMessages,
  history: parseHistory,
  smb_message_echoes: parseSmbMessageEchoes,
  smb_app_state_sync: parseSmbAppStateSync,
};

export const RECEIVED_AT = new Date("2025-06-14T12:00:00Z");
/** The user of the fixtures. */
export const USER = "16505551234";
/** The business of the fixtures, as the parsers name it. */
export const FIXTURE_BUSINESS = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881", wabaId: "102290129340398" };

export function onlyChange(payload: unknown): WebhookChange {
  const changes = readEnvelope(payload);
  expect(changes).toHaveLength(1);
  return changes[0]!;
}

/** The events of a payload, parsed by the parser of its field. */
export function parse(payload: unknown): MirrorEvent[] {
  const change = onlyChange(payload);
  const parser = PARSERS[change.field];
  if (!parser) throw new Error(`no parser for field ${change.field}`);
  return parser(change, RECEIVED_AT);
}

export function ofKind<K extends Kind>(events: MirrorEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

export function only<K extends Kind>(events: MirrorEvent[], kind: K): EventOf<K> {
  const found = ofKind(events, kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The first change's value of a fixture, to change before parsing. */
export function valueOf(payload: Record<string, any>): Record<string, any> {
  return payload.entry[0].changes[0].value;
}

/** The message of the FieldParseError that parsing `payload` throws (fails if it throws none, or another error). */
export function parseError(payload: unknown): string {
  try {
    parse(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(FieldParseError);
    return (error as Error).message;
  }
  throw new Error("expected a FieldParseError");
}

export const unix = (seconds: number) => new Date(seconds * 1000);
