/** Rows per multi-row INSERT (bulkInsert) / IN list: large history chunks are written in bulk, within SQLite's variable limit. */
export const BATCH = 500;

export function groupBy<T, V>(items: readonly T[], keyOf: (t: T) => string, valueOf: (t: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = groups.get(k);
    if (list) list.push(valueOf(item));
    else groups.set(k, [valueOf(item)]);
  }
  return groups;
}

export function uniqueBy<T>(items: readonly T[], keyOf: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = keyOf(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
