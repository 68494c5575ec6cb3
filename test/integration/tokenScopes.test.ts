import { describe, expect, it } from "vitest";
import { buildClientSchema, getIntrospectionQuery, getNamedType, type IntrospectionQuery } from "graphql";
import * as samples from "../../src/cli/samples.ts";
import * as signals from "../../src/cli/signalSamples.ts";
import { API_TOKEN, TEST_GRAPHQL, startApp, TEST_GRAPH } from "../helpers/app.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { EnumValue, argumentList, everyField, reachableFields, selectedFields, type ArgumentValue } from "../helpers/schemaWalk.ts";
import { subscribe, wsClient, type Collector } from "../helpers/subscriptions.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { makeToken } from "../helpers/tokens.ts";

/**
 * Two businesses on one hub. A token for business A, sent through every root field and every
 * subscription of the schema with every field selected, must never bring back anything of B's.
 */
interface Business extends samples.SampleBusiness {
  user: string;
  profileName: string;
  text: string;
}
const A: Business = {
  wabaId: "310000000000001",
  phoneNumberId: "410000000000001",
  displayNumber: "15550000001",
  user: "5511900000001",
  profileName: "Alice Alpha",
  text: "hello from alpha",
};
const B: Business = {
  wabaId: "320000000000002",
  phoneNumberId: "420000000000002",
  displayNumber: "15550000002",
  user: "5511900000002",
  profileName: "Bruno Bravo",
  text: "bravo secret",
};
/** Strings that appear in B's data and nowhere in A's. */
const traces = (b: Business) => [b.wabaId, b.phoneNumberId, b.user, b.profileName, b.text, b.displayNumber];

// Limits raised so one operation can select the whole schema (every list counted by its cap, nested: billions of nodes).
// Sending is configured (against a fake Graph API), so sendMessage reaches its scope check.
const fake = await fakeGraph();
const app = await startApp({
  graphql: { ...TEST_GRAPHQL, maxDepth: 40, maxNodes: Number.MAX_SAFE_INTEGER, maxTokens: 100_000 },
  graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN },
  // Inactivity levels checked often, so a new number's first level is announced while a test waits for it.
  inactivity: { warnDays: 10, criticalDays: 12, disconnectDays: 14, checkIntervalMs: 100 },
});

// The schema as the server serves it (introspection), so the walk covers exactly what clients can ask.
const schema = buildClientSchema(
  (
    (await (
      await fetch(`${app.url}/graphql`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
        body: JSON.stringify({ query: getIntrospectionQuery() }),
      })
    ).json()) as { data: IntrospectionQuery }
  ).data,
);

let second = 1_760_000_000;
/** Everything that creates or changes data of a business: events for every root field and subscription. */
function activity(b: Business): samples.MetaPayload[] {
  const at = (second += 10);
  const wamid = (kind: string) => `wamid.${b.wabaId}.${kind}.${at}`;
  return [
    samples.accountOffboarded(b.wabaId, at),
    samples.accountReconnected(b.wabaId, at + 1),
    samples.inboundText(b, { wamid: wamid("in"), user: b.user, at, body: b.text, profileName: b.profileName }),
    samples.echoText(b, { wamid: wamid("echo"), user: b.user, at: at + 2, body: b.text }),
    samples.historyChunk(b, { phase: 0, chunkOrder: 1, progress: 100 }, [{ wamid: wamid("hist"), user: b.user, outbound: false, at: at - 5, body: b.text }]),
    // A status of a message the hub never sees (an orphan), and an error of the phone number.
    samples.outboundStatus(b, {
      wamid: wamid("api"),
      user: b.user,
      at,
      status: "sent",
      pricing: { pricing_model: "PMP", category: "utility", type: "regular" },
    }),
    samples.phoneNumberErrors(b, [{ code: 130429, title: "Rate limit hit", details: "too many messages in a short period of time" }]),
    // The operators' fields: a template, the number's quality, name and security, capabilities, an alert, a preference.
    signals.templateStatus(b, { templateId: Number(b.phoneNumberId), name: `${b.profileName}_offer`, language: "en", category: "MARKETING" }, "APPROVED", at),
    signals.templateQuality(
      b,
      { templateId: Number(b.phoneNumberId), name: `${b.profileName}_offer`, language: "en", category: "MARKETING" },
      "GREEN",
      "YELLOW",
      at,
    ),
    signals.numberQuality(b, "THROUGHPUT_UPGRADE", "TIER_2K", at),
    signals.numberName(b, "APPROVED", b.profileName, at),
    signals.securityEvent(b, "PIN_RESET_REQUEST", at, b.phoneNumberId),
    signals.capabilities(b.wabaId, 2000, 25, at),
    signals.accountAlert(
      b.wabaId,
      { entityType: "PHONE_NUMBER", entityId: b.phoneNumberId, severity: "WARNING", status: "ACTIVE", type: "PROFILE_PICTURE_LOST", description: b.text },
      at,
    ),
    signals.marketingPreference(b, b.user, "stop", at),
  ];
}
async function deliverActivity(b: Business) {
  for (const payload of activity(b)) expect((await app.deliver(payload)).status).toBe(200);
}
await deliverActivity(A);
await deliverActivity(B);

const readA = await makeToken(app.databaseUrl, { name: "inbox-a", wabaIds: [A.wabaId], scope: "read" });
const adminA = await makeToken(app.databaseUrl, { name: "admin-a", wabaIds: [A.wabaId], scope: "admin" });

const graphql = (token: string, query: string) => graphqlAnswer(app.url, query, undefined, { token });

// The ids of B's rows, read with the full-access token: a by-id field is tried with B's own id.
const threadOf = async (b: Business) =>
  (await graphql(API_TOKEN, `{ threadByParticipants(phoneNumberId: "${b.phoneNumberId}", waId: "${b.user}") { id } }`)).body.data.threadByParticipants
    .id as string;
const threadIds = { [A.wabaId]: await threadOf(A), [B.wabaId]: await threadOf(B) };

type Args = (b: Business) => Record<string, ArgumentValue>;
/** Per root field: the argument sets to try, each aimed at one business (A to show the query brings data, B to show it brings none). */
const QUERY_CASES: Record<string, Args[]> = {
  waba: [(b) => ({ wabaId: b.wabaId })],
  wabas: [() => ({ first: 50 }), () => ({ first: 50, state: new EnumValue("CONNECTED") })],
  threads: [
    () => ({ first: 50 }),
    (b) => ({ first: 50, wabaId: b.wabaId }),
    (b) => ({ first: 50, phoneNumberId: b.phoneNumberId }),
    (b) => ({ first: 50, search: b.profileName }),
    (b) => ({ first: 50, search: b.user }),
  ],
  thread: [(b) => ({ id: threadIds[b.wabaId]! })],
  threadByParticipants: [(b) => ({ phoneNumberId: b.phoneNumberId, waId: b.user })],
  contacts: [() => ({ first: 50 }), (b) => ({ first: 50, phoneNumberId: b.phoneNumberId })],
  historySync: [(b) => ({ phoneNumberId: b.phoneNumberId })],
  orphanStatuses: [(b) => ({ first: 50, phoneNumberId: b.phoneNumberId })],
  phoneNumberErrors: [(b) => ({ first: 50, phoneNumberId: b.phoneNumberId }), (b) => ({ first: 50, phoneNumberId: b.phoneNumberId, code: 130429 })],
};
/**
 * Root fields that need the admin power: their rows are the hub's own and can span WABAs (a
 * delivery carries several WABAs' changes), so A's admin token lists B's deliveries too; but no
 * field below them may bring back a row of B's (issue #18: `webhookDeliveries { phoneNumberErrors }`).
 */
const ADMIN_QUERY_CASES: Record<string, Args[]> = {
  webhookDeliveries: [() => ({ first: 50 }), () => ({ first: 50, status: new EnumValue("PROCESSED") })],
};
const SUBSCRIPTION_CASES: Record<string, Args[]> = {
  accountEvents: [() => ({}), (b) => ({ wabaId: b.wabaId })],
  disconnections: [() => ({}), (b) => ({ wabaId: b.wabaId })],
  messages: [() => ({}), (b) => ({ wabaId: b.wabaId }), (b) => ({ threadId: threadIds[b.wabaId]! })],
  messageEchoes: [() => ({}), (b) => ({ wabaId: b.wabaId }), (b) => ({ phoneNumberId: b.phoneNumberId })],
  historySyncProgress: [(b) => ({ phoneNumberId: b.phoneNumberId })],
  templates: [() => ({}), (b) => ({ wabaId: b.wabaId })],
  accountSignals: [() => ({}), (b) => ({ wabaId: b.wabaId })],
};
/**
 * Subscriptions that announce a WABA's first delivery, or a number's first inactivity level: A and B are known (and their
 * levels announced) by now, so these get their own businesses (below).
 */
const NEW_WABA_SUBSCRIPTIONS = ["wabaListed", "inactivityLevels"];
/** Subscriptions to the hub's own records, which can span WABAs: the admin power only. */
const ADMIN_SUBSCRIPTIONS = ["deliveryRecorded"];

/** Mutations that act for one WABA need the send power and a scope that names it (checked below). */
const SEND_MUTATIONS = ["sendMessage", "retrySend", "markRead", "recordSentMessage", "startSync", "refreshTemplates"];
/** Mutations that act for one WABA with the admin power (onboardBusiness stores the WABA's credential), checked below. */
const WABA_ADMIN_MUTATIONS = ["onboardBusiness"];

/** Mutations on one WABA's number that need the admin power: refused (BAD_USER_INPUT) for another WABA's number (checked below). */
const NUMBER_ADMIN_MUTATIONS = ["setSendRate"];

/** The other mutations need the admin power: they act on the hub's own records, which can span WABAs. */
const ADMIN_MUTATIONS = [{ field: "replayDeliveries", operation: 'mutation { replayDeliveries(ids: ["no-such-delivery"]) { id outcome } }' }];

/**
 * Alerts span every WABA (a target gets every WABA's events): the admin power over all WABAs only,
 * so A's tokens, even admin, are refused them (checked below); walked with full access.
 */
const EVERY_WABA_QUERY_CASES: Record<string, Args[]> = { alertTargets: [() => ({})], alertAttempts: [() => ({ first: 50 })] };
const EVERY_WABA_MUTATION_CASES: Record<string, Args[]> = { replayAlert: [() => ({ attemptId: "no-such-attempt" })] };

// The deliveries that carried a business's phone-number errors: replayed, they answer with the delivery and its rows.
const deliveriesOf = async (b: Business) =>
  (
    await graphql(API_TOKEN, `{ phoneNumberErrors(first: 50, phoneNumberId: "${b.phoneNumberId}") { edges { node { deliveryId } } } }`)
  ).body.data.phoneNumberErrors.edges.map((e: { node: { deliveryId: string } }) => e.node.deliveryId) as string[];
const deliveryIds = { [A.wabaId]: await deliveriesOf(A), [B.wabaId]: await deliveriesOf(B) };
/** Per mutation: arguments aimed at one business, the answer walked with every field selected. */
const MUTATION_CASES: Record<string, Args[]> = { replayDeliveries: [(b) => ({ ids: deliveryIds[b.wabaId]! })] };

const DEPTH = 5;
function operation(kind: "query" | "subscription" | "mutation", field: string, args: Record<string, ArgumentValue>): string {
  const root = { query: schema.getQueryType(), subscription: schema.getSubscriptionType(), mutation: schema.getMutationType() }[kind]!;
  const selection = everyField(schema, getNamedType(root.getFields()[field]!.type), DEPTH);
  return `${kind} { ${field}${argumentList(args)} ${selection} }`;
}

describe("a token scoped to WABA A", () => {
  it("has a case for every root field and every subscription of the schema (a new one must be added here)", () => {
    expect([...Object.keys(QUERY_CASES), ...Object.keys(ADMIN_QUERY_CASES), ...Object.keys(EVERY_WABA_QUERY_CASES)].sort()).toEqual(
      Object.keys(schema.getQueryType()!.getFields()).sort(),
    );
    expect([...Object.keys(SUBSCRIPTION_CASES), ...NEW_WABA_SUBSCRIPTIONS, ...ADMIN_SUBSCRIPTIONS].sort()).toEqual(
      Object.keys(schema.getSubscriptionType()!.getFields()).sort(),
    );
    const everyWaba = Object.keys(EVERY_WABA_MUTATION_CASES);
    expect([...ADMIN_MUTATIONS.map((m) => m.field), ...SEND_MUTATIONS, ...WABA_ADMIN_MUTATIONS, ...NUMBER_ADMIN_MUTATIONS, ...everyWaba].sort()).toEqual(
      Object.keys(schema.getMutationType()?.getFields() ?? {}).sort(),
    );
    expect([...Object.keys(MUTATION_CASES), ...SEND_MUTATIONS, ...WABA_ADMIN_MUTATIONS, ...NUMBER_ADMIN_MUTATIONS, ...everyWaba].sort()).toEqual(
      Object.keys(schema.getMutationType()?.getFields() ?? {}).sort(),
    );
  });

  it("selects, through the cases above, every field of every type reachable from the roots (a field the walk misses would go unchecked)", () => {
    const walked = new Set<string>();
    const walk = (kind: "query" | "subscription" | "mutation", cases: Record<string, Args[]>) => {
      for (const [field, list] of Object.entries(cases))
        for (const args of list) selectedFields(schema, operation(kind, field, args(A))).forEach((c) => walked.add(c));
    };
    walk("query", QUERY_CASES);
    walk("query", ADMIN_QUERY_CASES);
    walk("subscription", SUBSCRIPTION_CASES);
    walk("mutation", MUTATION_CASES);
    walk("query", EVERY_WABA_QUERY_CASES);
    walk("mutation", EVERY_WABA_MUTATION_CASES);
    // Checked by their own tests below: they announce rows whose fields the cases above walk.
    for (const field of [...NEW_WABA_SUBSCRIPTIONS, ...ADMIN_SUBSCRIPTIONS]) walked.add(`Subscription.${field}`);
    for (const field of [...SEND_MUTATIONS, ...WABA_ADMIN_MUTATIONS, ...NUMBER_ADMIN_MUTATIONS]) walked.add(`Mutation.${field}`);
    expect([...reachableFields(schema)].filter((c) => !walked.has(c))).toEqual([]);
  });

  for (const [kind, token, cases] of [
    ["query", adminA, ADMIN_QUERY_CASES],
    ["mutation", adminA, MUTATION_CASES],
  ] as const) {
    for (const [field, list] of Object.entries(cases)) {
      list.forEach((args, i) => {
        it(`reads A's rows and none of B's through every field under the admin-only ${kind} ${field} (case ${i + 1})`, async () => {
          // Full access sees B's rows through this very operation, so the assertion below can fail.
          const full = await graphql(API_TOKEN, operation(kind, field, args(B)));
          expect(full.body.errors).toBeUndefined();
          expect(traces(B).some((t) => JSON.stringify(full.body.data).includes(t))).toBe(true);

          const own = await graphql(token, operation(kind, field, args(A)));
          expect(own.body.errors).toBeUndefined();
          expect(JSON.stringify(own.body.data)).toContain(A.phoneNumberId);

          const other = await graphql(token, operation(kind, field, args(B)));
          expect(other.body.errors).toBeUndefined();
          for (const trace of traces(B)) expect(JSON.stringify(other.body)).not.toContain(trace);
        });
      });
    }
  }

  for (const [field, cases] of Object.entries(QUERY_CASES)) {
    cases.forEach((args, i) => {
      it(`reads A's data and none of B's through every field under ${field} (case ${i + 1})`, async () => {
        // Full access sees B's data through this very operation, so the assertions below can fail.
        const full = await graphql(API_TOKEN, operation("query", field, args(B)));
        expect(full.body.errors).toBeUndefined();
        expect(traces(B).some((t) => JSON.stringify(full.body.data).includes(t))).toBe(true);

        const own = await graphql(readA, operation("query", field, args(A)));
        expect(own.body.errors).toBeUndefined();
        // Every WABA field shows its wabaId; everything else its phone number.
        expect(JSON.stringify(own.body.data)).toContain(field.startsWith("waba") ? A.wabaId : A.phoneNumberId);

        const other = await graphql(readA, operation("query", field, args(B)));
        expect(other.body.errors).toBeUndefined();
        for (const trace of traces(B)) expect(JSON.stringify(other.body)).not.toContain(trace);
      });
    });
  }

  it("receives A's events and none of B's on every subscription, even beside a full-access subscriber of the same operation", async () => {
    // The full-access client subscribes first: were subscriptions shared across tokens, A's would join its stream.
    const full = wsClient(app.url, API_TOKEN);
    const scoped = wsClient(app.url, readA);
    const expectingA: Collector<unknown>[] = [];
    const expectingNone: Collector<unknown>[] = [];
    const fullCollectors: Collector<unknown>[] = [];
    for (const [field, cases] of Object.entries(SUBSCRIPTION_CASES)) {
      for (const args of cases) {
        fullCollectors.push(await subscribe(full, operation("subscription", field, args(B))));
        expectingNone.push(await subscribe(scoped, operation("subscription", field, args(B))));
        expectingA.push(await subscribe(scoped, operation("subscription", field, args(A))));
      }
    }
    await deliverActivity(B);
    await Promise.all(fullCollectors.map((c) => c.next(1, 10_000)));
    // B's events were published before A's: once A's have arrived, B's had their chance.
    await deliverActivity(A);
    await Promise.all(expectingA.map((c) => c.next(1, 10_000)));
    await scoped.iterate({ query: "{ __typename }" }).next();

    for (const c of [...expectingA, ...expectingNone]) {
      for (const trace of traces(B)) expect(JSON.stringify(c.received)).not.toContain(trace);
    }
    expect(expectingNone.flatMap((c) => c.received.filter((r) => !JSON.stringify(r).includes(A.wabaId)))).toEqual([]);
  });

  NEW_WABA_SUBSCRIPTIONS.forEach((field, i) => {
    it(`hears of its own WABA's first delivery on ${field}, and not of another new WABA's`, async () => {
      // New businesses for each subscription: each announces a business's first delivery only once.
      const C: Business = { ...A, wabaId: `33000000000000${i}`, phoneNumberId: `43000000000000${i}`, displayNumber: `1555000003${i}` };
      const D: Business = { ...B, wabaId: `34000000000000${i}`, phoneNumberId: `44000000000000${i}`, displayNumber: `1555000004${i}` };
      const readC = await makeToken(app.databaseUrl, { name: `inbox-c-${i}`, wabaIds: [C.wabaId], scope: "read" });
      const full = await subscribe(wsClient(app.url, API_TOKEN), operation("subscription", field, {}));
      const scoped = await subscribe(wsClient(app.url, readC), operation("subscription", field, {}));
      // D first: once C's announcement has reached the scoped subscriber, D's had its chance.
      await deliverActivity(D);
      await full.next(1, 10_000);
      await deliverActivity(C);
      await scoped.next(1, 10_000);
      expect(JSON.stringify(full.received)).toContain(D.wabaId);
      for (const trace of traces(D)) expect(JSON.stringify(scoped.received)).not.toContain(trace);
      expect(JSON.stringify(scoped.received)).toContain(C.wabaId);
    });
  });

  for (const field of ADMIN_SUBSCRIPTIONS) {
    it(`is answered FORBIDDEN on the subscription ${field} with the read scope, and gets its events with the admin scope`, async () => {
      const read = await subscribe(wsClient(app.url, readA), operation("subscription", field, {}));
      await read.waitForCount(1);
      expect(JSON.stringify(read.items[0])).toContain("FORBIDDEN");
      expect(read.received).toEqual([]);
      const admin = await subscribe(wsClient(app.url, adminA), operation("subscription", field, {}));
      await deliverActivity(A);
      await admin.next(1, 10_000);
      expect(read.received).toEqual([]);
    });
  }

  for (const [kind, cases] of [
    ["query", EVERY_WABA_QUERY_CASES],
    ["mutation", EVERY_WABA_MUTATION_CASES],
  ] as const) {
    for (const [field, [args]] of Object.entries(cases)) {
      it(`is answered FORBIDDEN on ${field} with any scope, admin included, while a token for all WABAs gets an answer`, async () => {
        const query = operation(kind, field, args!(A));
        for (const token of [readA, adminA]) expect((await graphql(token, query)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
        const full = await graphql(API_TOKEN, query);
        // The mutation names no attempt: refused for that, past the power check.
        expect(full.body.errors?.[0]?.extensions?.code).toBe(kind === "mutation" ? "UNKNOWN_ALERT_ATTEMPT" : undefined);
      });
    }
  }

  it("is answered FORBIDDEN on webhookDeliveries with the read scope, and gets them with the admin scope", async () => {
    const query = operation("query", "webhookDeliveries", { first: 5 });
    const read = await graphql(readA, query);
    expect(read.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(read.body.data ?? null).toBeNull();
    const admin = await graphql(adminA, query);
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data.webhookDeliveries.edges.length).toBeGreaterThan(0);
  });

  it("sends only from its own WABA's numbers, with the send scope; the read scope is answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "send-a", wabaIds: [A.wabaId], scope: "send" });
    const send = (token: string, b: Business, key: string) =>
      graphql(
        token,
        `mutation { sendMessage(input: { phoneNumberId: "${b.phoneNumberId}", to: "${b.user}", template: { name: "hello_world", language: "en_US" }, idempotencyKey: "${key}" }) { id wamid } }`,
      );
    expect((await send(readA, A, "read-a")).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await send(sendA, B, "send-a-to-b");
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const trace of traces(B).filter((t) => t !== B.phoneNumberId && t !== B.user)) expect(JSON.stringify(other.body)).not.toContain(trace);
    // Its own number is accepted (queued: a template needs no window).
    const own = await send(sendA, A, "send-a-to-a");
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.sendMessage.id).toBeTruthy();
    expect(fake.requests.every((r) => !JSON.stringify(r).includes(B.phoneNumberId))).toBe(true);
  });

  it("sends again only its own WABA's messages, with the send scope; the read scope is answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "retry-a", wabaIds: [A.wabaId], scope: "send" });
    const messageOfB = (await graphql(API_TOKEN, `{ thread(id: "${threadIds[B.wabaId]!}") { messages(first: 1) { edges { node { id } } } } }`)).body.data.thread
      .messages.edges[0].node.id as string;
    const retry = (token: string) => graphql(token, `mutation { retrySend(messageId: "${messageOfB}") { id wamid text } }`);
    expect((await retry(readA)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await retry(sendA);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const trace of traces(B)) expect(JSON.stringify(other.body)).not.toContain(trace);
  });

  it("starts a sync only for its own WABA's numbers, with the send scope; the read scope is answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "sync-a", wabaIds: [A.wabaId], scope: "send" });
    const start = (token: string, b: Business) =>
      graphql(token, `mutation { startSync(phoneNumberId: "${b.phoneNumberId}", kind: CONTACTS) { phoneNumberId contactsRequestedAt } }`);
    expect((await start(readA, A)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await start(sendA, B);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const trace of traces(B).filter((t) => t !== B.phoneNumberId)) expect(JSON.stringify(other.body)).not.toContain(trace);
    const own = await start(sendA, A);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.startSync.phoneNumberId).toBe(A.phoneNumberId);
    expect(fake.requests.every((r) => !JSON.stringify(r).includes(B.phoneNumberId))).toBe(true);
  });

  it("lists templates from Meta only for its own WABA, with the send scope; the read scope is answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "templates-a", wabaIds: [A.wabaId], scope: "send" });
    const refresh = (token: string, b: Business) => graphql(token, `mutation { refreshTemplates(wabaId: "${b.wabaId}") { id name } }`);
    const before = fake.listings().length;
    expect((await refresh(readA, A)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await refresh(sendA, B);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const trace of traces(B).filter((t) => t !== B.wabaId)) expect(JSON.stringify(other.body)).not.toContain(trace);
    expect(fake.listings()).toHaveLength(before);
    const own = await refresh(sendA, A);
    expect(own.body.errors).toBeUndefined();
    expect(
      fake
        .listings()
        .slice(before)
        .map((r) => r.path),
    ).toEqual([`/${A.wabaId}/message_templates`]);
  });

  it("onboards only its own WABA's numbers, with the admin scope; the send scope is answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "onboard-send-a", wabaIds: [A.wabaId], scope: "send" });
    const onboard = (token: string, b: Business) =>
      graphql(token, `mutation { onboardBusiness(wabaId: "${b.wabaId}", phoneNumberId: "${b.phoneNumberId}") { wabaId phoneNumberId steps { name state } } }`);
    expect((await onboard(sendA, A)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await onboard(adminA, B);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Reading Waba.templates lists a WABA's templates for the tokens that can see it (B's, by the unscoped token): not an onboarding.
    const calls = fake.requests.filter((r) => r.path !== `/${B.wabaId}/message_templates`);
    expect(calls.every((r) => !JSON.stringify(r).includes(B.wabaId) && !JSON.stringify(r).includes(B.phoneNumberId))).toBe(true);
    const own = await onboard(adminA, A);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.onboardBusiness.wabaId).toBe(A.wabaId);
  });

  it("sets the send rate only of its own WABA's numbers, with the admin scope; the read and send scopes are answered FORBIDDEN", async () => {
    const sendA = await makeToken(app.databaseUrl, { name: "rate-send-a", wabaIds: [A.wabaId], scope: "send" });
    const setRate = (token: string, b: Business) =>
      graphql(token, `mutation { setSendRate(phoneNumberId: "${b.phoneNumberId}", ratePerSecond: 50) { phoneNumberId displayPhoneNumber wabaId } }`);
    for (const token of [readA, sendA]) expect((await setRate(token, A)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await setRate(adminA, B);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (const trace of traces(B).filter((t) => t !== B.phoneNumberId)) expect(JSON.stringify(other.body)).not.toContain(trace);
    expect((await setRate(adminA, A)).body.data.setSendRate.phoneNumberId).toBe(A.phoneNumberId);
  });

  for (const { field, operation: mutation } of ADMIN_MUTATIONS) {
    it(`is answered FORBIDDEN on the mutation ${field} with the read scope, and runs it with the admin scope`, async () => {
      const read = await graphql(readA, mutation);
      expect(read.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const admin = await graphql(adminA, mutation);
      expect(admin.body.errors).toBeUndefined();
      expect(admin.body.data[field]).toBeDefined();
    });
  }
});
