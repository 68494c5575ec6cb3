import { z } from "zod";

/**
 * Where a stored webhook delivery stands. RECEIVED: stored, not yet projected. PROCESSED: projected.
 * PARTIAL: projected except its failed items (kept for replay). FAILED: nothing projected (kept for replay).
 */
export const DELIVERY_STATUSES = ["RECEIVED", "PROCESSED", "PARTIAL", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An item of a delivery that could not be read, kept with where it is: the rest of the delivery is applied. */
export const failedItemRecord = z.object({
  /** Where in the payload, e.g. "entry[0].changes[1].value.messages[2]". */
  path: z.string(),
  error: z.string(),
});
export type FailedItem = z.infer<typeof failedItemRecord>;
