import { useState } from "react";
import { useMutation } from "urql";
import { WabaPageStartSyncDocument, type SyncKind, type WabaPageHistorySyncFragment } from "../generated/graphql.ts";
import { sendErrorWords } from "../reply/sendErrorWords.ts";
import { fromNow, when } from "../words.ts";

const KINDS: { kind: SyncKind; name: string; button: string }[] = [
  { kind: "CONTACTS", name: "Contacts", button: "Start contact sync" },
  { kind: "HISTORY", name: "Chat history", button: "Start history sync" },
];

/**
 * A coexistence number's two syncs and their deadline (24 hours after onboarding: Meta takes each
 * request once, until then), with "start sync" for each one not requested yet. Meta decides: a
 * request is always made, and its refusal is shown.
 */
export function SyncDeadline({
  phoneNumberId,
  sync,
  onStarted,
}: {
  phoneNumberId: string | null;
  sync: WabaPageHistorySyncFragment;
  onStarted: (s: WabaPageHistorySyncFragment) => void;
}) {
  const [{ fetching }, start] = useMutation(WabaPageStartSyncDocument);
  const [refusal, setRefusal] = useState<string | null>(null);
  const requested = { CONTACTS: sync.contactsRequestedAt, HISTORY: sync.historyRequestedAt };
  const errors = { CONTACTS: sync.contactsError, HISTORY: sync.historyError };
  const allRequested = Boolean(requested.CONTACTS && requested.HISTORY);

  const deadline = sync.deadlineMissed
    ? `missed (${when(sync.deadlineAt)}): only a new Embedded Signup of the business opens another 24 hours.`
    : allRequested
      ? `${when(sync.deadlineAt)}; both syncs are requested.`
      : `${when(sync.deadlineAt)} (${fromNow(sync.deadlineAt)}).`;

  return (
    <div className="sync-deadline">
      <p className={sync.deadlineMissed ? "deadline-missed" : undefined}>
        <strong>Sync deadline:</strong> {deadline}
      </p>
      <ul>
        {KINDS.map(({ kind, name, button }) => {
          const error = errors[kind];
          return (
            <li key={kind}>
              {name}: {requested[kind] ? `requested ${when(requested[kind])}` : "not requested"}
              {error && !requested[kind] && (
                <span className="error">
                  {" "}
                  — Meta refused: {error.message ?? "no message"}
                  {error.code ? ` (${error.code})` : ""}
                </span>
              )}
              {!requested[kind] && phoneNumberId && (
                <>
                  {" "}
                  <button
                    type="button"
                    className="secondary"
                    disabled={fetching}
                    onClick={() =>
                      void start({ phoneNumberId, kind }).then((res) => {
                        setRefusal(res.data ? null : sendErrorWords(res.error));
                        if (res.data) onStarted(res.data.startSync);
                      })
                    }
                  >
                    {button}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
