import { describe, expect, it } from "vitest";
import { inbound } from "../helpers/mirror.ts";
import { business, deliver, hubWithFake, key, now, user } from "../helpers/sending.ts";
import { makeToken } from "../helpers/tokens.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";

const MARK = `mutation Mark($phoneNumberId: String!, $wamid: String!, $typing: Boolean) { markRead(phoneNumberId: $phoneNumberId, wamid: $wamid, typing: $typing) }`;

describe("markRead", () => {
  it("posts Meta's read receipt for the user's message and answers true", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const wamid = `wamid.in.${key()}`;
    await deliver(app, inbound(b, wamid, user(), now() - 60, "Olá"));
    const res = await app.graphql(MARK, { phoneNumberId: b.phoneNumberId, wamid });
    expect(res).toEqual({ data: { markRead: true } });
    expect(fake.reads()).toHaveLength(1);
    expect(fake.reads()[0]).toMatchObject({ phoneNumberId: b.phoneNumberId, body: { messaging_product: "whatsapp", status: "read", message_id: wamid } });
    expect(fake.reads()[0]!.body).not.toHaveProperty("typing_indicator");
  });

  it("shows the typing indicator when asked", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const wamid = `wamid.in.${key()}`;
    await deliver(app, inbound(b, wamid, user(), now() - 60, "Olá"));
    expect((await app.graphql(MARK, { phoneNumberId: b.phoneNumberId, wamid, typing: true })).data.markRead).toBe(true);
    expect(fake.reads()[0]!.body).toEqual({ messaging_product: "whatsapp", status: "read", message_id: wamid, typing_indicator: { type: "text" } });
  });

  it("surfaces Meta's error as META_ERROR with Meta's code", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const wamid = `wamid.in.${key()}`;
    await deliver(app, inbound(b, wamid, user(), now() - 60, "Olá"));
    fake.fail(wamid, { code: 100, times: 1, message: "Invalid parameter" });
    const res = await app.graphql(MARK, { phoneNumberId: b.phoneNumberId, wamid });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "META_ERROR",
      metaCode: 100,
      metaError: { code: 100, message: "Invalid parameter", httpStatus: 400 },
    });
  });

  it("needs the send power and a number of the token's own WABAs", async () => {
    const { app, fake } = await hubWithFake();
    const [mine, theirs] = [business(), business()];
    for (const b of [mine, theirs]) await deliver(app, inbound(b, `wamid.in.${key()}`, user(), now() - 60, "Olá"));
    const reader = await makeToken(app.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });
    const sender = await makeToken(app.databaseUrl, { name: "sender", wabaIds: [mine.wabaId], scope: "send" });
    const mark = (token: string, phoneNumberId: string) => graphqlAnswer(app.url, MARK, { phoneNumberId, wamid: "wamid.x" }, { token });
    expect((await mark(reader, mine.phoneNumberId)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await mark(sender, theirs.phoneNumberId)).body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await mark(sender, mine.phoneNumberId)).body.data.markRead).toBe(true);
    expect(fake.reads().map((r) => r.phoneNumberId)).toEqual([mine.phoneNumberId]);
  });
});
