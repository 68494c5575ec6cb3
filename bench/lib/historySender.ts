/**
 * History-import load: signs every chunk first, then POSTs them with a few in flight and polls
 * GraphQL historySync(phoneNumberId) until it is COMPLETE and its chunks account for every message.
 * Runs in its own process on the load CPU. Input on stdin, one JSON line out.
 */
import { Agent } from "node:http";
import { postJson } from "./httpPost.ts";
import { signLikeMeta } from "../../src/webhooks/signature.ts";
import { buildHistory, type HistoryOptions } from "./historyData.ts";
import { PHONE_ID, metaJson } from "./payloads.ts";
import { percentile, readInput } from "./util.ts";

export interface SenderInput {
  url: string;
  secret: string;
  token: string;
  history: HistoryOptions;
  inFlight: number;
  pollMs: number;
  timeoutMs: number;
}

export interface SenderResult {
  chunks: number;
  messages: number;
  bytes: number;
  /** From the first POST until COMPLETE with every chunk's messages counted, ms. */
  elapsedMs: number;
  /** When the last POST was answered, ms after the first. */
  lastAnswerMs: number;
  statuses: Record<string, number>;
  chunkLatency: { p50: number; p99: number; max: number };
  finalStatus: string | null;
  countedMessages: number;
  completed: boolean;
}

const input = await readInput<SenderInput>();
const data = buildHistory(input.history);
const total = data.sizes.reduce((a, b) => a + b, 0);
const bodies = data.chunks.map((c) => {
  const text = metaJson(c);
  return { body: Buffer.from(text, "utf8"), signature: signLikeMeta(text, input.secret) };
});
const target = new URL(input.url);
const agent = new Agent({ keepAlive: true, maxSockets: input.inFlight + 2 });

function post(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return postJson(agent, target, path, body, headers);
}

const QUERY = "query Progress($p: String!) { historySync(phoneNumberId: $p) { status progress chunks { messages } } }";
async function progress(): Promise<{ status: string | null; counted: number }> {
  const res = await post("/graphql", Buffer.from(JSON.stringify({ query: QUERY, variables: { p: PHONE_ID } })), {
    authorization: `Bearer ${input.token}`,
  });
  const sync = (JSON.parse(res.text) as { data?: { historySync: { status: string; chunks: { messages: number }[] } | null } }).data?.historySync;
  return { status: sync?.status ?? null, counted: (sync?.chunks ?? []).reduce((a, c) => a + c.messages, 0) };
}

const statuses: Record<string, number> = {};
const latencies: number[] = [];
const t0 = performance.now();
let lastAnswer = 0;
let next = 0;
async function lane(): Promise<void> {
  while (next < bodies.length) {
    const b = bodies[next++]!;
    // Like Meta, a chunk that was not accepted (503: storage busy) is sent again, a few times.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const start = performance.now();
      const res = await post("/webhooks/whatsapp", b.body, { "x-hub-signature-256": b.signature });
      latencies.push(performance.now() - start);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status < 500) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    lastAnswer = performance.now() - t0;
  }
}

let done = false;
let final = { status: null as string | null, counted: 0 };
let elapsed = NaN;
const poller = (async () => {
  while (!done && performance.now() - t0 < input.timeoutMs) {
    await new Promise((r) => setTimeout(r, input.pollMs));
    final = await progress();
    if (final.status === "COMPLETE" && final.counted >= total) {
      elapsed = performance.now() - t0;
      return;
    }
  }
})();
await Promise.all(Array.from({ length: input.inFlight }, lane));
await poller;
done = true;

const out: SenderResult = {
  chunks: bodies.length,
  messages: total,
  bytes: bodies.reduce((a, b) => a + b.body.length, 0),
  elapsedMs: elapsed,
  lastAnswerMs: lastAnswer,
  statuses,
  chunkLatency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
  finalStatus: final.status,
  countedMessages: final.counted,
  completed: Number.isFinite(elapsed),
};
agent.destroy();
process.stdout.write(JSON.stringify(out) + "\n");
