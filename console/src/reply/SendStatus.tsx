import type { InboxMessageFragment } from "../generated/graphql.ts";
import { canSendAgain, sendErrorLine, sendReasonWords, sendStateWords } from "./sendWords.ts";

type Send = NonNullable<InboxMessageFragment["send"]>;

/**
 * Where a message sent through the hub is in the outbound queue, until Meta accepts it (then its
 * ticks say the rest); held and failed sends say why.
 */
export function SendStatus({ send, onSendAgain }: { send: Send; onSendAgain?: () => void }) {
  if (send.state === "ACCEPTED") return null;
  const reason = sendReasonWords(send.reason);
  const error = send.state === "FAILED" || send.state === "UNKNOWN" || send.reason === "RETRYING" ? sendErrorLine(send) : null;
  const tone = send.state === "FAILED" || send.state === "UNKNOWN" ? "bad" : send.state === "HELD" ? "warn" : "quiet";
  return (
    <p className={`send-status send-${tone}`} data-send-state={send.state}>
      <strong>{sendStateWords(send)}</strong>
      {reason && <>: {reason}</>}
      {error && <span className="send-error"> {error}</span>}
      {onSendAgain && canSendAgain(send) && (
        <>
          {" "}
          <button type="button" className="link" onClick={onSendAgain}>
            Send again
          </button>
        </>
      )}
    </p>
  );
}
