/**
 * The load generator: autocannon's programmatic API in its own process (pinned to the load CPU by
 * the caller). Input on stdin (LoadInput), one JSON line (LoadResult) on stdout.
 */
import autocannon from "autocannon";
import { messageFactory } from "./payloads.ts";
import { readInput } from "./util.ts";

export type Generator =
  /** Signed `messages` deliveries, a distinct wamid per request (so every delivery is new). */
  | { kind: "messages"; secret: string; runId: string; users: number }
  /** POST bodies cycled through in order, shared by all connections. */
  | { kind: "bodies"; bodies: string[]; headers: Record<string, string> };

export interface LoadInput {
  url: string;
  path: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Requests per second over all connections (fixed-rate mode; latencies corrected for coordinated omission). */
  overallRate?: number;
  generator: Generator;
}

export interface LoadResult {
  duration: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Paced runs: requests not answered when the run ended (counted in the percentiles with the time waited so far). */
  unansweredAfterDrain?: number;
  /** 2xx per second. */
  okPerSec: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
}

const input = await readInput<LoadInput>();
const g = input.generator;

let setupRequest: (req: Record<string, any>) => Record<string, any>;
if (g.kind === "messages") {
  const make = messageFactory(g.secret, g.users);
  let n = 0;
  setupRequest = (req) => {
    n++;
    const { body, signature } = make(`wamid.bench.${g.runId}.${n}`, n);
    req.body = body;
    req.headers = { ...req.headers, "content-type": "application/json", "x-hub-signature-256": signature };
    return req;
  };
} else {
  const bodies = g.bodies.map((b) => Buffer.from(b, "utf8"));
  let n = 0;
  setupRequest = (req) => {
    req.body = bodies[n++ % bodies.length];
    req.headers = { ...req.headers, "content-type": "application/json", ...g.headers };
    return req;
  };
}

const result = await autocannon({
  url: input.url,
  connections: input.connections,
  duration: input.duration,
  ...(input.overallRate ? { overallRate: input.overallRate } : {}),
  timeout: 30,
  requests: [{ method: "POST", path: input.path, setupRequest }],
});

const ok = result["2xx"] as number;
const statusCodes: Record<string, number> = {};
for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (v as { count: number }).count;
const out: LoadResult = {
  duration: result.duration,
  ok,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  okPerSec: ok / result.duration,
  latency: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    mean: result.latency.mean,
  },
  statusCodes,
};
process.stdout.write(JSON.stringify(out) + "\n");
