import { Command, InvalidArgumentError, Option } from "commander";
import { databaseUrlOption, resolveDatabaseTarget, withDatabase } from "./database.ts";
import { formatTable } from "./table.ts";

// Meta's ids are decimal numbers.
const META_ID = /^\d{1,32}$/;
function metaId(value: string): string {
  if (!META_ID.test(value)) throw new InvalidArgumentError(`Meta's ids are digits only (got ${JSON.stringify(value)})`);
  return value;
}

interface OnboardOptions {
  waba: string;
  phoneNumber: string;
  code?: string;
  databaseUrl?: string;
}

/** `hub onboard`: onboardBusiness from the command line (src/outbound/onboardBusiness.ts). */
export function onboardCommand(): Command {
  return new Command("onboard")
    .summary("onboard a business after Embedded Signup: token, subscribed_apps, contact and history sync")
    .description(
      "Does what onboardBusiness does (docs/connect-meta.md), against the database directly: exchanges the Embedded " +
        "Signup code for the business's token when --code is given (needs WHATSAPP_APP_ID, WHATSAPP_APP_SECRET and " +
        "BUSINESS_TOKEN_KEY; the token is stored encrypted and never printed), subscribes the app to the WABA " +
        "(POST /{waba-id}/subscribed_apps), then requests the contact sync and the history sync " +
        "(POST /{phone-number-id}/smb_app_data; Meta takes each once, within 24 hours of onboarding).\n\n" +
        "Each step is recorded; the first that fails stops the rest, and running the command again runs only the steps " +
        "not DONE. Without --code the calls use GRAPH_API_TOKEN (or a business token stored earlier). Prints one line per " +
        "step; exits 1 if a step FAILED. GRAPH_API_URL points it at `hub fake-graph` to try it without Meta.",
    )
    .requiredOption("--waba <id>", "the WABA id Embedded Signup returned", metaId)
    .requiredOption("--phone-number <id>", "the phone number id Embedded Signup returned", metaId)
    .addOption(new Option("--code <code>", "Embedded Signup's exchangeable code (single-use and short-lived)"))
    .addOption(databaseUrlOption())
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  hub onboard --waba 102290129340398 --phone-number 106540352242922 --code AQB…\n" +
        "  hub onboard --waba 102290129340398 --phone-number 106540352242922   # retry what failed",
    )
    .action(async (options: OnboardOptions) => {
      const target = await resolveDatabaseTarget(options.databaseUrl);
      const { loadConfig } = await import("../env.ts");
      const { config } = loadConfig();
      const { createHubPubSub } = await import("../pubsub.ts");
      const { createGraphTokens } = await import("../outbound/graphTokens.ts");
      const { createOnboarding, OnboardingRefused } = await import("../outbound/onboarding.ts");
      const { readOnboardingSteps } = await import("../outbound/onboardBusiness.ts");
      // Through Redis, when the hub uses it, a running hub's subscribers see the syncs' requests too.
      const pubsub = await createHubPubSub({ redisUrl: config.redisUrl, channelPrefix: config.redisChannelPrefix });
      try {
        const steps = await withDatabase(target, async (storage) => {
          const tokens = createGraphTokens(storage, { defaultToken: config.graph.token, key: config.onboarding.tokenKey });
          const onboarding = createOnboarding(storage, pubsub, tokens, config);
          try {
            await onboarding.onboardBusiness({ wabaId: options.waba, phoneNumberId: options.phoneNumber, code: options.code?.trim() || null });
          } catch (error) {
            if (error instanceof OnboardingRefused) throw new Error(`${error.code}: ${error.message}`, { cause: error });
            throw error;
          }
          return readOnboardingSteps(storage, options.phoneNumber);
        });
        const rows = steps.map((s) => [s.name, s.state, s.at?.toISOString() ?? "", s.error ? `${s.error.code ?? ""} ${s.error.message ?? ""}`.trim() : ""]);
        console.log(formatTable([["STEP", "STATE", "AT", "ERROR"], ...rows]));
        if (steps.some((s) => s.state === "FAILED")) process.exitCode = 1;
      } finally {
        await pubsub.close();
      }
    });
}
