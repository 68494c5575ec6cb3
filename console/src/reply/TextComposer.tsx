import { useEffect, useId, useRef, useState } from "react";
import type { SendContent, SendOutcome } from "./useSend.ts";

interface Props {
  who: string;
  /** The wamid the text answers (Meta's context), when a message is quoted. */
  replyTo: string | null;
  onSent: () => void;
  send: (content: SendContent) => Promise<SendOutcome>;
  busy: boolean;
  describedBy: string | undefined;
}

/** The text box: Enter sends, Shift+Enter starts a new line; the draft stays when a send is refused. */
export function TextComposer({ who, replyTo, onSent, send, busy, describedBy }: Props) {
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
    const outcome = await send({ text: body, replyTo });
    if (outcome.kind !== "sent") return;
    setText("");
    onSent();
  };

  return (
    <form
      className="reply-row"
      aria-label="Message"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Message to {who}
      </label>
      <textarea
        id={id}
        ref={box}
        rows={2}
        value={text}
        placeholder={`Message to ${who}`}
        aria-describedby={describedBy}
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
    </form>
  );
}
