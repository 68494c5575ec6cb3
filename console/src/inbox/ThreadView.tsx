import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useClient, useQuery, useSubscription } from "urql";
import { InboxMessagesDocument, InboxThreadDocument, type InboxMessageFragment } from "../generated/graphql.ts";
import { href, navigate } from "../router.ts";
import { MessageItem } from "./MessageItem.tsx";
import { MarketingOptOut } from "./MarketingOptOut.tsx";
import { contactName, userHandle } from "./ThreadList.tsx";

const PAGE = 30;
/** How close to the top (px) scrolling has to come before the next older page loads. */
const LOAD_MARGIN = 48;

/**
 * One conversation, oldest at the top. The newest page loads first; scrolling up (or the button,
 * for keyboards) loads older pages. Live changes replace a message in place or add it.
 */
export function ThreadView({ threadId }: { threadId: string }) {
  const client = useClient();
  const [result] = useQuery({ query: InboxThreadDocument, variables: { id: threadId, last: PAGE } });
  const [older, setOlder] = useState<{ messages: readonly InboxMessageFragment[]; cursor: string | null; more: boolean } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [live, setLive] = useState<ReadonlyMap<string, InboxMessageFragment>>(new Map());
  const scroller = useRef<HTMLOListElement>(null);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const stickToBottom = useRef(true);

  const [event] = useSubscription({ query: InboxMessagesDocument, variables: { threadId } });
  useEffect(() => {
    const m = event.data?.messages;
    if (m) setLive((prev) => new Map(prev).set(m.id, m));
  }, [event.data]);

  const thread = result.data?.thread;
  const page = thread?.messages;
  const cursor = older ? older.cursor : (page?.pageInfo.startCursor ?? null);
  const hasOlder = older ? older.more : (page?.pageInfo.hasPreviousPage ?? false);

  const messages = useMemo(() => {
    const byId = new Map<string, InboxMessageFragment>();
    for (const m of older?.messages ?? []) byId.set(m.id, m);
    for (const e of page?.edges ?? []) byId.set(e.node.id, e.node);
    for (const [id, m] of live) byId.set(id, m);
    return [...byId.values()].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id));
  }, [older, page, live]);

  const loadOlder = useCallback(async () => {
    if (loadingOlder || !hasOlder || !cursor) return;
    const el = scroller.current;
    if (el) anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    setLoadingOlder(true);
    const res = await client.query(InboxThreadDocument, { id: threadId, last: PAGE, before: cursor }, { requestPolicy: "network-only" }).toPromise();
    setLoadingOlder(false);
    const got = res.data?.thread?.messages;
    if (!got) return setOlderError(res.error?.message ?? "the conversation is gone");
    setOlderError(null);
    setOlder((prev) => ({
      messages: [...got.edges.map((e) => e.node), ...(prev?.messages ?? [])],
      cursor: got.pageInfo.startCursor ?? null,
      more: got.pageInfo.hasPreviousPage,
    }));
  }, [client, cursor, hasOlder, loadingOlder, threadId]);

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
        <h1 id="thread-title">{contactName(thread)}</h1>
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
          if (el.scrollTop < LOAD_MARGIN) void loadOlder();
        }}
      >
        {hasOlder && (
          <li className="older">
            <button type="button" className="secondary" onClick={() => void loadOlder()} disabled={loadingOlder}>
              {loadingOlder ? "Loading…" : "Load earlier messages"}
            </button>
            {olderError && <span className="error"> Could not load them: {olderError}</span>}
          </li>
        )}
        {messages.length === 0 && <li className="muted">No messages in this conversation.</li>}
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} who={contactName(thread)} />
        ))}
      </ol>
      <p className="muted no-reply">The console has no reply box yet: reply from the WhatsApp Business app, or through the API (sendMessage).</p>
    </section>
  );
}
