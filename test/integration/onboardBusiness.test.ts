import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { APP_SECRET, startApp, TEST_GRAPHQL, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { withDb } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { fakeGraph, GRAPH_TOKEN, type FakeGraph } from "../helpers/fakeGraph.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { partnerAdded } from "../helpers/mirror.ts";
import { makeToken } from "../helpers/tokens.ts";

const APP_ID = "1122334455";
const STEPS = `wabaId phoneNumberId steps { name state at error { code message } }`;
const ONBOARD = `mutation Onboard($w: String!, $p: String!, $code: String) { onboardBusiness(wabaId: $w, phoneNumberId: $p, code: $code) { ${STEPS} } }`;
const NUMBER = `query N($w: String!) { waba(wabaId: $w) { phoneNumbers { phoneNumberId onboarding { ${STEPS} }
  historySync { contactsRequestedAt historyRequestedAt contactsError { code } historyError { code } deadlineMissed } } } }`;

let counter = 0;
function business() {
  counter++;
  const n = `${Date.now() % 1e6}${counter}`;
  return { wabaId: `5${n}`, phoneNumberId: `4${n}` };
}

async function hubWithFake(onboarding: { key?: boolean; appId?: string } = {}): Promise<{ app: TestApp; fake: FakeGraph }> {
  const fake = await fakeGraph();
  const app = await startApp({
    graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN },
    graphql: { ...TEST_GRAPHQL, debugErrors: true },
    onboarding: { appId: onboarding.appId ?? APP_ID, tokenKey: onboarding.key === false ? undefined : randomBytes(32) },
  });
  return { app, fake };
}

async function onboard(app: TestApp, b: { wabaId: string; phoneNumberId: string }, code?: string) {
  const res = await app.graphql(ONBOARD, { w: b.wabaId, p: b.phoneNumberId, code });
  expect(res.errors).toBeUndefined();
  return res.data.onboardBusiness;
}

const states = (o: { steps: { name: string; state: string }[] }) => Object.fromEntries(o.steps.map((s) => [s.name, s.state]));
const pathsOf = (fake: FakeGraph) => fake.requests.map((r) => `${r.method} ${r.path}`);

describe("onboardBusiness", () => {
  it("exchanges the code, subscribes the app, then requests the contacts and the history, all with the business's token", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    // Meta announces the signup (the WABA is listed from it); the code reaches the hub from the provider's page.
    expect((await app.deliver(partnerAdded(b.wabaId, Math.floor(Date.now() / 1000) - 60))).status).toBe(200);
    const businessToken = `EAAB${randomBytes(16).toString("hex")}`;
    fake.accounts.signup("code-1", businessToken);
    const done = await onboard(app, b, "code-1");
    expect(done).toMatchObject({ wabaId: b.wabaId, phoneNumberId: b.phoneNumberId });
    expect(states(done)).toEqual({ EXCHANGE_CODE: "DONE", SUBSCRIBE_APP: "DONE", CONTACTS_SYNC: "DONE", HISTORY_SYNC: "DONE" });
    expect(done.steps.every((s: any) => s.at !== null && s.error === null)).toBe(true);

    expect(pathsOf(fake)).toEqual([
      "GET /oauth/access_token",
      `POST /${b.wabaId}/subscribed_apps`,
      `POST /${b.phoneNumberId}/smb_app_data`,
      `POST /${b.phoneNumberId}/smb_app_data`,
    ]);
    expect(fake.requests[0]!.body).toEqual({ client_id: APP_ID, client_secret: APP_SECRET, code: "code-1" });
    expect(fake.requests[0]!.authorization).toBeNull();
    expect(fake.requests.slice(1).every((r) => r.authorization === `Bearer ${businessToken}`)).toBe(true);
    expect(fake.accounts.synced(b.phoneNumberId)).toEqual(["smb_app_state_sync", "history"]);

    const number = (await app.graphql(NUMBER, { w: b.wabaId })).data.waba.phoneNumbers[0];
    expect(number.onboarding).toEqual(done);
    expect(number.historySync).toMatchObject({ contactsError: null, historyError: null, deadlineMissed: false });
    expect(number.historySync.contactsRequestedAt).not.toBeNull();
    expect(number.historySync.historyRequestedAt).not.toBeNull();
  });

  it("without a code, skips the exchange and calls Meta with GRAPH_API_TOKEN", async () => {
    const { app, fake } = await hubWithFake({ key: false });
    const b = business();
    const done = await onboard(app, b);
    expect(states(done)).toEqual({ EXCHANGE_CODE: "SKIPPED", SUBSCRIBE_APP: "DONE", CONTACTS_SYNC: "DONE", HISTORY_SYNC: "DONE" });
    expect(fake.requests.every((r) => r.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true);
  });

  it("records a failing step with Meta's error and stops there; called again, it runs only the steps not done", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    fake.accounts.signup("code-2", `EAAB${randomBytes(16).toString("hex")}`);
    fake.failPath(`/${b.wabaId}/subscribed_apps`, { code: 2, status: 500, times: 1, message: "Service temporarily unavailable" });
    const failed = await onboard(app, b, "code-2");
    expect(states(failed)).toEqual({ EXCHANGE_CODE: "DONE", SUBSCRIBE_APP: "FAILED", CONTACTS_SYNC: "PENDING", HISTORY_SYNC: "PENDING" });
    expect(failed.steps[1].error).toEqual({ code: 2, message: "Service temporarily unavailable" });
    expect(fake.requests.filter((r) => r.path.endsWith("/smb_app_data"))).toEqual([]);

    const retried = await onboard(app, b);
    expect(states(retried)).toEqual({ EXCHANGE_CODE: "DONE", SUBSCRIBE_APP: "DONE", CONTACTS_SYNC: "DONE", HISTORY_SYNC: "DONE" });
    expect(pathsOf(fake)).toEqual([
      "GET /oauth/access_token",
      `POST /${b.wabaId}/subscribed_apps`,
      `POST /${b.wabaId}/subscribed_apps`,
      `POST /${b.phoneNumberId}/smb_app_data`,
      `POST /${b.phoneNumberId}/smb_app_data`,
    ]);
    // A third call has nothing left to do.
    await onboard(app, b);
    expect(fake.requests).toHaveLength(5);
  });

  it("records a code Meta refuses as a failed exchange, stores no token and calls nothing after", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const failed = await onboard(app, b, "no-such-code");
    expect(states(failed)).toEqual({ EXCHANGE_CODE: "FAILED", SUBSCRIBE_APP: "PENDING", CONTACTS_SYNC: "PENDING", HISTORY_SYNC: "PENDING" });
    expect(failed.steps[0].error.code).toBe(100);
    expect(pathsOf(fake)).toEqual(["GET /oauth/access_token"]);
    expect(await withDb(app.databaseUrl, (db) => db.businessToken.count())).toBe(0);
  });

  it("lists the WABA's templates from Meta with its business token, another WABA's with GRAPH_API_TOKEN", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    const other = business();
    expect((await app.deliver(partnerAdded(b.wabaId, Math.floor(Date.now() / 1000) - 60))).status).toBe(200);
    expect((await app.deliver(partnerAdded(other.wabaId, Math.floor(Date.now() / 1000) - 60))).status).toBe(200);
    const businessToken = `EAAB${randomBytes(16).toString("hex")}`;
    fake.accounts.signup("code-templates", businessToken);
    await onboard(app, b, "code-templates");
    fake.templates.set(b.wabaId, [{ name: "hello_world", language: "en_US" }]);

    const refresh = (wabaId: string) => app.graphql(`mutation { refreshTemplates(wabaId: "${wabaId}") { name } }`);
    expect((await refresh(b.wabaId)).data.refreshTemplates).toEqual([{ name: "hello_world" }]);
    expect((await refresh(other.wabaId)).data.refreshTemplates).toEqual([]);

    expect(fake.listings().map((r) => [r.path, r.authorization])).toEqual([
      [`/${b.wabaId}/message_templates`, `Bearer ${businessToken}`],
      [`/${other.wabaId}/message_templates`, `Bearer ${GRAPH_TOKEN}`],
    ]);
  });

  it("keeps the business token encrypted in the database, never in a GraphQL answer, and the WABA's sends use it", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    expect((await app.deliver(partnerAdded(b.wabaId, Math.floor(Date.now() / 1000) - 60))).status).toBe(200);
    const businessToken = `EAAB${randomBytes(16).toString("hex")}`;
    fake.accounts.signup("code-3", businessToken);
    const done = await onboard(app, b, "code-3");
    expect(JSON.stringify(done)).not.toContain(businessToken);

    const rows = await withDb(app.databaseUrl, async (db) => ({
      tokens: await db.businessToken.findMany(),
      onboarding: await db.onboarding.findMany(),
      syncs: await db.syncRequest.findMany(),
    }));
    expect(rows.tokens).toHaveLength(1);
    expect(rows.tokens[0]!.sealed).toMatch(/^v1\./);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(businessToken);
    expect(dump).not.toContain(Buffer.from(businessToken).toString("base64"));
    expect(dump).not.toContain(Buffer.from(businessToken).toString("base64url"));

    const read = (await app.graphql(NUMBER, { w: b.wabaId })).data;
    expect(JSON.stringify(read)).not.toContain(businessToken);

    const sent = await app.graphql(
      `mutation { sendMessage(input: { phoneNumberId: "${b.phoneNumberId}", to: "16505550123", template: { name: "hello_world", language: "en_US" }, idempotencyKey: "k1" }) { id } }`,
    );
    expect(sent.errors).toBeUndefined();
    const [send] = await eventually(
      async () => fake.sends(),
      (s) => s.length > 0,
      "the template at the fake",
    );
    expect(send!.authorization).toBe(`Bearer ${businessToken}`);
  });

  it("refuses a code when no BUSINESS_TOKEN_KEY is set (NOT_CONFIGURED), before calling Meta", async () => {
    const { app, fake } = await hubWithFake({ key: false });
    const res = await app.graphql(ONBOARD, { w: "5100", p: "4100", code: "code-x" });
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_CONFIGURED");
    expect(res.errors?.[0]?.message).toContain("BUSINESS_TOKEN_KEY");
    expect(fake.requests).toEqual([]);
  });

  it("needs the admin power and a token whose scope names the WABA", async () => {
    const { app, fake } = await hubWithFake();
    const mine = business();
    const theirs = business();
    const send = await makeToken(app.databaseUrl, { name: `send-${mine.wabaId}`, wabaIds: [mine.wabaId], scope: "send" });
    const admin = await makeToken(app.databaseUrl, { name: `admin-${mine.wabaId}`, wabaIds: [mine.wabaId], scope: "admin" });
    const as = async (token: string, b: { wabaId: string; phoneNumberId: string }) =>
      (await graphqlAnswer(app.url, ONBOARD, { w: b.wabaId, p: b.phoneNumberId }, { token })).body;
    expect((await as(send, mine)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await as(admin, theirs)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(fake.requests).toEqual([]);
    expect(states((await as(admin, mine)).data!.onboardBusiness)).toMatchObject({ SUBSCRIBE_APP: "DONE" });
  });
});
