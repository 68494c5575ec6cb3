import { describe, expect, it } from "vitest";
import type { MessageStatus } from "../../src/domain/messageStatus.ts";
import { mergeBilling, type MessageBilling, type StatusBilling } from "../../src/domain/statusBilling.ts";
import { readEnvelope } from "../../src/webhooks/envelope.ts";
import { parseMessages } from "../../src/webhooks/fields/messages.ts";
import { fixture } from "../helpers/meta.ts";

const RECEIVED_AT = new Date("2026-11-29T12:00:00Z");

function parse(name: string) {
  const [change] = readEnvelope(fixture(name));
  return parseMessages(change!, RECEIVED_AT);
}

describe("messages parser: pricing, conversation and value.errors (Meta's 2026 shapes)", () => {
  it("a status's pricing and conversation become typed fields, the expiration as an ISO time", () => {
    const [status] = parse("messages/status_sent");
    expect(status).toMatchObject({
      kind: "status",
      pricing: { billable: true, model: "PMP", category: "service", type: "free_customer_service" },
      conversation: { id: "a75d17ad06104c51166f948319b03c6a", origin: "service", expiresAt: "2025-06-14T22:43:20.000Z" },
    });
  });

  it("a status under per-message pricing without a conversation has conversation null", () => {
    const [status] = parse("messages/status_sent_with_pricing_pmp");
    expect(status).toMatchObject({ kind: "status", pricing: { billable: true, model: "PMP", category: "utility", type: "regular" }, conversation: null });
  });

  it("value.errors become phone-number errors, without a time when the entry has none (the delivery's is used)", () => {
    expect(parse("messages/value_errors_130429")).toEqual([
      {
        kind: "phoneNumberError",
        business: { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881", wabaId: "102290129340398" },
        error: {
          code: 130429,
          title: "Rate limit hit",
          message: "Rate limit hit",
          details: "Message failed to send because there were too many messages sent from this phone number in a short period of time",
        },
        occurredAt: null,
      },
    ]);
  });

  it("value.errors of an entry with a time are at that time", () => {
    const payload = fixture("messages/value_errors_130429");
    payload.entry[0].time = 1764417600;
    const [change] = readEnvelope(payload);
    expect(parseMessages(change!, RECEIVED_AT)).toMatchObject([{ kind: "phoneNumberError", occurredAt: new Date(1764417600 * 1000) }]);
  });

  it("value.errors beside statuses: both are read", () => {
    expect(parse("messages/value_errors_131000_with_statuses").map((e) => e.kind)).toEqual(["status", "phoneNumberError"]);
  });
});

const status = (
  status: MessageStatus,
  second: number,
  pricing: Partial<NonNullable<StatusBilling["pricing"]>> | null,
  conversation: Partial<NonNullable<StatusBilling["conversation"]>> | null = null,
): StatusBilling => ({
  status,
  timestamp: new Date(Date.UTC(2026, 10, 29, 12, 0, second)),
  pricing: pricing && { billable: null, model: null, category: null, type: null, ...pricing },
  conversation: conversation && { id: null, origin: null, expiresAt: null, ...conversation },
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function fold(statuses: readonly StatusBilling[]): MessageBilling | null {
  let stored: MessageBilling | null = null;
  for (const s of statuses) stored = mergeBilling(stored, s) ?? stored;
  return stored;
}

describe("mergeBilling", () => {
  it("sent (with the conversation's expiration), delivered and read end the same in every arrival order", () => {
    const statuses = [
      status(
        "SENT",
        0,
        { billable: true, model: "PMP", category: "service", type: "free_customer_service" },
        { id: "c1", origin: "service", expiresAt: "2026-11-30T12:00:00.000Z" },
      ),
      status("DELIVERED", 2, { billable: true, model: "PMP", category: "service", type: "free_customer_service" }, { id: "c1", origin: "service" }),
      status("READ", 2, { model: "PMP", category: "service", type: "free_customer_service" }),
    ];
    const results = permutations(statuses).map(fold);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]).toEqual({
      pricing: { billable: true, model: "PMP", category: "service", type: "free_customer_service" },
      conversation: { id: "c1", origin: "service", expiresAt: "2026-11-30T12:00:00.000Z" },
      status: "READ",
      at: "2026-11-29T12:00:02.000Z",
    });
  });

  it("a status without pricing or conversation changes nothing", () => {
    const stored = fold([status("SENT", 0, { model: "PMP", category: "utility" })]);
    expect(mergeBilling(stored, status("READ", 5, null))).toBeNull();
  });

  it("the same status twice changes nothing the second time", () => {
    const sent = status("SENT", 0, { model: "PMP", category: "utility" });
    expect(mergeBilling(fold([sent]), sent)).toBeNull();
  });
});
