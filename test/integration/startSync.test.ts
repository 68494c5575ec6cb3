import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startApp, TEST_GRAPHQL, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { fakeGraph, GRAPH_TOKEN, type FakeGraph } from "../helpers/fakeGraph.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { accountUpdate, inbound, partnerAdded, type Business } from "../helpers/mirror.ts";
import { makeToken } from "../helpers/tokens.ts";

const SYNC_FIELDS = `phoneNumberId status onboardedAt deadlineAt deadlineMissed contactsRequestedAt historyRequestedAt
  contactsError { code message } historyError { code message }`;
const START = `mutation Start($p: String!, $kind: SyncKind!) { startSync(phoneNumberId: $p, kind: $kind) { ${SYNC_FIELDS} } }`;
const NUMBER = `query N($w: String!) { waba(wabaId: $w) { phoneNumbers { phoneNumberId historySync { ${SYNC_FIELDS} } } } }`;

const DAY_MS = 24 * 3600 * 1000;
const now = () => Math.floor(Date.now() / 1000);
let counter = 0;
/** A business of its own per test: its onboarding events are the WABA's. */
function business(): Business {
  counter++;
  const n = `${Date.now() % 1e6}${counter}`;
  return { wabaId: `7${n}`, phoneNumberId: `6${n}`, display: `+1 555 02${n.slice(-4)}` };
}
const digitsOf = (b: Business) => b.display.replace(/\D/g, "");

async function hubWithFake(): Promise<{ app: TestApp; fake: FakeGraph }> {
  const fake = await fakeGraph();
  const app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN }, graphql: { ...TEST_GRAPHQL, debugErrors: true } });
  return { app, fake };
}

async function deliver(app: TestApp, payload: unknown) {
  expect((await app.deliver(payload)).status).toBe(200);
}

/** Makes the hub know the number: one inbound message names it. */
async function known(app: TestApp, b: Business) {
  await deliver(app, inbound(b, `wamid.in.${randomBytes(6).toString("hex")}`, "16505551234", now() - 5, "Olá!"));
}

async function start(app: TestApp, b: Business, kind: "CONTACTS" | "HISTORY") {
  const res = await app.graphql(START, { p: b.phoneNumberId, kind });
  expect(res.errors).toBeUndefined();
  return res.data.startSync;
}

async function syncOf(app: TestApp, b: Business) {
  const res = await app.graphql(NUMBER, { w: b.wabaId });
  expect(res.errors).toBeUndefined();
  return res.data.waba.phoneNumbers.find((n: any) => n.phoneNumberId === b.phoneNumberId).historySync;
}

describe("the sync deadline", () => {
  it("is known for a number before any history webhook: its PARTNER_ADDED plus 24 hours", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const onboarded = now() - 3600;
    await deliver(app, partnerAdded(b.wabaId, onboarded));
    await known(app, b);
    expect(await syncOf(app, b)).toEqual({
      phoneNumberId: b.phoneNumberId,
      status: "NOT_STARTED",
      onboardedAt: new Date(onboarded * 1000).toISOString(),
      deadlineAt: new Date(onboarded * 1000 + DAY_MS).toISOString(),
      deadlineMissed: false,
      contactsRequestedAt: null,
      historyRequestedAt: null,
      contactsError: null,
      historyError: null,
    });
  });

  it("counts from a PARTNER_APP_INSTALLED that names the number, the latest onboarding event winning", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, partnerAdded(b.wabaId, now() - 5 * 86400));
    const installed = now() - 600;
    await deliver(app, accountUpdate(b.wabaId, installed, { event: "PARTNER_APP_INSTALLED", phone_number: digitsOf(b), waba_info: { waba_id: b.wabaId } }));
    await known(app, b);
    const sync = await syncOf(app, b);
    expect(sync.onboardedAt).toBe(new Date(installed * 1000).toISOString());
    expect(sync.deadlineMissed).toBe(false);
  });

  it("counts from the number's first webhook when no onboarding event arrived", async () => {
    const { app } = await hubWithFake();
    const b = business();
    const before = Date.now();
    await known(app, b);
    const after = Date.now();
    const sync = await syncOf(app, b);
    expect(Date.parse(sync.onboardedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(sync.onboardedAt)).toBeLessThanOrEqual(after);
    expect(Date.parse(sync.deadlineAt)).toBe(Date.parse(sync.onboardedAt) + DAY_MS);
  });

  it("is missed once 24 hours passed without both syncs requested", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, partnerAdded(b.wabaId, now() - 25 * 3600));
    await known(app, b);
    expect(await syncOf(app, b)).toMatchObject({ status: "NOT_STARTED", deadlineMissed: true });
  });
});

describe("startSync", () => {
  it("asks Meta for the contacts then the history (POST /{phone-number-id}/smb_app_data) and records when Meta accepted each", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await deliver(app, partnerAdded(b.wabaId, now() - 60));
    await known(app, b);
    const before = Date.now();
    const contacts = await start(app, b, "CONTACTS");
    expect(contacts).toMatchObject({ contactsError: null, historyRequestedAt: null, deadlineMissed: false });
    expect(Date.parse(contacts.contactsRequestedAt)).toBeGreaterThanOrEqual(before - 1000);
    const history = await start(app, b, "HISTORY");
    expect(history).toMatchObject({ contactsRequestedAt: contacts.contactsRequestedAt, contactsError: null, historyError: null });
    expect(history.historyRequestedAt).not.toBeNull();

    const requests = fake.requests.filter((r) => r.path === `/${b.phoneNumberId}/smb_app_data`);
    expect(requests.map((r) => r.body)).toEqual([
      { messaging_product: "whatsapp", sync_type: "smb_app_state_sync" },
      { messaging_product: "whatsapp", sync_type: "history" },
    ]);
    expect(requests.every((r) => r.method === "POST" && r.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true);
  });

  it("keeps Meta's 2593107 for a sync requested twice, beside the first acceptance, and it still counts as requested", async () => {
    const { app } = await hubWithFake();
    const b = business();
    await deliver(app, partnerAdded(b.wabaId, now() - 23 * 3600));
    await known(app, b);
    const first = await start(app, b, "CONTACTS");
    const again = await start(app, b, "CONTACTS");
    expect(again.contactsRequestedAt).toBe(first.contactsRequestedAt);
    expect(again.contactsError).toMatchObject({ code: 2593107 });
    expect(again.deadlineMissed).toBe(false);
  });

  it("records Meta's 2593108 for a sync past the window, and the deadline is then missed", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.accounts.closeSyncWindow(b.phoneNumberId);
    const late = await start(app, b, "HISTORY");
    expect(late).toMatchObject({ historyRequestedAt: null, historyError: { code: 2593108 }, deadlineMissed: true });
  });

  it("records a request Meta answered 500, and a later one Meta accepts clears the error", async () => {
    const { app, fake } = await hubWithFake();
    const b = business();
    await known(app, b);
    fake.failPath(`/${b.phoneNumberId}/smb_app_data`, { code: 1, status: 500, times: 1, message: "An unknown error occurred" });
    expect(await start(app, b, "CONTACTS")).toMatchObject({ contactsRequestedAt: null, contactsError: { code: 1, message: "An unknown error occurred" } });
    const retried = await start(app, b, "CONTACTS");
    expect(retried.contactsError).toBeNull();
    expect(retried.contactsRequestedAt).not.toBeNull();
  });

  it("refuses a number the hub does not know with BAD_USER_INPUT, calling nothing", async () => {
    const { app, fake } = await hubWithFake();
    const res = await app.graphql(START, { p: "999000111", kind: "CONTACTS" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(fake.requests).toEqual([]);
  });

  it("is NOT_CONFIGURED without a Graph API token", async () => {
    const app = await startApp();
    const b = business();
    await known(app, b);
    const res = await app.graphql(START, { p: b.phoneNumberId, kind: "CONTACTS" });
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_CONFIGURED");
  });

  it("needs the send power and a token that sees the number's WABA; another WABA's number is answered as unknown", async () => {
    const { app, fake } = await hubWithFake();
    const a = business();
    const other = business();
    await known(app, a);
    await known(app, other);
    const read = await makeToken(app.databaseUrl, { name: `read-${a.wabaId}`, wabaIds: [a.wabaId], scope: "read" });
    const send = await makeToken(app.databaseUrl, { name: `send-${a.wabaId}`, wabaIds: [a.wabaId], scope: "send" });
    const as = async (token: string, b: Business) => (await graphqlAnswer(app.url, START, { p: b.phoneNumberId, kind: "CONTACTS" }, { token })).body;
    expect((await as(read, a)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const theirs = await as(send, other);
    expect(theirs.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(theirs)).not.toContain(other.wabaId);
    expect(fake.requests).toEqual([]);
    expect((await as(send, a)).data?.startSync.contactsRequestedAt).not.toBeNull();
  });
});
