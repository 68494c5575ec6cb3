/**
 * `npx tsx bench/lib/heapSummary.ts <file.heapsnapshot> [n]`: what a V8 heap snapshot holds, by
 * self size — per node type (strings, code, arrays, objects…), per constructor, and the n largest
 * single nodes (a string's first characters, a script's name) — enough to see which modules and
 * caches the bytes belong to without opening DevTools. Self sizes only (no dominator tree).
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export function summarizeHeap(file: string, n = 30) {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const [TYPE, NAME, SIZE] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = s.snapshot.meta.node_types[0];
  const byType = new Map<string, number>();
  const byName = new Map<string, { bytes: number; count: number }>();
  const largest: { type: string; name: string; bytes: number }[] = [];
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + TYPE]!]!;
    const name = s.strings[s.nodes[i + NAME]!]!;
    const bytes = s.nodes[i + SIZE]!;
    total += bytes;
    byType.set(type, (byType.get(type) ?? 0) + bytes);
    const key = `${type}: ${type === "string" || type === "concatenated string" || type === "sliced string" ? "(strings)" : name.slice(0, 60)}`;
    const entry = byName.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += bytes;
    entry.count++;
    byName.set(key, entry);
    if (bytes >= 256 * 1024) largest.push({ type, name: name.slice(0, 100).replace(/\s+/g, " "), bytes });
  }
  const mb = (b: number) => Math.round((b / 1048576) * 100) / 100;
  return {
    totalMb: mb(total),
    byType: [...byType].sort((a, b) => b[1] - a[1]).map(([t, b]) => ({ type: t, mb: mb(b) })),
    byName: [...byName]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, n)
      .map(([k, v]) => ({ what: k, mb: mb(v.bytes), count: v.count })),
    largest: largest
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, n)
      .map((l) => ({ ...l, bytes: undefined, mb: mb(l.bytes) })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(summarizeHeap(process.argv[2]!, Number(process.argv[3] ?? 30)), null, 1));
}
