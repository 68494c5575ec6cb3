import { Command, Option } from "commander";
import type { Storage } from "../storage/db.ts";
import type { Db } from "../storage/client.ts";
import type { ReplayResult } from "../ingest/replayDeliveries.ts";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";
import { describeTarget } from "../storage/provider.ts";

interface ReplayOptions {
  failed?: boolean;
  received?: boolean;
  field?: string[];
  databaseUrl?: string;
}

export function replayCommand(): Command {
  return new Command("replay")
    .summary("reprocess stored webhook deliveries")
    .description(
      "Projects stored deliveries again from the bytes the hub kept: after a fix to a parser or a rule, or " +
        "for deliveries left RECEIVED by a crash. Each delivery is projected in one transaction, exactly as " +
        "when it arrived; a PROCESSED delivery is left as it is (ALREADY_PROCESSED).\n\n" +
        "Prints one line per delivery (id, status before, outcome, and the error or what changed) and a " +
        "summary. Exits 1 if any delivery still fails or an id is unknown.\n\n" +
        "Works on the database directly, so the hub may be running or not. Note: subscribers of a running " +
        "hub (graphql-ws) only see the replayed changes when REDIS_URL connects the instances (set it, and " +
        "REDIS_CHANNEL_PREFIX if the hub uses one, for this command too); otherwise the changes show in queries only.",
    )
    .argument("[deliveryIds...]", "ids of the deliveries to replay (webhookDeliveries { edges { node { id } } })")
    .addOption(
      new Option(
        "--failed",
        "replay every FAILED delivery and every PARTIAL one (its failed items are read again; what was applied stays as it is), oldest first",
      ),
    )
    .addOption(new Option("--received", "replay every delivery still RECEIVED (stored, never projected), oldest first"))
    .addOption(
      new Option(
        "--field <fields...>",
        "project again every delivery that carried one of these webhook fields, whatever its status (PROCESSED ones too), " +
          "oldest first: after an upgrade that reads a field earlier versions only stored (e.g. message_template_status_update); " +
          "what was applied stays as it is",
      ),
    )
    .addOption(databaseUrlOption())
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub replay --failed\n" +
        "  hub replay 6f1c2a9e-0b7d-4c55-9a51-2f0d3c8e4b11\n" +
        "  hub replay --field message_template_status_update user_preferences\n" +
        "  DATABASE_URL=file:./data/coexist-hub.db npm run hub -- replay --failed --received",
    )
    .action(async (ids: string[], options: ReplayOptions, command: Command) => {
      if (ids.length === 0 && !options.failed && !options.received && !options.field?.length) {
        command.error("name delivery ids, or pass --failed, --received and/or --field");
      }
      const target = await resolveDatabaseTarget(options.databaseUrl);
      console.log(`database: ${describeTarget(target)}`);
      const results = await withDatabase(target, (storage) => replayAll(storage, ids, options));
      console.log(summary(results));
      if (results.some(stillFailing)) process.exitCode = 1;
    });
}

async function replayAll(storage: Storage, ids: readonly string[], options: ReplayOptions): Promise<ReplayResult[]> {
  // Loaded on use: it pulls in every webhook parser.
  const { replayDeliveries } = await import("../ingest/replayDeliveries.ts");
  const { createHubPubSub } = await import("../pubsub.ts");
  // In memory unless REDIS_URL is set: then the running instances' subscribers get the changes too
  // (same channels as the server: REDIS_CHANNEL_PREFIX).
  const pubsub = await createHubPubSub({
    redisUrl: process.env.REDIS_URL || undefined,
    ...(process.env.REDIS_CHANNEL_PREFIX ? { channelPrefix: process.env.REDIS_CHANNEL_PREFIX } : {}),
    onRedisError: (error) => process.stderr.write(`redis: ${error.message} (subscribers may miss these changes)\n`),
  });
  try {
    return await replayDeliveries(
      storage,
      pubsub,
      await selectDeliveries(storage.prisma, ids, options),
      (result) => console.log(describe(result)),
      // --field projects PROCESSED deliveries again: the fields it names were stored and never projected.
      { again: !!options.field?.length },
    );
  } finally {
    await pubsub.close();
  }
}

/** The named ids first, in the order given, then the selected statuses; each delivery once. */
async function selectDeliveries(db: Db, ids: readonly string[], options: ReplayOptions): Promise<string[]> {
  const statuses = [...(options.failed ? ["FAILED", "PARTIAL"] : []), ...(options.received ? ["RECEIVED"] : [])];
  // `fields` is comma-separated: a field is the whole list, its first, last or a middle item.
  const carrying = (options.field ?? []).flatMap((f) => [
    { fields: f },
    { fields: { startsWith: `${f},` } },
    { fields: { endsWith: `,${f}` } },
    { fields: { contains: `,${f},` } },
  ]);
  const conditions = [...(statuses.length ? [{ status: { in: statuses } }] : []), ...carrying];
  const selected = conditions.length
    ? await db.webhookDelivery.findMany({
        where: { OR: conditions },
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        select: { id: true },
      })
    : [];
  return [...new Set([...ids, ...selected.map((d) => d.id)])];
}

function describe({ id, before, result }: ReplayResult): string {
  switch (result.outcome) {
    case "MISSING":
      return `${id}  no such delivery`;
    case "ALREADY_PROCESSED":
      return `${id}  ${before} → ALREADY_PROCESSED  nothing to do`;
    case "FAILED":
      return `${id}  ${before} → FAILED  ${result.error}`;
    case "PROCESSED":
    case "PARTIAL": {
      const unhandled = result.unhandledFields.length ? `; fields without a parser: ${result.unhandledFields.join(", ")}` : "";
      const failed = result.failedItems ? `; ${plural(result.failedItems, "item")} still failing` : "";
      return (
        `${id}  ${before} → ${result.outcome}  ${plural(result.accountEvents, "account event")}, ` +
        `${plural(result.messages, "message")}, ${plural(result.signals, "operators' event")}${unhandled}${failed}`
      );
    }
  }
}

const plural = (n: number, noun: string, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;

const stillFailing = (r: ReplayResult) => r.result.outcome === "FAILED" || r.result.outcome === "PARTIAL" || r.result.outcome === "MISSING";

function summary(results: readonly ReplayResult[]): string {
  if (results.length === 0) return "nothing to replay";
  const count = (outcome: string) => results.filter((r) => r.result.outcome === outcome).length;
  const parts = [
    `${count("PROCESSED")} processed`,
    `${count("ALREADY_PROCESSED")} already processed`,
    ...(count("PARTIAL") ? [`${count("PARTIAL")} partly failing`] : []),
    `${count("FAILED")} still failing`,
    ...(count("MISSING") ? [`${count("MISSING")} not found`] : []),
  ];
  return `replayed ${plural(results.length, "delivery", "deliveries")}: ${parts.join(", ")}`;
}
