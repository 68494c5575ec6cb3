import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { useThrottledRefetch } from "../throttledRefetch.ts";
import { WabaPageDisconnectionsDocument, WabaPageDocument, WabaPageEventsDocument, type WabaPageQuery } from "../generated/graphql.ts";
import { Notices, useNotices } from "../Notices.tsx";
import { href, navigate } from "../router.ts";
import { PhoneNumbers } from "./PhoneNumbers.tsx";
import { AccountSignals } from "./AccountSignals.tsx";
import { ACTION_WORDS, KIND_WORDS, STATE_TONES, STATE_WORDS, initiatorWords, phoneNumberWords, reasonWords, when } from "../words.ts";

type Waba = NonNullable<WabaPageQuery["waba"]>;
type EventNode = Waba["events"]["edges"][number]["node"];

const sentence = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);
const eventWords = (event: string) => event.charAt(0) + event.slice(1).toLowerCase().replaceAll("_", " ");

function eventDetail(e: EventNode): string | null {
  switch (e.__typename) {
    case "PartnerAccountEvent":
      return e.disconnectionReasonCode
        ? `${reasonWords(e.disconnectionReasonCode, e.disconnectionReason)}, ${initiatorWords(e.disconnectionInitiatedBy)}`
        : null;
    case "BanAccountEvent":
      return e.banState ? `ban state ${e.banState.toLowerCase().replaceAll("_", " ")}` : null;
    case "ViolationAccountEvent":
      return e.violationType ? e.violationType.toLowerCase().replaceAll("_", " ") : null;
    default:
      return null;
  }
}

/** One WABA: its state and facts, its numbers (history sync live), disconnection windows, restrictions, and the timeline of its account events (live). */
export function WabaPage({ wabaId }: { wabaId: string }) {
  const [result, refetch] = useQuery({ query: WabaPageDocument, variables: { wabaId } });
  const [event] = useSubscription({ query: WabaPageEventsDocument, variables: { wabaId } });
  const [disconnection] = useSubscription({ query: WabaPageDisconnectionsDocument, variables: { wabaId } });
  const notices = useNotices();
  const { push } = notices;
  const reread = useThrottledRefetch(() => refetch({ requestPolicy: "network-only" }));
  useEffect(() => {
    const e = event.data?.accountEvents;
    if (!e) return;
    push(`New event: ${eventWords(e.event)} (${when(e.occurredAt)}).`);
    reread();
  }, [event.data, push, reread]);
  useEffect(() => {
    if (disconnection.data?.disconnections.change !== "STALLED") return;
    push("A disconnection has stalled: reonboarding has not completed.");
    reread();
  }, [disconnection.data, push, reread]);

  const back = (
    <a
      href={href({ page: "connections" })}
      onClick={(e) => {
        e.preventDefault();
        navigate(href({ page: "connections" }));
      }}
    >
      ← All connections
    </a>
  );
  if (result.error && !result.data)
    return (
      <section>
        {back}
        <p className="error" role="alert">
          Could not load WABA {wabaId}: {result.error.message}
        </p>
      </section>
    );
  const waba = result.data?.waba;
  if (result.data && !waba)
    return (
      <section>
        {back}
        <div className="empty">
          <h1>No WABA {wabaId}</h1>
          <p>The hub has received no account event for it yet.</p>
        </div>
      </section>
    );
  if (!waba) return <p aria-busy="true">Loading…</p>;

  return (
    <section aria-labelledby="waba-title" className="waba-page">
      {back}
      <div className="page-head">
        <h1 id="waba-title">WABA {waba.wabaId}</h1>
        <span className={`badge tone-${STATE_TONES[waba.connectionState]}`}>{STATE_WORDS[waba.connectionState]}</span>
      </div>
      <Notices notices={notices} />
      <dl className="facts">
        <div>
          <dt>Can send</dt>
          <dd className={waba.canSend ? "yes" : "no"}>{waba.canSend ? "Yes" : "No"}</dd>
        </div>
        <div>
          <dt>Business</dt>
          <dd>{waba.ownerBusinessId ?? "unknown"}</dd>
        </div>
        <div>
          <dt>Ban state</dt>
          <dd>{waba.banState ? `${waba.banState.toLowerCase().replaceAll("_", " ")}${waba.banDate ? ` (${waba.banDate})` : ""}` : "not banned"}</dd>
        </div>
        {waba.country && (
          <div>
            <dt>Country</dt>
            <dd>{waba.country}</dd>
          </div>
        )}
      </dl>

      <h2>Phone numbers</h2>
      <PhoneNumbers numbers={waba.phoneNumbers} />

      <AccountSignals wabaId={waba.wabaId} />

      <h2>Restrictions</h2>
      {waba.restrictions.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {waba.restrictions.map((r) => (
            <li key={r.restrictionType + (r.expiration ?? "")}>
              {r.restrictionType.toLowerCase().replaceAll("_", " ")} — {r.active ? "active" : "expired"}
              {r.expiration ? `, until ${when(r.expiration)}` : ", no end date"}
            </li>
          ))}
        </ul>
      )}

      <h2>Disconnections</h2>
      {waba.disconnections.length === 0 ? (
        <p className="muted">Never disconnected.</p>
      ) : (
        <ul className="disconnections">
          {waba.disconnections.map((d) => (
            <li key={d.id} className={d.resolvedAt ? "resolved" : undefined}>
              <strong>{KIND_WORDS[d.kind]}</strong>
              {d.phoneNumber && ` (number ${phoneNumberWords(d.phoneNumber)} only)`}: {when(d.occurredAt)} → {d.resolvedAt ? when(d.resolvedAt) : "still open"}.{" "}
              {sentence(reasonWords(d.reasonCode, d.reason))}, {initiatorWords(d.initiatedBy)}.
              {d.stalled && d.stalledAt && <span className="badge tone-bad stalled">Stalled since {when(d.stalledAt)}</span>}
              {!d.resolvedAt && (
                <p className="action">
                  <span className="label">Recommended:</span> {ACTION_WORDS[d.recommendedAction]}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}

      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Account events, newest first">
        {waba.events.edges.map(({ node: e }) => {
          const detail = eventDetail(e);
          return (
            <li key={e.id}>
              <time dateTime={e.occurredAt}>{when(e.occurredAt)}</time> <strong>{eventWords(e.event)}</strong>
              {detail && <span className="muted"> — {detail}</span>}
            </li>
          );
        })}
      </ol>
      {waba.events.edges.length === 0 && <p className="muted">No account event yet: the hub knows this WABA from its messages.</p>}
      {waba.events.pageInfo.hasNextPage && <p className="muted">Older events are not shown (the newest 50 are).</p>}
    </section>
  );
}
