import { parentPort } from "node:worker_threads";
import { PARSE_LISTS, type ParsedDelivery } from "../webhooks/fields/index.ts";
import { parseDelivery } from "./parseDelivery.ts";

/**
 * The thread parseOffLoop.ts parses large bodies on: JSON.parse, the envelope and every field's
 * parser (parseDelivery), then the result handed back in pieces of at most SLICE events, each only
 * when the main thread asks for it. Handed back at once, the pieces would be queued together, and
 * Node reads a port's whole queue in one go — deserialising a 3 MB chunk's 16,000 events is ~100 ms
 * of the main thread's loop; asked for one by one, the loop turns between pieces.
 */
export type ToWorker = { id: number; kind: "parse"; text: string; receivedAt: number } | { id: number; kind: "next" };
export type FromWorker = { id: number; kind: "piece"; piece: Partial<ParsedDelivery>; last: boolean } | { id: number; kind: "error"; message: string };

const SLICE = 500;
const waiting = new Map<number, Partial<ParsedDelivery>[]>();

/** The parse as pieces: each of its lists in slices (at least one piece, so an empty parse still answers). */
function piecesOf(parsed: ParsedDelivery): Partial<ParsedDelivery>[] {
  const pieces: Partial<ParsedDelivery>[] = [{}];
  for (const key of PARSE_LISTS) {
    for (let i = 0; i < parsed[key].length; i += SLICE) pieces.push({ [key]: parsed[key].slice(i, i + SLICE) });
  }
  return pieces;
}

function send(port: NonNullable<typeof parentPort>, id: number): void {
  const pieces = waiting.get(id);
  if (!pieces) return;
  const piece = pieces.shift()!;
  if (pieces.length === 0) waiting.delete(id);
  port.postMessage({ id, kind: "piece", piece, last: pieces.length === 0 } satisfies FromWorker);
}

const port = parentPort;
port?.on("message", (message: ToWorker) => {
  if (message.kind === "next") return send(port, message.id);
  try {
    waiting.set(message.id, piecesOf(parseDelivery(message.text, new Date(message.receivedAt))));
  } catch (error) {
    port.postMessage({ id: message.id, kind: "error", message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
    return;
  }
  send(port, message.id);
});
