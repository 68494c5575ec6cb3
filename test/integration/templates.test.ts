import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * Waba.templates from Meta's three template fields (fixtures from the "message_template_status_update",
 * "template_category_update" and "message_template_quality_update" webhook references; see
 * test/fixtures/README.md): signed webhook → stored event → GraphQL field → subscription.
 */
const WABA = "102290129340398";
const TEMPLATES = `query ($id: String!) {
  waba(wabaId: $id) {
    templates {
      templateId name language category status quality reason detail pendingCategory categoryChangesAt canSend updatedAt
      history { kind at status reason category previousCategory pendingCategory quality previousQuality raw }
    }
  }
}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

async function templatesOf(app: TestApp) {
  const res = await app.graphql(TEMPLATES, { id: WABA });
  expect(res.errors).toBeUndefined();
  return res.data.waba.templates;
}

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ outcome: "PROCESSED" });
}

/** A fixture with its entry time (and, for a status, its event) changed. */
function at(name: string, time: number, value: Record<string, unknown> = {}) {
  const payload = fixture(name);
  payload.entry[0].time = time;
  Object.assign(payload.entry[0].changes[0].value, value);
  return payload;
}

describe("Waba.templates", () => {
  it("shows an approved template with its category, Meta's reason and time, sendable, with the event in its history", async () => {
    const app = await startApp();
    await deliver(app, fixture("message_template_status_update/approved"));
    const [template] = await templatesOf(app);
    expect(template).toMatchObject({
      templateId: "1689556908129832",
      name: "order_confirmation",
      language: "en-US",
      category: "UTILITY",
      status: "APPROVED",
      quality: null,
      reason: "NONE",
      canSend: true,
      updatedAt: iso(1739321024),
    });
    expect(template.history).toEqual([
      expect.objectContaining({
        kind: "STATUS",
        at: iso(1739321024),
        status: "APPROVED",
        raw: fixture("message_template_status_update/approved").entry[0].changes[0].value,
      }),
    ]);
    await app.stop();
  });

  it("keeps the later status by Meta's time when the earlier one arrives last: paused, not sendable, with Meta's explanation", async () => {
    const app = await startApp();
    await deliver(app, fixture("message_template_status_update/paused_second_pause"));
    await deliver(app, fixture("message_template_status_update/approved"));
    const [template] = await templatesOf(app);
    expect(template).toMatchObject({
      status: "PAUSED",
      canSend: false,
      detail: expect.stringContaining("paused for 6 hours"),
      updatedAt: iso(1739362984),
    });
    expect(template.history.map((h: { status: string }) => h.status)).toEqual(["PAUSED", "APPROVED"]);
    await app.stop();
  });

  it("says why a template was rejected (rejection_info) and refuses it", async () => {
    const app = await startApp();
    await deliver(app, fixture("message_template_status_update/rejected_invalid_format"));
    const [template] = await templatesOf(app);
    expect(template).toMatchObject({
      name: "abandoned_cart",
      status: "REJECTED",
      reason: "INVALID_FORMAT",
      canSend: false,
      detail: "Variable parameters are next to each other. Add text between the variables {{1}} and {{2}}.",
    });
    await app.stop();
  });

  it("folds quality and category events into one template: an announced recategorisation, then the completed one", async () => {
    const app = await startApp();
    await deliver(app, fixture("template_category_update/impending_marketing"));
    await deliver(app, at("message_template_quality_update/green_to_yellow", 1760625100, { message_template_id: 278077987957091 }));
    let [template] = await templatesOf(app);
    expect(template).toMatchObject({
      name: "welcome_template",
      status: null,
      canSend: true,
      category: "UTILITY",
      pendingCategory: "MARKETING",
      categoryChangesAt: iso(1760711433),
      quality: "YELLOW",
    });
    await deliver(app, fixture("template_category_update/completed_marketing"));
    [template] = await templatesOf(app);
    expect(template).toMatchObject({ category: "MARKETING", pendingCategory: null, categoryChangesAt: null, quality: "YELLOW", updatedAt: iso(1760711433) });
    expect(template.history.map((h: { kind: string }) => h.kind)).toEqual(["CATEGORY", "QUALITY", "CATEGORY"]);
    expect(template.history[1]).toMatchObject({ quality: "YELLOW", previousQuality: "GREEN" });
    await app.stop();
  });

  it("keeps a status this version does not know as OTHER, with Meta's value in the change's raw; it does not refuse it", async () => {
    const app = await startApp();
    await deliver(app, at("message_template_status_update/approved", 1739400000, { event: "SOFT_DELETED_IN_2027" }));
    const [template] = await templatesOf(app);
    expect(template).toMatchObject({ status: "OTHER", canSend: true });
    expect(template.history[0].raw.event).toBe("SOFT_DELETED_IN_2027");
    await app.stop();
  });

  it("stores a repeated event once", async () => {
    const app = await startApp();
    const approved = fixture("message_template_status_update/approved");
    await deliver(app, approved);
    await deliver(app, { ...approved, entry: [...approved.entry, ...fixture("message_template_status_update/paused_second_pause").entry] });
    const [template] = await templatesOf(app);
    expect(template.history).toHaveLength(2);
    await app.stop();
  });
});

describe("the templates subscription", () => {
  it("announces each change that moves a template, once committed; a late older event that changes nothing is not announced", async () => {
    const app = await startApp();
    const events = await subscribe(wsClient(app.url), `subscription { templates(wabaId: "${WABA}") { name status canSend updatedAt } }`);
    await deliver(app, fixture("message_template_status_update/paused_second_pause"));
    await deliver(app, fixture("message_template_status_update/approved"));
    await deliver(app, at("message_template_status_update/approved", 1739400000, { event: "REINSTATED" }));
    expect((await events.next(2)).map((e) => e.templates)).toEqual([
      { name: "order_confirmation", status: "PAUSED", canSend: false, updatedAt: iso(1739362984) },
      { name: "order_confirmation", status: "REINSTATED", canSend: true, updatedAt: iso(1739400000) },
    ]);
    await app.stop();
  });

  it("sends nothing of another WABA", async () => {
    const app = await startApp();
    const events = await subscribe(wsClient(app.url), `subscription { templates(wabaId: "111") { name } }`);
    await deliver(app, fixture("message_template_status_update/approved"));
    const other = fixture("message_template_status_update/rejected_invalid_format");
    other.entry[0].id = "111";
    await deliver(app, other);
    expect((await events.next(1)).map((e) => e.templates.name)).toEqual(["abandoned_cart"]);
    await app.stop();
  });
});
