/**
 * Probes of responsiveness: a small authenticated GraphQL query and `GET /healthz`, each sent open
 * loop at a fixed rate (request i is due at start + i/rate, latency measured from the time it was
 * due), so a server whose event loop is held for 10 s is charged for every probe that fell due in
 * those 10 s, not for one slow sample among fast ones (no coordinated omission).
 *
 * Two phases in one process, so they share the client, the connections and the machine's moment:
 * the baseline (the probes with nothing else going on), then the same probes while the big signed
 * deliveries are POSTed together, until every one of them is answered. Runs on the load CPU.
 * Input on stdin (ProbeInput), one JSON line out (ProbeResult).
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { percentile, readInput } from "./util.ts";

export interface ProbeInput {
  url: string;
  token: string;
  /** A small GraphQL query (its response must carry `"data"` and no `"errors"`). */
  query: string;
  /** Probes per second, per kind. */
  rate: number;
  /** Seconds of baseline probing (nothing ingested). */
  baseline: number;
  /** The deliveries to ingest together during the second phase: a file with the body, its signature. */
  deliveries: { label: string; file: string; signature: string }[];
}

export interface Latencies {
  count: number;
  failures: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ProbeResult {
  baseline: { graphql: Latencies; healthz: Latencies };
  ingest: { graphql: Latencies; healthz: Latencies };
  /** Each delivery's time to its answer, ms, and the answer's outcome. */
  deliveries: { label: string; ms: number; status: number; outcome: string }[];
  /** The ingest phase on the monotonic clock (µs, the clock of bench/lib/loopGaps.mjs in the hub). */
  ingestWindowUs: [number, number];
}

const input = await readInput<ProbeInput>();
const target = new URL(input.url);
// Enough sockets that a probe never waits for another probe's connection while the server is free.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(method: "GET" | "POST", path: string, body: Buffer | null, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path, method, agent, headers: body ? { ...headers, "content-length": String(body.length) } : headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

const graphqlBody = Buffer.from(JSON.stringify({ query: input.query }));
const probes = {
  graphql: async () => {
    const res = await send("POST", "/graphql", graphqlBody, { "content-type": "application/json", authorization: `Bearer ${input.token}` });
    return res.status === 200 && res.text.includes('"data"') && !res.text.includes('"errors"');
  },
  healthz: async () => (await send("GET", "/healthz", null, {})).status === 200,
};

/** Sends both probes at the rate until `until` resolves; the latencies of each, from their due times. */
async function probe(until: Promise<unknown>): Promise<{ graphql: Latencies; healthz: Latencies }> {
  const samples = { graphql: [] as number[], healthz: [] as number[] };
  const failures = { graphql: 0, healthz: 0 };
  const pending: Promise<void>[] = [];
  let done = false;
  void until.then(() => (done = true));
  const start = performance.now();
  for (let i = 0; !done; i++) {
    const due = start + (i * 1000) / input.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (const kind of ["graphql", "healthz"] as const) {
      pending.push(
        probes[kind]().then(
          (ok) => {
            samples[kind].push(performance.now() - due);
            if (!ok) failures[kind]++;
          },
          () => void failures[kind]++,
        ),
      );
    }
  }
  await Promise.all(pending);
  const stats = (kind: "graphql" | "healthz"): Latencies => ({
    count: samples[kind].length,
    failures: failures[kind],
    p50: percentile(samples[kind], 50),
    p99: percentile(samples[kind], 99),
    max: Math.max(...samples[kind]),
  });
  return { graphql: stats("graphql"), healthz: stats("healthz") };
}

const bodies = input.deliveries.map((d) => readFileSync(d.file));
const baseline = await probe(new Promise((r) => setTimeout(r, input.baseline * 1000)));

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const windowStart = monotonicUs();
const started = performance.now();
const ingesting = Promise.all(
  input.deliveries.map(async (d, i) => {
    const res = await send("POST", "/webhooks/whatsapp", bodies[i]!, { "content-type": "application/json", "x-hub-signature-256": d.signature });
    const outcome = (() => {
      try {
        return String((JSON.parse(res.text) as { outcome?: unknown }).outcome);
      } catch {
        return res.text.slice(0, 200);
      }
    })();
    return { label: d.label, ms: performance.now() - started, status: res.status, outcome };
  }),
);
const ingest = await probe(ingesting);
const result: ProbeResult = { baseline, ingest, deliveries: await ingesting, ingestWindowUs: [windowStart, monotonicUs()] };
agent.destroy();
process.stdout.write(JSON.stringify(result) + "\n");
