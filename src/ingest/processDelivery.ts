// Kept as the entry point for replay; the implementation is shared with batched ingestion.
export { processDelivery, type ProcessOutcome } from "./projectDeliveries.ts";
