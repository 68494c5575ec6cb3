import type { z } from "zod";
import { describeIssues, type WebhookChange } from "../envelope.ts";

/** A change whose value does not match what Meta documents for its field. */
export class FieldParseError extends Error {
  constructor(change: WebhookChange, detail: string) {
    super(`entry[${change.entryIndex}].changes[${change.changeIndex}] (${change.field}): ${detail}`);
  }
}

export function parseWith<T extends z.ZodType>(schema: T, change: WebhookChange): z.infer<T> {
  const result = schema.safeParse(change.value);
  if (!result.success) throw new FieldParseError(change, describeIssues(result.error));
  return result.data;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
