import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { InboxMessageFragment } from "../generated/graphql.ts";
import { canAnswer } from "../reply/canAnswer.ts";
import { MessageActions } from "../reply/MessageActions.tsx";
import { ReplyBox } from "../reply/ReplyBox.tsx";
import { replyGate, type ReplyGate } from "../reply/replyGate.ts";
import { useReplyGate } from "../reply/useReplyGate.ts";
import { useSend, type SendContent } from "../reply/useSend.ts";
import { useSendAgain } from "../reply/useSendAgain.ts";
import { href, navigate } from "../router.ts";
import { messageSummary } from "./content.ts";
import { MessageItem } from "./MessageItem.tsx";
import { MarketingOptOut } from "./MarketingOptOut.tsx";
import { contactName, userHandle } from "./ThreadList.tsx";
import { useThreadMessages } from "./useThreadMessages.ts";

/** How close to the top (px) scrolling has to come before the next older page loads. */
const LOAD_MARGIN = 48;
/** When the hub could not say whether the number can send: the box lets the agent try (sendMessage says why not). */
const UNKNOWN_GATE: ReplyGate = { mode: "text", notice: null, until: null };

/**
 * One conversation, oldest at the top, and the reply box under it. The newest page loads first;
 * scrolling up (or the button, for keyboards) loads older pages. Live changes replace a message in
 * place or add it; a message sent from here shows at once, as the hub stored it.
 */
export function ThreadView({ threadId }: { threadId: string }) {
  const scroller = useRef<HTMLOListElement>(null);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const stickToBottom = useRef(true);
  const { result, thread, messages, hasOlder, loadingOlder, olderError, loadOlder, remember, requeued } = useThreadMessages(threadId);
  const [replyTo, setReplyTo] = useState<InboxMessageFragment | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const sent = useCallback(
    (m: InboxMessageFragment) => {
      // The agent wants to see what they just sent, wherever they had scrolled to.
      stickToBottom.current = true;
      remember(m);
    },
    [remember],
  );
  const { send, busy } = useSend(thread?.phoneNumberId ?? "", threadId, sent);
  const newestInbound = useMemo(() => messages.filter((m) => m.direction === "INBOUND").at(-1)?.id ?? null, [messages]);
  const gateResult = useReplyGate(threadId, newestInbound);
  const act = useCallback(
    async (content: SendContent) => {
      const outcome = await send(content);
      if (outcome.kind !== "busy") setRefusal(outcome.kind === "refused" ? outcome.words : null);
      return outcome;
    },
    [send],
  );

  const sendAgain = useSendAgain(requeued, setRefusal);

  const older = useCallback(() => {
    const el = scroller.current;
    if (el && hasOlder && !loadingOlder) anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    void loadOlder();
  }, [hasOlder, loadOlder, loadingOlder]);

  // Older messages go on top without moving what the reader looks at; new ones follow the bottom
  // only when the reader was already there.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages]);

  if (result.error && !result.data)
    return (
      <section className="thread-view" aria-label="Conversation">
        <p className="error" role="alert">
          Could not load the conversation: {result.error.message}
        </p>
      </section>
    );
  if (result.data && !thread)
    return (
      <section className="thread-view" aria-label="Conversation">
        <p className="empty">This conversation does not exist (any more).</p>
      </section>
    );
  if (!thread) return <section className="thread-view" aria-busy="true" aria-label="Conversation" />;

  const who = contactName(thread);
  const gateThread = gateResult.data?.thread;
  const gate = gateThread ? replyGate(gateThread, who) : gateResult.error ? UNKNOWN_GATE : null;
  return (
    <section className="thread-view" aria-labelledby="thread-title">
      <div className="thread-head">
        <a
          className="back"
          href={href({ page: "inbox", threadId: null })}
          onClick={(e) => {
            e.preventDefault();
            navigate(href({ page: "inbox", threadId: null }));
          }}
        >
          ← All conversations
        </a>
        <h1 id="thread-title">{who}</h1>
        <p className="muted">
          {userHandle(thread)} · business number {thread.phoneNumberId}
        </p>
        <MarketingOptOut threadId={thread.id} />
      </div>
      <ol
        ref={scroller}
        className="messages"
        aria-label="Messages, oldest first"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < LOAD_MARGIN;
          if (el.scrollTop < LOAD_MARGIN) older();
        }}
      >
        {hasOlder && (
          <li className="older">
            <button type="button" className="secondary" onClick={older} disabled={loadingOlder}>
              {loadingOlder ? "Loading…" : "Load earlier messages"}
            </button>
            {olderError && <span className="error"> Could not load them: {olderError}</span>}
          </li>
        )}
        {messages.length === 0 && <li className="muted">No messages in this conversation.</li>}
        {messages.map((m) => (
          <MessageItem
            key={m.id}
            message={m}
            who={who}
            onSendAgain={() => void sendAgain(m.id)}
            actions={
              gate?.mode === "text" &&
              canAnswer(m) && (
                <MessageActions
                  summary={messageSummary(m)}
                  disabled={busy}
                  onReply={() => setReplyTo(m)}
                  onReact={(emoji) => void act({ reaction: { wamid: m.wamid, emoji } })}
                />
              )
            }
          />
        ))}
      </ol>
      {gate ? (
        <ReplyBox
          who={who}
          wabaId={gateThread?.phoneNumber.wabaId ?? ""}
          gate={gate}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          send={act}
          busy={busy}
          refusal={refusal}
        />
      ) : (
        <section className="reply-box" aria-label="Reply" aria-busy="true" />
      )}
    </section>
  );
}
