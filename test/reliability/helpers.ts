/**
 * Shared pieces of the reliability suite (issue #5): payload builders with ids of the test's
 * choosing, a Meta-like sender that retries until it gets a 200, a canonical "final state" read
 * over GraphQL that two runs can be compared with, and a subscriber that can wait for a marker.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import type { Client } from "graphql-ws";
import { onTestFinished } from "vitest";
import type { Config } from "../../src/env.ts";
import { API_TOKEN, APP_SECRET, TEST_PROVIDER, startApp, type TestApp } from "../helpers/app.ts";
import { metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { startServerProcess, type ServerProcess } from "../helpers/process.ts";
import { wsClient } from "../helpers/subscriptions.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import * as samples from "../../src/cli/samples.ts";

export { TEST_PROVIDER };

// ---------------------------------------------------------------------------------------------
// Servers and clients that are stopped when the test ends. The shared helpers register their
// teardown with afterAll, which vitest 4 ignores when it is called from inside a running test
// (servers, temporary files, PostgreSQL schemas and spawned processes outlive the run), so
// these wrappers also register it with onTestFinished. Stopping twice is harmless.

/** startApp (test/helpers/app.ts), stopped and its database dropped when the test finishes. */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const app = await startApp(overrides);
  onTestFinished(() => app.stop());
  return app;
}

/** startServerProcess (test/helpers/process.ts), stopped when the test finishes. */
export async function startTestServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  onTestFinished(() => server.stop());
  return server;
}

/** A graphql-ws client (test/helpers/subscriptions.ts), closed when the test finishes. */
export function testWsClient(httpUrl: string): Client {
  const client = wsClient(httpUrl);
  onTestFinished(() => client.dispose());
  return client;
}

// ---------------------------------------------------------------------------------------------
// Payloads

const OBJECT = "whatsapp_business_account";

/** A business phone number and the WABA it belongs to (value.metadata + entry id). */
export interface Business {
  wabaId: string;
  phoneNumberId: string;
  display: string;
}

export type Payload = { object: string; entry: Record<string, unknown>[] };

/** One account_update change for `wabaId`, stamped `time` (unix seconds). */
export const accountUpdate = (wabaId: string, time: number, value: Record<string, unknown>): Payload => ({
  object: OBJECT,
  entry: [{ id: wabaId, time, changes: [{ field: "account_update", value }] }],
});

export const mirrorChange = (b: Business, field: string, value: Record<string, unknown>): Payload => ({
  object: OBJECT,
  entry: [
    {
      id: b.wabaId,
      changes: [{ field, value: { messaging_product: "whatsapp", metadata: { display_phone_number: b.display, phone_number_id: b.phoneNumberId }, ...value } }],
    },
  ],
});

export const inbound = (b: Business, wamid: string, from: string, at: number, body: string, name = "Ana Souza") =>
  mirrorChange(b, "messages", {
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: wamid, timestamp: String(at), type: "text", text: { body } }],
  });

export const echo = (b: Business, wamid: string, to: string, at: number, body: string) =>
  mirrorChange(b, "smb_message_echoes", { message_echoes: [{ from: b.display, to, id: wamid, timestamp: String(at), type: "text", text: { body } }] });

export const statusOf = (b: Business, wamid: string, to: string, at: number, value: string, errors?: unknown[]) =>
  mirrorChange(b, "messages", { statuses: [{ id: wamid, status: value, timestamp: String(at), recipient_id: to, ...(errors ? { errors } : {}) }] });

export const editOf = (b: Business, wamid: string, original: string, from: string, at: number, body: string) =>
  mirrorChange(b, "messages", {
    messages: [{ from, id: wamid, timestamp: String(at), type: "edit", edit: { original_message_id: original, message: { type: "text", text: { body } } } }],
  });

export const revokeOf = (b: Business, wamid: string, original: string, from: string, at: number) =>
  mirrorChange(b, "messages", { messages: [{ from, id: wamid, timestamp: String(at), type: "revoke", revoke: { original_message_id: original } }] });

export const contactSync = (b: Business, phone: string, action: "add" | "remove", at: number, fullName?: string) =>
  mirrorChange(b, "smb_app_state_sync", {
    state_sync: [
      {
        type: "contact",
        contact: { phone_number: phone, ...(fullName ? { full_name: fullName, first_name: fullName.split(" ")[0] } : {}) },
        action,
        metadata: { timestamp: String(at) },
      },
    ],
  });

export interface HistoryMessage {
  wamid: string;
  user: string;
  outbound: boolean;
  at: number;
  body: string;
}

/** One history chunk (the simulator's builder); a message given to two chunks is sent identically in both. */
export const historyChunkOf = (b: Business, phase: number, chunkOrder: number, progress: number, messages: readonly HistoryMessage[]) =>
  samples.historyChunk({ wabaId: b.wabaId, phoneNumberId: b.phoneNumberId, displayNumber: b.display }, { phase, chunkOrder, progress }, messages) as unknown as Payload;

/** Several payloads as one delivery (Meta batches entries): the entries side by side. */
export const together = (...payloads: Payload[]): Payload => ({ object: OBJECT, entry: payloads.flatMap((p) => p.entry) });

// ---------------------------------------------------------------------------------------------
// Signed deliveries and a sender that behaves like Meta

export interface SignedDelivery {
  /** The bytes exactly as sent. */
  body: Buffer;
  /** X-Hub-Signature-256 (null: sent without it). */
  signature: string | null;
  /** sha256 of the body: WebhookDelivery.contentHash. */
  hash: string;
}

/** Meta-style bytes of `payload` with Meta's signature (over the \uXXXX-escaped form). */
export function signed(payload: unknown, secret = APP_SECRET): SignedDelivery {
  return signedBytes(metaBytes(payload), secret);
}

export function signedBytes(body: Buffer, secret = APP_SECRET): SignedDelivery {
  return { body, signature: signLikeMeta(body, secret), hash: sha256(body) };
}

export const sha256 = (body: Buffer | string) => createHash("sha256").update(body).digest("hex");

export interface Answer {
  status: number;
  /** The parsed JSON body, or null when it was not JSON. */
  json: Record<string, unknown> | null;
  headers: Headers;
}

/** One POST to /webhooks/whatsapp; rejects on network errors and after `timeoutMs` without an answer. */
export async function post(baseUrl: string, d: Pick<SignedDelivery, "body" | "signature">, extraHeaders: Record<string, string> = {}, timeoutMs = 30_000): Promise<Answer> {
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(d.signature !== null ? { "X-Hub-Signature-256": d.signature } : {}), ...extraHeaders },
    body: new Uint8Array(d.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers };
}

export interface SendResult {
  /** The outcome of the 200 that ended the retries (PROCESSED, ALREADY_PROCESSED or FAILED). */
  outcome: string;
  attempts: number;
  /** Why each earlier attempt did not count: "status 503", "ECONNREFUSED", "ECONNRESET", ... */
  failures: string[];
}

export interface SenderOptions {
  /** Where to send now (the server may have moved to another port after a restart). */
  target: () => string;
  /** Give up on one delivery after this long without a 200 (then the test fails). */
  giveUpAfterMs?: number;
  /** Called after each 200 (count of deliveries acknowledged so far). */
  onAcknowledged?: (acknowledged: number) => void;
  /** Called after each attempt that did not get a 200, with the reason. */
  onFailedAttempt?: (reason: string) => void;
}

/**
 * Sends like Meta: anything but a 200 — another status, a refused or reset connection, no answer —
 * is sent again, with a short backoff, until it is acknowledged.
 */
export class MetaSender {
  acknowledged = 0;
  /** Requests sent and not yet answered (or failed) at this moment. */
  inFlight = 0;
  failedAttempts = 0;
  readonly failuresByReason = new Map<string, number>();

  constructor(private readonly options: SenderOptions) {}

  async send(d: SignedDelivery): Promise<SendResult> {
    const failures: string[] = [];
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      try {
        this.inFlight++;
        const answer = await post(this.options.target(), d).finally(() => this.inFlight--);
        if (answer.status === 200) {
          this.acknowledged++;
          this.options.onAcknowledged?.(this.acknowledged);
          return { outcome: String(answer.json?.outcome), attempts: attempt, failures };
        }
        reason = `status ${answer.status}`;
      } catch (error) {
        reason = networkReason(error);
      }
      failures.push(reason);
      this.failedAttempts++;
      this.failuresByReason.set(reason, (this.failuresByReason.get(reason) ?? 0) + 1);
      this.options.onFailedAttempt?.(reason);
      if (Date.now() - started > (this.options.giveUpAfterMs ?? 120_000)) {
        throw new Error(`delivery ${d.hash} not acknowledged after ${attempt} attempts: ${failures.slice(-5).join(", ")}`);
      }
      // Meta backs off exponentially over hours; the same shape, compressed to milliseconds.
      await pause(Math.min(20 * 2 ** Math.min(attempt, 5), 400) * (0.5 + Math.random()));
    }
  }

  /** Sends every delivery with at most `concurrency` in flight; results in the input's order. */
  sendAll(deliveries: readonly SignedDelivery[], concurrency: number): Promise<SendResult[]> {
    return mapLimit(deliveries, concurrency, (d) => this.send(d));
  }
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timeout";
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? String((error as Error)?.message ?? error);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` calls in flight; results in the input's order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Resolves when `condition()` holds, checking whenever `notify()` is called; rejects after `ms`. */
export class Signal {
  #waiters: (() => void)[] = [];
  notify(): void {
    this.#waiters.splice(0).forEach((w) => w());
  }
  /** `condition` may return an Error: the wait then fails with it at once. */
  until(condition: () => boolean | Error, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      const check = () => {
        const state = condition();
        if (state instanceof Error) {
          clearTimeout(deadline);
          reject(state);
        } else if (state) {
          clearTimeout(deadline);
          resolve();
        } else this.#waiters.push(check);
      };
      check();
    });
  }
}

/**
 * Retries `attempt` until it returns without throwing, for at most `ms` (for state that changes
 * outside the test's control, e.g. a database coming back). The last error is reported.
 */
export async function eventually<T>(attempt: () => Promise<T>, ms: number, what: string): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (let i = 0; Date.now() - started < ms; i++) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
    }
    await pause(Math.min(50 * (i + 1), 500));
  }
  throw new Error(`${what} not reached within ${ms} ms; last error: ${(last as Error)?.message ?? String(last)}`);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same "random" choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of a randomised test: RELIABILITY_SEED when set (to replay a failure), else a fresh one. */
export function testSeed(): number {
  const fromEnv = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && process.env.RELIABILITY_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

// ---------------------------------------------------------------------------------------------
// GraphQL and the canonical final state

export class GraphQLError extends Error {}

export async function gql<T = any>(baseUrl: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphQLError(`GraphQL HTTP ${res.status}: not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok || body.errors?.length || body.data == null) {
    throw new GraphQLError(`GraphQL HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  }
  return body.data;
}

const PAGE_INFO = "pageInfo { hasNextPage endCursor }";
/** Per-WABA and per-thread reads in flight at once (nested lists in one query are over the cost limit). */
const READ_CONCURRENCY = 8;

const WABA_FIELDS = `wabaId ownerBusinessId connectionState canSend banState banDate country
  restrictions { restrictionType expiration active } violations { violationType occurredAt }
  pricingTiers { tier pricingCategory region effectiveMonth tierUpdateTime }
  authIntlPriceEligibility { startTime exceptionCountries { countryCode startTime } }
  adAccounts mmLiteTermsSignedAt certificationStatus certificationRejectionReasons lastEventAt
  disconnections { id kind reason initiatedBy occurredAt resolvedAt resolvedByEventId recommendedAction }`;

/** Every field of an event except receivedAt (the arrival time differs between runs). */
const EVENT_FIELDS = "id event occurredAt raw";

export const MESSAGE_FIELDS = `wamid direction source type text content timestamp status editedAt revokedAt
  edits { type text content replacedAt editWamid } error { code title message details } reactions { emoji from at wamid }`;

export const DISCONNECTION_FIELDS = "id wabaId kind reason initiatedBy occurredAt resolvedAt resolvedByEventId recommendedAction";

const CONTACT_FIELDS = "phoneNumberId waId userId username profileName fullName firstName removedAt identities { kind value currentSince retiredAt } previousIdentities { kind value }";

export interface DeliveryCounts {
  total: number;
  RECEIVED: number;
  PROCESSED: number;
  PARTIAL: number;
  FAILED: number;
}

/**
 * What a client can see, in a form two runs can be compared with: everything the API exposes
 * except arrival times (receivedAt, startedAt/completedAt) and server-made UUIDs (thread, message
 * and contact ids); lists sorted by stable keys (events by id, threads and contacts by
 * (phone number, user), messages by (timestamp, wamid)).
 */
export interface FinalState {
  wabas: any[];
  threads: any[];
  contacts: any[];
  /** By phone number id; null: no history webhook yet. */
  historySyncs: Record<string, any>;
  deliveries: DeliveryCounts;
}

export interface StateScope {
  /** Keep only these WABAs (default: all). */
  waba?: (wabaId: string) => boolean;
  /** Keep only threads, contacts and history syncs of these phone numbers (default: all). */
  phone?: (phoneNumberId: string) => boolean;
  /** History syncs to read beside those of the phone numbers seen in threads and contacts. */
  phoneNumberIds?: readonly string[];
}

async function allPages<T>(fetchPage: (after: string | null) => Promise<{ pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

const byKey = (...keys: ((x: any) => string | number)[]) => (a: any, b: any) => {
  for (const k of keys) {
    const x = k(a);
    const y = k(b);
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

export async function readDeliveryCounts(baseUrl: string): Promise<DeliveryCounts> {
  const d = await gql(
    baseUrl,
    `{ all: webhookDeliveries(first: 1) { totalCount } received: webhookDeliveries(first: 1, status: RECEIVED) { totalCount }
       processed: webhookDeliveries(first: 1, status: PROCESSED) { totalCount } partial: webhookDeliveries(first: 1, status: PARTIAL) { totalCount }
       failed: webhookDeliveries(first: 1, status: FAILED) { totalCount } }`,
  );
  return {
    total: d.all.totalCount,
    RECEIVED: d.received.totalCount,
    PROCESSED: d.processed.totalCount,
    PARTIAL: d.partial.totalCount,
    FAILED: d.failed.totalCount,
  };
}

/** The content hashes and statuses of every stored delivery. */
export async function readDeliveries(baseUrl: string): Promise<{ contentHash: string; status: string; error: string | null }[]> {
  return allPages((after) =>
    gql(baseUrl, `query ($after: String) { webhookDeliveries(first: 100, after: $after) { ${PAGE_INFO} edges { node { contentHash status error } } } }`, { after }).then(
      (d) => d.webhookDeliveries,
    ),
  );
}

export async function readWabas(baseUrl: string, keep: (wabaId: string) => boolean = () => true): Promise<any[]> {
  const wabas = await allPages<any>((after) =>
    gql(baseUrl, `query ($after: String) { wabas(first: 20, after: $after) { ${PAGE_INFO} edges { node { ${WABA_FIELDS} } } } }`, { after }).then((d) => d.wabas),
  );
  const kept = wabas.filter((w: any) => keep(w.wabaId));
  await mapLimit(kept, READ_CONCURRENCY, async (w) => {
    const events = await allPages((after) =>
      gql(baseUrl, `query ($w: String!, $after: String) { waba(wabaId: $w) { events(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${EVENT_FIELDS} } } } } }`, {
        w: w.wabaId,
        after,
      }).then((d) => d.waba.events),
    );
    w.events = events.sort(byKey((e) => e.id));
  });
  return kept.sort(byKey((w) => w.wabaId));
}

export async function readThreads(baseUrl: string, keep: (phoneNumberId: string) => boolean = () => true): Promise<any[]> {
  const threads = await allPages<any>((after) =>
    gql(
      baseUrl,
      `query ($after: String) { threads(first: 50, after: $after) { ${PAGE_INFO} edges { node { id phoneNumberId waId userId lastMessageAt lastMessage { wamid } contact { ${CONTACT_FIELDS} } } } } }`,
      { after },
    ).then((d) => d.threads),
  );
  const kept = threads.filter((t: any) => keep(t.phoneNumberId));
  const out = await mapLimit(kept, READ_CONCURRENCY, async (t) => {
    const messages = await allPages((after) =>
      gql(baseUrl, `query ($id: ID!, $after: String) { thread(id: $id) { messages(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${MESSAGE_FIELDS} } } } } }`, {
        id: t.id,
        after,
      }).then((d) => d.thread.messages),
    );
    const { id: _id, lastMessage, ...rest } = t;
    return { ...rest, lastMessage: lastMessage?.wamid ?? null, messages: messages.sort(byKey((m) => m.timestamp, (m) => m.wamid)) };
  });
  return out.sort(byKey((t) => t.phoneNumberId, (t) => t.waId ?? "", (t) => t.userId ?? ""));
}

export async function readFinalState(baseUrl: string, scope: StateScope = {}): Promise<FinalState> {
  const keepPhone = scope.phone ?? (() => true);
  const wabas = await readWabas(baseUrl, scope.waba);
  const threads = await readThreads(baseUrl, keepPhone);
  const contacts = (
    await allPages((after) =>
      gql(baseUrl, `query ($after: String) { contacts(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${CONTACT_FIELDS} } } } }`, { after }).then((d) => d.contacts),
    )
  )
    .filter((c: any) => keepPhone(c.phoneNumberId))
    .sort(byKey((c) => c.phoneNumberId, (c) => c.waId ?? "", (c) => c.userId ?? ""));
  const phones = [...new Set([...(scope.phoneNumberIds ?? []), ...threads.map((t) => t.phoneNumberId), ...contacts.map((c: any) => c.phoneNumberId)])]
    .filter(keepPhone)
    .sort();
  const historySyncs: Record<string, any> = {};
  await mapLimit(phones, READ_CONCURRENCY, async (p) => {
    const { historySync: h } = await gql(
      baseUrl,
      `query ($p: String!) { historySync(phoneNumberId: $p) { phoneNumberId status progress phases chunks { phase chunkOrder progress messages } error { code title message details } startedAt completedAt } }`,
      { p },
    );
    if (!h) {
      historySyncs[p] = null;
      return;
    }
    const { startedAt, completedAt, ...rest } = h;
    historySyncs[p] = { ...rest, started: startedAt !== null, completed: completedAt !== null };
  });
  return { wabas, threads, contacts, historySyncs, deliveries: await readDeliveryCounts(baseUrl) };
}

/** Row counts of a state, for assertions that read better than a whole-state diff. */
export function countsOf(state: Pick<FinalState, "wabas" | "threads">) {
  const messages = state.threads.flatMap((t) => t.messages);
  return {
    wabas: state.wabas.length,
    accountEvents: state.wabas.reduce((n, w) => n + w.events.length, 0),
    disconnections: state.wabas.reduce((n, w) => n + w.disconnections.length, 0),
    threads: state.threads.length,
    messages: messages.length,
    distinctWamids: new Set(state.threads.flatMap((t) => t.messages.map((m: any) => `${t.phoneNumberId}/${m.wamid}`))).size,
  };
}

// ---------------------------------------------------------------------------------------------
// Subscriptions that can wait for a marker

export interface Stream<T> {
  /** Every result in arrival order (errors as { error }). */
  items: ({ data: T } | { error: unknown })[];
  /** The data of every result that was not an error. */
  data(): T[];
  errors(): unknown[];
  /** Resolves once a result satisfies `predicate`; rejects after `ms`. */
  waitFor(predicate: (data: T) => boolean, ms?: number, what?: string): Promise<void>;
  /** Resolves once at least `count` results (errors included) have arrived; rejects after `ms`. */
  waitForCount(count: number, ms?: number): Promise<void>;
  /** Forgets what was received so far. */
  clear(): void;
}

/**
 * Subscribes on `client` and waits until the server has taken the subscription in (a query
 * answered on the same socket after the subscribe message, as test/helpers/subscriptions.ts does).
 */
export async function stream<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Stream<T>> {
  const items: Stream<T>["items"] = [];
  const signal = new Signal();
  let closed: Error | null = null;
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        items.push(value.errors?.length ? { error: value.errors } : { data: value.data as T });
        signal.notify();
      },
      error: (error) => {
        closed = error instanceof Error ? error : new Error(`subscription closed: ${JSON.stringify(error)}`);
        signal.notify();
      },
      complete: () => {
        closed = new Error("subscription completed");
        signal.notify();
      },
    },
  );
  await client.iterate({ query: "{ __typename }" }).next();
  return {
    items,
    data: () => items.flatMap((i) => ("data" in i ? [i.data] : [])),
    errors: () => items.flatMap((i) => ("error" in i ? [i.error] : [])),
    waitFor(predicate, ms = 15_000, what = "a subscription result") {
      return signal.until(
        () => closed ?? items.some((i) => "data" in i && predicate(i.data)),
        ms,
        what,
      );
    },
    waitForCount(count, ms = 15_000) {
      return signal.until(() => closed ?? items.length >= count, ms, `${count} subscription results (got ${items.length})`);
    },
    clear() {
      items.length = 0;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Direct database access (set-up only; the assertions read through the API)

const TABLES = ["PendingMessageUpdate", "HistorySync", "Message", "Thread", "ContactIdentity", "Contact", "PhoneNumber", "Disconnection", "AccountEvent", "Waba", "WebhookDelivery"];

/** Empties every table of the app's database (migrations stay), as if it had just been created. */
export async function clearDatabase(databaseUrl: string): Promise<void> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      db.transaction(() => {
        db.exec('UPDATE "Thread" SET "lastMessageId" = NULL');
        for (const t of TABLES) db.exec(`DELETE FROM "${t}"`);
      })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.map((t) => `"${target.schema}"."${t}"`).join(", ")} CASCADE`);
  } finally {
    await client.end();
  }
}
