import { readEnvelope, type WebhookChange } from "./envelope.ts";
import { emptyParse, nothingParsed, parseChanges, type ParsedDelivery } from "./fields/index.ts";

/**
 * Parses a delivery's changes (from its body unless the route parsed them), field by field; throws
 * with a clear reason when nothing of it can be read. A module of its own, importing only the
 * parsers: readWorker.ts runs it on a thread of its own for large bodies (readOffLoop.ts).
 */
export function parseDelivery(body: string, receivedAt: Date, changes?: readonly WebhookChange[]): ParsedDelivery {
  return readable(parseChanges(changes ?? readEnvelope(JSON.parse(body)), receivedAt));
}

/** A delivery's parse, whole and change by change (each change's as parseChanges gives it alone). */
export interface ChangeParses {
  whole: ParsedDelivery;
  perChange: ParsedDelivery[];
}

/**
 * parseDelivery, keeping each change's parse too: what projecting a large delivery piece by piece
 * needs (a refused event's path names its change) without the changes' values, which a body read
 * off the loop does not bring back (readOffLoop.ts). Throws as parseDelivery does.
 */
export function parseEachChange(changes: readonly WebhookChange[], receivedAt: Date): ChangeParses {
  const perChange = changes.map((change) => parseChanges([change], receivedAt));
  return { whole: readable(mergeParses(perChange)), perChange };
}

/** The parses of a delivery's changes put together: what parseChanges of them all gives. */
export function mergeParses(parts: readonly ParsedDelivery[]): ParsedDelivery {
  const into = emptyParse();
  for (const part of parts) {
    into.accountEvents.push(...part.accountEvents);
    into.mirrorEvents.push(...part.mirrorEvents);
    into.signalEvents.push(...part.signalEvents);
    into.failedItems.push(...part.failedItems);
    for (const field of part.unhandledFields) if (!into.unhandledFields.includes(field)) into.unhandledFields.push(field);
  }
  return into;
}

/** The parse, unless nothing of the delivery could be read: then the delivery FAILED (PARTIAL is for deliveries with something applied). */
function readable(parsed: ParsedDelivery): ParsedDelivery {
  if (nothingParsed(parsed)) throw new Error(parsed.failedItems.map((f) => (f.error.startsWith(f.path) ? f.error : `${f.path}: ${f.error}`)).join("; "));
  return parsed;
}
