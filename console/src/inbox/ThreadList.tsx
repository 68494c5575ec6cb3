import { useEffect, useId, useMemo, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { InboxMessagesDocument, InboxThreadsDocument, type InboxThreadsQuery } from "../generated/graphql.ts";
import { href, navigate } from "../router.ts";
import { useThrottledRefetch } from "../throttledRefetch.ts";
import { phoneNumberWords, when } from "../words.ts";

type ThreadItem = InboxThreadsQuery["threads"]["edges"][number]["node"];

const SEARCH_DELAY_MS = 250;

interface Participant {
  waId?: string | null;
  userId?: string | null;
  contact: { fullName?: string | null; profileName?: string | null; username?: string | null };
}

/**
 * How the user is reached: the phone number, or, for a user Meta names only by a business-scoped
 * user id (a username adopter), the username or that id.
 */
export function userHandle(p: Participant): string {
  if (p.waId) return phoneNumberWords(p.waId);
  if (p.contact.username) return `@${p.contact.username}`;
  return p.userId ?? "unknown user";
}

export function contactName(p: Participant): string {
  return p.contact.fullName ?? p.contact.profileName ?? userHandle(p);
}

/** Threads, most recent first, searchable, per business number; new messages re-read the list (at most once a second). */
export function ThreadList({ selected }: { selected: string | null }) {
  const searchId = useId();
  const numberId = useId();
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [phoneNumberId, setPhoneNumberId] = useState<string | null>(null);
  const [numbers, setNumbers] = useState<readonly string[]>([]);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const [result, refetch] = useQuery({ query: InboxThreadsDocument, variables: { search: search || null, phoneNumberId } });
  const [live] = useSubscription({ query: InboxMessagesDocument, variables: { threadId: null } });
  // A message may move any thread to the top or make a new one: re-read, at most once a second.
  const reread = useThrottledRefetch(() => refetch({ requestPolicy: "network-only" }));
  useEffect(() => {
    if (live.data) reread();
  }, [live.data, reread]);

  const threads = useMemo(() => result.data?.threads.edges.map((e) => e.node), [result.data]);
  // The business numbers seen so far (the API has no list of numbers yet); kept while filtering.
  useEffect(() => {
    if (!threads) return;
    setNumbers((prev) => {
      const next = [...new Set([...prev, ...threads.map((t) => t.phoneNumberId)])].sort();
      return next.length === prev.length ? prev : next;
    });
  }, [threads]);

  return (
    <section className="thread-list" aria-label="Conversations">
      <div className="list-filters">
        <div className="field">
          <label htmlFor={searchId}>Search by name or number</label>
          <input id={searchId} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        {numbers.length > 1 && (
          <div className="field">
            <label htmlFor={numberId}>Business number</label>
            <select id={numberId} value={phoneNumberId ?? ""} onChange={(e) => setPhoneNumberId(e.target.value || null)}>
              <option value="">All numbers</option>
              {numbers.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {result.error && !result.data && (
        <p className="error" role="alert">
          Could not load the conversations: {result.error.message}
        </p>
      )}
      {threads && threads.length === 0 && (
        <div className="empty">
          {search ? (
            <p>No conversation matches “{search}”.</p>
          ) : (
            <p>
              No conversation yet. They appear as messages arrive (subscribe the app to the <code>messages</code>, <code>smb_message_echoes</code> and{" "}
              <code>history</code> fields), or try <code>npm run hub -- simulate history inbound --secret &lt;WHATSAPP_APP_SECRET&gt;</code>.
            </p>
          )}
        </div>
      )}
      {threads && threads.length > 0 && (
        <ul className="threads">
          {threads.map((t) => (
            <ThreadRow key={t.id} thread={t} selected={t.id === selected} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ThreadRow({ thread, selected }: { thread: ThreadItem; selected: boolean }) {
  const to = href({ page: "inbox", threadId: thread.id });
  const preview = useMemo(() => {
    const m = thread.lastMessage;
    if (!m) return "";
    const prefix = m.direction === "OUTBOUND" ? "You: " : "";
    if (m.revokedAt) return `${prefix}(deleted)`;
    return prefix + (m.text ?? `(${m.type.replaceAll("_", " ")})`);
  }, [thread.lastMessage]);
  return (
    <li>
      <a
        href={to}
        aria-current={selected ? "page" : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(to);
        }}
      >
        <span className="thread-name">{contactName(thread)}</span>
        <span className="thread-time">{when(thread.lastMessageAt)}</span>
        <span className="thread-number">{userHandle(thread)}</span>
        <span className="thread-preview">{preview}</span>
      </a>
    </li>
  );
}
