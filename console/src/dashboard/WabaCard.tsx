import { href, navigate } from "../router.ts";
import { ACTION_WORDS, KIND_WORDS, STATE_TONES, STATE_WORDS, initiatorWords, reasonWords, when } from "../words.ts";
import type { DashboardWaba } from "./Dashboard.tsx";

/** One WABA: state badge, whether the Cloud API may send, and each open disconnection with what to do. */
export function WabaCard({ waba, changed }: { waba: DashboardWaba; changed: boolean }) {
  const open = waba.disconnections.filter((d) => !d.resolvedAt);
  const resolved = waba.disconnections.length - open.length;
  const titleId = `waba-${waba.wabaId}`;
  return (
    <li className={changed ? "card changed" : "card"} aria-labelledby={titleId} data-waba={waba.wabaId}>
      <div className="card-head">
        <h2 id={titleId}>
          <a
            href={href({ page: "waba", wabaId: waba.wabaId })}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              navigate(href({ page: "waba", wabaId: waba.wabaId }));
            }}
          >
            WABA {waba.wabaId}
          </a>
        </h2>
        <span className={`badge tone-${STATE_TONES[waba.connectionState]}`}>{STATE_WORDS[waba.connectionState]}</span>
        {changed && <span className="badge updated">Updated live</span>}
      </div>
      <dl className="facts">
        <div>
          <dt>Can send</dt>
          <dd className={waba.canSend ? "yes" : "no"}>{waba.canSend ? "Yes" : "No"}</dd>
        </div>
        {waba.ownerBusinessId && (
          <div>
            <dt>Business</dt>
            <dd>{waba.ownerBusinessId}</dd>
          </div>
        )}
        {waba.banState && (
          <div>
            <dt>Ban state</dt>
            <dd>{waba.banState.toLowerCase().replaceAll("_", " ")}</dd>
          </div>
        )}
        <div>
          <dt>Last event</dt>
          <dd>{when(waba.lastEventAt)}</dd>
        </div>
      </dl>
      {open.length > 0 && (
        <ul className="disconnections" aria-label="Open disconnections">
          {open.map((d) => (
            <li key={d.id}>
              <strong>{KIND_WORDS[d.kind]}</strong> on {when(d.occurredAt)}: {reasonWords(d.reasonCode, d.reason)}, {initiatorWords(d.initiatedBy)}.
              {d.stalled && d.stalledAt && <span className="badge tone-bad stalled">Stalled since {when(d.stalledAt)}</span>}
              <p className="action">
                <span className="label">Recommended:</span> {ACTION_WORDS[d.recommendedAction]}
              </p>
            </li>
          ))}
        </ul>
      )}
      {resolved > 0 && <p className="muted">{resolved === 1 ? "1 earlier disconnection, resolved." : `${resolved} earlier disconnections, resolved.`}</p>}
    </li>
  );
}
