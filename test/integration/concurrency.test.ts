import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp, type TestApp } from "../helpers/app.ts";
import { PHONE_ID, accountUpdate, echoText, inboundText, status } from "../helpers/mirror.ts";

const W = "880001";
const USER = "5511955554444";

/** 50 deliveries for one WABA and one thread: lifecycle events, messages and statuses. */
function workload() {
  const list: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    list.push(accountUpdate(W, 1000 + i * 10, { event: "ACCOUNT_OFFBOARDED" }));
    list.push(accountUpdate(W, 1005 + i * 10, { event: "ACCOUNT_RECONNECTED" }));
  }
  list.push(accountUpdate(W, 2000, { event: "PARTNER_REMOVED", disconnection_info: { reason: "CHANGE_NUMBER", initiated_by: "SYSTEM" } }));
  for (let i = 0; i < 15; i++) list.push(inboundText(`wamid.c.in.${i}`, USER, 1_700_000_000 + i, `in ${i}`));
  list.push(echoText("wamid.c.out", USER, 1_700_000_100, "out"));
  for (const [t, s] of [
    [1, "sent"],
    [2, "delivered"],
    [3, "read"],
  ] as const)
    list.push(status("wamid.c.out", USER, 1_700_000_100 + t, s));
  while (list.length < 50) list.push(inboundText(`wamid.c.extra.${list.length}`, USER, 1_700_000_200 + list.length, "extra"));
  return list;
}

async function snapshot(app: TestApp) {
  const w = await app.graphql(
    `{ waba(wabaId: "${W}") { connectionState disconnections { kind reason resolvedAt } events(first: 100) { edges { node { event occurredAt } } } } }`,
  );
  const t = await app.graphql(
    `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${USER}") { lastMessage { wamid } messages(first: 100) { edges { node { wamid status } } } } }`,
  );
  const threads = await app.graphql(`{ threads { edges { node { waId } } } contacts { edges { node { waId } } } }`);
  return { waba: w.data.waba, thread: t.data.threadByParticipants, threads: threads.data };
}

describe(`concurrent deliveries to one WABA and one thread (${TEST_PROVIDER})`, () => {
  it("converge on the in-order result: no lost update, no duplicate row, no deadlock", async () => {
    const inOrder = await startApp();
    for (const d of workload()) expect((await inOrder.deliver(d)).status).toBe(200);
    const expected = await snapshot(inOrder);

    const concurrent = await startApp();
    const answers = await Promise.all(workload().map((d) => concurrent.deliver(d).then(async (r) => [r.status, (await r.json()).outcome])));
    const failed = await concurrent.graphql("{ webhookDeliveries(status: FAILED) { edges { node { error } } } }");
    expect(failed.data.webhookDeliveries.edges).toEqual([]);
    expect(answers.filter(([s, o]) => s !== 200 || o !== "PROCESSED")).toEqual([]);
    expect(await snapshot(concurrent)).toEqual(expected);
    expect(expected.thread.messages.edges).toHaveLength(15 + 1 + 10);
    expect(expected.thread.messages.edges.find((e: any) => e.node.wamid === "wamid.c.out").node.status).toBe("READ");
  });

  it("stores a delivery that arrives many times at once exactly once", async () => {
    const app = await startApp();
    const d = inboundText("wamid.same", USER, 1_700_000_000, "same");
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.deliver(d).then((r) => r.status)));
    expect(new Set(answers)).toEqual(new Set([200]));
    const t = await app.graphql(
      `{ webhookDeliveries { totalCount } threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${USER}") { messages { edges { node { wamid } } } } }`,
    );
    expect(t.data.webhookDeliveries.totalCount).toBe(1);
    expect(t.data.threadByParticipants.messages.edges).toHaveLength(1);
  });
});

describe(`a bad delivery among concurrent ones (${TEST_PROVIDER})`, () => {
  it("fails alone: the deliveries sharing its transaction are projected", async () => {
    const app = await startApp();
    const bad = inboundText("wamid.bad", USER, 1_700_000_500, "x");
    (bad.entry[0]!.changes[0]!.value as any).messages[0].text = { body: 42 };
    const crash = accountUpdate(W, 3000, { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: 7 } });
    const good = Array.from({ length: 30 }, (_, i) => inboundText(`wamid.good.${i}`, USER, 1_700_000_000 + i, `ok ${i}`));
    const answers = await Promise.all([...good.slice(0, 15), bad, crash, ...good.slice(15)].map(async (d) => (await (await app.deliver(d)).json()).outcome));
    // The bad message's delivery still applies its contact (PARTIAL); the bad account_update has nothing else (FAILED).
    expect(answers.filter((o) => o === "FAILED")).toHaveLength(1);
    expect(answers.filter((o) => o === "PARTIAL")).toHaveLength(1);
    expect(answers.filter((o) => o === "PROCESSED")).toHaveLength(30);
    const t = await app.graphql(
      `{ threadByParticipants(phoneNumberId: "${PHONE_ID}", waId: "${USER}") { messages(first: 100) { edges { node { wamid } } } } }`,
    );
    expect(t.data.threadByParticipants.messages.edges).toHaveLength(30);
  });
});
