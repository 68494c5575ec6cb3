import { describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.ts";
import { echo, partnerRemoved } from "../helpers/mirror.ts";
import { business, deliver, hubWithFake, key, messageWhen, now, send, threadOf, user } from "../helpers/sending.ts";

const RETRY = `mutation R($id: ID!) { retrySend(messageId: $id) { id wamid send { state reason attempts error { code } } } }`;
const template = { name: "order_update", language: "en" };

/** A template to a user the number knows (an echo names them), sent and settled as `state`. */
async function settledSend(app: TestApp, to: string, b: ReturnType<typeof business>, state: string) {
  await deliver(app, echo(b, `wamid.echo.${key()}`, to, now() - 60, "known"));
  const sent = (await send(app, { phoneNumberId: b.phoneNumberId, to, template })).data.sendMessage;
  const threadId = await threadOf(app, sent.id);
  await messageWhen(app, threadId, sent.id, (m) => m.send.state === state, state);
  return { id: sent.id as string, threadId };
}

describe("retrySend", () => {
  it("queues a FAILED send again under the same message, attempts from zero, and it is accepted", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    fake.fail(u, { code: 131026, times: 1 });
    const { id, threadId } = await settledSend(app, u, b, "FAILED");

    const res = await app.graphql(RETRY, { id });
    expect(res.errors).toBeUndefined();
    expect(res.data.retrySend).toMatchObject({ id, send: { state: "QUEUED", attempts: 0, reason: null, error: null } });
    const accepted = await messageWhen(app, threadId, id, (m) => m.send.state === "ACCEPTED", "ACCEPTED after the retry");
    expect(accepted.send.attempts).toBe(1);
    expect(fake.sends().filter((r) => r.body.to === u)).toHaveLength(2);
  });

  it("sends an UNKNOWN send again only when asked (Meta may have had it: the fake saw both)", async () => {
    const { app, fake } = await hubWithFake({}, 300);
    const b = business();
    const u = user();
    fake.slow(1_000);
    const { id, threadId } = await settledSend(app, u, b, "UNKNOWN");
    fake.slow(0);
    expect((await app.graphql(RETRY, { id })).errors).toBeUndefined();
    await messageWhen(app, threadId, id, (m) => m.send.state === "ACCEPTED", "ACCEPTED after the retry");
    expect(fake.sends().filter((r) => r.body.to === u)).toHaveLength(2);
  });

  it("refuses a send that is not FAILED or UNKNOWN with BAD_USER_INPUT", async () => {
    const { app } = await hubWithFake();
    const { id } = await settledSend(app, user(), business(), "ACCEPTED");
    const res = await app.graphql(RETRY, { id });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", state: "ACCEPTED" });
  });

  it("checks the gate again: a FAILED send of a number removed since is refused with CANNOT_SEND", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    fake.fail(u, { code: 131026, times: 1 });
    const { id } = await settledSend(app, u, b, "FAILED");
    await deliver(app, partnerRemoved(b.wabaId, now() - 10));
    const res = await app.graphql(RETRY, { id });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CANNOT_SEND", reason: "PARTNER_REMOVED" });
    expect(fake.sends()).toHaveLength(1);
  });
});
