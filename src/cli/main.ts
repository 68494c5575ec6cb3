import { readFileSync } from "node:fs";
import { Command } from "commander";
import { alertsCommand } from "./alerts.ts";
import { backupCommand, restoreCommand } from "./backup.ts";
import { fakeGraphCommand } from "./fakeGraph.ts";
import { migrateCommand } from "./migrate.ts";
import { onboardCommand } from "./onboard.ts";
import { numbersCommand } from "./numbers.ts";
import { replayCommand } from "./replay.ts";
import { secretsCommand } from "./secrets.ts";
import { serveCommand } from "./serve.ts";
import { simulateCommand } from "./simulate.ts";
import { statsCommand } from "./stats.ts";
import { tokensCommand } from "./tokens.ts";
import { createOwnerOnly } from "../storage/dataFiles.ts";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

export function hubProgram(): Command {
  const program = new Command("hub")
    .description(
      "Operator tool for Coexist Hub, which stores Meta's WhatsApp Business webhooks (account_update " +
        "lifecycle, history sync, echoes, messages) and serves them over GraphQL.\n\n" +
        "Every command reads .env from the current folder first (variables already set win), so it sees the " +
        "same DATABASE_URL and WHATSAPP_APP_SECRET as the server. Run `hub help <command>` for details.",
    )
    .version(version, "-V, --version", "print the hub's version")
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub serve                         start the server (as npm start)\n" +
        "  hub simulate all                  fill a running hub with sample webhooks\n" +
        "  hub stats                         what the database holds\n" +
        "  hub replay --failed               reprocess the deliveries that failed\n" +
        "  hub backup hub.backup             a backup, while the hub runs (hub restore to load it)\n" +
        "  hub tokens create --name inbox-acme --waba 1234 --scope read   a token for one business\n" +
        "  hub secrets                       where the app secret, verify token and API tokens come from\n" +
        "  hub fake-graph                    a fake Graph API to try sending without Meta\n" +
        "  hub onboard --waba 1234 --phone-number 5678 --code AQB…   token, subscribed_apps and the two syncs\n" +
        "  hub numbers rate 1065403 200      a number's own sending pace (messages per second)\n" +
        "  hub alerts add --url https://ops.example.com/alerts --events all   post alerts there (signed JSON)\n" +
        "  npm run hub -- stats --json       the same through npm (note the --)",
    );
  // addCommand, unlike command(), does not pass the program's settings on by itself.
  for (const command of [
    serveCommand(),
    migrateCommand(),
    simulateCommand(),
    replayCommand(),
    statsCommand(),
    tokensCommand(),
    onboardCommand(),
    numbersCommand(),
    alertsCommand(),
    secretsCommand(),
    backupCommand(),
    restoreCommand(),
    fakeGraphCommand(),
  ]) {
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}

/** Commands that keep running after their action returns; every other one is done when it returns. */
const LONG_RUNNING = new Set(["serve", "fake-graph"]);

/** Exits once stdout and stderr have flushed (pipes can be asynchronous, and output must not be cut). */
async function exitWhenFlushed(): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write("", () => resolve()))));
  process.exit();
}

// `hub migrate` and `hub serve` may create the database: owner-only, as the server makes it (src/storage/dataFiles.ts).
createOwnerOnly();
const program = hubProgram();
let ran = "";
program.hook("preAction", (_program, command) => {
  ran = command.name();
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander reports its own usage errors and exits; this is for failures while a command runs.
  process.stderr.write(`hub: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
// A one-shot command must not wait for connections the storage layer leaves idle: after applying
// migrations to PostgreSQL, a pool client of the schema engine keeps the process up for pg's 10 s
// idle timeout. A server that failed to start is done too.
if (!LONG_RUNNING.has(ran) || process.exitCode) await exitWhenFlushed();
