import { describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.ts";
import { eventually } from "../helpers/eventually.ts";
import { accountUpdate, echo, historyChunkOf, inbound, partnerRemoved } from "../helpers/mirror.ts";
import { business, deliver, HOUR, hubWithFake, key, now, send, threadOf, user } from "../helpers/sending.ts";

const WINDOW = `query W($id: ID!) { thread(id: $id) { serviceWindow { open expiresAt openedBy { id wamid } } } }`;
const SENDING = `query S($wabaId: String!) {
  waba(wabaId: $wabaId) { phoneNumbers { phoneNumberId sending { canSend held reason recommendedAction ratePerSecond queued } } }
}`;

async function windowOf(app: TestApp, threadId: string) {
  const res = await app.graphql(WINDOW, { id: threadId });
  expect(res.errors).toBeUndefined();
  return res.data.thread.serviceWindow;
}

async function sendingOf(app: TestApp, wabaId: string, phoneNumberId: string) {
  const res = await app.graphql(SENDING, { wabaId });
  expect(res.errors).toBeUndefined();
  return res.data.waba.phoneNumbers.find((n: any) => n.phoneNumberId === phoneNumberId).sending;
}

/** The thread of a user, found through a template sent to them (allowed whatever the window). */
async function threadWith(app: TestApp, phoneNumberId: string, to: string) {
  const res = await send(app, { phoneNumberId, to, template: { name: "hello", language: "en" } });
  expect(res.errors).toBeUndefined();
  return threadOf(app, res.data.sendMessage.id);
}

describe("Thread.serviceWindow", () => {
  it("is open for 24 hours from Meta's timestamp of the user's message, which it names", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    const at = now() - 60;
    const wamid = `wamid.in.${key()}`;
    await deliver(app, inbound(b, wamid, u, at, "Olá"));
    const w = await windowOf(app, await threadWith(app, b.phoneNumberId, u));
    expect(w).toMatchObject({ open: true, expiresAt: new Date((at + 24 * HOUR) * 1000).toISOString(), openedBy: { wamid } });
  });

  it("is closed, with the time it closed, a day after the user's last message", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    const at = now() - 25 * HOUR;
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, at, "hello"));
    const w = await windowOf(app, await threadWith(app, b.phoneNumberId, u));
    expect(w).toMatchObject({ open: false, expiresAt: new Date((at + 24 * HOUR) * 1000).toISOString() });
  });

  it("was never opened by an echo or a history message", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, echo(b, `wamid.echo.${key()}`, u, now() - 60, "from the app"));
    await deliver(app, historyChunkOf(b, 0, 1, 100, [{ wamid: `wamid.hist.${key()}`, user: u, outbound: false, at: now() - 120, body: "old" }]));
    const w = await windowOf(app, await threadWith(app, b.phoneNumberId, u));
    expect(w).toEqual({ open: false, expiresAt: null, openedBy: null });
  });
});

describe("PhoneNumber.sending", () => {
  it("can send at the default rate with nothing waiting", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "hi"));
    expect(await sendingOf(app, b.wabaId, b.phoneNumberId)).toEqual({
      canSend: true,
      held: false,
      reason: null,
      recommendedAction: null,
      ratePerSecond: 80,
      queued: 0,
    });
  });

  it("shows the coexistence rate once an echo named the number", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, echo(b, `wamid.echo.${key()}`, user(), now() - 60, "from the app"));
    expect((await sendingOf(app, b.wabaId, b.phoneNumberId)).ratePerSecond).toBe(20);
  });

  it("is held while the WABA is OFFBOARDED, counting the held sends as queued", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "hi"));
    await deliver(app, accountUpdate(b.wabaId, now() - 30, { event: "ACCOUNT_OFFBOARDED" }));
    expect((await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "one" })).data.sendMessage.send.state).toBe("HELD");
    expect((await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "two" })).data.sendMessage.send.state).toBe("HELD");
    expect(await sendingOf(app, b.wabaId, b.phoneNumberId)).toMatchObject({
      canSend: false,
      held: true,
      reason: "ACCOUNT_OFFBOARDED",
      recommendedAction: "PAUSE_AND_AWAIT_RECONNECT",
      queued: 2,
    });
  });

  it("asks to finish re-onboarding once the offboarding has stalled (unanswered 30 minutes after Meta's time of it)", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 3 * HOUR, "hi"));
    await deliver(app, accountUpdate(b.wabaId, now() - 2 * HOUR, { event: "ACCOUNT_OFFBOARDED" }));
    // Marked by the check its commit triggers, a moment after the 200.
    const sending = await eventually(
      () => sendingOf(app, b.wabaId, b.phoneNumberId),
      (s) => s.recommendedAction !== "PAUSE_AND_AWAIT_RECONNECT",
      "the stall",
    );
    expect(sending).toMatchObject({ canSend: false, held: true, reason: "ACCOUNT_OFFBOARDED", recommendedAction: "FINISH_REONBOARDING" });
  });

  it("cannot send after PARTNER_REMOVED, with the recommended action", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "hi"));
    await deliver(app, partnerRemoved(b.wabaId, now() - 30));
    expect(await sendingOf(app, b.wabaId, b.phoneNumberId)).toMatchObject({
      canSend: false,
      held: false,
      reason: "PARTNER_REMOVED",
      recommendedAction: "PROMPT_RECONNECT",
    });
  });
});
