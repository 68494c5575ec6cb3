/**
 * Preloaded into the hub for the ingest benchmark's "hub front (no storage)" target (bench/ingest.ts):
 * the hub as `npm start` runs it — HTTP, the route, signature, JSON, envelope, and each delivery's own
 * work in the batcher (the fields' parse and both hashes, `prepareDelivery`) — but every delivery is
 * then answered at once: no transaction, no row, nothing projected. Its rate is what the hub's code
 * in front of storage allows on this machine, an upper bound for the hub itself.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dist = (file) => pathToFileURL(join(process.cwd(), "dist", file)).href;
const { DeliveryBatcher, prepareDelivery } = await import(dist("ingest/batcher.js"));
const { processedOutcome } = await import(dist("ingest/projection.js"));

// The outcome the hub would report for the delivery once projected (or FAILED when its fields could not be read).
DeliveryBatcher.prototype.submit = async function submit(delivery) {
  const { parsed, incoming } = prepareDelivery(delivery);
  const outcome = parsed ? processedOutcome(parsed) : { outcome: "FAILED", error: incoming.error ?? "unknown" };
  return { ...outcome, deliveryId: "front", duplicate: false };
};
