import { useCallback, useEffect, useRef } from "react";
import { useQuery, useSubscription } from "urql";
import { ReplyGateDocument, ReplyGateEventsDocument } from "../generated/graphql.ts";

/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The thread's window and its number's sending state, kept current: read again when the WABA has
 * an account event (offboarded, reconnected, removed, restricted), when a newer message from the
 * customer arrives (it may open the window), and when the open window ends.
 */
export function useReplyGate(threadId: string, newestInbound: string | null) {
  const [result, refetch] = useQuery({ query: ReplyGateDocument, variables: { threadId } });
  const reread = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  const thread = result.data?.thread;
  const wabaId = thread?.phoneNumber.wabaId;

  const [event] = useSubscription({ query: ReplyGateEventsDocument, variables: { wabaId: wabaId ?? "" }, pause: !wabaId });
  useEffect(() => {
    if (event.data) reread();
  }, [event.data, reread]);

  const seenInbound = useRef(newestInbound);
  useEffect(() => {
    if (newestInbound === seenInbound.current) return;
    seenInbound.current = newestInbound;
    reread();
  }, [newestInbound, reread]);

  const closesAt = thread?.serviceWindow.open ? thread.serviceWindow.expiresAt : null;
  useEffect(() => {
    if (!closesAt) return;
    const timer = setTimeout(reread, Math.min(Math.max(new Date(closesAt).getTime() - Date.now() + 1000, 0), MAX_DELAY_MS));
    return () => clearTimeout(timer);
  }, [closesAt, reread]);

  return result;
}
