import type { AttemptSummary } from "../alerts/attempts.ts";
import type { AlertTargetSummary } from "../alerts/targets.ts";
import { formatTable } from "./table.ts";

const time = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

export function targetTable(all: readonly AlertTargetSummary[]): string {
  if (all.length === 0) return "no alert targets; add one with hub alerts add --url <url> --events all";
  return formatTable([
    ["id", "name", "format", "events", "url", "created"],
    ...all.map((t) => [t.id, t.name, t.format, t.events.join(","), t.url, time(t.createdAt)]),
  ]);
}

/** The last POST in a few words: its status and time, or its network error. */
function outcome(a: AttemptSummary): string {
  if (!a.last) return "not posted yet";
  return `${a.last.status ?? a.last.error ?? "?"} in ${a.last.durationMs} ms`;
}

export function attemptTable(all: readonly AttemptSummary[]): string {
  if (all.length === 0) return "no alert attempts";
  return formatTable([
    ["attempt", "event", "type", "target", "state", "tries", "last", "created"],
    ...all.map((a) => [a.id, a.eventId, a.eventType, a.target, a.state, a.tries, outcome(a), time(a.createdAt)]),
  ]);
}
