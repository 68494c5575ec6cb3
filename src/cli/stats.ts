import { Command, Option } from "commander";
import { CONNECTION_STATES } from "../domain/accountEvents.ts";
import { DELIVERY_STATUSES } from "../domain/deliveryStatus.ts";
import { HISTORY_SYNC_STATUSES, MESSAGE_SOURCES } from "../domain/mirrorEvents.ts";
import type { Db } from "../storage/client.ts";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";
import { describeTarget } from "../storage/provider.ts";
import { formatTable } from "./table.ts";

/** A count split by one column; every known value is listed, zero or not, so scripts can rely on the keys. */
export interface Breakdown {
  total: number;
  by: Record<string, number>;
}

export interface HubStats {
  wabas: Breakdown;
  deliveries: Breakdown;
  threads: number;
  messages: Breakdown;
  contacts: number;
  historySyncs: Breakdown;
}

export function statsCommand(): Command {
  return new Command("stats")
    .summary("count what the database holds")
    .description(
      "Counts what the hub has stored: WABAs by connectionState, webhook deliveries by status, threads, " +
        "messages by source (HISTORY, ECHO, WEBHOOK, API), contacts, and history syncs by status. Prints an " +
        "aligned table, or with --json one JSON object (shape below).\n\n" +
        "Reads the database directly: the hub may be running or not.",
    )
    .addOption(new Option("--json", "print one JSON object instead of the table"))
    .addOption(databaseUrlOption())
    .addHelpText(
      "after",
      "\nJSON shape (every known key present, zero or not):\n" +
        '  { "wabas":        { "total": n, "by": { "CONNECTED": n, "OFFBOARDED": n, … } },\n' +
        '    "deliveries":   { "total": n, "by": { "RECEIVED": n, "PROCESSED": n, "PARTIAL": n, "FAILED": n } },\n' +
        '    "threads": n,\n' +
        '    "messages":     { "total": n, "by": { "HISTORY": n, "ECHO": n, "WEBHOOK": n, "API": n } },\n' +
        '    "contacts": n,\n' +
        '    "historySyncs": { "total": n, "by": { "NOT_STARTED": n, "IN_PROGRESS": n, … } } }\n' +
        "\nExamples:\n  hub stats\n  hub stats --json | jq .deliveries.by.FAILED",
    )
    .action(async (options: { json?: boolean; databaseUrl?: string }) => {
      const target = await resolveDatabaseTarget(options.databaseUrl);
      const stats = await withDatabase(target, ({ prisma }) => collectStats(prisma));
      console.log(options.json ? JSON.stringify(stats, null, 2) : `database: ${describeTarget(target)}\n\n${statsTable(stats)}`);
    });
}

export async function collectStats(db: Db): Promise<HubStats> {
  const [wabas, deliveries, threads, messages, contacts, historySyncs] = await Promise.all([
    db.waba.groupBy({ by: ["connectionState"], _count: { _all: true } }),
    db.webhookDelivery.groupBy({ by: ["status"], _count: { _all: true } }),
    db.thread.count(),
    db.message.groupBy({ by: ["source"], _count: { _all: true } }),
    db.contact.count(),
    db.historySync.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  return {
    wabas: breakdown(
      CONNECTION_STATES,
      wabas.map((g) => [g.connectionState, g._count._all]),
    ),
    deliveries: breakdown(
      DELIVERY_STATUSES,
      deliveries.map((g) => [g.status, g._count._all]),
    ),
    threads,
    messages: breakdown(
      MESSAGE_SOURCES,
      messages.map((g) => [g.source, g._count._all]),
    ),
    contacts,
    historySyncs: breakdown(
      HISTORY_SYNC_STATUSES,
      historySyncs.map((g) => [g.status, g._count._all]),
    ),
  };
}

/** Known values in their documented order, then any value the database has that the code does not know. */
function breakdown(known: readonly string[], counts: readonly [string, number][]): Breakdown {
  const by: Record<string, number> = Object.fromEntries(known.map((k) => [k, 0]));
  for (const [key, n] of counts) by[key] = (by[key] ?? 0) + n;
  return { total: counts.reduce((sum, [, n]) => sum + n, 0), by };
}

export function statsTable(stats: HubStats): string {
  const section = (label: string, b: Breakdown) => [[label, b.total], ...Object.entries(b.by).map(([k, n]) => [`  ${k}`, n])];
  return formatTable([
    ...section("WABAs", stats.wabas),
    ...section("webhook deliveries", stats.deliveries),
    ["threads", stats.threads],
    ...section("messages", stats.messages),
    ["contacts", stats.contacts],
    ...section("history syncs", stats.historySyncs),
  ]);
}
