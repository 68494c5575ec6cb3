/**
 * A closed-loop client for latency of single requests: one keep-alive connection, one request at a
 * time, each timed with performance.now() (autocannon's histogram keeps whole milliseconds, too
 * coarse for reads of a few ms). Runs in its own process on the load CPU. Input on stdin, one JSON
 * line out.
 */
import { Agent } from "node:http";
import { postJson } from "./httpPost.ts";
import { percentile, readInput } from "./util.ts";

export interface SeqInput {
  url: string;
  path: string;
  bodies: string[];
  headers: Record<string, string>;
  /** Seconds of warm-up (not recorded), then seconds measured. */
  warmup: number;
  duration: number;
  /** A response must contain this string to count as ok (e.g. `"edges"`). */
  expect?: string;
}

export interface SeqResult {
  requests: number;
  failures: number;
  perSec: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  bytes: number;
  firstFailure?: string;
}

const input = await readInput<SeqInput>();
const target = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const bodies = input.bodies.map((b) => Buffer.from(b, "utf8"));

function post(body: Buffer): Promise<{ status: number; text: string }> {
  return postJson(agent, target, input.path, body, input.headers);
}

let n = 0;
const warmEnd = performance.now() + input.warmup * 1000;
while (performance.now() < warmEnd) await post(bodies[n++ % bodies.length]!);

const latencies: number[] = [];
let failures = 0;
let bytes = 0;
let firstFailure: string | undefined;
const start = performance.now();
const end = start + input.duration * 1000;
while (performance.now() < end) {
  const t = performance.now();
  const res = await post(bodies[n++ % bodies.length]!);
  latencies.push(performance.now() - t);
  bytes += res.text.length;
  const ok = res.status === 200 && (!input.expect || res.text.includes(input.expect)) && !res.text.includes('"errors"');
  if (!ok) {
    failures++;
    firstFailure ??= `${res.status} ${res.text.slice(0, 300)}`;
  }
}
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
const out: SeqResult = {
  requests: latencies.length,
  failures,
  perSec: latencies.length / elapsed,
  latency: {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
  },
  bytes,
  ...(firstFailure ? { firstFailure } : {}),
};
process.stdout.write(JSON.stringify(out) + "\n");
