import { WebSocket } from "ws";
import type { ExecutionResult } from "graphql";

/**
 * One JSON serialisation of a subscription result, however many sockets it goes to.
 *
 * Subscribers that share an execution (sharedSubscriptions.ts) receive the same result object; graphql-ws
 * would still `JSON.stringify` it once per subscriber (a 2 KB message, 1,000 times per event: a quarter of
 * the fan-out's CPU in the profile of bench/fanout.ts), and Node 20 has no `JSON.rawJSON` to hand it text.
 * So the result's payload is serialised once (cached by the result object) and stands in the message as
 * a `RawPayload`; graphql-ws serialises the small envelope (`{"id":…,"type":"next","payload":…}`) with
 * `rawPayloadReplacer`, which writes a placeholder for it and hands the text over; the socket
 * (`RawFrameSocket`) puts the text back in place of the placeholder as the frame is sent.
 *
 * The handover is synchronous: graphql-ws serialises a message and passes the string to its socket's
 * send in one expression (`socket.send(stringifyMessage(…))`), and ws's adapter calls our socket's
 * send() at once. A serialised message that is never sent (the socket closed meanwhile) leaves its text
 * behind, and the next message's serialisation replaces it. The placeholder can only match where a
 * message's top-level `payload` is a string, which no graphql-ws message has (`next`: an object,
 * `error`: an array), so no other frame is ever altered.
 */
export class RawPayload {
  constructor(readonly json: string) {}
}

const byResult = new WeakMap<object, RawPayload>();

/**
 * The payload of a `next` message for `result`, as graphql-ws builds it (errors through their
 * toJSON), serialised on the first call for this result object and reused for every later one.
 */
export function rawPayloadOf(result: ExecutionResult): RawPayload {
  let raw = byResult.get(result);
  if (!raw) {
    const { errors, ...withoutErrors } = result;
    raw = new RawPayload(JSON.stringify(errors ? { ...withoutErrors, errors: errors.map((e) => e.toJSON()) } : withoutErrors));
    byResult.set(result, raw);
  }
  return raw;
}

/** A `next` message with this payload, as graphql-ws writes it (id, type, payload, in that order). */
export function nextFrame(id: string, payload: RawPayload): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payload.json}}`;
}

const PLACEHOLDER = "\u0000raw-payload";
/** How the placeholder ends a serialised message: `"payload"` is its last key (graphql-ws writes id, type, payload). */
const TAIL = `"payload":${JSON.stringify(PLACEHOLDER)}}`;
let handedOver: string | null = null;

/** graphql-ws's `jsonMessageReplacer`: a RawPayload becomes the placeholder, its text kept for the send. */
export function rawPayloadReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof RawPayload)) return value;
  handedOver = value.json;
  return PLACEHOLDER;
}

/** `frame` with the handed-over text in place of its placeholder; any other frame unchanged. */
export function expandRawPayload(frame: string): string {
  const json = handedOver;
  handedOver = null;
  if (json === null || !frame.endsWith(TAIL)) return frame;
  return `${frame.slice(0, frame.length - TAIL.length)}"payload":${json}}`;
}

/** The server's sockets (ws's `WebSocket` option): string frames pass through expandRawPayload. */
export class RawFrameSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    // ws's own overloads (data[, options][, callback]) are passed on as they came.
    (super.send as (data: unknown, ...rest: unknown[]) => void)(typeof data === "string" ? expandRawPayload(data) : data, ...rest);
  }
}
