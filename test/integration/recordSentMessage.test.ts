import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { statusOf } from "../helpers/mirror.ts";
import { business, deliver, hubWithFake, key, messageWhen, now, threadOf, user } from "../helpers/sending.ts";
import { makeToken } from "../helpers/tokens.ts";

const RECORD = `mutation R($input: RecordSentMessageInput!) {
  recordSentMessage(input: $input) { id wamid source direction type text status timestamp send { state attempts idempotencyKey } }
}`;
const ORPHANS = `query O($p: String!) { orphanStatuses(phoneNumberId: $p, first: 10) { totalCount } }`;

const record = (app: TestApp, input: Record<string, unknown>) => app.graphql(RECORD, { input });
const orphans = async (app: TestApp, phoneNumberId: string) => (await app.graphql(ORPHANS, { p: phoneNumberId })).data.orphanStatuses.totalCount;

describe("recordSentMessage", () => {
  it("stores a message another system sent, without calling Meta, and its orphan statuses then advance it", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const u = user();
    const wamid = `wamid.other.${key()}`;
    const sentAt = now() - 30;
    await deliver(app, statusOf(b, wamid, u, sentAt + 1, "sent"));
    expect(await orphans(app, b.phoneNumberId)).toBe(1);

    const res = await record(app, {
      phoneNumberId: b.phoneNumberId,
      to: u,
      text: "Seu pedido saiu ✓",
      wamid,
      timestamp: new Date(sentAt * 1000).toISOString(),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordSentMessage).toMatchObject({
      wamid,
      source: "API",
      direction: "OUTBOUND",
      type: "text",
      text: "Seu pedido saiu ✓",
      status: "SENT",
      timestamp: new Date(sentAt * 1000).toISOString(),
      send: { state: "ACCEPTED", attempts: 0 },
    });
    expect(await orphans(app, b.phoneNumberId)).toBe(0);

    await deliver(app, statusOf(b, wamid, u, sentAt + 5, "delivered"));
    const id = res.data.recordSentMessage.id;
    await messageWhen(app, await threadOf(app, id), id, (m) => m.status === "DELIVERED", "DELIVERED after the record");
    expect(fake.requests).toEqual([]);
  });

  it("is idempotent on the wamid: recording it again returns the same message", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const u = user();
    const input = { phoneNumberId: b.phoneNumberId, to: u, template: { name: "order_update", language: "pt_BR" }, wamid: `wamid.other.${key()}` };
    await deliver(app, statusOf(b, input.wamid, u, now() - 5, "sent"));
    const [first, second] = await Promise.all([record(app, input), record(app, input)]);
    expect(first.errors).toBeUndefined();
    expect(second.data.recordSentMessage.id).toBe(first.data.recordSentMessage.id);
    const thread = await app.graphql(`query T($id: ID!) { thread(id: $id) { messages(first: 10) { edges { node { id } } } } }`, {
      id: await threadOf(app, first.data.recordSentMessage.id),
    });
    expect(thread.data.thread.messages.edges).toHaveLength(1);
  });

  it("needs the send power but no Graph API token", async () => {
    const app = await startApp();
    const b = business();
    const u = user();
    await deliver(app, statusOf(b, `wamid.other.${key()}`, u, now() - 5, "sent"));
    const input = { phoneNumberId: b.phoneNumberId, to: u, text: "hi", wamid: `wamid.other.${key()}` };
    const reader = await makeToken(app.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });
    const refused = await graphqlAnswer(app.url, RECORD, { input }, { token: reader });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const res = await record(app, input);
    expect(res.errors).toBeUndefined();
    expect(res.data.recordSentMessage.send.state).toBe("ACCEPTED");
  });

  it("refuses one of the hub's provisional ids as the wamid", async () => {
    const { app } = await hubWithFake();
    const res = await record(app, { phoneNumberId: "1", to: "16505551234", text: "x", wamid: "hub.0000" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
