import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { WabaInactivityDocument, WabaSignalEventsDocument, WabaSignalsDocument, WabaTemplatesDocument } from "../generated/graphql.ts";
import { useNotices, Notices } from "../Notices.tsx";
import { when } from "../words.ts";
import { NumberHealth } from "./NumberHealth.tsx";
import { SEVERITY_TONES, codeWords, limitWords } from "./signalWords.ts";
import { Templates } from "./Templates.tsx";

/**
 * A WABA's account signals (docs/account-signals.md): its messaging limit, Meta's open alerts, each
 * number's health (numbers at risk of the inactivity cut-off first) and its templates. Live: any new
 * operators' event, a template change or an inactivity level change re-reads them, without a reload.
 */
export function AccountSignals({ wabaId }: { wabaId: string }) {
  const [result, refetch] = useQuery({ query: WabaSignalsDocument, variables: { wabaId } });
  const [signal] = useSubscription({ query: WabaSignalEventsDocument, variables: { wabaId } });
  const [template] = useSubscription({ query: WabaTemplatesDocument, variables: { wabaId } });
  const [inactivity] = useSubscription({ query: WabaInactivityDocument, variables: { wabaId } });
  const notices = useNotices();
  const { push } = notices;

  useEffect(() => {
    if (signal.data?.accountSignals) refetch({ requestPolicy: "network-only" });
  }, [signal.data, refetch]);
  useEffect(() => {
    const t = template.data?.templates;
    if (t) push(`Template ${t.name} (${t.language}): ${codeWords(t.status, "no status yet").toLowerCase()}.`);
  }, [template.data, push]);
  useEffect(() => {
    const n = inactivity.data?.inactivityLevels;
    if (!n?.inactivityRisk) return;
    push(`Number ${n.displayPhoneNumber ?? n.phoneNumberId}: inactivity ${n.inactivityRisk.level.toLowerCase()}.`);
    refetch({ requestPolicy: "network-only" });
  }, [inactivity.data, push, refetch]);

  if (result.error && !result.data)
    return (
      <p className="error" role="alert">
        Could not load the account signals: {result.error.message}
      </p>
    );
  const waba = result.data?.waba;
  if (!waba) return <p aria-busy="true">Loading the account signals…</p>;
  const caps = waba.capabilities;

  return (
    <div className="signals">
      <Notices notices={notices} />
      <h2>Messaging limit</h2>
      {caps ? (
        <dl className="facts" aria-label="Messaging limit">
          <div>
            <dt>Limit tier</dt>
            <dd>{limitWords(caps.messagingLimit)}</dd>
          </div>
          {caps.maxPhoneNumbersPerWaba !== null && (
            <div>
              <dt>Numbers per WABA</dt>
              <dd>at most {caps.maxPhoneNumbersPerWaba}</dd>
            </div>
          )}
          {caps.maxPhoneNumbersPerBusiness !== null && (
            <div>
              <dt>Numbers per portfolio</dt>
              <dd>at most {caps.maxPhoneNumbersPerBusiness}</dd>
            </div>
          )}
          <div>
            <dt>Updated</dt>
            <dd>{when(caps.updatedAt)}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">Meta has not sent this WABA's capabilities yet.</p>
      )}

      <h2>Alerts</h2>
      {waba.alerts.length === 0 ? (
        <p className="muted">No open alert.</p>
      ) : (
        <ul className="alerts" aria-label="Open alerts">
          {waba.alerts.map((a) => (
            <li key={a.id}>
              <span className={`badge tone-${SEVERITY_TONES[a.severity]}`}>{codeWords(a.severity)}</span> <strong>{codeWords(a.type)}</strong>{" "}
              <span className="muted">
                ({codeWords(a.entityType).toLowerCase()} {a.entityId}, {when(a.at)})
              </span>
              {a.description && <p>{a.description}</p>}
            </li>
          ))}
        </ul>
      )}

      <h2>Number health</h2>
      <NumberHealth numbers={waba.phoneNumbers} />

      <h2>Templates</h2>
      <Templates templates={waba.templates} />
    </div>
  );
}
