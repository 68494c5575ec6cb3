import { Argument, Command, Option } from "commander";
import { digitString, httpUrl, nonNegativeInt, positiveInt } from "./parsers.ts";
import { startProgress } from "./progress.ts";
import { SCENARIOS, planScenario, type Scenario, type ScenarioSettings } from "./scenarios.ts";
import { DEFAULT_BUSINESS } from "./samples.ts";
import { sampleSource } from "./sampleSource.ts";
import { endpoint, mapConcurrent, networkError, sendDelivery, type SendTarget } from "./sender.ts";
import { describeOutcomes, emptyTally, formatSummary, record, succeeded } from "./simulationReport.ts";

interface SimulateOptions {
  url: string;
  secret?: string;
  waba: string;
  phoneNumberId: string;
  displayNumber: string;
  seed?: number;
  messages: number;
  threads: number;
  chunkSize: number;
  count: number;
  concurrency: number;
}

const ALL = "all";

export function simulateCommand(): Command {
  return new Command("simulate")
    .summary("send signed sample webhooks to a running hub")
    .description(
      "Sends sample webhooks to a RUNNING hub exactly as Meta would: UTF-8 JSON with `/` escaped as `\\/`, " +
        "non-ASCII text, signed over Meta's escaped-unicode form with the app secret (X-Hub-Signature-256).\n\n" +
        "A delivery answered with a 5xx, or not answered, is retried up to 3 times with a short backoff; a 4xx " +
        "is not retried. Ends with a summary: sent, accepted (with the hub's outcomes), failed, elapsed, " +
        "deliveries/s. Exits 1 when a delivery was rejected or the hub could not project one.",
    )
    .addArgument(new Argument("<scenarios...>", "one or more scenarios (see Scenarios below)").choices([...SCENARIOS, ALL]))
    .addOption(new Option("--url <url>", "base URL of the running hub").default("http://localhost:4000").argParser(httpUrl))
    .addOption(
      new Option(
        "--secret <secret>",
        "app secret to sign with (default: the first of WHATSAPP_APP_SECRET, from the environment, .env or data/dev-secrets.env)",
      ),
    )
    .addOption(new Option("--waba <id>", "WABA id of every sample").default(DEFAULT_BUSINESS.wabaId).argParser(digitString))
    .addOption(
      new Option("--phone-number-id <id>", "business phone number id (value.metadata) of the thread samples")
        .default(DEFAULT_BUSINESS.phoneNumberId)
        .argParser(digitString),
    )
    .addOption(
      new Option("--display-number <digits>", "business display phone number of the thread samples")
        .default(DEFAULT_BUSINESS.displayNumber)
        .argParser(digitString),
    )
    .addOption(new Option("--seed <n>", "make ids, users and times deterministic: the same seed sends the same bytes").argParser(nonNegativeInt))
    .addOption(new Option("--messages <n>", "history: messages in the sync").default(1000).argParser(positiveInt))
    .addOption(new Option("--threads <n>", "history: users (threads) they are spread over").default(20).argParser(positiveInt))
    .addOption(
      new Option("--chunk-size <n>", "history: messages per chunk; keep chunks under WEBHOOK_MAX_BYTES (~300 bytes a message)")
        .default(100)
        .argParser(positiveInt),
    )
    .addOption(new Option("--count <n>", "echoes / inbound: how many messages (one delivery each)").default(10).argParser(positiveInt))
    .addOption(new Option("--concurrency <n>", "deliveries in flight at once").default(1).argParser(positiveInt))
    .addHelpText(
      "after",
      "\nScenarios:\n" +
        "  offboard-cycle   ACCOUNT_OFFBOARDED, then ACCOUNT_RECONNECTED for --waba:\n" +
        "                   it ends CONNECTED with one resolved disconnection.\n" +
        "  partner-removed  a PARTNER_REMOVED per reason (BUSINESS_DOWNGRADE,\n" +
        "                   PRIMARY_INACTIVITY, COMPANION_INACTIVITY, CHANGE_NUMBER,\n" +
        "                   USER_RE_REGISTERED), a PARTNER_ADDED between each two:\n" +
        "                   five disconnections with their recommended actions.\n" +
        "  history          a six-month history sync of --messages over --threads\n" +
        "                   users, phases 0/1/2, --chunk-size messages a delivery;\n" +
        "                   the progress bar counts chunks.\n" +
        "  echoes           --count messages sent from the WhatsApp Business app.\n" +
        "  inbound          --count text messages from users.\n" +
        "  all              all of the above, in that order.\n" +
        "\nExamples:\n" +
        "  hub simulate offboard-cycle --secret my-app-secret\n" +
        "  hub simulate history --messages 5000 --threads 50 --chunk-size 200 --seed 7\n" +
        "  npm run hub -- simulate all --url http://localhost:4000",
    )
    .action(async (scenarios: string[], options: SimulateOptions) => runSimulation(expand(scenarios), options));
}

/** `all` in place, and each scenario once, in the documented order. */
function expand(names: readonly string[]): Scenario[] {
  return SCENARIOS.filter((s) => names.includes(s) || names.includes(ALL));
}

async function runSimulation(scenarios: readonly Scenario[], options: SimulateOptions): Promise<void> {
  const target: SendTarget = { url: options.url, secret: await appSecret(options.secret) };
  await checkReachable(target.url);

  const source = sampleSource(options.seed);
  const settings: ScenarioSettings = {
    business: { wabaId: options.waba, phoneNumberId: options.phoneNumberId, displayNumber: options.displayNumber },
    messages: options.messages,
    threads: options.threads,
    chunkSize: options.chunkSize,
    count: options.count,
  };
  const total = emptyTally();
  const started = performance.now();
  for (const scenario of scenarios) {
    const plan = planScenario(scenario, source, settings);
    console.log(`${scenario}: ${plan.summary}`);
    const own = emptyTally();
    const progress = startProgress(scenario, plan.payloads.length, plan.unit);
    await mapConcurrent(plan.payloads, options.concurrency, async (payload) => {
      const result = await sendDelivery(target, payload);
      for (const tally of [own, total]) record(tally, result);
      progress.tick();
    });
    progress.stop();
    console.log(`  ${own.accepted}/${own.sent} accepted${describeOutcomes(own)}`);
  }
  console.log(formatSummary(total, performance.now() - started));
  if (!succeeded(total)) process.exitCode = 1;
}

/** The app secret to sign deliveries with: the flag, else the first of WHATSAPP_APP_SECRET (.env and the dev secrets loaded). */
export async function appSecret(flag: string | undefined): Promise<string> {
  // Loaded on use: env.ts brings zod, which `--help` does not need.
  const { loadDotEnv } = await import("../env.ts");
  loadDotEnv();
  const secret =
    flag ??
    (process.env.WHATSAPP_APP_SECRET ?? "")
      .split(",")
      .map((s) => s.trim())
      .find(Boolean);
  if (!secret) {
    throw new Error(
      "no app secret: pass --secret, or set WHATSAPP_APP_SECRET (in .env); run from the folder where a dev server started, it is read from data/dev-secrets.env",
    );
  }
  return secret;
}

/** One clear message up front beats a retried connection error for every delivery. */
async function checkReachable(url: string): Promise<void> {
  try {
    await (await fetch(endpoint(url, "/healthz"))).text();
  } catch (error) {
    throw new Error(`no hub answers at ${url} (${networkError(error)}); start one with \`hub serve\` or pass --url`, { cause: error });
  }
}
