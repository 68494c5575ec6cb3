import type { InboxMessageFragment } from "../generated/graphql.ts";
import { messageSummary } from "../inbox/content.ts";

/** The message a reply answers, above the box, with a way to stop replying to it. */
export function QuotedMessage({ message, who, onCancel }: { message: InboxMessageFragment; who: string; onCancel: () => void }) {
  const author = message.direction === "INBOUND" ? who : "the business";
  return (
    <div className="quoted" role="group" aria-label="Replying to">
      <p>
        <span className="muted">Replying to {author}:</span> <q>{messageSummary(message)}</q>
      </p>
      <button type="button" className="link" onClick={onCancel}>
        Cancel reply
      </button>
    </div>
  );
}
