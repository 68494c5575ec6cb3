/**
 * Subscriptions re-read the published row so each client's selection shapes the query. With many
 * subscribers that is one identical query per subscriber for the same event; this shares one read
 * among the subscribers of one published event that asked for the same selection. The cache hangs
 * off the payload object itself, so a later event (an edit after a message) never sees an older row.
 */
const reads = new WeakMap<object, Map<string, Promise<unknown>>>();

export function readOnce<T>(payload: object, query: unknown, read: () => Promise<T>): Promise<T> {
  let byQuery = reads.get(payload);
  if (!byQuery) reads.set(payload, (byQuery = new Map<string, Promise<unknown>>()));
  const key = JSON.stringify(query);
  let pending = byQuery.get(key) as Promise<T> | undefined;
  if (!pending) byQuery.set(key, (pending = read()));
  return pending;
}
