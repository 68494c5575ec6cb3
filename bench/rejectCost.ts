/**
 * `npm run bench:reject` — what it costs the hub to reject a wrongly signed 1 MB webhook body,
 * ASCII against non-ASCII, both in the same run (issue #9: non-ASCII cost ~10× ASCII, because
 * the escaped form Meta signs was built, by a replace callback per character, before any HMAC).
 *
 * 1. The real server (`node dist/main.js`, as `npm start`, NODE_ENV=production), sequential POSTs
 *    from this process on loopback, the two kinds interleaved: server CPU time per rejection
 *    (utime+stime from /proc) and the client's median time to the 401.
 * 2. In-process, verifySignature alone, against the string-based escaping it replaced.
 * Target: non-ASCII at most ~2× ASCII.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { verifySignature, escapeLikeMeta } from "../src/webhooks/signature.ts";
import { buildHub, median, startHub } from "./lib/util.ts";

const SIZE = 1_000_000;
const ROUNDS = Number(process.env.REJECT_ROUNDS ?? 40);
const WRONG = "sha256=" + "0".repeat(64);

/** A Meta-shaped body of about SIZE bytes whose text is `unit` repeated. */
function body(unit: string): Buffer {
  const head = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"text":"';
  const tail = '"}}]}]}';
  const room = SIZE - head.length - tail.length;
  return Buffer.from(head + unit.repeat(Math.floor(room / Buffer.byteLength(unit))) + tail, "utf8");
}
const BODIES = { ascii: body("a"), "non-ASCII (é, 2 bytes each)": body("é"), "non-ASCII (€, 3 bytes each)": body("€") };
type Kind = keyof typeof BODIES;
const KINDS = Object.keys(BODIES) as Kind[];

const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};

async function server(): Promise<Record<Kind, { cpu: number; latency: number }>> {
  buildHub();
  const hub = await startHub({ databaseUrl: `file:${join(tmpdir(), `reject-cost-${process.pid}.db`)}` });
  const cpu = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const latencies = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  const post = async (kind: Kind, header = true) => {
    const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(header ? { "X-Hub-Signature-256": WRONG } : {}) },
      body: new Uint8Array(BODIES[kind]),
    });
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
  };
  try {
    for (const kind of KINDS) for (let i = 0; i < 5; i++) await post(kind); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of KINDS) {
        const before = cpuMs(hub.pid);
        const started = performance.now();
        await post(kind);
        latencies[kind].push(performance.now() - started);
        cpu[kind] += cpuMs(hub.pid) - before;
      }
    }
  } finally {
    await hub.stop();
  }
  return Object.fromEntries(KINDS.map((k) => [k, { cpu: cpu[k] / ROUNDS, latency: median(latencies[k]) }])) as never;
}

function inProcess(): Record<Kind, { now: number; before: number }> {
  const secrets = ["first-secret", "second-secret"];
  const before = (raw: Buffer) => {
    // What verifySignature did before issue #9: decode, escape by string replace, then every HMAC.
    const escaped = escapeLikeMeta(raw.toString("utf8"));
    for (const s of secrets) for (const b of [escaped, raw]) createHmac("sha256", s).update(b).digest();
  };
  const time = (fn: () => void) => {
    for (let i = 0; i < 5; i++) fn();
    const runs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      fn();
      runs.push(performance.now() - t);
    }
    return median(runs);
  };
  return Object.fromEntries(
    KINDS.map((k) => [k, { now: time(() => verifySignature(BODIES[k], WRONG, secrets)), before: time(() => before(BODIES[k])) }]),
  ) as never;
}

const fmt = (n: number) => n.toFixed(2);
const local = inProcess();
const remote = await server();
const ascii = (k: Kind) => k === "ascii";
console.log(
  `\nRejecting a wrongly signed ${SIZE.toLocaleString("en")}-byte body (${ROUNDS} interleaved rounds, two app secrets in-process, one on the server)\n`,
);
console.log(
  "| body | server CPU per rejection | × ASCII | client time to 401 (median) | × ASCII | verifySignature alone | × ASCII | before #9 (string escaping) | × ASCII |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const k of KINDS) {
  const r = remote[k];
  const l = local[k];
  const x = (a: number, b: number) => (ascii(k) ? "1.0" : (a / b).toFixed(1));
  console.log(
    `| ${k} | ${fmt(r.cpu)} ms | ${x(r.cpu, remote.ascii.cpu)} | ${fmt(r.latency)} ms | ${x(r.latency, remote.ascii.latency)} | ${fmt(l.now)} ms | ${x(l.now, local.ascii.now)} | ${fmt(l.before)} ms | ${x(l.before, local.ascii.before)} |`,
  );
}
