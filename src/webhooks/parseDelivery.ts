import { readEnvelope, type WebhookChange } from "../webhooks/envelope.ts";
import { nothingParsed, parseChanges, type ParsedDelivery } from "../webhooks/fields/index.ts";

/**
 * Parses a delivery's changes (from its body unless the route parsed them), field by field; throws
 * with a clear reason when nothing of it can be read. A module of its own, importing only the
 * parsers: parseWorker.ts runs it on a thread of its own for large bodies (parseOffLoop.ts).
 */
export function parseDelivery(body: string, receivedAt: Date, changes?: readonly WebhookChange[]): ParsedDelivery {
  const parsed = parseChanges(changes ?? readEnvelope(JSON.parse(body)), receivedAt);
  // Nothing readable at all: the delivery FAILED (PARTIAL is for deliveries with something applied).
  if (nothingParsed(parsed)) throw new Error(parsed.failedItems.map((f) => (f.error.startsWith(f.path) ? f.error : `${f.path}: ${f.error}`)).join("; "));
  return parsed;
}
