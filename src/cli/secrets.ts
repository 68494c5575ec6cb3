import { Argument, Command } from "commander";
import { DEV_SECRETS, devSecretsFile, type DevSecret } from "../devSecrets.ts";
import { loadDotEnv } from "../env.ts";

/** Where a secret the hub reads comes from, as the server would see it from this folder. */
type SecretSource = "environment" | "dev-secrets" | "unset";

function sourceOf(key: DevSecret, fromDevFile: readonly DevSecret[]): SecretSource {
  return fromDevFile.includes(key) ? "dev-secrets" : process.env[key] ? "environment" : "unset";
}

/**
 * `hub secrets [NAME]`: without NAME, where each secret comes from (never its value); with NAME, its
 * value alone on stdout, for a shell: `curl "…&hub.verify_token=$(npm run -s hub -- secrets WHATSAPP_VERIFY_TOKEN)"`.
 * It reads what the server reads (the environment, .env, then in development data/dev-secrets.env),
 * so it works in a fresh development shell where none of them is exported.
 */
export function secretsCommand(): Command {
  return new Command("secrets")
    .summary("say where the app secret, verify token and API tokens come from, or print one")
    .description(
      "Without NAME: where each secret the server reads comes from (the environment or .env, the development " +
        "secrets file that the first start wrote, or nowhere yet), never the values.\n" +
        "With NAME: that secret's value alone, for a shell. It is a secret: print it only where you would paste it.",
    )
    .addArgument(new Argument("[name]", "the secret to print").choices(DEV_SECRETS))
    .addHelpText("after", "\nExamples:\n" + "  hub secrets\n" + "  npm run -s hub -- secrets WHATSAPP_VERIFY_TOKEN    (-s: npm prints nothing of its own)")
    .action((name: DevSecret | undefined) => {
      const fromDevFile = loadDotEnv();
      if (name) {
        const value = process.env[name];
        if (!value) throw new Error(`${name} is not set: start the hub once (npm start) to generate it, or set it in .env`);
        process.stdout.write(`${value}\n`);
        return;
      }
      const where: Record<SecretSource, string> = {
        environment: "the environment or .env",
        "dev-secrets": devSecretsFile(),
        unset: "not set (the first start generates it)",
      };
      for (const key of DEV_SECRETS) process.stdout.write(`${key.padEnd(22)} ${where[sourceOf(key, fromDevFile)]}\n`);
    });
}
