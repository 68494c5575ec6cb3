import { useEffect, useState } from "react";
import { useSubscription } from "urql";
import { WabaPageHistorySyncProgressDocument, type HistorySyncStatus, type WabaPageHistorySyncFragment, type WabaPageQuery } from "../generated/graphql.ts";
import { SyncDeadline } from "./SyncDeadline.tsx";
import { KIND_WORDS, phoneNumberWords, when } from "../words.ts";

type PhoneNumber = NonNullable<WabaPageQuery["waba"]>["phoneNumbers"][number];

const SYNC_WORDS: Record<HistorySyncStatus, string> = {
  NOT_STARTED: "not started",
  IN_PROGRESS: "in progress",
  COMPLETE: "complete",
  DECLINED: "declined by the business",
};

/** The WABA's business numbers: whether each can send, its last activity, its history sync (live) and the syncs' deadline. */
export function PhoneNumbers({ numbers }: { numbers: readonly PhoneNumber[] }) {
  if (numbers.length === 0) return <p className="muted">No number seen yet: numbers appear with their first message or account event.</p>;
  return (
    <ul className="cards" aria-label="Phone numbers">
      {numbers.map((n) => (
        <PhoneNumberItem key={n.phoneNumberId ?? n.displayPhoneNumber} number={n} />
      ))}
    </ul>
  );
}

function PhoneNumberItem({ number: n }: { number: PhoneNumber }) {
  // A number named only by an account_update has no id yet, so nothing to follow.
  const [live] = useSubscription({
    query: WabaPageHistorySyncProgressDocument,
    variables: { phoneNumberId: n.phoneNumberId ?? "" },
    pause: !n.phoneNumberId,
  });
  // The newest word on the syncs: a live event, or startSync's answer, whichever came last.
  const [latest, setLatest] = useState<WabaPageHistorySyncFragment | null>(null);
  useEffect(() => {
    if (live.data) setLatest(live.data.historySyncProgress);
  }, [live.data]);
  const sync = latest ?? n.historySync;
  const name = n.displayPhoneNumber ? phoneNumberWords(n.displayPhoneNumber) : n.phoneNumberId;
  const labelId = `number-${n.phoneNumberId ?? n.displayPhoneNumber}`;
  return (
    <li className="card number" aria-labelledby={labelId} data-phone-number-id={n.phoneNumberId ?? undefined}>
      <h3 id={labelId}>{name}</h3>
      <dl className="facts">
        <div>
          <dt>Can send</dt>
          <dd className={n.canSend ? "yes" : "no"}>{n.canSend ? "Yes" : "No"}</dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>{n.lastActivityAt ? when(n.lastActivityAt) : "none yet"}</dd>
        </div>
        <div>
          <dt>Number id</dt>
          <dd>{n.phoneNumberId ?? "not known yet (named only by an account event)"}</dd>
        </div>
      </dl>
      {n.disconnections.map((d) => (
        <p key={d.id} className="number-cut">
          Cut off: {KIND_WORDS[d.kind].toLowerCase()} (this number only).
        </p>
      ))}
      <div className="sync">
        <span id={`${labelId}-sync`}>
          History sync: {SYNC_WORDS[sync.status]}, {sync.progress}%
        </span>
        <progress aria-labelledby={`${labelId}-sync`} max={100} value={sync.progress} />
        {sync.stalled && sync.stalledAt && (
          <p className="sync-stalled" role="status">
            Stalled since {when(sync.stalledAt)}: nothing has come from Meta since the request or the last chunk. Ask the business to keep the WhatsApp Business
            app open and online until the sync completes.
          </p>
        )}
      </div>
      <SyncDeadline phoneNumberId={n.phoneNumberId ?? null} sync={sync} onStarted={setLatest} />
    </li>
  );
}
