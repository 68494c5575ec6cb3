import { z } from "zod";
import { BSUID_PATTERN } from "./identityKey.ts";

/**
 * A user's identifiers as Meta sends them, checked but not converted: the webhook parsers and the
 * decoders of a stored message object read them with these, so both accept the same values.
 */

/**
 * A phone number: string (possibly with "+", spaces) or number; compared via digits(). Letters are
 * refused: digits("US.13491208655302741918") would turn a business-scoped user id into a phone
 * number that belongs to somebody else.
 */
export const rawPhone = z.union([
  z
    .string()
    .regex(/\d/, "expected a phone number")
    .refine((s) => !/[A-Za-z]/.test(s), "expected a phone number, not a business-scoped user id"),
  z.number().int().nonnegative(),
]);

/** A business-scoped user id (BSUID), kept exactly as sent. */
export const rawUserId = z.string().regex(BSUID_PATTERN, "expected a business-scoped user id like US.13491208655302741918");
