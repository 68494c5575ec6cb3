import { describe, expect, it } from "vitest";
import { projectsByPlainSql } from "../../src/ingest/projection.ts";
import { parseDelivery } from "../../src/webhooks/parseDelivery.ts";
import { fixture } from "../helpers/meta.ts";
import { generateHistory } from "../helpers/mirror.ts";

// Issue #22: Prisma's interactive transaction costs ~0.26 ms of CPU per transaction and its client
// a fixed amount per statement, so the bulk of the traffic (messages, statuses, history chunks) is
// projected on the driver's own transaction; what is written through Prisma's client goes to Prisma's.
const parsed = (name: string) => parseDelivery(JSON.stringify(fixture(name)), new Date("2026-12-07T00:00:00Z"));

describe("which transaction a projection takes", () => {
  it("an inbound text message: the driver's", () => {
    expect(projectsByPlainSql([parsed("messages/inbound_text")])).toBe(true);
  });

  it("a delivery of statuses: the driver's", () => {
    expect(projectsByPlainSql([parsed("messages/status_read"), parsed("messages/status_failed"), parsed("messages/status_sent_with_pricing_pmp")])).toBe(true);
  });

  it("a history chunk: the driver's", () => {
    expect(projectsByPlainSql([parsed("history/chunk_approved")])).toBe(true);
  });

  it("a large generated history chunk: the driver's", () => {
    const chunk = generateHistory(20, 100, 500).chunks.at(-1)!;
    const delivery = parseDelivery(JSON.stringify(chunk), new Date());
    expect(delivery.mirrorEvents.filter((e) => e.kind === "message").length).toBeGreaterThan(400);
    expect(projectsByPlainSql([delivery])).toBe(true);
  });

  it("a declined history sync: the driver's", () => {
    expect(projectsByPlainSql([parsed("history/declined")])).toBe(true);
  });

  it("an account update: Prisma's", () => {
    expect(projectsByPlainSql([parsed("account_update/account_offboarded")])).toBe(false);
  });

  it("a batch of messages with one account update among them: Prisma's, for all of it", () => {
    expect(projectsByPlainSql([parsed("messages/inbound_text"), parsed("account_update/account_offboarded"), parsed("history/chunk_approved")])).toBe(false);
  });
});
