import { z } from "zod";
import type { FailedItem } from "../../domain/deliveryStatus.ts";
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

/** Records a failed item (a parser calls it instead of throwing, so its siblings still count). */
export type FailItem = (item: FailedItem) => void;

export function changePath(change: WebhookChange): string {
  return `entry[${change.entryIndex}].changes[${change.changeIndex}]`;
}

/**
 * Parses each item of one of a change's arrays on its own: those that match come back with their
 * index, each other one is recorded through `fail` with its path and what was wrong.
 */
export function parseItems<T extends z.ZodType>(
  schema: T,
  items: readonly unknown[] | undefined,
  change: WebhookChange,
  key: string,
  fail: FailItem,
): { item: z.infer<T>; index: number }[] {
  return (items ?? []).flatMap((raw, index) => {
    const result = schema.safeParse(raw);
    if (result.success) return [{ item: result.data, index }];
    // Issue paths from the change's value (e.g. "messages.1.timestamp"), as for a whole change.
    // A nested key ("history[0].threads") reads as its segments, like any other issue path.
    const keyPath = key
      .split(/[.[\]]+/)
      .filter(Boolean)
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [...keyPath, index, ...issue.path] }));
    fail({ path: `${changePath(change)}.value.${key}[${index}]`, error: describeIssues(new z.ZodError(issues)) });
    return [];
  });
}

/** How a parser records a failed item: through the delivery's collector, or (a direct call, no collector) by failing the whole change. */
export function itemFailer(change: WebhookChange, failItem: FailItem | undefined): FailItem {
  return (
    failItem ??
    ((item) => {
      throw new FieldParseError(change, item.error);
    })
  );
}

/**
 * Reads one item of a change with `read`: a FieldParseError it throws is recorded as that item's
 * failure (at `path`, from the change's value) and the item yields nothing, so its siblings still
 * count. Without a collector the error fails the whole change, as it is.
 */
export function readItem<T>(change: WebhookChange, path: string, failItem: FailItem | undefined, read: () => T[]): T[] {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof FieldParseError) || !failItem) throw error;
    failItem({ path: `${changePath(change)}.value.${path}`, error: error.message });
    return [];
  }
}
