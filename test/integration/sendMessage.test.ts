import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { eventually } from "../helpers/eventually.ts";
import { GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { accountUpdate, echo, inbound, partnerRemoved, statusOf } from "../helpers/mirror.ts";
import { business, deliver, HOUR, hubWithFake, key, messageWhen, now, send, SEND, threadOf, user } from "../helpers/sending.ts";
import { makeToken } from "../helpers/tokens.ts";

describe("sendMessage", () => {
  it("sends a reply inside the service window with `to`, and Meta's wamid and statuses then advance the message", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá, ainda têm o modelo azul?"));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Temos, sim ✓" });
    expect(res.errors).toBeUndefined();
    const sent = res.data.sendMessage;
    expect(sent).toMatchObject({ source: "API", direction: "OUTBOUND", type: "text", text: "Temos, sim ✓", send: { state: "QUEUED" } });
    expect(sent.wamid).toMatch(/^hub\./);

    const threadId = await threadOf(app, sent.id);
    // The message and its send are two rows, read by two queries: wait for both to show Meta's answer.
    const accepted = await messageWhen(app, threadId, sent.id, (m) => m.send.state === "ACCEPTED" && !m.wamid.startsWith("hub."), "ACCEPTED");
    const [request] = fake.sends();
    expect(fake.sends()).toHaveLength(1);
    expect(request!.phoneNumberId).toBe(b.phoneNumberId);
    expect(request!.authorization).toBe(`Bearer ${GRAPH_TOKEN}`);
    expect(request!.body).toEqual({ messaging_product: "whatsapp", recipient_type: "individual", to: u, type: "text", text: { body: "Temos, sim ✓" } });
    expect(accepted.wamid).toBe(request!.wamid);

    await deliver(app, statusOf(b, request!.wamid!, u, now(), "delivered"));
    await messageWhen(app, threadId, sent.id, (m) => m.status === "DELIVERED", "DELIVERED");
  });

  it("refuses a text outside the window with OUTSIDE_SERVICE_WINDOW and when it closed", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    const at = now() - 25 * HOUR;
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, at, "hello"));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "late" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "OUTSIDE_SERVICE_WINDOW", windowClosedAt: new Date((at + 24 * HOUR) * 1000).toISOString() });
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a template outside any window", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${key()}`, u, now() - 60, "number known"));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, template: { name: "order_update", language: "pt_BR" } });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () => fake.sends(),
      (s) => s.length === 1,
      "the template at the fake",
    );
    expect(fake.sends()[0]!.body).toMatchObject({ to: u, type: "template", template: { name: "order_update", language: { code: "pt_BR" } } });
  });

  it("addresses a user known only by a BSUID with `recipient`, never `to`", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await deliver(app, echo(b, `wamid.echo.${key()}`, user(), now() - 60, "number known"));
    const bsuid = `US.${randomBytes(8).readBigUInt64BE().toString()}`;
    const res = await send(app, { phoneNumberId: b.phoneNumberId, userId: bsuid, template: { name: "welcome", language: "en_US" } });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () => fake.sends(),
      (s) => s.length === 1,
      "the send at the fake",
    );
    const body = fake.sends()[0]!.body;
    expect(body.recipient).toBe(bsuid);
    expect(body).not.toHaveProperty("to");
  });

  it("holds a send while the WABA is OFFBOARDED and sends it after ACCOUNT_RECONNECTED", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "hi"));
    await deliver(app, accountUpdate(b.wabaId, now() - 30, { event: "ACCOUNT_OFFBOARDED" }));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "are you there?" });
    expect(res.errors).toBeUndefined();
    expect(res.data.sendMessage.send).toMatchObject({ state: "HELD", reason: "ACCOUNT_OFFBOARDED" });
    const threadId = await threadOf(app, res.data.sendMessage.id);

    await deliver(app, accountUpdate(b.wabaId, now() - 10, { event: "ACCOUNT_RECONNECTED" }));
    await messageWhen(app, threadId, res.data.sendMessage.id, (m) => m.send.state === "ACCEPTED", "ACCEPTED after the reconnection");
    expect(fake.sends()).toHaveLength(1);
  });

  it("refuses after PARTNER_REMOVED with CANNOT_SEND, the reason and the recommended action", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "hi"));
    await deliver(app, partnerRemoved(b.wabaId, now() - 30));
    const res = await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "hello?" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CANNOT_SEND", reason: "PARTNER_REMOVED", recommendedAction: "PROMPT_RECONNECT" });
    expect(fake.requests).toHaveLength(0);
  });

  it("returns the same message for the same idempotency key and posts it once", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "hi"));
    const input = { phoneNumberId: b.phoneNumberId, to: u, text: "once", idempotencyKey: "reply-42" };
    const [first, second] = await Promise.all([app.graphql(SEND, { input }), app.graphql(SEND, { input })]);
    expect(first.errors).toBeUndefined();
    expect(second.data.sendMessage.id).toBe(first.data.sendMessage.id);
    const threadId = await threadOf(app, first.data.sendMessage.id);
    await messageWhen(app, threadId, first.data.sendMessage.id, (m) => m.send.state === "ACCEPTED", "ACCEPTED");
    const third = await app.graphql(SEND, { input });
    expect(third.data.sendMessage).toMatchObject({ id: first.data.sendMessage.id, send: { state: "ACCEPTED" } });
    expect(fake.sends()).toHaveLength(1);
  });

  it("retries Meta's throughput error 130429 and stores a final 131026 without retrying", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const [retried, undeliverable] = [user(), user()];
    fake.fail(retried, { code: 130429, times: 2 });
    fake.fail(undeliverable, { code: 131026, times: 5 });
    await deliver(app, echo(b, `wamid.echo.${key()}`, retried, now() - 60, "known"));
    const template = { name: "reminder", language: "en" };
    const a = (await send(app, { phoneNumberId: b.phoneNumberId, to: retried, template })).data.sendMessage;
    const f = (await send(app, { phoneNumberId: b.phoneNumberId, to: undeliverable, template })).data.sendMessage;
    const done = await messageWhen(app, await threadOf(app, a.id), a.id, (m) => m.send.state === "ACCEPTED", "ACCEPTED after two 130429");
    expect(done.send.attempts).toBe(3);
    const failed = await messageWhen(app, await threadOf(app, f.id), f.id, (m) => m.send.state === "FAILED", "FAILED on 131026");
    expect(failed.send).toMatchObject({ attempts: 1, reason: "META_ERROR", error: { code: 131026 } });
    expect(fake.sends().filter((r) => r.body.to === undeliverable)).toHaveLength(1);
  });

  it("refuses a token without the send power with FORBIDDEN, and a hub without a Graph token with NOT_CONFIGURED", async () => {
    const { app } = await hubWithFake();
    const reader = await makeToken(app.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${reader}` },
      body: JSON.stringify({ query: SEND, variables: { input: { phoneNumberId: "1", to: "16505551234", text: "x", idempotencyKey: "k" } } }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe("FORBIDDEN");

    const unconfigured = await startApp();
    const refused = await send(unconfigured, { phoneNumberId: "1", to: "16505551234", text: "x" });
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_CONFIGURED");
  });

  it("refuses input naming two addressees with BAD_USER_INPUT", async () => {
    const { app } = await hubWithFake();
    const res = await send(app, { phoneNumberId: "1", to: "16505551234", userId: "US.1234", text: "x" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
