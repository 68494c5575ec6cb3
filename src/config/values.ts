import { z } from "zod";

/** The parsed values of one area's variables (its shape's output types). */
export type EnvOf<Shape extends z.core.$ZodShape> = z.infer<z.ZodObject<Shape>>;

/** A comma-separated list; empty entries dropped. */
export const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** "true"/"false"/"1"/"0"; unset means the environment's default (on, except in production). */
export const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

/** A whole number of at least 1 (milliseconds, counts, bytes). */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A configuration the hub refuses to start with, saying where the variables are explained. */
export function invalidConfiguration(detail: string): Error {
  return new Error(`invalid configuration: ${detail} (see .env.example)`);
}
