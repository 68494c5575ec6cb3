/**
 * A canonical "final state" read over GraphQL: what a client can see, in a form two runs (or two
 * servers) can be compared with.
 */
import { mapLimit } from "./mapLimit.ts";
import { gql } from "./graphql.ts";

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

/**
 * What the operators' fields made of a WABA (read per WABA: templates and their histories are over
 * the node limit for a page of WABAs). Not inactivityRisk: it moves with the clock.
 */
const SIGNAL_FIELDS = `templates { id templateId name language category status quality reason detail pendingCategory categoryChangesAt canSend updatedAt
    history { id kind at status reason category previousCategory pendingCategory categoryChangesAt quality previousQuality raw } }
  capabilities { messagingLimit maxDailyConversationsPerBusiness maxDailyConversationPerPhone maxPhoneNumbersPerBusiness maxPhoneNumbersPerWaba updatedAt }
  alerts(openOnly: false) { id entityType entityId severity status open type description at raw }
  phoneNumbers { phoneNumberId displayPhoneNumber lastAppActivityAt
    quality { id event metaEvent currentLimit oldLimit maxDailyConversationsPerBusiness at raw } qualityEvents { id at }
    verifiedName { id decision requestedVerifiedName rejectionReason at raw } securityEvents { id event requester at raw } }`;

export const MESSAGE_FIELDS = `wamid direction source type text content timestamp status editedAt revokedAt
  edits { type text content replacedAt editWamid } error { code title message details } reactions { emoji from at wamid }`;

export const DISCONNECTION_FIELDS = "id wabaId kind reason initiatedBy occurredAt resolvedAt resolvedByEventId recommendedAction";

const CONTACT_FIELDS =
  "phoneNumberId waId userId username profileName fullName firstName removedAt identities { kind value currentSince retiredAt } previousIdentities { kind value } marketingOptOut { optedOut preference detail at }";

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

async function allPages<T>(
  fetchPage: (after: string | null) => Promise<{ pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] }>,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

const byKey =
  (...keys: ((x: any) => string | number)[]) =>
  (a: any, b: any) => {
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
    gql(baseUrl, `query ($after: String) { webhookDeliveries(first: 100, after: $after) { ${PAGE_INFO} edges { node { contentHash status error } } } }`, {
      after,
    }).then((d) => d.webhookDeliveries),
  );
}

export async function readWabas(baseUrl: string, keep: (wabaId: string) => boolean = () => true): Promise<any[]> {
  const wabas = await allPages<any>((after) =>
    gql(baseUrl, `query ($after: String) { wabas(first: 20, after: $after) { ${PAGE_INFO} edges { node { ${WABA_FIELDS} } } } }`, { after }).then(
      (d) => d.wabas,
    ),
  );
  const kept = wabas.filter((w: any) => keep(w.wabaId));
  await mapLimit(kept, READ_CONCURRENCY, async (w) => {
    const events = await allPages((after) =>
      gql(
        baseUrl,
        `query ($w: String!, $after: String) { waba(wabaId: $w) { events(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${EVENT_FIELDS} } } } } }`,
        {
          w: w.wabaId,
          after,
        },
      ).then((d) => d.waba.events),
    );
    w.events = events.sort(byKey((e) => e.id));
    w.signals = (await gql(baseUrl, `query ($w: String!) { waba(wabaId: $w) { ${SIGNAL_FIELDS} } }`, { w: w.wabaId })).waba;
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
      gql(
        baseUrl,
        `query ($id: ID!, $after: String) { thread(id: $id) { messages(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${MESSAGE_FIELDS} } } } } }`,
        {
          id: t.id,
          after,
        },
      ).then((d) => d.thread.messages),
    );
    const { id: _id, lastMessage, ...rest } = t;
    return {
      ...rest,
      lastMessage: lastMessage?.wamid ?? null,
      messages: messages.sort(
        byKey(
          (m) => m.timestamp,
          (m) => m.wamid,
        ),
      ),
    };
  });
  return out.sort(
    byKey(
      (t) => t.phoneNumberId,
      (t) => t.waId ?? "",
      (t) => t.userId ?? "",
    ),
  );
}

export async function readFinalState(baseUrl: string, scope: StateScope = {}): Promise<FinalState> {
  const keepPhone = scope.phone ?? (() => true);
  const wabas = await readWabas(baseUrl, scope.waba);
  const threads = await readThreads(baseUrl, keepPhone);
  const contacts = (
    await allPages((after) =>
      gql(baseUrl, `query ($after: String) { contacts(first: 100, after: $after) { ${PAGE_INFO} edges { node { ${CONTACT_FIELDS} } } } }`, { after }).then(
        (d) => d.contacts,
      ),
    )
  )
    .filter((c: any) => keepPhone(c.phoneNumberId))
    .sort(
      byKey(
        (c) => c.phoneNumberId,
        (c) => c.waId ?? "",
        (c) => c.userId ?? "",
      ),
    );
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
