import type { z } from "zod";

/**
 * A string column read back as the union it was written from (statuses, states, directions,
 * sources, kinds): checked, not cast, so a value this version does not know is a clear error
 * naming the column instead of an enum value GraphQL cannot serialise.
 */
export function storedValue<T extends string>(column: string, values: readonly T[], value: string): T {
  const known = values.find((v) => v === value);
  if (known === undefined) throw new Error(`stored ${column} "${value}" is not one of ${values.join(", ")}`);
  return known;
}

/** The same for a nullable column: null stays null. */
export function storedValueOrNull<T extends string>(column: string, values: readonly T[], value: string | null): T | null {
  return value === null ? null : storedValue(column, values, value);
}

/**
 * A JSON column read back through the zod schema its type comes from: checked, not cast, so a
 * row written by another version that does not match is a clear error naming the column.
 */
export function storedJson<T extends z.ZodType>(column: string, schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`stored ${column} does not match its type: ${result.error.issues[0]?.message ?? "invalid"}`);
  return result.data;
}
