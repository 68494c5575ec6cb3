import { describe, expect, it } from "vitest";
import * as signals from "../../src/cli/signalSamples.ts";
import { eventually } from "../helpers/eventually.ts";
import { business, deliver, hubWithFake, now, send, user } from "../helpers/sending.ts";
import { ORDER_UPDATE, PROMO_IMAGE, REFRESH, WELCOME_PENDING, ageListing, known, templatesOf } from "../helpers/templates.ts";
import { echo } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * Waba.templates lists the WABA's templates from Meta (GET /{waba-id}/message_templates, every page)
 * into its cached MessageTemplate rows; refreshTemplates lists them again on demand. The fake Graph
 * API records each listing, so what reached "Meta" is seen, and nothing else is.
 */
const sample = (b: { wabaId: string; phoneNumberId: string; display: string }) => ({
  wabaId: b.wabaId,
  phoneNumberId: b.phoneNumberId,
  displayNumber: b.display,
});

describe("templates listed from Meta", () => {
  it("are read from every page on the first read, with their components and what a sender fills in", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.pageSize = 2;
    fake.templates.set(b.wabaId, [ORDER_UPDATE, PROMO_IMAGE, WELCOME_PENDING]);

    const waba = await templatesOf(app, b.wabaId);

    expect(waba.templates.map((t) => `${t.name} ${t.status}`)).toEqual(["order_update APPROVED", "promo_image APPROVED", "welcome_back PENDING"]);
    const [order, promo] = waba.templates;
    expect(order.components).toEqual(ORDER_UPDATE.components);
    expect(order.parameters).toEqual({ headerFormat: "TEXT", header: ["1"], body: ["1", "2", "3"], buttons: [] });
    expect(promo).toMatchObject({
      category: "MARKETING",
      quality: "GREEN",
      parameters: { headerFormat: "IMAGE", header: [], body: ["first_name"], buttons: [{ index: 0, kind: "URL", variables: ["1"] }] },
    });
    expect((await templatesOf(app, b.wabaId)).templatesListedAt).not.toBeNull();
    const listings = fake.listings();
    expect(listings.map((r) => r.path)).toEqual([`/${b.wabaId}/message_templates`, `/${b.wabaId}/message_templates`]);
    expect(new URL(listings[0]!.url, "http://x").searchParams.get("fields")).toBe("id,name,language,status,category,quality_score,components");
    expect(new URL(listings[1]!.url, "http://x").searchParams.get("after")).toBeTruthy();
    expect(listings[0]!.authorization).toBe("Bearer test-graph-token");
  });

  it("are answered from the cache within TEMPLATE_CACHE_MINUTES, without asking Meta again", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.set(b.wabaId, [ORDER_UPDATE]);
    await templatesOf(app, b.wabaId);
    fake.templates.set(b.wabaId, [{ ...ORDER_UPDATE, status: "PAUSED" }]);

    const again = await templatesOf(app, b.wabaId);

    expect(again.templates.map((t) => t.status)).toEqual(["APPROVED"]);
    expect(fake.listings()).toHaveLength(1);
  });

  it("once stale, are answered from the cache at once and refreshed in the background, subscribers told of the change", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.set(b.wabaId, [ORDER_UPDATE, PROMO_IMAGE]);
    await templatesOf(app, b.wabaId);
    fake.templates.set(b.wabaId, [{ ...ORDER_UPDATE, status: "PAUSED" }, PROMO_IMAGE]);
    await ageListing(app.databaseUrl, b.wabaId, 61);
    const events = await subscribe(wsClient(app.url), `subscription { templates(wabaId: "${b.wabaId}") { name status } }`);

    const stale = await templatesOf(app, b.wabaId);

    expect(stale.templates.map((t) => t.status)).toEqual(["APPROVED", "APPROVED"]);
    // The template the listing changed is announced once the listing is stored.
    expect((await events.next(1)).map((e) => e.templates)).toEqual([{ name: "order_update", status: "PAUSED" }]);
    expect((await templatesOf(app, b.wabaId)).templates.map((t) => t.status)).toEqual(["PAUSED", "APPROVED"]);
    expect(fake.listings()).toHaveLength(2);
  });

  it("are listed again at once by refreshTemplates", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.set(b.wabaId, [ORDER_UPDATE]);
    await templatesOf(app, b.wabaId);
    fake.templates.set(b.wabaId, [ORDER_UPDATE, PROMO_IMAGE]);

    const res = await app.graphql(REFRESH, { wabaId: b.wabaId });

    expect(res.errors).toBeUndefined();
    expect(res.data.refreshTemplates.map((t: any) => t.name)).toEqual(["order_update", "promo_image"]);
    expect(fake.listings()).toHaveLength(2);
  });

  it("store a template Meta's list names twice (the list moved while its pages were read) once, as named last", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.pageSize = 1;
    fake.templates.set(b.wabaId, [ORDER_UPDATE, { ...ORDER_UPDATE, status: "PAUSED" }]);

    const res = await app.graphql(REFRESH, { wabaId: b.wabaId });

    expect(res.errors).toBeUndefined();
    expect(res.data.refreshTemplates.map((t: any) => `${t.name} ${t.status}`)).toEqual(["order_update PAUSED"]);
  });

  it("surface Meta's refusal as META_ERROR with Meta's code: 100 for a WABA Meta does not know, 190 for a bad token", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.unknown(b.wabaId);
    const unknown = await app.graphql(REFRESH, { wabaId: b.wabaId });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: "META_ERROR", metaCode: 100 } });
    expect(unknown.errors?.[0]?.message).toMatch(/^Meta refused the template list: Unsupported get request/);

    const other = business();
    await known(app, other);
    fake.failPath(`/${other.wabaId}/message_templates`, { code: 190, times: 1, status: 401, message: "Error validating access token: Session has expired" });
    const expired = await app.graphql(REFRESH, { wabaId: other.wabaId });
    expect(expired.errors?.[0]).toMatchObject({ extensions: { code: "META_ERROR", metaCode: 190, metaError: { httpStatus: 401 } } });
  });

  it("are not asked of Meta again on every read after Meta refused a listing: the reads answer what the webhooks told", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.templates.unknown(b.wabaId);

    expect((await templatesOf(app, b.wabaId)).templates).toEqual([]);
    expect((await templatesOf(app, b.wabaId)).templatesListedAt).toBeNull();

    expect(fake.listings()).toHaveLength(1);
  });

  it("are refused for a WABA the hub does not know, before asking Meta", async () => {
    const { app, fake } = await hubWithFake();
    const res = await app.graphql(REFRESH, { wabaId: "404404404" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(fake.listings()).toHaveLength(0);
  });

  it("never overwrite a status Meta timed after the hub asked, and a late older status does not undo the listing", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    const offer: signals.SampleTemplate = { templateId: 7001, name: "weekly_offer", language: "pt_BR", category: "MARKETING" };
    const rejected: signals.SampleTemplate = { templateId: 7002, name: "old_offer", language: "pt_BR", category: "MARKETING" };
    // Meta paused it at a time after the listing below (a clock ahead, or a change while the list was being read).
    await deliver(app, signals.templateStatus(sample(b), offer, "PAUSED", now() + 120));
    fake.templates.set(b.wabaId, [
      { id: "7001", name: offer.name, language: offer.language, status: "APPROVED", category: "MARKETING" },
      { id: "7002", name: rejected.name, language: rejected.language, status: "APPROVED", category: "MARKETING" },
    ]);
    await app.graphql(REFRESH, { wabaId: b.wabaId });
    // A REJECTED of an hour ago, delivered late: older than the listing.
    await deliver(app, signals.templateStatus(sample(b), rejected, "REJECTED", now() - 3600, "INCORRECT_CATEGORY"));

    const { templates } = await templatesOf(app, b.wabaId);

    expect(templates.map((t) => `${t.name} ${t.status}`)).toEqual(["old_offer APPROVED", "weekly_offer PAUSED"]);
    expect(templates.every((t) => t.components !== null)).toBe(true);
  });

  it("are sent with the variables filled in as the components of sendMessage's template", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${Date.now()}`, u, now() - 3 * 86_400, "two days ago"));
    fake.templates.set(b.wabaId, [ORDER_UPDATE]);
    const [order] = (await templatesOf(app, b.wabaId)).templates;
    const components = [
      { type: "header", parameters: [{ type: "text", text: "#4521" }] },
      { type: "body", parameters: order.parameters.body.map((_: string, i: number) => ({ type: "text", text: ["Ana", "#4521", "10h"][i] })) },
    ];

    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, template: { name: order.name, language: order.language, components } });

    expect(res.errors).toBeUndefined();
    await eventually(
      async () => fake.sends(),
      (s) => s.length === 1,
      "the template posted",
    );
    expect(fake.sends()[0]!.body.template).toEqual({ name: "order_update", language: { code: "pt_BR" }, components });
  });
});
