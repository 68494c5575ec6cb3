import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { newestProfile, summarizeProfile, type ProfileSummary } from "./profile.ts";
import { BENCH, POSTGRES_URL, type ServerHandle } from "./util.ts";

export interface Ctx {
  quick: boolean;
  runs: number;
  postgres: boolean;
  /** Run the hub with --cpu-prof and collect summaries (timings are then not recorded). */
  profile: boolean;
  reseed: boolean;
  /** Fixed-rate latency with autocannon's overallRate instead of the paced open-loop generator. */
  autocannonRate: boolean;
  command: string;
  /**
   * --base: another checkout's hub (say, a git worktree of the commit before a change), built there
   * and run by the ingest benchmark as one more target in the same rounds, so a change is measured
   * against what it changed on the same machine at the same moment.
   */
  base: { root: string; commit: string } | null;
  /** A scratch directory for this invocation, removed at the end. */
  tmp: string;
  profiles: { label: string; summary: ProfileSummary; sql: { sql: string; count: number; ms: number }[] }[];
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "coexist-hub-bench-"));
}

/** SQLite database files (and their -wal/-shm). */
export function removeDb(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/**
 * node flags for a hub when profiling: a CPU profile and SQL statement times (bench/lib/sqlCounter.ts),
 * both into bench/profiles/<label>/. Without --profile, none.
 */
export function profileFlags(ctx: Ctx, label: string): string[] {
  if (!ctx.profile) return [];
  const dir = join(BENCH, "profiles", label);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "./bench/lib/sqlCounter.ts"];
}

/** Environment for a profiled hub (where the SQL statement times go); SQLite only. */
export function profileEnv(ctx: Ctx, label: string): Record<string, string> {
  return ctx.profile ? { BENCH_SQL_TIMES: join(BENCH, "profiles", label, "sql-times.json") } : {};
}

/** After the hub stopped: summarizes the CPU profile and the SQL times it wrote. */
export function collectProfile(ctx: Ctx, label: string): void {
  if (!ctx.profile) return;
  const dir = join(BENCH, "profiles", label);
  const file = newestProfile(dir);
  if (!file) return;
  const timesFile = join(dir, "sql-times.json");
  const sql = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, "utf8")) as { sql: string; count: number; ms: number }[]) : [];
  ctx.profiles.push({ label, summary: summarizeProfile(file, 20), sql });
}

export async function stopAll(servers: ServerHandle[]): Promise<Map<string, number | null>> {
  const rss = new Map<string, number | null>();
  await Promise.all(
    servers.map(async (s) => {
      const { peakRssMb } = await s.stop();
      rss.set(s.name, peakRssMb);
    }),
  );
  return rss;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a schema of its own per run

export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, "//…@")} not reachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export function freshPgSchema(): { url: string; schema: string; drop(): Promise<void> } {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  return {
    url: `${POSTGRES_URL}${POSTGRES_URL.includes("?") ? "&" : "?"}schema=${schema}`,
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
