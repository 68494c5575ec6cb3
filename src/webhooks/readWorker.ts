import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { WebhookChange } from "./envelope.ts";
import { PARSE_LISTS, type ParsedDelivery } from "./fields/index.ts";
import { readLarge } from "./readLarge.ts";
import type { SignatureScheme } from "./signature.ts";

/**
 * The thread readOffLoop.ts reads large bodies on: signature, JSON, envelope and every field's
 * parser (readLarge), then the result handed back in pieces of at most SLICE events, each only
 * when the main thread asks for it. Handed back at once, the pieces would be queued together, and
 * Node reads a port's whole queue in one go — deserialising a 3 MB chunk's 16,000 events is ~100 ms
 * of the main thread's loop; asked for one by one, the loop turns between pieces.
 */
export type ToWorker =
  | { id: number; kind: "read"; body: Uint8Array; header: string | undefined; secrets: string[]; maxDepth: number; receivedAt: number }
  | { id: number; kind: "next" };
export type FromWorker =
  | { id: number; kind: "refused"; code: "BAD_SIGNATURE" | "BAD_BODY"; reason: string }
  /** `signed` null: the signature covers the body as it is. `error`: nothing of it could be read (no pieces follow). */
  | {
      id: number;
      kind: "head";
      scheme: SignatureScheme;
      signed: Uint8Array | null;
      text: string;
      hashes: { body: string; signed: string };
      changes: WebhookChange[];
      fields: string[];
      error: string | null;
      last: boolean;
    }
  /** Events of the parse of change number `change`. */
  | { id: number; kind: "piece"; change: number; piece: Partial<ParsedDelivery>; last: boolean }
  /** The thread itself failed on this body (not the body: that is "refused" or a head's error): read it in place. */
  | { id: number; kind: "failed"; message: string };

type Piece = { change: number; piece: Partial<ParsedDelivery> };

/**
 * The thread's nice value: it yields the core to the event loop. The hub's threads share its cores
 * (the bench pins the hub to one), and at equal priority the kernel gave this thread half of it
 * while a chunk was parsed, doubling every stretch of the loop meanwhile; at 10 it gets about a
 * tenth of a contended core (a 3 MB chunk then takes longer to answer) and all of an idle one.
 * On Linux a thread's own (setpriority applies to the calling thread); elsewhere it would be the
 * whole process's, so it is left alone there.
 */
export const READ_THREAD_NICE = 10;
// Only on the thread itself (a module imported on the main thread, by a test, must not lower the loop's priority).
if (parentPort && process.platform === "linux") {
  try {
    setPriority(READ_THREAD_NICE);
  } catch {
    // Not allowed here (a sandbox): the thread runs at the loop's priority, as before.
  }
}

const SLICE = 500;
const waiting = new Map<number, Piece[]>();

/** Each change's parse as pieces: each of its lists in slices (at least one piece per change, so an empty parse still arrives). */
function piecesOf(perChange: readonly ParsedDelivery[]): Piece[] {
  return perChange.flatMap((parsed, change) => {
    const pieces: Piece[] = [{ change, piece: {} }];
    for (const key of PARSE_LISTS) {
      for (let i = 0; i < parsed[key].length; i += SLICE) pieces.push({ change, piece: { [key]: parsed[key].slice(i, i + SLICE) } });
    }
    return pieces;
  });
}

function send(port: NonNullable<typeof parentPort>, id: number): void {
  const pieces = waiting.get(id);
  if (!pieces) return;
  const next = pieces.shift()!;
  if (pieces.length === 0) waiting.delete(id);
  port.postMessage({ id, kind: "piece", ...next, last: pieces.length === 0 } satisfies FromWorker);
}

function read(port: NonNullable<typeof parentPort>, m: Extract<ToWorker, { kind: "read" }>): void {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  const r = readLarge(body, m.header, m.secrets, m.maxDepth, new Date(m.receivedAt));
  if (!r.ok) return port.postMessage({ id: m.id, kind: "refused", code: r.code, reason: r.reason } satisfies FromWorker);
  const pieces = "error" in r.parsed ? [] : piecesOf(r.parsed.perChange);
  // A copy of just the signed bytes, handed over rather than copied again (escapedBytes' buffer is larger than its bytes).
  const signed = r.signed === body ? null : new Uint8Array(r.signed);
  const head: FromWorker = {
    id: m.id,
    kind: "head",
    scheme: r.scheme,
    signed,
    text: r.text,
    hashes: r.hashes,
    changes: r.changes,
    fields: r.fields,
    error: "error" in r.parsed ? r.parsed.error : null,
    last: pieces.length === 0,
  };
  if (pieces.length) waiting.set(m.id, pieces);
  port.postMessage(head, signed ? [signed.buffer] : []);
}

const port = parentPort;
port?.on("message", (message: ToWorker) => {
  if (message.kind === "next") return send(port, message.id);
  try {
    read(port, message);
  } catch (error) {
    port.postMessage({ id: message.id, kind: "failed", message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
  }
});
