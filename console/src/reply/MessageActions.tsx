import { useState } from "react";

/** The reactions offered in one click (any emoji can be sent through the API). */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/** Under a message the business may answer: "Reply" (quotes it above the box) and "React" (a row of emoji). */
export function MessageActions({
  summary,
  onReply,
  onReact,
  disabled,
}: {
  summary: string;
  onReply: () => void;
  onReact: (emoji: string) => void;
  disabled: boolean;
}) {
  const [reacting, setReacting] = useState(false);
  const short = summary.length > 40 ? `${summary.slice(0, 40)}…` : summary;
  return (
    <div className="message-actions">
      <button type="button" className="link" aria-label={`Reply to “${short}”`} onClick={onReply} disabled={disabled}>
        Reply
      </button>
      <button
        type="button"
        className="link"
        aria-expanded={reacting}
        aria-label={`React to “${short}”`}
        onClick={() => setReacting((v) => !v)}
        disabled={disabled}
      >
        React
      </button>
      {reacting && (
        <span className="quick-reactions" role="group" aria-label="Choose a reaction">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="emoji"
              aria-label={`React with ${emoji}`}
              disabled={disabled}
              onClick={() => {
                setReacting(false);
                onReact(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}
