import { z } from "zod";

// Apart from alertEvents.ts, so that `hub alerts --help` (which lists the event names) does not load zod.

/** What an alert event says, flat so that a receiver reads it without a schema: ids, names, reasons, times (ISO). */
export const alertDataRecord = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AlertData = z.infer<typeof alertDataRecord>;
