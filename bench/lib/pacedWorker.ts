/**
 * Open-loop load at a fixed rate (like wrk2): request i is due at start + i/rate, requests are sent
 * when due over a pool of keep-alive connections, and latency is measured from the time a request
 * was *due*, so a server that falls behind is charged for the queue it causes (no coordinated
 * omission). Used for "latency at 1,000 deliveries/s" because autocannon's `overallRate` sends each
 * connection's share of a second back to back at the start of the second and then pauses (bursts,
 * not a steady rate), and corrects with an expected interval of ceil(1/rate) = 1 ms instead of
 * 1000/rate ms (autocannon 8, lib/httpClient.js and lib/run.js).
 * Runs in its own process on the load CPU. Input on stdin (PacedInput), one JSON line out (LoadResult).
 */
import { Agent, request } from "node:http";
import type { Generator, LoadResult } from "./loadWorker.ts";
import { messageFactory } from "./payloads.ts";
import { percentile, readInput } from "./util.ts";

export interface PacedInput {
  url: string;
  path: string;
  /** Requests per second. */
  rate: number;
  /** Seconds of sending. */
  duration: number;
  /** Keep-alive connections at most (requests beyond wait for one, and that wait counts). */
  connections: number;
  /** After the sending window, how long to wait for answers still outstanding, s. */
  drain: number;
  generator: Generator;
}

const input = await readInput<PacedInput>();
const g = input.generator;
const target = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: input.connections });

let make: (n: number) => { body: Buffer; headers: Record<string, string> };
if (g.kind === "messages") {
  const factory = messageFactory(g.secret, g.users);
  make = (n) => {
    const { body, signature } = factory(`wamid.paced.${g.runId}.${n}`, n);
    return { body, headers: { "x-hub-signature-256": signature } };
  };
} else {
  const bodies = g.bodies.map((b) => Buffer.from(b, "utf8"));
  make = (n) => ({ body: bodies[n % bodies.length]!, headers: g.headers });
}

const latencies: number[] = [];
const statusCodes: Record<string, number> = {};
let errors = 0;
let outstanding = 0;
/** Due times of requests not answered yet. */
const pending = new Map<number, number>();
let lastAnswer = 0;

function send(n: number, due: number): void {
  const { body, headers } = make(n);
  outstanding++;
  pending.set(n, due);
  const req = request(
    {
      host: target.hostname,
      port: target.port,
      path: input.path,
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
    },
    (res) => {
      res.resume();
      res.on("end", () => {
        outstanding--;
        pending.delete(n);
        lastAnswer = performance.now();
        const code = String(res.statusCode ?? 0);
        statusCodes[code] = (statusCodes[code] ?? 0) + 1;
        if (res.statusCode && res.statusCode < 300) latencies.push(performance.now() - due);
      });
    },
  );
  req.on("error", () => {
    outstanding--;
    pending.delete(n);
    errors++;
  });
  req.end(body);
}

const total = Math.round(input.rate * input.duration);
const start = performance.now() + 20;
let next = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && start + (next * 1000) / input.rate <= now) {
      send(next, start + (next * 1000) / input.rate);
      next++;
    }
    if (next < total) setTimeout(tick, 1);
    else resolve();
  };
  setTimeout(tick, 20);
});
const sentAt = performance.now();
while (outstanding > 0 && performance.now() - sentAt < input.drain * 1000) await new Promise((r) => setTimeout(r, 20));
const end = performance.now();
const elapsed = (Math.max(lastAnswer, sentAt) - start) / 1000;
const timeouts = outstanding;
const ok = latencies.length;
// Requests still unanswered count with the time they have waited so far: the percentiles are then
// lower bounds instead of leaving the slowest requests out.
for (const due of pending.values()) latencies.push(end - due);
agent.destroy();

const out: LoadResult = {
  duration: elapsed,
  ok,
  non2xx: Object.entries(statusCodes)
    .filter(([c]) => Number(c) >= 300)
    .reduce((a, [, n]) => a + n, 0),
  errors,
  timeouts,
  ...(timeouts ? { unansweredAfterDrain: timeouts } : {}),
  okPerSec: ok / elapsed,
  latency: {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : NaN,
    mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1),
  },
  statusCodes,
};
process.stdout.write(JSON.stringify(out) + "\n");
