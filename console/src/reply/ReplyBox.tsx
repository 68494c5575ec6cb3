import { useId } from "react";
import type { InboxMessageFragment } from "../generated/graphql.ts";
import { GateNotice } from "./GateNotice.tsx";
import { QuotedMessage } from "./QuotedMessage.tsx";
import { untilWords, type ReplyGate } from "./replyGate.ts";
import { TemplatePicker } from "./TemplatePicker.tsx";
import { TextComposer } from "./TextComposer.tsx";
import type { SendContent, SendOutcome } from "./useSend.ts";

interface Props {
  who: string;
  wabaId: string;
  gate: ReplyGate;
  replyTo: InboxMessageFragment | null;
  onCancelReply: () => void;
  send: (content: SendContent) => Promise<SendOutcome>;
  busy: boolean;
  /** The last send refused, in words (a reaction's refusal shows here too). */
  refusal: string | null;
}

/**
 * Under a conversation: why the box is limited, when it is (before the agent types), then the
 * text box, or the template picker outside the service window, or nothing when the number cannot send.
 */
export function ReplyBox({ who, wabaId, gate, replyTo, onCancelReply, send, busy, refusal }: Props) {
  const id = useId();
  const described = [gate.notice && `${id}-gate`, refusal && `${id}-refusal`].filter(Boolean).join(" ") || undefined;
  return (
    <section className="reply-box" aria-label="Reply">
      {gate.notice && <GateNotice notice={gate.notice} id={`${id}-gate`} />}
      {replyTo && gate.mode !== "none" && <QuotedMessage message={replyTo} who={who} onCancel={onCancelReply} />}
      {gate.mode === "text" && (
        <TextComposer who={who} replyTo={replyTo?.wamid ?? null} onSent={onCancelReply} send={send} busy={busy} describedBy={described} />
      )}
      {gate.mode === "template" && (
        <TemplatePicker wabaId={wabaId} replyTo={replyTo?.wamid ?? null} onSent={onCancelReply} send={send} busy={busy} describedBy={described} />
      )}
      {gate.mode === "text" && gate.until && <p className="muted reply-hint">{untilWords(gate.until)}</p>}
      {refusal && (
        <p id={`${id}-refusal`} className="error" role="alert">
          {refusal}
        </p>
      )}
    </section>
  );
}
