/**
 * Where a stored webhook delivery stands. RECEIVED: stored, not yet projected. PROCESSED: projected.
 * PARTIAL: projected except its failed items (kept for replay). FAILED: nothing projected (kept for replay).
 */
export const DELIVERY_STATUSES = ["RECEIVED", "PROCESSED", "PARTIAL", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
