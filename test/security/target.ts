import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { API_TOKEN, APP_SECRET } from "../helpers/app.ts";
import { signLikeMeta } from "../helpers/meta.ts";
import type { ServerProcess } from "../helpers/process.ts";
import { processDatabase } from "../helpers/processDatabase.ts";
import { LEAK, rawGet } from "../helpers/rawHttp.ts";

/** Limits the suite's server runs with: small enough to reach in a test, as an operator would set them. */
export const LIMITS = {
  HTTP_HEADERS_TIMEOUT_MS: "1000",
  HTTP_REQUEST_TIMEOUT_MS: "3000",
  HTTP_MAX_CONNECTIONS: "60",
  HTTP_MAX_PENDING_CONNECTIONS: "10",
  STREAMS_MAX: "20",
  WS_MAX_UNAUTHENTICATED_SOCKETS: "10",
  WS_MAX_PAYLOAD_BEFORE_INIT: String(16 * 1024),
  WS_MAX_PAYLOAD: String(256 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: "3000",
  SEARCH_MAX_LENGTH: "200",
};

export interface Target {
  server: ServerProcess;
  url: string;
  port: number;
  /** DATABASE_URL of the server's own database (for stored tokens: test/helpers/tokens.ts). */
  databaseUrl: string;
  /** Deliveries the suite sent signed and got a 200 for: the only ones that may be stored. */
  signedAndAccepted: number;
  graphql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** POSTs bytes signed as Meta signs `signed` (default: the bytes themselves); counts a 200 as signed and accepted. */
  deliver(body: Buffer, signed?: Buffer): Promise<{ status: number; body: any }>;
  /** The process's resident memory, in MB. */
  rssMb(): number;
  /** Asserts what must hold after every attack. */
  stillSound(): Promise<void>;
}

/** The real server as its own process on a free port, with a fresh database of the suite's provider. */
export async function startTarget(env: Record<string, string> = {}): Promise<Target> {
  const database = processDatabase({ NODE_ENV: "production", ...LIMITS, ...env });
  const server = await database.start();
  const port = Number(new URL(server.url).port);
  const graphql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
  const target: Target = {
    server,
    url: server.url,
    port,
    databaseUrl: database.url,
    signedAndAccepted: 0,
    graphql,
    async deliver(body, signed = body) {
      const res = await fetch(`${server.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signLikeMeta(signed, APP_SECRET) },
        body: new Uint8Array(body),
      });
      if (res.status === 200) target.signedAndAccepted++;
      return { status: res.status, body: await res.json() };
    },
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))![1]) / 1024,
    async stillSound() {
      expect(server.child.exitCode, "the server process exited").toBeNull();
      const health = await rawGet(port, "/healthz");
      expect(health.status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok" } });
      const stored = await graphql("{ webhookDeliveries { totalCount } }");
      expect(stored.data.webhookDeliveries.totalCount, "only signed deliveries are stored").toBe(target.signedAndAccepted);
    },
  };
  return target;
}

/** An answer an attacker got: no stack frame, no path, no SQL, no database words. */
export function expectNoLeak(body: string): void {
  expect(body).not.toMatch(LEAK);
}
