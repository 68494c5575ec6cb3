/**
 * 4. Reads: the thread list and a thread's latest page of messages over 10,000 threads / 1,000,000
 * messages (seeded straight into a database the hub migrated), p50/p99 of single requests, plus the
 * SQL statements each request makes. Baseline: the same rows by hand-written SQL with better-sqlite3.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SeedInput, SeedResult } from "./lib/seedReads.ts";
import type { SeqInput, SeqResult } from "./lib/seqClient.ts";
import { messagesBody, threadsBody } from "./lib/readsQueries.ts";
import type { BenchResult, Row } from "./lib/report.ts";
import { collectProfile, profileEnv, profileFlags, removeDb, type Ctx } from "./lib/context.ts";
import { describeStatements, startCountingHub } from "./lib/sqlCount.ts";
import { API_TOKEN, BENCH, ROOT, log, runWorker, startHub, startServer, summarize, type ServerHandle } from "./lib/util.ts";

/** The seeded database, built once per (migrations, seed script, size) and reused. */
async function seededDatabase(ctx: Ctx, threads: number, perThread: number): Promise<{ file: string; seed: SeedResult; cached: boolean }> {
  const hash = createHash("sha256");
  const migrations = join(ROOT, "prisma/migrations/sqlite");
  for (const name of readdirSync(migrations).sort()) {
    const sql = join(migrations, name, "migration.sql");
    if (existsSync(sql)) hash.update(name).update(readFileSync(sql));
  }
  hash.update(readFileSync(join(BENCH, "lib/seedReads.ts"))).update(`${threads}x${perThread}`);
  const key = hash.digest("hex").slice(0, 16);
  const cacheDir = join(tmpdir(), "coexist-hub-bench");
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `reads-${threads}x${perThread}-${key}.db`);
  const meta = `${file}.json`;
  if (!ctx.reseed && existsSync(file) && existsSync(meta)) return { file, seed: JSON.parse(readFileSync(meta, "utf8")) as SeedResult, cached: true };

  const building = join(ctx.tmp, "reads-seed.db");
  removeDb(building);
  log(`reads: seeding ${threads.toLocaleString("en-US")} threads × ${perThread} messages (once; cached in ${cacheDir})`);
  const hub = await startHub({ databaseUrl: `file:${building}` }); // the hub creates and migrates the tables
  await hub.stop();
  const seed = await runWorker<SeedResult>("server", "bench/lib/seedReads.ts", { file: building, threads, perThread } satisfies SeedInput, 1_800_000);
  removeDb(file);
  renameSync(building, file);
  removeDb(building);
  writeFileSync(meta, JSON.stringify(seed));
  log(`reads: seeded in ${(seed.elapsedMs / 1000).toFixed(0)} s, ${seed.fileMb} MB`);
  return { file, seed, cached: false };
}

export async function reads(ctx: Ctx, base: Omit<BenchResult, "name" | "title" | "setup" | "sections" | "details" | "durationSec">): Promise<BenchResult> {
  const started = performance.now();
  const size = ctx.quick ? { threads: 2000, perThread: 50 } : { threads: 10000, perThread: 100 };
  const duration = ctx.quick ? 2 : 5;
  const { file: cached, seed, cached: wasCached } = await seededDatabase(ctx, size.threads, size.perThread);
  const file = join(ctx.tmp, "reads.db");
  removeDb(file);
  copyFileSync(cached, file);

  const headers = { authorization: `Bearer ${API_TOKEN}` };
  const queries = [
    { name: "threads", label: "thread list: threads(first: 50) + contact + lastMessage", bodies: [threadsBody(50)] },
    { name: "messages", label: "a thread's page: thread(id) { messages(last: 50) }", bodies: seed.sampleThreadIds.map((id) => messagesBody(id, 50)) },
  ] as const;
  type Key = `${"hub" | "sql"}:${"threads" | "messages"}`;
  const samples = new Map<Key, SeqResult[]>();

  const hub = await startHub({ databaseUrl: `file:${file}`, nodeFlags: profileFlags(ctx, "reads"), env: profileEnv(ctx, "reads") });
  let baseline: ServerHandle | null = null;
  let hubRss: number | null;
  let baseRss: number | null = null;
  try {
    baseline = await startServer({
      name: "hand-written SQL",
      nodeArgs: ["--import", "tsx", "bench/baselines/readsServer.ts"],
      env: { DATABASE_FILE: file, API_TOKENS: API_TOKEN },
    });
    for (let round = 1; round <= ctx.runs; round++) {
      const order =
        round % 2
          ? ([
              ["hub", hub],
              ["sql", baseline],
            ] as const)
          : ([
              ["sql", baseline],
              ["hub", hub],
            ] as const);
      for (const [kind, server] of order) {
        for (const q of queries) {
          const input: SeqInput = {
            url: server.url,
            path: "/graphql",
            bodies: [...q.bodies],
            headers,
            warmup: round === 1 ? 2 : 1,
            duration,
            expect: '"edges"',
          };
          const r = await runWorker<SeqResult>("load", "bench/lib/seqClient.ts", input);
          const key: Key = `${kind}:${q.name}`;
          samples.set(key, [...(samples.get(key) ?? []), r]);
          log(
            `reads round ${round}/${ctx.runs} ${kind === "hub" ? "hub" : "SQL"} ${q.name}: p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, ${r.perSec.toFixed(0)} req/s${r.failures ? `, ${r.failures} failed: ${r.firstFailure}` : ""}`,
          );
        }
      }
    }
  } finally {
    hubRss = (await hub.stop()).peakRssMb;
    if (baseline) baseRss = (await baseline.stop()).peakRssMb;
  }
  collectProfile(ctx, "reads");

  // Statements per request, and whether they grow with the page size (N+1).
  const counting = await startCountingHub(`file:${file}`, ctx.tmp);
  const run = (body: string) => async (url: string) => {
    const res = await fetch(url + "/graphql", { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`count run: ${res.status} ${text.slice(0, 300)}`);
  };
  const id = seed.sampleThreadIds[0]!;
  await counting.measure(run(threadsBody(50)));
  const counts = {
    threads50: await counting.measure(run(threadsBody(50))),
    threads10: await counting.measure(run(threadsBody(10))),
    messages50: await counting.measure(run(messagesBody(id, 50))),
    messages10: await counting.measure(run(messagesBody(id, 10))),
  };
  await counting.stop();
  removeDb(file);

  const s = (key: Key, f: (r: SeqResult) => number) => summarize((samples.get(key) ?? []).map(f));
  const rowsFor = (q: "threads" | "messages", label: string): Row[] => {
    const c50 = q === "threads" ? counts.threads50 : counts.messages50;
    const c10 = q === "threads" ? counts.threads10 : counts.messages10;
    const sqlCount = q === "threads" ? 1 : 2;
    return [
      { metric: `${label} — p50`, unit: "ms", hub: s(`hub:${q}`, (r) => r.latency.p50), baselines: [s(`sql:${q}`, (r) => r.latency.p50)] },
      {
        metric: `${label} — p99`,
        unit: "ms",
        hub: s(`hub:${q}`, (r) => r.latency.p99),
        baselines: [s(`sql:${q}`, (r) => r.latency.p99)],
        target: { op: "<=", value: 20 },
      },
      { metric: `${label} — requests/s (1 connection)`, unit: "/s", hub: s(`hub:${q}`, (r) => r.perSec), baselines: [s(`sql:${q}`, (r) => r.perSec)] },
      {
        metric: `${label} — SQL statements per request (page of 50 / of 10)`,
        unit: "",
        hub: summarize([c50.count]),
        baselines: [summarize([sqlCount])],
        met: c50.count === c10.count,
        targetLabel: "no N+1",
        note: `page of 50: ${c50.count}, page of 10: ${c10.count} — ${c50.count === c10.count ? "constant in the page size: no N+1" : "grows with the page size: N+1"}. Target: no N+1.`,
      },
    ];
  };
  return {
    ...base,
    name: "reads",
    title: "4. Reads",
    durationSec: (performance.now() - started) / 1000,
    setup: [
      `Data: ${seed.threads.toLocaleString("en-US")} threads / ${seed.messages.toLocaleString("en-US")} messages (${seed.fileMb} MB SQLite file). The hub creates and migrates the database, stops, and bench/lib/seedReads.ts fills it with better-sqlite3 multi-row INSERTs in Prisma's own formats: the WABA and PhoneNumber rows, a Contact and a Thread per user, ${size.perThread} messages per thread written in time order across all threads (so a thread's messages are spread over the file, as a live mirror's are), then every Thread's lastMessageAt/lastMessageId. No ANALYZE (the hub never runs one). ${wasCached ? "Seeded earlier and reused (same migrations, seed script and size)." : `Seeded in this run (${(seed.elapsedMs / 1000).toFixed(0)} s).`} Each benchmark run works on a copy.`,
      `Requests (GraphQL over HTTP with the API token): \`threads(first: 50) { edges { cursor node { id waId lastMessageAt contact { id waId profileName fullName } lastMessage { id wamid direction type text timestamp status } } } pageInfo { hasNextPage endCursor } }\`, and \`thread(id) { id waId messages(last: 50) { edges { cursor node { id wamid direction source type text timestamp status } } pageInfo { … } } }\` cycling over 1,000 threads.`,
      `Latency: one connection, one request at a time (bench/lib/seqClient.ts in a process on the load CPU, timed with performance.now(): autocannon's histogram keeps whole milliseconds), ${duration} s per query per run after a warm-up; hub and baseline alternate order per run and read the same file.`,
      "Baseline (bench/baselines/readsServer.ts): node:http + better-sqlite3 (read-only), the same JSON response; the list is one statement (Thread ⋈ Contact ⟕ Message on lastMessageId, ORDER BY lastMessageAt DESC, id DESC LIMIT 51), the page two (the thread; its messages ORDER BY timestamp DESC, id DESC LIMIT 51).",
      `Statement counts: a separate untimed run of the hub with bench/lib/sqlCounter.ts preloaded (\`node --import\`), which wraps better-sqlite3's Database#prepare and the statements it returns, and logs every execution; each request is made alone after a warm-up. Thread list: ${describeStatements(counts.threads50.statements).join(", ")}. Page: ${describeStatements(counts.messages50.statements).join(", ")}.`,
      `Peak RSS (VmHWM) after the runs: hub ${hubRss ?? "—"} MB, baseline ${baseRss ?? "—"} MB.`,
    ],
    sections: [
      { title: "4. Reads", baselineLabels: ["hand-written SQL"], rows: [...rowsFor("threads", "thread list"), ...rowsFor("messages", "thread page")] },
    ],
    details: [
      "<details><summary>SQL the hub ran for the two requests (page of 50)</summary>",
      "",
      "```sql",
      "-- threads(first: 50)",
      ...counts.threads50.statements.map((x) => x.slice(0, 1200)),
      "-- thread(id) { messages(last: 50) }",
      ...counts.messages50.statements.map((x) => x.slice(0, 1200)),
      "```",
      "",
      "</details>",
    ],
  };
}
