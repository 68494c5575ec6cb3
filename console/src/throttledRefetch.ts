import { useCallback, useEffect, useRef } from "react";

/** At most one re-read per this many milliseconds while subscription events stream in (issue #22). */
export const REFETCH_INTERVAL_MS = 1000;

/**
 * A refetch for live events that re-reads at most once per interval: the first event re-reads at
 * once (a single new message shows without delay); events arriving within the interval after it
 * are coalesced into one re-read at its end, which sees them all. A 1,000-message history import
 * streams ~1,000 events: one re-read per event was 800 requests from one tab.
 */
export function useThrottledRefetch(refetch: () => void, intervalMs = REFETCH_INTERVAL_MS): () => void {
  const last = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return; // a re-read is already due: it will see this event too
    const wait = last.current + intervalMs - performance.now();
    const fire = () => {
      timer.current = null;
      last.current = performance.now();
      latest.current();
    };
    if (wait <= 0) fire();
    else timer.current = setTimeout(fire, wait);
  }, [intervalMs]);
}
