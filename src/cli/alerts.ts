import { Command, InvalidArgumentError, Option } from "commander";
import { ALERT_EVENT_TYPES, ALERT_FORMATS, parseAlertEvents, type AlertFormat } from "../domain/alertEvents.ts";
import { describeTarget } from "../storage/provider.ts";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";
import { attemptTable, targetTable } from "./alertTables.ts";

// Names show in `list` and are what `remove` takes: shell- and log-safe, as token names are.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function nameArgument(value: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError("use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  return value;
}

function eventsArgument(value: string) {
  try {
    return parseAlertEvents(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

interface AddOptions {
  url: string;
  events: ReturnType<typeof parseAlertEvents>;
  format: "json" | "slack";
  name?: string;
  databaseUrl?: string;
}

/** `hub alerts`: where the hub posts its alerts, and what it posted (docs/alerts.md). */
export function alertsCommand(): Command {
  const alerts = new Command("alerts")
    .summary("HTTP targets the hub posts alerts to; their attempts; replay")
    .description(
      "The hub posts an alert to each target that asked for it when a disconnection opens or resolves, an offboarding or a " +
        "history sync stalls, a number nears Meta's inactivity cut-off, a template is paused or disabled, Meta opens an account " +
        "alert, a delivery fails, or a number's 24-hour sync deadline nears. Each event is posted once per target (however many " +
        "instances run), retried with backoff for ALERT_RETRY_MAX_MINUTES, and every POST is recorded.\n\n" +
        `Events: ${ALERT_EVENT_TYPES.join(", ")}.\n\n` +
        "Works on the database directly: the hub may be running or not (a running hub posts a replay within ALERT_POLL_INTERVAL_MS). " +
        "See docs/alerts.md for the body, the headers and how a receiver checks the signature.",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub alerts add --url https://ops.example.com/hub-alerts --events all --name ops\n" +
        "  hub alerts add --url https://hooks.slack.com/services/T/B/X --events disconnection.opened,inactivity.critical --format slack\n" +
        "  hub alerts list\n" +
        "  hub alerts attempts --failed\n" +
        "  hub alerts replay 6f1c…            an attempt (to its target) or an event (to every target it went to)\n" +
        "  hub alerts remove ops",
    );

  alerts.addCommand(
    new Command("add")
      .summary("add a target and print its signing secret once")
      .description(
        "Stores a target and prints its signing secret on stdout (only the secret, so `SECRET=$(hub alerts add …)` works; the " +
          "rest goes to stderr). A receiver checks X-Hub-Alert-Signature-256 with it (docs/alerts.md). With BUSINESS_TOKEN_KEY set " +
          "the secret is stored encrypted under it; without, in clear (the hub must read it back to sign).",
      )
      .requiredOption("--url <url>", "where to POST (http or https)")
      .requiredOption("--events <list>", `"all", or names separated by commas (${ALERT_EVENT_TYPES.join(", ")})`, eventsArgument)
      .addOption(
        new Option("--format <format>", "json: the signed generic body; slack: an incoming Slack webhook's { text, blocks }")
          .choices(["json", "slack"])
          .default("json"),
      )
      .addOption(new Option("--name <name>", "how list and remove call it (default: the URL's host and a suffix)").argParser(nameArgument))
      .addOption(databaseUrlOption())
      .action(async (options: AddOptions, command: Command) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { addAlertTarget, alertTargetUrl } = await import("../alerts/targets.ts");
        const { readBusinessTokenKey } = await import("../config/sending.ts");
        try {
          alertTargetUrl(options.url);
        } catch (error) {
          command.error(`error: option '--url <url>' argument '${options.url}' is invalid. ${error instanceof Error ? error.message : String(error)}`);
        }
        const format = options.format.toUpperCase() as AlertFormat;
        if (!ALERT_FORMATS.includes(format)) command.error(`error: --format: expected json or slack`);
        const key = readBusinessTokenKey();
        const made = await withDatabase(target, ({ prisma }) =>
          addAlertTarget(prisma, { url: options.url, events: options.events, format, name: options.name }, key),
        );
        process.stderr.write(
          `database: ${describeTarget(target)}\n` +
            `added alert target ${made.target.name} (${made.target.id}): ${made.target.format} to ${made.target.url}, events ${made.target.events.join(",")}\n` +
            (key ? "" : "BUSINESS_TOKEN_KEY is not set: the secret is stored in clear (see docs/alerts.md)\n") +
            "its signing secret follows; give it to the receiver now, the hub does not show it again:\n",
        );
        console.log(made.secret);
      }),
  );

  alerts.addCommand(
    new Command("list")
      .summary("show the targets (never a secret)")
      .addOption(new Option("--json", "one JSON array instead of the table"))
      .addOption(databaseUrlOption())
      .action(async (options: { json?: boolean; databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { listAlertTargets } = await import("../alerts/targets.ts");
        const all = await withDatabase(target, ({ prisma }) => listAlertTargets(prisma));
        console.log(options.json ? JSON.stringify(all, null, 2) : `database: ${describeTarget(target)}\n\n${targetTable(all)}`);
      }),
  );

  alerts.addCommand(
    new Command("remove")
      .summary("stop posting to a target (its attempts go with it)")
      .argument("<idOrName>", "the target's id or name (see hub alerts list)")
      .addOption(databaseUrlOption())
      .description("Removes the target and its attempts. Exits 1 if there is no such target.")
      .action(async (idOrName: string, options: { databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { removeAlertTarget } = await import("../alerts/targets.ts");
        if (!(await withDatabase(target, ({ prisma }) => removeAlertTarget(prisma, idOrName)))) {
          process.stderr.write(`hub: no alert target ${idOrName} (see hub alerts list)\n`);
          process.exitCode = 1;
          return;
        }
        console.log(`removed ${idOrName}`);
      }),
  );

  alerts.addCommand(
    new Command("attempts")
      .summary("what was posted: each attempt, its state and its last POST")
      .addOption(new Option("--target <idOrName>", "only this target's"))
      .addOption(new Option("--failed", "only the attempts that gave up"))
      .addOption(
        new Option("--limit <n>", "at most this many, newest first").argParser((v) => Math.min(1000, Math.max(1, Number.parseInt(v, 10) || 50))).default(50),
      )
      .addOption(new Option("--json", "one JSON array instead of the table"))
      .addOption(databaseUrlOption())
      .action(async (options: { target?: string; failed?: boolean; limit: number; json?: boolean; databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { listAttempts } = await import("../alerts/attempts.ts");
        const rows = await withDatabase(target, ({ prisma }) =>
          listAttempts(prisma, { target: options.target, failedOnly: options.failed ?? false, limit: options.limit }),
        );
        console.log(options.json ? JSON.stringify(rows, null, 2) : `database: ${describeTarget(target)}\n\n${attemptTable(rows)}`);
      }),
  );

  alerts.addCommand(
    new Command("replay")
      .summary("post an alert again (a new attempt)")
      .description(
        "Makes a new attempt, due now: of an attempt's event to its target, or of an event to every target it was first posted to. " +
          "The old attempts stay as they ended. A running hub posts it within ALERT_POLL_INTERVAL_MS. Exits 1 if the id is unknown.",
      )
      .argument("<attemptOrEventId>", "an attempt's or an event's id (see hub alerts attempts)")
      .addOption(databaseUrlOption())
      .action(async (id: string, options: { databaseUrl?: string }) => {
        const target = await resolveDatabaseTarget(options.databaseUrl);
        const { replayAlert, AlertNotFound } = await import("../alerts/replay.ts");
        const { readAlertRetryMaxMinutes } = await import("../config/alerts.ts");
        const maxMs = readAlertRetryMaxMinutes() * 60_000;
        try {
          const made = await withDatabase(target, (storage) => replayAlert(storage, id, maxMs));
          for (const a of made) console.log(a);
        } catch (error) {
          if (!(error instanceof AlertNotFound)) throw error;
          process.stderr.write(`hub: ${error.message}\n`);
          process.exitCode = 1;
        }
      }),
  );
  return alerts;
}
