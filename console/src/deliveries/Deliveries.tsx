import { useEffect, useId, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { useThrottledRefetch } from "../throttledRefetch.ts";
import {
  DeliveriesDocument,
  DeliveriesRecordedDocument,
  ReplayDeliveriesDocument,
  type DeliveryStatus,
  type ReplayDeliveriesMutation,
  type ReplayOutcome,
} from "../generated/graphql.ts";
import { DELIVERY_TONES, when } from "../words.ts";

const STATUS_WORDS: Record<DeliveryStatus, string> = { RECEIVED: "Received", PROCESSED: "Processed", PARTIAL: "Partly applied", FAILED: "Failed" };
const STATUSES = Object.keys(STATUS_WORDS) as DeliveryStatus[];
const OUTCOME_WORDS: Record<ReplayOutcome, string> = {
  PROCESSED: "processed",
  PARTIAL: "partly applied (see its failed items)",
  ALREADY_PROCESSED: "already processed",
  FAILED: "still failing",
  MISSING: "not found",
};

type Replayed = ReplayDeliveriesMutation["replayDeliveries"];

function summary(results: Replayed): string {
  const counts = new Map<ReplayOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome]}`);
  return `Replayed ${results.length === 1 ? "1 delivery" : `${results.length} deliveries`}: ${parts.join(", ")}.`;
}

/**
 * Every POST Meta was answered 200 for, newest first, optionally filtered by status; live: each
 * delivery answered or replayed re-reads the page. A failed (or never projected) delivery can be
 * replayed: the hub projects the bytes it kept again.
 */
export function Deliveries() {
  const filterId = useId();
  // All of them at first: on a healthy hub "Failed" is an empty list, which says nothing about what arrives.
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<{ text: string; failures: Replayed } | null>(null);
  const [result, refetch] = useQuery({ query: DeliveriesDocument, variables: { status, after } });
  const [replaying, replay] = useMutation(ReplayDeliveriesDocument);
  const [recorded] = useSubscription({ query: DeliveriesRecordedDocument });

  // A burst of deliveries (a history import) is one re-read a second, not one per delivery.
  const reread = useThrottledRefetch(() => refetch({ requestPolicy: "network-only" }));
  useEffect(() => {
    if (recorded.data) reread();
  }, [recorded.data, reread]);

  async function run(ids: readonly string[]) {
    if (!ids.length) return;
    const res = await replay({ ids: [...ids] });
    if (res.error || !res.data) {
      setOutcome({ text: `The replay did not run: ${res.error?.message ?? "no answer"}`, failures: [] });
      return;
    }
    const results = res.data.replayDeliveries;
    setOutcome({ text: summary(results), failures: results.filter((r) => r.outcome === "FAILED" || r.outcome === "MISSING") });
    setSelected(new Set());
    refetch({ requestPolicy: "network-only" });
  }

  const page = result.data?.webhookDeliveries;
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section aria-labelledby={`${filterId}-title`}>
      <div className="page-head">
        <h1 id={`${filterId}-title`}>Deliveries</h1>
        <div className="field inline">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            value={status ?? ""}
            onChange={(e) => {
              setAfter(null);
              setSelected(new Set());
              setStatus(STATUSES.find((s) => s === e.target.value) ?? null);
            }}
          >
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div role="status" aria-live="polite">
        {outcome && (
          <div className="notice">
            <div>
              <p>{outcome.text}</p>
              {outcome.failures.map((f) => (
                <p key={f.id} className="muted">
                  {f.id}: {f.outcome === "MISSING" ? "no such delivery" : f.error}
                </p>
              ))}
            </div>
          </div>
        )}
      </div>
      {result.error && !result.data && (
        <p className="error" role="alert">
          Could not load the deliveries: {result.error.message}
        </p>
      )}
      {page && page.edges.length === 0 && (
        <div className="empty">
          <p>
            {status === "FAILED"
              ? "No failed delivery: every delivery Meta sent was projected. Choose “All statuses” to see them."
              : "No delivery here yet. They appear as Meta posts to /webhooks/whatsapp."}
          </p>
        </div>
      )}
      {page && page.edges.length > 0 && (
        <>
          <div className="toolbar">
            <span className="muted">
              {page.totalCount} {page.totalCount === 1 ? "delivery" : "deliveries"}
            </span>
            <button type="button" onClick={() => void run([...selected])} disabled={!selected.size || replaying.fetching}>
              {replaying.fetching ? "Replaying…" : `Replay selected (${selected.size})`}
            </button>
          </div>
          <table className="deliveries">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
                <th scope="col">Received</th>
                <th scope="col">Fields</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: d }) => {
                const replayable = d.status !== "PROCESSED";
                return (
                  <tr key={d.id} data-delivery={d.id}>
                    <td>
                      {replayable && (
                        <input type="checkbox" aria-label={`Select delivery ${d.id}`} checked={selected.has(d.id)} onChange={() => toggle(d.id)} />
                      )}
                    </td>
                    <td data-label="Received">{when(d.receivedAt)}</td>
                    <td data-label="Fields">{d.fields.join(", ") || "—"}</td>
                    <td data-label="Status">
                      <span className={`badge tone-${DELIVERY_TONES[d.status]}`}>{STATUS_WORDS[d.status]}</span>
                    </td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Error" className="delivery-error">
                      {d.error ?? (d.failedItems.length ? "" : "—")}
                      {d.failedItems.length > 0 && (
                        <ul className="failed-items" aria-label="Items that could not be applied">
                          {d.failedItems.map((item) => (
                            <li key={item.path}>
                              <code>{item.path}</code>: {item.error}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      {replayable && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Replay delivery ${d.id}`}
                          onClick={() => void run([d.id])}
                          disabled={replaying.fetching}
                        >
                          Replay
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {(after || page?.pageInfo.hasNextPage) && (
        <nav className="pager" aria-label="More deliveries">
          {after && (
            <button type="button" className="secondary" onClick={() => setAfter(null)}>
              Newest
            </button>
          )}
          {page?.pageInfo.hasNextPage && (
            <button type="button" className="secondary" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
              Older
            </button>
          )}
        </nav>
      )}
    </section>
  );
}
