import { z } from "zod";

/**
 * Meta's error for a send, as stored in Send.error: the fields the API shows (as MetaError) and
 * Meta's whole error object as it came (`meta`), so nothing Meta said is lost.
 */
export const sendErrorRecord = z.object({
  code: z.number().nullable(),
  title: z.string().nullable(),
  message: z.string().nullable(),
  details: z.string().nullable(),
  httpStatus: z.number().nullable(),
  meta: z.record(z.string(), z.unknown()).nullable(),
});
export type SendError = z.infer<typeof sendErrorRecord>;

/** A send error the hub records itself, not Meta (a hold that expired, a lifecycle change while queued). */
export function errorOfTheHub(message: string): SendError {
  return { code: null, title: null, message, details: null, httpStatus: null, meta: null };
}
