import { buildApp } from "./app.ts";
import { loadConfig, loadDotEnv } from "./env.ts";
import { createLogger } from "./logger.ts";

/** Starts the server from the environment and stops it gracefully on SIGINT/SIGTERM. */
export async function serve(): Promise<void> {
  loadDotEnv();
  const { config, generated } = loadConfig();
  const log = createLogger(config.logLevel);

  if (Object.keys(generated).length) {
    // Printed once, on stderr, so a developer can sign test webhooks and open GraphiQL right away.
    const lines = Object.entries(generated).map(([k, v]) => `  ${k}=${v}`);
    process.stderr.write(
      `\nNo value set for ${Object.keys(generated).join(", ")}; generated for this run (put them in .env to keep them):\n${lines.join("\n")}\n\n`,
    );
  }

  const app = await buildApp(config, log);
  const { url } = await app.start();
  log.info({ url, graphql: `${url}/graphql`, webhook: `${url}/webhooks/whatsapp` }, "Coexist Hub listening");

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      app.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
