/**
 * 6. Sending (issue #21): the hub as its own process (dist/main.js) with the fake Graph API
 * (src/cli/fakeGraphServer.ts) in the orchestrator; sends are `sendMessage` mutations over GraphQL
 * from a client process (bench/lib/sendClient.ts), as an application would make them. For the
 * throughput and the pace they are stored while the WABA is offboarded (HELD), then released by
 * ACCOUNT_RECONNECTED, so the queue's drain is measured apart from the mutations.
 *  - throughput: sends per second arriving at the fake for a number whose limits are set out of the
 *    way, against a direct `fetch` loop to the same fake in the same round;
 *  - pace: a coexistence number's sends at the fake, most in any one second and the mean rate, vs 20/s;
 *  - memory: the hub's peak RSS once 10,000 sends are queued for a coexistence number.
 */
import { mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { accountOffboarded, accountReconnected, DEFAULT_BUSINESS, echoText, inboundText, type SampleBusiness } from "../src/cli/samples.ts";
import { mostInAnyWindow, startFakeGraph, type FakeGraph, type RecordedRequest } from "../src/cli/fakeGraphServer.ts";
import type { SendClientInput, SendClientResult } from "./lib/sendClient.ts";
import { collectProfile, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { deliverSigned } from "./lib/payloads.ts";
import type { BenchResult } from "./lib/report.ts";
import { API_TOKEN, APP_SECRET, cpuSeconds, log, runWorker, sleep, startHub, summarize, type ServerHandle } from "./lib/util.ts";

const GRAPH_TOKEN = "bench-graph-token";
/** Meta's limit for a number that shares the WhatsApp Business app. */
const COEXISTENCE_RATE = 20;
/** Not rate-limited: the hub's own pace for other numbers, and Meta's pair limit, set out of the way. */
const OPEN: SampleBusiness = DEFAULT_BUSINESS;
const COEXISTENCE: SampleBusiness = { wabaId: "102290129340399", phoneNumberId: "106540352242923", displayNumber: "15550783882" };
const QUEUED = 10_000;
const CONCURRENCY = 16;

interface Round {
  hubPerSec: number;
  /** The hub's CPU (user + system) from the release to the last arrival, per send. */
  hubCpuMsPerSend: number;
  acceptedPerSec: number;
  directPerSec: number;
  mutationP50: number;
  mutationP99: number;
  directP50: number;
  paceMostInSecond: number;
  paceMeanRate: number;
  rssIdle: number | null;
  rssQueued: number | null;
  stillQueued: number;
}

/** Arrivals per second at the fake from the first to the last of them. */
const arrivalRate = (sends: readonly RecordedRequest[]) => {
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  return ((times.length - 1) / (times.at(-1)! - times[0]!)) * 1000;
};

async function deliver(hub: ServerHandle, payload: unknown): Promise<void> {
  const res = await deliverSigned(hub.url, payload, APP_SECRET);
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

/** A fresh hub on its own SQLite file, sending to `fake`; both numbers known, the second as coexistence (an echo named it). */
async function hubFor(dir: string, name: string, fake: FakeGraph, ctx?: Ctx): Promise<ServerHandle> {
  const hub = await startHub({
    databaseUrl: `file:${join(dir, `${name}.db`)}`,
    // --profile: the throughput hub's CPU profile and SQL times (bench/profiles/send-throughput/).
    nodeFlags: ctx ? profileFlags(ctx, `send-${name}`) : [],
    env: {
      ...(ctx ? profileEnv(ctx, `send-${name}`) : {}),
      GRAPH_API_URL: fake.url,
      GRAPH_API_TOKEN: GRAPH_TOKEN,
      SEND_RATE_PER_SECOND: "1000000",
      SEND_COEXISTENCE_RATE_PER_SECOND: String(COEXISTENCE_RATE),
      SEND_PAIR_INTERVAL_MS: "0",
    },
  });
  const at = Math.floor(Date.now() / 1000) - 60;
  await deliver(hub, inboundText(OPEN, { wamid: `wamid.bench.${name}.in`, user: "5511900000001", at, body: "oi", profileName: "Ana" }));
  await deliver(hub, echoText(COEXISTENCE, { wamid: `wamid.bench.${name}.echo`, user: "5511900000001", at, body: "do app" }));
  return hub;
}

/** Waits until the fake has `n` sends for `phoneNumberId` after `from` (an index into its record). */
async function arrivals(fake: FakeGraph, from: number, phoneNumberId: string, n: number, ms: number): Promise<RecordedRequest[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const sends = fake.requests.slice(from).filter((r) => r.phoneNumberId === phoneNumberId && r.path.endsWith("/messages") && !r.url.includes("/direct/"));
    if (sends.length >= n) return sends;
    if (Date.now() > deadline) throw new Error(`${sends.length}/${n} sends reached the fake within ${ms / 1000} s`);
    await sleep(20);
  }
}

/** `sends` stored HELD (the WABA offboarded), then released at once: the sends as they reach the fake. */
async function heldThenReleased(hub: ServerHandle, fake: FakeGraph, b: SampleBusiness, sends: number, prefix: string) {
  const at = Math.floor(Date.now() / 1000);
  await deliver(hub, accountOffboarded(b.wabaId, at - 20));
  const from = fake.requests.length;
  const accepted = await client("hub", hub, fake, b, sends, prefix);
  const cpu = cpuSeconds(hub.pid);
  await deliver(hub, accountReconnected(b.wabaId, at - 10));
  const arrived = await arrivals(fake, from, b.phoneNumberId, sends, 300_000);
  return { accepted, sends: arrived, cpuMsPerSend: ((cpuSeconds(hub.pid) - cpu) * 1000) / sends };
}

function client(mode: SendClientInput["mode"], hub: ServerHandle, fake: FakeGraph, b: SampleBusiness, sends: number, prefix: string) {
  const input: SendClientInput = {
    mode,
    hubUrl: hub.url,
    token: API_TOKEN,
    // The direct loop's own path prefix, so the fake's record tells its requests from the hub's.
    graphUrl: fake.url.replace(/\/v27\.0$/, "/direct/v27.0"),
    graphToken: GRAPH_TOKEN,
    phoneNumberId: b.phoneNumberId,
    sends,
    concurrency: CONCURRENCY,
    users: 40,
    prefix,
  };
  return runWorker<SendClientResult>("load", "bench/lib/sendClient.ts", input, 900_000).then((r) => {
    if (r.errors) throw new Error(`${mode}: ${r.errors} of ${sends} sends failed, the first: ${r.firstError}`);
    return r;
  });
}

async function round(ctx: Ctx, n: number, fake: FakeGraph): Promise<Round> {
  const dir = join(ctx.tmp, `send-${n}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const throughputSends = ctx.quick ? 1000 : 5000;
  const paceSends = ctx.quick ? 200 : 600;
  const hub = await hubFor(dir, "throughput", fake, ctx);
  const r = {} as Round;
  try {
    for (const mode of n % 2 ? (["hub", "direct"] as const) : (["direct", "hub"] as const)) {
      if (mode === "hub") {
        const { accepted, sends, cpuMsPerSend } = await heldThenReleased(hub, fake, OPEN, throughputSends, `tp${n}`);
        r.hubPerSec = arrivalRate(sends);
        r.hubCpuMsPerSend = cpuMsPerSend;
        r.acceptedPerSec = (throughputSends / accepted.ms) * 1000;
        [r.mutationP50, r.mutationP99] = [accepted.latency.p50, accepted.latency.p99];
      } else {
        const from = fake.requests.length;
        r.directP50 = (await client(mode, hub, fake, OPEN, throughputSends, `direct${n}`)).latency.p50;
        r.directPerSec = arrivalRate(fake.requests.slice(from).filter((s) => s.url.includes("/direct/")));
      }
    }
    const paced = (await heldThenReleased(hub, fake, COEXISTENCE, paceSends, `pace${n}`)).sends;
    r.paceMostInSecond = mostInAnyWindow(paced, 1000);
    r.paceMeanRate = arrivalRate(paced);
    // Before the memory round (minutes long, and under load the one that can fail): the figures compared most.
    log(
      `send round ${n}/${ctx.runs}, throughput: queue ${r.hubPerSec.toFixed(0)}/s vs direct ${r.directPerSec.toFixed(0)}/s (${(r.hubPerSec / r.directPerSec).toFixed(2)}×), hub CPU ${r.hubCpuMsPerSend.toFixed(2)} ms/send; sendMessage ${r.acceptedPerSec.toFixed(0)}/s accepted; pace: most in 1 s ${r.paceMostInSecond}, mean ${r.paceMeanRate.toFixed(2)}/s; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" / ")}`,
    );
  } finally {
    await hub.stop();
    collectProfile(ctx, "send-throughput");
    removeDb(join(dir, "throughput.db"));
  }
  // SEND_BENCH_MEMORY=0: the throughput and pace only, for comparing a change quickly (the memory round takes minutes).
  if (ctx.profile || process.env.SEND_BENCH_MEMORY === "0") return { ...r, rssIdle: null, rssQueued: null, stillQueued: NaN };

  // A hub of its own: the queue above drained, this one keeps 10,000 sends waiting for a 20/s number.
  const queued = await hubFor(dir, "queued", fake);
  try {
    r.rssIdle = queued.peakRssMb();
    const from = fake.requests.length;
    await client("hub", queued, fake, COEXISTENCE, QUEUED, `queued${n}`);
    await sleep(2000);
    r.rssQueued = queued.peakRssMb();
    r.stillQueued = QUEUED - fake.requests.slice(from).filter((s) => s.phoneNumberId === COEXISTENCE.phoneNumberId).length;
  } finally {
    await queued.stop();
    removeDb(join(dir, "queued.db"));
  }
  log(
    `send round ${n}/${ctx.runs}: sendMessage ${r.acceptedPerSec.toFixed(0)}/s accepted; queue ${r.hubPerSec.toFixed(0)}/s vs direct ${r.directPerSec.toFixed(0)}/s (${(r.hubPerSec / r.directPerSec).toFixed(2)}×); ` +
      `pace: most in 1 s ${r.paceMostInSecond}, mean ${r.paceMeanRate.toFixed(2)}/s; RSS idle ${r.rssIdle} MB, with ${r.stillQueued} queued ${r.rssQueued} MB`,
  );
  return r;
}

export async function send(ctx: Ctx, base: Omit<BenchResult, "name" | "title" | "setup" | "sections" | "details" | "durationSec">): Promise<BenchResult> {
  const started = performance.now();
  const rounds: Round[] = [];
  const fake = await startFakeGraph({ token: GRAPH_TOKEN });
  try {
    for (let n = 1; n <= ctx.runs; n++) rounds.push(await round(ctx, n, fake));
  } finally {
    await fake.close();
  }
  const per = (f: (r: Round) => number | null) => summarize(rounds.map((r) => f(r) ?? NaN));
  const throughputSends = ctx.quick ? 1000 : 5000;
  const paceSends = ctx.quick ? 200 : 600;
  return {
    ...base,
    name: "send",
    title: "6. Sending through the outbound queue",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `The hub (dist/main.js, SQLite, a fresh file per hub) on the server CPU; \`sendMessage\` mutations over GraphQL from a client process on the load CPU (bench/lib/sendClient.ts), ${CONCURRENCY} at a time, each a template (no service window needed) to one of 40 users; the fake Graph API (src/cli/fakeGraphServer.ts, the one the tests use) in the orchestrator, unpinned, recording each request's arrival time.`,
      `**Throughput**: ${throughputSends} sends to a number whose limits are set out of the way (SEND_RATE_PER_SECOND=1000000, SEND_PAIR_INTERVAL_MS=0), stored HELD while its WABA is offboarded and released by ACCOUNT_RECONNECTED, so the queue drains with no mutation competing; measured at the fake as arrivals per second from the first to the last. Baseline in the same round, against the same fake: a direct \`fetch\` loop posting the same request bodies, one at a time, waiting for each answer (an integration calling Meta itself). Hub and baseline alternate order per round.`,
      `**Pace**: ${paceSends} sends to a coexistence number (an smb_message_echoes change named it) at Meta's ${COEXISTENCE_RATE}/s, held and released the same way; the hub spaces them 10% wider than the limit (src/domain/sendPace.ts), so the mean rate should be about 18.2/s.`,
      `**Memory**: a second hub; ${QUEUED.toLocaleString("en-US")} sends to the coexistence number through sendMessage, then 2 s; peak RSS (VmHWM) of the hub then, against its peak before the first send. At 20/s nearly all of them are still queued.`,
    ],
    sections: [
      {
        title: "6. Sending",
        baselineLabels: ["direct fetch loop"],
        rows: [
          {
            metric: "sends per second at the fake (not rate-limited)",
            unit: "/s",
            hub: per((r) => r.hubPerSec),
            baselines: [per((r) => r.directPerSec)],
          },
          {
            metric: "  hub ÷ direct loop",
            unit: "×",
            hub: per((r) => r.hubPerSec / r.directPerSec),
            target: { op: ">=", value: 0.8 },
          },
          { metric: "  hub CPU per send (release to last arrival)", unit: "ms", hub: per((r) => r.hubCpuMsPerSend) },
          { metric: "sendMessage accepted per second (stored, not yet sent)", unit: "/s", hub: per((r) => r.acceptedPerSec) },
          { metric: "  sendMessage p50 / direct POST p50", unit: "ms", hub: per((r) => r.mutationP50), baselines: [per((r) => r.directP50)] },
          { metric: "  sendMessage p99", unit: "ms", hub: per((r) => r.mutationP99) },
          {
            metric: `coexistence number: most sends in any 1 s (limit ${COEXISTENCE_RATE})`,
            unit: "",
            hub: per((r) => r.paceMostInSecond),
            target: { op: "<=", value: COEXISTENCE_RATE },
          },
          {
            metric: "coexistence number: mean rate",
            unit: "/s",
            hub: per((r) => r.paceMeanRate),
            target: { op: "<=", value: COEXISTENCE_RATE },
          },
          { metric: "  pacing error (mean rate vs 20/s)", unit: "%", hub: per((r) => (r.paceMeanRate / COEXISTENCE_RATE - 1) * 100) },
          { metric: "hub peak RSS before any send", unit: "MB", hub: per((r) => r.rssIdle) },
          { metric: `hub peak RSS with ${QUEUED.toLocaleString("en-US")} sends queued`, unit: "MB", hub: per((r) => r.rssQueued) },
          { metric: "  sends still queued when read", unit: "", hub: per((r) => r.stillQueued) },
        ],
      },
    ],
    details: [],
  };
}
