import { useCallback, useEffect, useMemo, useState } from "react";
import { useClient, useQuery, useSubscription } from "urql";
import { InboxMessagesDocument, InboxThreadDocument, type InboxMessageFragment, type InboxThreadQuery } from "../generated/graphql.ts";

const PAGE = 30;

export interface ThreadMessages {
  result: ReturnType<typeof useQuery<InboxThreadQuery>>[0];
  thread: InboxThreadQuery["thread"] | undefined;
  /** Oldest first: the loaded pages, with every live change and every sent message in place. */
  messages: readonly InboxMessageFragment[];
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  loadOlder: () => Promise<void>;
  /** A message this console just sent, as the mutation answered (shown at once, before any event). */
  remember: (message: InboxMessageFragment) => void;
  /** A send queued again, as retrySend answered: replaces the failed one unless an event moved it on already. */
  requeued: (message: InboxMessageFragment) => void;
}

/**
 * The messages of one thread: the newest page first, older pages on demand, and the `messages`
 * subscription's changes replacing a message in place or adding it.
 */
export function useThreadMessages(threadId: string): ThreadMessages {
  const client = useClient();
  const [result] = useQuery({ query: InboxThreadDocument, variables: { id: threadId, last: PAGE } });
  const [older, setOlder] = useState<{ messages: readonly InboxMessageFragment[]; cursor: string | null; more: boolean } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [live, setLive] = useState<ReadonlyMap<string, InboxMessageFragment>>(new Map());

  const [event] = useSubscription({ query: InboxMessagesDocument, variables: { threadId } });
  useEffect(() => {
    const m = event.data?.messages;
    if (m) setLive((prev) => new Map(prev).set(m.id, m));
  }, [event.data]);

  // The mutation's answer can arrive after the worker's first events (SENDING, ACCEPTED): it never
  // replaces what an event already said about that message.
  const remember = useCallback((m: InboxMessageFragment) => setLive((prev) => (prev.has(m.id) ? prev : new Map(prev).set(m.id, m))), []);

  const requeued = useCallback(
    (m: InboxMessageFragment) =>
      setLive((prev) => {
        const state = prev.get(m.id)?.send?.state;
        return state && state !== "FAILED" && state !== "UNKNOWN" ? prev : new Map(prev).set(m.id, m);
      }),
    [],
  );

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

  return { result, thread, messages, hasOlder, loadingOlder, olderError, loadOlder, remember, requeued };
}
