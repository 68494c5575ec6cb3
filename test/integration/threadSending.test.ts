import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { inbound } from "../helpers/mirror.ts";
import { business, deliver, hubWithFake, key, now, user } from "../helpers/sending.ts";

/** What an inbox reads before an agent types: the thread's business number and whether it can send. */
const THREAD_NUMBER = `query T { threads(first: 1) { edges { node { id phoneNumber { phoneNumberId wabaId sending { canSend held reason } } } } } }`;

describe("a thread's business number", () => {
  it("is Thread.phoneNumber, with the number's sending state", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "Olá"));
    const res = await app.graphql(THREAD_NUMBER);
    expect(res.errors).toBeUndefined();
    expect(res.data.threads.edges[0].node.phoneNumber).toEqual({
      phoneNumberId: b.phoneNumberId,
      wabaId: b.wabaId,
      sending: { canSend: true, held: false, reason: null },
    });
  });

  it("cannot send, with the reason NOT_CONFIGURED, while the hub has no Graph API token", async () => {
    const app = await startApp();
    const b = business();
    await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "Olá"));
    const res = await app.graphql(THREAD_NUMBER);
    expect(res.errors).toBeUndefined();
    expect(res.data.threads.edges[0].node.phoneNumber.sending).toEqual({ canSend: false, held: false, reason: "NOT_CONFIGURED" });
  });
});
