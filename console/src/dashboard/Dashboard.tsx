import { useEffect, useId, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { useThrottledRefetch } from "../throttledRefetch.ts";
import {
  DashboardAccountEventsDocument,
  DashboardDisconnectionsDocument,
  DashboardDocument,
  DashboardWabaListedDocument,
  type ConnectionState,
  type DashboardQuery,
} from "../generated/graphql.ts";
import { Notices, useNotices } from "../Notices.tsx";
import { ACTION_WORDS, KIND_WORDS, STATE_WORDS, initiatorWords, reasonWords } from "../words.ts";
import { WabaCard } from "./WabaCard.tsx";

const STATES = Object.keys(STATE_WORDS) as ConnectionState[];

/** account_update events the disconnections subscription already reports (opened or resolved). */
const DISCONNECTION_EVENTS = new Set([
  "PARTNER_REMOVED",
  "ACCOUNT_OFFBOARDED",
  "PARTNER_APP_UNINSTALLED",
  "ACCOUNT_DELETED",
  "ACCOUNT_RECONNECTED",
  "PARTNER_ADDED",
  "PARTNER_APP_INSTALLED",
]);

export type DashboardWaba = DashboardQuery["wabas"]["edges"][number]["node"];

/**
 * The landing page: every WABA with its state, whether the Cloud API can send, and its open
 * disconnections with what to do. Live: a disconnection, reconnection, any account event or a WABA
 * listed for the first time (whatever its first webhook) re-reads the list and says what happened in a notice.
 */
export function Dashboard() {
  const filterId = useId();
  const [state, setState] = useState<ConnectionState | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const [result, refetch] = useQuery({ query: DashboardDocument, variables: { state, after } });
  const notices = useNotices();

  const [disconnection] = useSubscription({ query: DashboardDisconnectionsDocument });
  const [accountEvent] = useSubscription({ query: DashboardAccountEventsDocument });
  const [listed] = useSubscription({ query: DashboardWabaListedDocument });

  // Events for many WABAs at once (a simulation, a replay) are one re-read a second, not one each.
  const reread = useThrottledRefetch(() => refetch({ requestPolicy: "network-only" }));
  const markChanged = (wabaId: string) => {
    setChanged((prev) => new Set(prev).add(wabaId));
    reread();
  };

  useEffect(() => {
    const d = disconnection.data?.disconnections;
    if (!d) return;
    markChanged(d.wabaId);
    notices.push(
      d.change === "STALLED"
        ? `WABA ${d.wabaId}: ${KIND_WORDS[d.kind].toLowerCase()} has stalled (no reconnection from Meta). Recommended: ${ACTION_WORDS[d.recommendedAction]}`
        : d.resolvedAt
          ? `WABA ${d.wabaId} reconnected (${KIND_WORDS[d.kind].toLowerCase()} resolved). It is now ${STATE_WORDS[d.waba.connectionState].toLowerCase()}.`
          : `WABA ${d.wabaId}: ${KIND_WORDS[d.kind].toLowerCase()} — ${reasonWords(d.reasonCode, d.reason)}, ${initiatorWords(d.initiatedBy)}. Recommended: ${ACTION_WORDS[d.recommendedAction]}`,
    );
    // Runs once per event delivered (markChanged and notices.push only set state).
  }, [disconnection.data]);

  useEffect(() => {
    const e = accountEvent.data?.accountEvents;
    if (!e) return;
    markChanged(e.waba.wabaId);
    if (!DISCONNECTION_EVENTS.has(e.event)) notices.push(`WABA ${e.waba.wabaId}: ${e.event.toLowerCase().replaceAll("_", " ")}.`);
  }, [accountEvent.data]);

  useEffect(() => {
    const w = listed.data?.wabaListed;
    if (!w) return;
    markChanged(w.wabaId);
    notices.push(`New WABA ${w.wabaId}: its first webhook has arrived.`);
  }, [listed.data]);

  const wabas = result.data?.wabas;
  return (
    <section aria-labelledby={`${filterId}-title`}>
      <div className="page-head">
        <h1 id={`${filterId}-title`}>Connections</h1>
        <div className="field inline">
          <label htmlFor={filterId}>State</label>
          <select
            id={filterId}
            value={state ?? ""}
            onChange={(e) => {
              setAfter(null);
              setState(STATES.find((s) => s === e.target.value) ?? null);
            }}
          >
            <option value="">All states</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Notices notices={notices} />
      {result.error && !result.data && (
        <p className="error" role="alert">
          Could not load the WABAs: {result.error.message}
        </p>
      )}
      {result.fetching && !wabas && <p aria-busy="true">Loading…</p>}
      {wabas && wabas.edges.length === 0 && (state ? <NoneInState state={state} showAll={() => setState(null)} /> : <NoWabaYet />)}
      {wabas && wabas.edges.length > 0 && (
        <ul className="cards" aria-label="WhatsApp Business Accounts">
          {wabas.edges.map(({ node }) => (
            <WabaCard key={node.wabaId} waba={node} changed={changed.has(node.wabaId)} />
          ))}
        </ul>
      )}
      {(after || wabas?.pageInfo.hasNextPage) && (
        <nav className="pager" aria-label="More WABAs">
          {after && (
            <button type="button" className="secondary" onClick={() => setAfter(null)}>
              First page
            </button>
          )}
          {wabas?.pageInfo.hasNextPage && (
            <button type="button" className="secondary" onClick={() => setAfter(wabas.pageInfo.endCursor ?? null)}>
              Next page
            </button>
          )}
        </nav>
      )}
    </section>
  );
}

function NoWabaYet() {
  return (
    <div className="empty">
      <h2>No WABA yet</h2>
      <p>
        Point Meta's webhook at <code>/webhooks/whatsapp</code> on this hub (the README says how), or fill it with sample webhooks:{" "}
        <code>npm run hub -- simulate all</code>. Accounts appear here as their first webhook arrives, without a reload.
      </p>
    </div>
  );
}

function NoneInState({ state, showAll }: { state: ConnectionState; showAll: () => void }) {
  return (
    <div className="empty">
      <h2>No WABA is {STATE_WORDS[state].toLowerCase()}</h2>
      <p>
        <button type="button" className="secondary" onClick={showAll}>
          Show all states
        </button>
      </p>
    </div>
  );
}
