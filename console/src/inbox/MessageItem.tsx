import { useState, type ReactNode } from "react";
import type { InboxMessageFragment, MessageSource, MessageStatus } from "../generated/graphql.ts";
import { SendStatus } from "../reply/SendStatus.tsx";
import { when } from "../words.ts";
import { contentView, identityChangeWords } from "./content.ts";

const STATUS: Record<MessageStatus, { ticks: string; words: string }> = {
  PENDING: { ticks: "🕓", words: "Pending" },
  SENT: { ticks: "✓", words: "Sent" },
  DELIVERED: { ticks: "✓✓", words: "Delivered" },
  READ: { ticks: "✓✓", words: "Read" },
  PLAYED: { ticks: "✓✓", words: "Played" },
  FAILED: { ticks: "✕", words: "Failed" },
};

function sourceWords(source: MessageSource, direction: InboxMessageFragment["direction"]): string {
  switch (source) {
    case "HISTORY":
      return "history";
    case "ECHO":
      return "sent from the app";
    case "WEBHOOK":
      return direction === "OUTBOUND" ? "API" : "webhook";
    case "API":
      return "sent through the hub";
  }
}

/** Meta accepted a send and has not said "sent" yet. */
const ACCEPTED = { ticks: "🕓", words: "Accepted by Meta" };

/**
 * One message: its content, direction, source, status ticks (or, for a send still in the hub's
 * queue, where it is), and what edits and revokes did to it.
 */
export function MessageItem({
  message: m,
  who = "The user",
  actions,
  onSendAgain,
}: {
  message: InboxMessageFragment;
  /** The contact's name, for system lines ("Sheena changed number from … to …"). */
  who?: string;
  /** What the agent can do with it (reply, react), under the bubble's content. */
  actions?: ReactNode;
  /** "Send again" for a send that failed or whose fate is unknown. */
  onSendAgain?: () => void;
}) {
  const [showEdits, setShowEdits] = useState(false);
  const view = contentView(m);
  if (m.identityChange)
    return (
      <li className="message system" data-wamid={m.wamid}>
        <p>
          {who} {identityChangeWords(m.identityChange)} <span className="muted">({when(m.timestamp)})</span>
        </p>
      </li>
    );
  const status = m.status ? STATUS[m.status] : m.send?.state === "ACCEPTED" ? ACCEPTED : null;
  const side = m.direction === "OUTBOUND" ? "out" : "in";
  return (
    <li className={`message ${side}`} data-wamid={m.wamid}>
      <div className="bubble">
        {m.revokedAt ? (
          <p className="revoked">This message was deleted ({when(m.revokedAt)}).</p>
        ) : (
          <>
            {view.kind === "placeholder" && <p className="placeholder">Media from the chat history, not received yet.</p>}
            {view.kind === "reaction" && <p className="reaction">Reacted {view.emoji ?? "(reaction removed)"} to a message</p>}
            {view.kind === "label" && (
              <p className="media">
                [{view.label}
                {view.detail ? `: ${view.detail}` : ""}]
              </p>
            )}
            {view.kind === "unsupported" && (
              <div className="unsupported">
                <p>This message type is not shown by the Cloud API.</p>
                <p className="hint">
                  {m.error?.details ?? m.error?.title ?? "Look at it in the WhatsApp Business app."}
                  {m.error?.code ? ` (Meta error ${m.error.code})` : ""}
                </p>
              </div>
            )}
            {/* A reaction's text is its emoji, already said by the line above. */}
            {m.text && view.kind !== "reaction" && <p className="text">{m.text}</p>}
          </>
        )}
        <p className="meta">
          <span>{when(m.timestamp)}</span>
          <span className="source">{sourceWords(m.source, m.direction)}</span>
          {m.editedAt && !m.revokedAt && <span>edited</span>}
          {status && side === "out" && (
            <span className={`ticks ticks-${m.status?.toLowerCase() ?? "accepted"}`} aria-label={status.words} title={status.words}>
              {status.ticks}
            </span>
          )}
        </p>
        {m.send && <SendStatus send={m.send} onSendAgain={onSendAgain} />}
        {m.reactions.length > 0 && (
          <p className="reactions">
            {m.reactions.map((r) => (
              <span key={r.from} title={r.from === "USER" ? "Reaction of the customer" : "Reaction of the business"}>
                {r.emoji}
              </span>
            ))}
          </p>
        )}
        {m.error && m.status === "FAILED" && (
          <p className="error">
            {m.error.title ?? m.error.message ?? "Failed"}
            {m.error.code ? ` (${m.error.code})` : ""}
            {/* Meta's why (e.g. 131047: more than 24 hours since the customer replied): what the agent can act on. */}
            {m.error.details && m.error.details !== m.error.title ? <span className="muted"> — {m.error.details}</span> : null}
          </p>
        )}
        {m.edits.length > 0 && !m.revokedAt && (
          <>
            <button type="button" className="link" aria-expanded={showEdits} onClick={() => setShowEdits((v) => !v)}>
              {showEdits ? "Hide earlier versions" : `Show earlier versions (${m.edits.length})`}
            </button>
            {showEdits && (
              <ol className="edits" aria-label="Earlier versions, oldest first">
                {m.edits.map((e) => (
                  <li key={e.editWamid}>
                    {e.text ?? `(${e.type})`} <span className="muted">— replaced {when(e.replacedAt)}</span>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
        {actions}
      </div>
    </li>
  );
}
