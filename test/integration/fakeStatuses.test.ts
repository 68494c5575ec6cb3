import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { echo, inbound } from "../helpers/mirror.ts";
import { business, deliver, hubWithStatuses, key, messageWhen, now, send, threadOf, user } from "../helpers/sending.ts";

describe("status webhooks from the fake Graph API", () => {
  it("advance a sent message through SENT, DELIVERED and READ, each a signed delivery the hub accepted", async () => {
    const { app, fake } = await hubWithStatuses();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    const sent = (await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Oi!" })).data.sendMessage;
    const read = await messageWhen(app, await threadOf(app, sent.id), sent.id, (m) => m.status === "READ", "READ from the fake's statuses");
    expect(read).toMatchObject({ wamid: fake.sends()[0]!.wamid, send: { state: "ACCEPTED" } });
    // Posted 50 ms apart, but answered in any order.
    expect(fake.posted.map((p) => `${p.status} ${p.result.accepted && p.result.outcome}`).sort()).toEqual([
      "delivered PROCESSED",
      "read PROCESSED",
      "sent PROCESSED",
    ]);
  });

  it("report a send Meta accepted and then could not deliver as FAILED, with Meta's 131047 on the message", async () => {
    const { app, fake } = await hubWithStatuses();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    fake.failLater(u, { code: 131047, afterMs: 300 });
    const sent = (await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Ainda aí?" })).data.sendMessage;

    const failed = await messageWhen(app, await threadOf(app, sent.id), sent.id, (m) => m.status === "FAILED", "FAILED from the fake's late status");

    expect(failed).toMatchObject({ wamid: fake.sends()[0]!.wamid, send: { state: "ACCEPTED" } });
    expect(failed.error).toEqual({
      code: 131047,
      title: "Re-engagement message",
      message: "Re-engagement message",
      details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    });
    expect(fake.posted.map((p) => p.status).sort()).toEqual(["failed", "sent"]);
  });

  it("fail only the sends told to: 131026 once, then the next send to that user is delivered", async () => {
    const { app, fake } = await hubWithStatuses();
    const b = business();
    const u = user();
    await deliver(app, inbound(b, `wamid.in.${key()}`, u, now() - 60, "Olá"));
    fake.failLater(u, { code: 131026, times: 1 });
    const first = (await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Primeira" })).data.sendMessage;
    const thread = await threadOf(app, first.id);
    const failed = await messageWhen(app, thread, first.id, (m) => m.status === "FAILED", "the first FAILED");
    expect(failed.error).toMatchObject({ code: 131026, title: "Message undeliverable" });

    const second = (await send(app, { phoneNumberId: b.phoneNumberId, to: u, text: "Segunda" })).data.sendMessage;
    await messageWhen(app, thread, second.id, (m) => m.status === "READ", "the second READ");
  });

  it("name a user known only by a BSUID by recipient_user_id, and advance the message all the same", async () => {
    const { app } = await hubWithStatuses();
    const b = business();
    await deliver(app, echo(b, `wamid.echo.${key()}`, user(), now() - 60, "number known"));
    const bsuid = `US.${randomBytes(8).readBigUInt64BE().toString()}`;
    const sent = (await send(app, { phoneNumberId: b.phoneNumberId, userId: bsuid, template: { name: "welcome", language: "en_US" } })).data.sendMessage;
    await messageWhen(app, await threadOf(app, sent.id), sent.id, (m) => m.status === "READ", "READ from the fake's statuses");
  });
});
