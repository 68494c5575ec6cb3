import { Command, Option } from "commander";
import { nonNegativeInt } from "./parsers.ts";

export function serveCommand(): Command {
  return new Command("serve")
    .summary("start the hub (webhooks, GraphQL, GraphiQL)")
    .description(
      "Starts the hub, the same as `npm start`: reads .env (variables already set win), applies pending " +
        "migrations, then serves the webhook endpoint (/webhooks/whatsapp), GraphQL and GraphiQL (/graphql), " +
        "graphql-ws subscriptions and /healthz, /readyz on one port. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.\n\n" +
        "Configuration is by environment (see .env.example): PORT, HOST, DATABASE_URL, WHATSAPP_APP_SECRET, " +
        "WHATSAPP_VERIFY_TOKEN, API_TOKENS, WEBHOOK_MAX_BYTES, LOG_LEVEL, NODE_ENV. In development a missing " +
        "secret or token is generated at the first start, printed once on stderr and kept in data/dev-secrets.env.",
    )
    .addOption(new Option("--port <port>", "port to listen on (overrides PORT; 0 picks a free one)").argParser(nonNegativeInt))
    .addHelpText("after", "\nExamples:\n  hub serve\n  hub serve --port 4100\n  DATABASE_URL=file:./data/demo.db npm run hub -- serve")
    .action(async (options: { port?: number }) => {
      if (options.port !== undefined) process.env.PORT = String(options.port);
      // Loaded on use: the server pulls in the whole schema, which `hub --help` should not wait for.
      const { serve } = await import("../serve.ts");
      await serve();
    });
}
