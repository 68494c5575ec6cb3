import { Signal } from "./signal.ts";
import { teardown } from "./teardown.ts";

/** One Server-Sent Event as graphql-yoga writes them: `event: next` with a JSON result, `event: complete`. */
export interface SseEvent {
  event: string;
  data: any;
}

export interface SseStream {
  /** The HTTP status; 0 when the connection was refused or dropped before an answer. */
  status: number;
  events: SseEvent[];
  /** Resolves once the server has ended the stream (or it failed). */
  ended: Promise<void>;
  /** Resolves once an event satisfies `predicate`; rejects after `ms`. */
  waitFor(predicate: (e: SseEvent) => boolean, ms: number, what: string): Promise<void>;
  close(): void;
}

/**
 * A GraphQL operation over SSE (`Accept: text/event-stream`), POST or GET, read with fetch as a
 * browser's EventSource would: resolves once the answer's head has arrived (for a subscription,
 * once the server has taken it in). Closed at the end of the test.
 */
export async function openSse(url: string, token: string, query: string, method: "GET" | "POST" = "POST"): Promise<SseStream> {
  const abort = new AbortController();
  teardown(() => abort.abort());
  const events: SseEvent[] = [];
  const signal = new Signal();
  const headers = { Accept: "text/event-stream", Authorization: `Bearer ${token}` };
  const init: RequestInit =
    method === "POST"
      ? { method, signal: abort.signal, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ query }) }
      : { method, signal: abort.signal, headers };
  const target = method === "POST" ? `${url}/graphql` : `${url}/graphql?query=${encodeURIComponent(query)}`;
  const res = await fetch(target, init).catch(() => null);
  const read = async () => {
    if (!res?.body) return;
    let buffer = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
          signal.notify();
        }
      }
    } catch {
      // Aborted by close() or the server dropped the connection: the stream has ended either way.
    }
  };
  const ended = read().finally(() => signal.notify());
  return {
    status: res?.status ?? 0,
    events,
    ended,
    waitFor: (predicate, ms, what) => signal.until(() => events.some(predicate), ms, what),
    close: () => abort.abort(),
  };
}

/** The code of the first error of an event's result, if it has one. */
export function errorCode(e: SseEvent): string | undefined {
  return e.data?.errors?.[0]?.extensions?.code;
}
