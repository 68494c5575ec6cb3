import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/env.ts";
import { signLikeMeta } from "../src/webhooks/signature.ts";

/**
 * A hub on a free port with a throw-away SQLite database and known secrets, for the scripts that
 * drive the console in a browser (screenshots, bench/console.ts). Not for tests: they have
 * test/helpers/app.ts, which ties teardown to vitest.
 */
export const DEMO_TOKEN = "demo-api-token";
const DEMO_SECRET = "demo-app-secret";

export interface DemoHub {
  url: string;
  /** Posts a payload signed as Meta would (UTF-8, `/` escaped); resolves once answered 200. */
  deliver(payload: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoHub(): Promise<DemoHub> {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-demo-"));
  const { config } = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: `file:${join(dir, "demo.db")}`,
    WHATSAPP_APP_SECRET: DEMO_SECRET,
    WHATSAPP_VERIFY_TOKEN: "demo-verify-token",
    API_TOKENS: DEMO_TOKEN,
    LOG_LEVEL: "silent",
  });
  const app = await buildApp(config, pino({ level: "silent" }), { migrate: "in-process" });
  const { url } = await app.start();
  return {
    url,
    async deliver(payload) {
      const body = Buffer.from(JSON.stringify(payload).replace(/\//g, "\\/"), "utf8");
      const res = await fetch(`${url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signLikeMeta(body, DEMO_SECRET) },
        body: new Uint8Array(body),
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      await res.body?.cancel();
    },
    async stop() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
