import { useEffect, useId, useState } from "react";
import { useMutation, useQuery } from "urql";
import { AlertsDocument, ReplayAlertDocument, type AlertAttemptRowFragment, type AlertAttemptState } from "../generated/graphql.ts";
import { when, type Tone } from "../words.ts";

const STATE_WORDS: Record<AlertAttemptState, string> = { PENDING: "Pending", DELIVERED: "Delivered", FAILED: "Failed" };
const STATE_TONES: Record<AlertAttemptState, Tone> = { PENDING: "warn", DELIVERED: "ok", FAILED: "bad" };
// While an attempt is pending its outcome comes within seconds: the page looks again this often.
const PENDING_REREAD_MS = 1000;

/** The last POST in words: the receiver's status, or the network error when none came. */
function lastTry(a: AlertAttemptRowFragment): string {
  const last = a.tries.at(-1);
  if (!last) return "Not posted yet";
  const outcome = last.status === null ? (last.error ?? "no answer") : `HTTP ${last.status}`;
  return `${outcome} in ${last.durationMs} ms (${a.tries.length} ${a.tries.length === 1 ? "try" : "tries"})`;
}

/**
 * Alerts out (docs/alerts.md): the targets (`hub alerts add` makes them) and the latest attempts
 * with their outcome; any attempt can be posted again (a new attempt, retried afresh).
 */
export function Alerts() {
  const titleId = useId();
  const filterId = useId();
  const [failedOnly, setFailedOnly] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [result, refetch] = useQuery({ query: AlertsDocument, variables: { failedOnly } });
  const [replaying, replay] = useMutation(ReplayAlertDocument);

  const attempts = result.data?.alertAttempts;
  const pending = attempts?.edges.some((e) => e.node.state === "PENDING") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => refetch({ requestPolicy: "network-only" }), PENDING_REREAD_MS);
    return () => clearTimeout(timer);
  }, [pending, result.data, refetch]);

  async function run(a: AlertAttemptRowFragment) {
    const res = await replay({ attemptId: a.id });
    setNotice(res.error || !res.data ? `The replay did not run: ${res.error?.message ?? "no answer"}` : `Posting ${a.event.type} to ${a.target.name} again.`);
    refetch({ requestPolicy: "network-only" });
  }

  const targets = result.data?.alertTargets;
  return (
    <section className="alerts-page" aria-labelledby={titleId}>
      <div className="page-head">
        <h1 id={titleId}>Alerts</h1>
        <div className="field inline">
          <input id={filterId} type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} />
          <label htmlFor={filterId}>Failed only</label>
        </div>
      </div>
      <div role="status" aria-live="polite">
        {notice && (
          <div className="notice">
            <p>{notice}</p>
          </div>
        )}
      </div>
      {result.error && !result.data && (
        <p className="error" role="alert">
          Could not load the alerts: {result.error.message}
        </p>
      )}
      {targets && (
        <>
          <h2>Targets</h2>
          {targets.length === 0 ? (
            <div className="empty">
              <p>No target yet: add one with hub alerts add --url &lt;url&gt; --events all (docs/alerts.md).</p>
            </div>
          ) : (
            <table className="deliveries alert-targets">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Format</th>
                  <th scope="col">Events</th>
                  <th scope="col">URL</th>
                  <th scope="col">Added</th>
                </tr>
              </thead>
              <tbody>
                {targets.map((t) => (
                  <tr key={t.id} data-target={t.id}>
                    <td data-label="Name">{t.name}</td>
                    <td data-label="Format">{t.format === "SLACK" ? "Slack" : "Signed JSON"}</td>
                    <td data-label="Events">{t.events.includes("*") ? "All" : t.events.join(", ")}</td>
                    <td data-label="URL" className="delivery-error">
                      {t.url}
                    </td>
                    <td data-label="Added">{when(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {attempts && (
        <>
          <h2>Attempts</h2>
          <p className="muted">
            {attempts.totalCount} {attempts.totalCount === 1 ? "attempt" : "attempts"}
            {failedOnly ? " that gave up" : ""}, newest first
          </p>
          {attempts.edges.length > 0 && (
            <table className="deliveries alert-attempts">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Target</th>
                  <th scope="col">State</th>
                  <th scope="col">Last try</th>
                  <th scope="col">Made</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {attempts.edges.map(({ node: a }) => (
                  <tr key={a.id} data-attempt={a.id}>
                    <td data-label="Event">
                      {a.event.type}
                      {a.event.wabaId && <span className="muted"> · WABA {a.event.wabaId}</span>}
                      {a.replayOf && <span className="muted"> · replay</span>}
                    </td>
                    <td data-label="Target">{a.target.name}</td>
                    <td data-label="State">
                      <span className={`badge tone-${STATE_TONES[a.state]}`}>{STATE_WORDS[a.state]}</span>
                    </td>
                    <td data-label="Last try">{lastTry(a)}</td>
                    <td data-label="Made">{when(a.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Replay ${a.event.type} to ${a.target.name} (${a.id})`}
                        onClick={() => void run(a)}
                        disabled={replaying.fetching}
                      >
                        Replay
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
