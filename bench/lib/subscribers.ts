/**
 * Fan-out load: N graphql-ws clients (graphql-ws createClient over ws), each subscribed to
 * `messages` and `disconnections`, in this process (on the load CPU); it also sends the webhook
 * deliveries, one at a time, so the 200 and every receipt are timed on one clock. Latency of a
 * delivery = last subscriber's receipt − the webhook's 200 response. Input on stdin, one JSON line out.
 */
import { Agent, request } from "node:http";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { messageFactory, partnerRemoved, signed } from "./payloads.ts";
import { cpuSeconds, readInput, sleep } from "./util.ts";

export interface FanoutInput {
  url: string;
  token: string;
  secret: string;
  clients: number;
  /** Measured deliveries; every `disconnectionEvery`-th is an account_update opening a disconnection. */
  deliveries: number;
  disconnectionEvery: number;
  runId: string;
  /** Idle time between deliveries, ms. */
  gapMs: number;
  /** A delivery not received by every client within this is counted as missed. */
  waitMs: number;
  /** The server's process: its CPU time over the measured deliveries is reported (serverCpuMs). */
  serverPid?: number;
}

export interface FanoutResult {
  clients: number;
  subscribed: number;
  setupMs: number;
  deliveries: number;
  missed: number;
  /** Last receipt − 200, per delivery, ms. */
  afterOk: number[];
  /** Last receipt − request sent, per delivery, ms. */
  endToEnd: number[];
  /** The webhook's own response time, per delivery, ms. */
  webhookMs: number[];
  kinds: string[];
  errors: string[];
  /** The server's CPU (user + system) from the first measured delivery to the last receipt, ms; null without serverPid. */
  serverCpuMs: number | null;
}

export const MESSAGE_SUBSCRIPTION = "subscription Messages { messages { id wamid threadId direction source type text timestamp status } }";
export const DISCONNECTION_SUBSCRIPTION =
  "subscription Disconnections { disconnections { id wabaId kind reason initiatedBy occurredAt resolvedAt recommendedAction } }";

const input = await readInput<FanoutInput>();
const target = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const errors: string[] = [];

function post(body: Buffer, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: "/webhooks/whatsapp",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": String(body.length), "x-hub-signature-256": signature },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// Receipts per event key (a wamid or a WABA id): how many clients have it and when the last did.
const receipts = new Map<string, { count: number; last: number }>();
let waiting: { key: string; resolve: () => void } | null = null;
function receive(key: string): void {
  const now = performance.now();
  const r = receipts.get(key) ?? { count: 0, last: 0 };
  r.count++;
  r.last = now;
  receipts.set(key, r);
  if (waiting && waiting.key === key && r.count >= input.clients) waiting.resolve();
}

const clients: Client[] = [];
const t0 = performance.now();
let subscribed = 0;
for (let i = 0; i < input.clients; i += 50) {
  const batch = Array.from({ length: Math.min(50, input.clients - i) }, () => {
    const client = createClient({
      url: input.url.replace(/^http/, "ws") + "/graphql",
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${input.token}` },
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    const sink = (field: "messages" | "disconnections", keyOf: (d: any) => string) => ({
      next: (value: { data?: any; errors?: unknown }) => {
        if (value.errors && errors.length < 5) errors.push(JSON.stringify(value.errors).slice(0, 300));
        const d = value.data?.[field];
        if (d) receive(keyOf(d));
      },
      error: (e: unknown) => {
        if (errors.length < 5) errors.push(String((e as Error)?.message ?? (e as { reason?: string })?.reason ?? e));
      },
      complete: () => {},
    });
    client.subscribe(
      { query: MESSAGE_SUBSCRIPTION },
      sink("messages", (d) => d.wamid),
    );
    client.subscribe(
      { query: DISCONNECTION_SUBSCRIPTION },
      sink("disconnections", (d) => d.wabaId),
    );
    return new Promise<void>((resolve) => {
      client.on("connected", () => {
        subscribed++;
        resolve();
      });
      client.on("closed", () => resolve());
    });
  });
  await Promise.all(batch);
}

const makeMessage = messageFactory(input.secret, 1000);
let n = 0;
let phase = "warm";
function nextDelivery(): { key: string; kind: string; body: Buffer; signature: string } {
  n++;
  if (input.disconnectionEvery > 0 && n % input.disconnectionEvery === 0) {
    const wabaId = `9${String(Date.now()).slice(-9)}${phase === "warm" ? 1 : 2}${String(n).padStart(5, "0")}`;
    return { key: wabaId, kind: "disconnection", ...signed(partnerRemoved(wabaId, Math.floor(Date.now() / 1000)), input.secret) };
  }
  const wamid = `wamid.fanout.${input.runId}.${phase}.${n}`;
  return { key: wamid, kind: "message", ...makeMessage(wamid, n) };
}

/** Sends one delivery and waits until every client received it. */
async function deliver(waitMs: number): Promise<{ kind: string; afterOk: number; endToEnd: number; webhookMs: number } | null> {
  const d = nextDelivery();
  const all = new Promise<void>((resolve) => (waiting = { key: d.key, resolve }));
  const sent = performance.now();
  const status = await post(d.body, d.signature);
  const ok = performance.now();
  if (status !== 200 && errors.length < 5) errors.push(`webhook answered ${status}`);
  const timer = sleep(waitMs).then(() => "timeout" as const);
  const outcome = await Promise.race([all.then(() => "all" as const), timer]);
  waiting = null;
  const r = receipts.get(d.key);
  receipts.delete(d.key);
  if (outcome !== "all" || !r) return null;
  return { kind: d.kind, afterOk: r.last - ok, endToEnd: r.last - sent, webhookMs: ok - sent };
}

// Warm-up: until one message and one disconnection reach every client (the subscriptions are live).
const setupDeadline = performance.now() + 60_000;
const WARM = Math.max(4, input.disconnectionEvery);
let warm = 0;
while (warm < WARM && performance.now() < setupDeadline) {
  const r = await deliver(2_000);
  warm = r ? warm + 1 : 0;
}
const setupMs = performance.now() - t0;
n = 0;
phase = "run";

const out: FanoutResult = {
  clients: input.clients,
  subscribed,
  setupMs,
  deliveries: 0,
  missed: 0,
  afterOk: [],
  endToEnd: [],
  webhookMs: [],
  kinds: [],
  errors,
  serverCpuMs: null,
};
if (warm >= WARM) {
  const cpuBefore = input.serverPid === undefined ? null : cpuSeconds(input.serverPid);
  for (let i = 0; i < input.deliveries; i++) {
    const r = await deliver(input.waitMs);
    out.deliveries++;
    if (!r) out.missed++;
    else {
      out.afterOk.push(r.afterOk);
      out.endToEnd.push(r.endToEnd);
      out.webhookMs.push(r.webhookMs);
      out.kinds.push(r.kind);
    }
    await sleep(input.gapMs);
  }
  if (cpuBefore !== null && input.serverPid !== undefined) out.serverCpuMs = (cpuSeconds(input.serverPid) - cpuBefore) * 1000;
} else {
  errors.push("subscriptions did not all go live within 60 s");
}
await Promise.allSettled(clients.map((c) => Promise.resolve(c.dispose())));
agent.destroy();
process.stdout.write(JSON.stringify(out) + "\n");
