import type { WabaTemplateFragment } from "../generated/graphql.ts";
import { when } from "../words.ts";
import { CATEGORY_WORDS, QUALITY_TONES, TEMPLATE_STATUS_TONES, codeWords } from "./signalWords.ts";

/** The WABA's templates as Meta's template webhooks left them: status, category (and an announced change), quality, Meta's reason. */
export function Templates({ templates }: { templates: readonly WabaTemplateFragment[] }) {
  if (templates.length === 0) return <p className="muted">No template event from Meta yet.</p>;
  return (
    <table className="templates" aria-label="Templates">
      <thead>
        <tr>
          <th scope="col">Template</th>
          <th scope="col">Category</th>
          <th scope="col">Status</th>
          <th scope="col">Quality</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {templates.map((t) => (
          <tr key={t.id} data-template={t.name}>
            <td>
              <strong>{t.name}</strong> <span className="muted">{t.language}</span>
            </td>
            <td>
              {t.category ? CATEGORY_WORDS[t.category] : "unknown"}
              {t.pendingCategory && (
                <span className="muted">
                  {" "}
                  → {CATEGORY_WORDS[t.pendingCategory]} from {when(t.categoryChangesAt)}
                </span>
              )}
            </td>
            <td>
              {t.status ? (
                <span className={`badge tone-${TEMPLATE_STATUS_TONES[t.status]}`}>{codeWords(t.status)}</span>
              ) : (
                <span className="muted">unknown</span>
              )}
              {!t.canSend && <span className="no"> cannot be sent</span>}
              {(t.detail ?? (t.reason && t.reason !== "NONE" ? t.reason : null)) && <p className="muted">{t.detail ?? codeWords(t.reason)}</p>}
            </td>
            <td>
              {t.quality ? <span className={`badge tone-${QUALITY_TONES[t.quality]}`}>{codeWords(t.quality)}</span> : <span className="muted">none yet</span>}
            </td>
            <td>{when(t.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
