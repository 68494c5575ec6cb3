import type { Logger } from "pino";
import { buildApp, type App } from "./app.ts";
import { loadConfig, loadDotEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { devSecretsNotice, saveDevSecrets } from "./devSecrets.ts";
import { createOwnerOnly } from "./storage/dataFiles.ts";

/** Starts the server from the environment and stops it gracefully on SIGINT/SIGTERM. */
export async function serve(): Promise<void> {
  // Before anything is written: the database, its folder and the development secrets are owner-only.
  createOwnerOnly();
  const fromDevFile = loadDotEnv();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig();
  } catch (error) {
    return fail(error);
  }
  const { config, generated } = loaded;
  const log = createLogger(config.logLevel);

  if (Object.keys(generated).length) {
    // Kept, so a restart, GraphiQL's headers pane and every `hub` command keep working; printed
    // once, on stderr, so a developer can sign test webhooks and open GraphiQL right away.
    const file = saveDevSecrets(generated);
    const lines = Object.entries(generated).map(([k, v]) => `  ${k}=${v}`);
    process.stderr.write(
      `\nNo value set for ${Object.keys(generated).join(", ")}; generated and kept in ${file} (later starts and \`hub\` commands read it; .env wins):\n${lines.join("\n")}\n\n`,
    );
  }
  // Every later start says where its secrets came from (the first start's output is long gone).
  if (fromDevFile.length) process.stderr.write(devSecretsNotice(fromDevFile));

  const app = await buildApp(config, log);
  let url: string;
  try {
    ({ url } = await app.start());
  } catch (error) {
    await app.stop().catch(() => {});
    return fail(error, config.port);
  }
  log.info({ url, graphql: `${url}/graphql`, webhook: `${url}/webhooks/whatsapp` }, "Coexist Hub listening");

  stopOnSignals(app, log, config.shutdownGraceMs);
}

/**
 * SIGTERM (what a container runtime or `npm start` passes on) and SIGINT stop the app: it finishes
 * the deliveries in hand, closes subscribers with 1001 and the database, and the process exits 0.
 * Past `graceMs` it exits 1 at once, before the runtime's SIGKILL: what was cut off was never
 * acknowledged, so Meta sends it again.
 */
function stopOnSignals(app: App, log: Logger, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, "shutting down");
    setTimeout(() => {
      log.error({ graceMs }, "shutdown took longer than SHUTDOWN_GRACE_MS; exiting with work unfinished");
      process.exit(1);
    }, graceMs).unref();
    app.stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop).on("SIGTERM", stop);
}

/**
 * A start that cannot succeed (bad configuration, port taken) says why in one line and exits 1:
 * a stack trace would bury the one thing to fix.
 */
function fail(error: unknown, port?: number): never {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  const message =
    code === "EADDRINUSE"
      ? `port ${port} is in use; set PORT to a free port (or stop what listens there)`
      : code === "EACCES"
        ? `not allowed to listen on port ${port}; set PORT to a port above 1023`
        : error instanceof Error
          ? error.message
          : String(error);
  process.stderr.write(`Coexist Hub cannot start: ${message}\n`);
  process.exit(1);
}
