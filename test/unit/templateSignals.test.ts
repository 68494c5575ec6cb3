import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEnvelope } from "../../src/webhooks/envelope.ts";
import { parseChanges } from "../../src/webhooks/fields/index.ts";
import { projectTemplate, templateSendable, type TemplateEvent } from "../../src/domain/templates.ts";
import { isTemplateDetails } from "../../src/domain/accountSignals.ts";
import { fixture } from "../helpers/meta.ts";

const RECEIVED = new Date("2026-12-06T12:00:00Z");
const parse = (payload: unknown) => parseChanges(readEnvelope(payload), RECEIVED);
const unix = (s: number) => new Date(s * 1000);

describe("the template fields' parsers", () => {
  it("read Meta's approved status event: the template, its category, reason and the entry's time", () => {
    const { signalEvents, failedItems } = parse(fixture("message_template_status_update/approved"));
    expect(failedItems).toEqual([]);
    expect(signalEvents).toEqual([
      expect.objectContaining({
        wabaId: "102290129340398",
        subject: "template:1689556908129832",
        occurredAt: unix(1739321024),
        details: expect.objectContaining({
          field: "message_template_status_update",
          event: "APPROVED",
          reason: "NONE",
          category: "UTILITY",
          name: "order_confirmation",
        }),
      }),
    ]);
  });

  it("read a disabled template's disable date, an announced recategorisation's date and a quality change", () => {
    const [disabled] = parse(fixture("message_template_status_update/disabled")).signalEvents;
    expect(disabled!.details).toMatchObject({ event: "DISABLED", disableDate: unix(1751234563).toISOString() });
    const [announced] = parse(fixture("template_category_update/impending_marketing")).signalEvents;
    expect(announced!.details).toMatchObject({ correctCategory: "MARKETING", newCategory: "UTILITY", categoryUpdateAt: unix(1760711433).toISOString() });
    const [quality] = parse(fixture("message_template_quality_update/green_to_yellow")).signalEvents;
    expect(quality).toMatchObject({ subject: "template:806312974732579", details: { previousQuality: "GREEN", newQuality: "YELLOW" } });
  });

  it("keep the value exactly as Meta sent it, keys this version does not read included", () => {
    const payload = fixture("message_template_status_update/approved");
    payload.entry[0].changes[0].value.cta_url_link_tracking_opted_out = true;
    expect(parse(payload).signalEvents[0]!.raw).toEqual(payload.entry[0].changes[0].value);
  });

  it("give the same event the same id in two deliveries, and another id to another event", () => {
    const [a] = parse(fixture("message_template_status_update/approved")).signalEvents;
    const [b] = parse(fixture("message_template_status_update/approved")).signalEvents;
    const [c] = parse(fixture("message_template_status_update/paused_second_pause")).signalEvents;
    expect(a!.id).toBe(b!.id);
    expect(a!.id).not.toBe(c!.id);
  });

  it("refuse an event that names no template, or has no status, saying where", () => {
    const payload = fixture("message_template_status_update/approved");
    delete payload.entry[0].changes[0].value.message_template_id;
    delete payload.entry[0].changes[0].value.message_template_name;
    expect(parse(payload).failedItems[0]!.error).toMatch(/entry\[0\]\.changes\[0\] \(message_template_status_update\): expected message_template_id/);
    const noEvent = fixture("message_template_status_update/approved");
    delete noEvent.entry[0].changes[0].value.event;
    expect(parse(noEvent).failedItems[0]!.error).toMatch(/event/);
  });
});

describe("a template's fold", () => {
  const events = (): TemplateEvent[] =>
    [
      "message_template_status_update/approved",
      "message_template_status_update/paused_second_pause",
      "message_template_status_update/disabled",
      "template_category_update/impending_marketing",
      "template_category_update/completed_marketing",
      "message_template_quality_update/green_to_yellow",
    ].flatMap((name) =>
      parse(fixture(name)).signalEvents.flatMap((e) => (isTemplateDetails(e.details) ? [{ id: e.id, occurredAt: e.occurredAt, details: e.details }] : [])),
    );

  it("is the same whatever order the events are folded in, events stamped in the same second included", () => {
    const all = events();
    // Two events in one second: Meta's order cannot tell them apart, the fold still must.
    all.push({ ...all[0]!, id: "0".repeat(64), details: { ...all[0]!.details, field: "message_template_status_update", event: "FLAGGED" } as never });
    const expected = projectTemplate(all);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        expect(projectTemplate(order)).toEqual(expected);
      }),
    );
  });

  it("takes each fact from the latest event that carries it", () => {
    expect(projectTemplate(events())).toMatchObject({ status: "DISABLED", quality: "YELLOW", category: "MARKETING", pendingCategory: null });
  });
});

describe("whether a template can be sent", () => {
  it.each([
    ["APPROVED", true],
    ["REINSTATED", true],
    ["FLAGGED", true],
    [null, true],
    ["SOMETHING_NEW", true],
    ["PAUSED", false],
    ["DISABLED", false],
    ["REJECTED", false],
    ["PENDING", false],
    ["PENDING_DELETION", false],
  ])("%s → %s", (status, sendable) => {
    expect(templateSendable(status)).toBe(sendable);
  });
});
