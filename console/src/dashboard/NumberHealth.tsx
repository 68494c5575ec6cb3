import type { InactivityLevel, NumberHealthFragment } from "../generated/graphql.ts";
import { phoneNumberWords, when } from "../words.ts";
import { INACTIVITY_TONES, INACTIVITY_WORDS, codeWords, limitWords } from "./signalWords.ts";

/** Numbers at risk first: CRITICAL, WARN, OK, then those whose app the hub has never seen. */
const RISK_ORDER: Record<InactivityLevel, number> = { CRITICAL: 0, WARN: 1, OK: 2 };
const rank = (n: NumberHealthFragment) => (n.inactivityRisk ? RISK_ORDER[n.inactivityRisk.level] : 3);

/** Each business number's health: how close it is to Meta's inactivity cut-off, its throughput, display name and PIN events. */
export function NumberHealth({ numbers }: { numbers: readonly NumberHealthFragment[] }) {
  if (numbers.length === 0) return <p className="muted">No number seen yet.</p>;
  const sorted = [...numbers].sort((a, b) => rank(a) - rank(b));
  return (
    <ul className="cards" aria-label="Number health">
      {sorted.map((n) => {
        const name = n.displayPhoneNumber ? phoneNumberWords(n.displayPhoneNumber) : (n.phoneNumberId ?? "unknown number");
        const risk = n.inactivityRisk;
        const pin = n.securityEvents[0];
        return (
          <li key={n.phoneNumberId ?? n.displayPhoneNumber} className="card number-health" data-phone-number-id={n.phoneNumberId ?? undefined}>
            <div className="card-head">
              <h3>{name}</h3>
              {risk && <span className={`badge tone-${INACTIVITY_TONES[risk.level]}`}>{INACTIVITY_WORDS[risk.level]}</span>}
            </div>
            <dl className="facts">
              <div>
                <dt>WhatsApp Business app</dt>
                <dd>
                  {risk
                    ? `last used ${when(n.lastAppActivityAt)}; ${risk.daysLeft} ${risk.daysLeft === 1 ? "day" : "days"} before Meta's cut-off`
                    : "no sign of the app yet"}
                </dd>
              </div>
              <div>
                <dt>Throughput</dt>
                <dd>
                  {n.quality
                    ? `${codeWords(n.quality.event === "OTHER" ? n.quality.metaEvent : n.quality.event)}, limit ${limitWords(n.quality.maxDailyConversationsPerBusiness ?? n.quality.currentLimit)} (${when(n.quality.at)})`
                    : "no update from Meta"}
                </dd>
              </div>
              <div>
                <dt>Display name</dt>
                <dd>
                  {n.verifiedName
                    ? `${n.verifiedName.requestedVerifiedName ?? "name"}: ${codeWords(n.verifiedName.decision).toLowerCase()}${n.verifiedName.rejectionReason ? ` (${codeWords(n.verifiedName.rejectionReason).toLowerCase()})` : ""}`
                    : "no decision yet"}
                </dd>
              </div>
              {pin && (
                <div>
                  <dt>Two-step verification</dt>
                  <dd>
                    {codeWords(pin.event).toLowerCase()}, {when(pin.at)}
                  </dd>
                </div>
              )}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
