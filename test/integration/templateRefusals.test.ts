import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as signals from "../../src/cli/signalSamples.ts";
import { startApp, TEST_GRAPHQL, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { BUSINESS, echoText } from "../helpers/mirror.ts";

/**
 * sendMessage refuses what Meta's template webhooks say Meta would refuse, before anything is posted:
 * a template whose latest status cannot be sent, and a MARKETING template to a user who stopped
 * marketing messages (Meta's 131050). The fake Graph API's record shows nothing was posted.
 */
const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id send { state } } }`;
const SAMPLE = { wabaId: BUSINESS.wabaId, phoneNumberId: BUSINESS.phoneNumberId, displayNumber: BUSINESS.display };
const OFFER: signals.SampleTemplate = { templateId: 987654321, name: "weekly_offer", language: "pt_BR", category: "MARKETING" };
const USER = "5511988887777";
const now = () => Math.floor(Date.now() / 1000);

async function hub() {
  const fake = await fakeGraph();
  const app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN }, graphql: { ...TEST_GRAPHQL, debugErrors: true } });
  return { app, fake };
}

async function deliver(app: TestApp, payload: unknown) {
  expect((await app.deliver(payload)).status).toBe(200);
}

const sendOffer = (app: TestApp) =>
  app.graphql(SEND, {
    input: {
      idempotencyKey: randomBytes(8).toString("hex"),
      phoneNumberId: BUSINESS.phoneNumberId,
      to: USER,
      template: { name: OFFER.name, language: OFFER.language },
    },
  });

describe("sendMessage with a template", () => {
  it("refuses a template Meta paused, with its status and Meta's reason, and posts nothing", async () => {
    const { app, fake } = await hub();
    await deliver(app, echoText("wamid.tpl.1", USER, now() - 60, "number known"));
    await deliver(app, signals.templateStatus(SAMPLE, OFFER, "APPROVED", now() - 7200));
    await deliver(app, signals.templateStatus(SAMPLE, OFFER, "PAUSED", now() - 3600, "NONE"));
    const res = await sendOffer(app);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "TEMPLATE_NOT_SENDABLE", status: "PAUSED", reason: "NONE" });
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a marketing template to a user who stopped marketing messages, and sends it once a later resume arrives", async () => {
    const { app, fake } = await hub();
    await deliver(app, echoText("wamid.tpl.2", USER, now() - 60, "number known"));
    await deliver(app, signals.templateStatus(SAMPLE, OFFER, "APPROVED", now() - 7200));
    const stoppedAt = now() - 3600;
    await deliver(app, signals.marketingPreference(SAMPLE, USER, "stop", stoppedAt));
    const refused = await sendOffer(app);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "MARKETING_OPTED_OUT", stoppedAt: new Date(stoppedAt * 1000).toISOString() });
    expect(fake.requests).toHaveLength(0);

    await deliver(app, signals.marketingPreference(SAMPLE, USER, "resume", now() - 600));
    const sent = await sendOffer(app);
    expect(sent.errors).toBeUndefined();
    await eventually(
      async () => fake.sends(),
      (s) => s.length === 1,
      "the template at the fake",
    );
    expect(fake.sends()[0]!.body).toMatchObject({ to: USER, type: "template", template: { name: OFFER.name } });
  });

  it("sends a utility template to a user who stopped marketing messages", async () => {
    const { app, fake } = await hub();
    const receipt = { ...OFFER, templateId: 987654322, name: "order_receipt", category: "UTILITY" as const };
    await deliver(app, echoText("wamid.tpl.3", USER, now() - 60, "number known"));
    await deliver(app, signals.templateStatus(SAMPLE, receipt, "APPROVED", now() - 7200));
    await deliver(app, signals.marketingPreference(SAMPLE, USER, "stop", now() - 3600));
    const res = await app.graphql(SEND, {
      input: { idempotencyKey: "receipt-1", phoneNumberId: BUSINESS.phoneNumberId, to: USER, template: { name: receipt.name, language: receipt.language } },
    });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () => fake.sends(),
      (s) => s.length === 1,
      "the template at the fake",
    );
  });
});
