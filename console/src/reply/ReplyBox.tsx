import { useEffect, useId, useRef, useState } from "react";
import type { InboxMessageFragment } from "../generated/graphql.ts";
import { QuotedMessage } from "./QuotedMessage.tsx";
import type { SendContent, SendOutcome } from "./useSend.ts";

interface Props {
  who: string;
  replyTo: InboxMessageFragment | null;
  onCancelReply: () => void;
  send: (content: SendContent) => Promise<SendOutcome>;
  busy: boolean;
  /** The last send refused, in words (a reaction's refusal shows here too). */
  refusal: string | null;
}

/**
 * The box under a conversation: a text, sent as a reply to the quoted message when one is chosen.
 * Enter sends, Shift+Enter starts a new line. The draft stays when a send is refused.
 */
export function ReplyBox({ who, replyTo, onCancelReply, send, busy, refusal }: Props) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  // Choosing a message to answer puts the cursor in the box.
  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);

  const submit = async () => {
    const body = text.trim();
    if (!body) return;
    const outcome = await send({ text: body, replyTo: replyTo?.wamid ?? null });
    if (outcome.kind !== "sent") return;
    setText("");
    onCancelReply();
  };

  return (
    <form
      className="reply-box"
      aria-label="Reply"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {replyTo && <QuotedMessage message={replyTo} who={who} onCancel={onCancelReply} />}
      <label htmlFor={id} className="visually-hidden">
        Message to {who}
      </label>
      <div className="reply-row">
        <textarea
          id={id}
          ref={box}
          rows={2}
          value={text}
          placeholder={`Message to ${who}`}
          aria-describedby={refusal ? `${id}-refusal` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
      {refusal && (
        <p id={`${id}-refusal`} className="error" role="alert">
          {refusal}
        </p>
      )}
    </form>
  );
}
