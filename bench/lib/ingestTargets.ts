/**
 * The servers one round of the ingest benchmark measures (bench/ingest.ts): the hub on each
 * database, the --base checkout's hub, and the baselines (bench/baselines/), all started together,
 * pinned to the server CPU, idle while another is measured.
 */
import { join } from "node:path";
import { profileEnv, profileFlags, type Ctx } from "./context.ts";
import { APP_SECRET, BENCH, startHub, startServer, type ServerHandle } from "./util.ts";

export type HubName = "hub (SQLite)" | "hub (PostgreSQL)";
/** The hub of --base's checkout, run in the same rounds: what a change is compared with. */
export type BaseName = "base hub (SQLite)" | "base hub (PostgreSQL)";
/** The group-commit ceiling (baselines/groupCommit.ts) on the hub's database kind. */
export type CeilingName = "group commit (SQLite)" | "group commit (PostgreSQL)";
/** The ceiling plus the rows a message's projection writes (baselines/projectionFloorSqlite.ts, projectionFloorPostgres.ts). */
export type FloorName = "projection floor (SQLite)" | "projection floor (PostgreSQL)";
/** The hub with every delivery answered once the route and the batcher's per-delivery work are done: no storage (lib/frontOnly.mjs). */
export const FRONT = "hub front (no storage)" as const;
export type TargetName = HubName | BaseName | CeilingName | FloorName | typeof FRONT | "HMAC only" | "HMAC + INSERT";

export const baseOf = (hub: HubName): BaseName => (hub === "hub (SQLite)" ? "base hub (SQLite)" : "base hub (PostgreSQL)");
export const ceilingOf = (hub: HubName): CeilingName => (hub === "hub (SQLite)" ? "group commit (SQLite)" : "group commit (PostgreSQL)");
export const floorOf = (hub: HubName): FloorName => (hub === "hub (SQLite)" ? "projection floor (SQLite)" : "projection floor (PostgreSQL)");

/** SQLite files of a round (removed by the caller with removeDb). */
export const ROUND_FILES = ["hub.db", "base.db", "baseline.db", "ceiling.db", "floor.db", "front.db"];

/** PostgreSQL schema URLs of a round, one per target that writes there (null: no PostgreSQL runs). */
export interface PgUrls {
  hub: string;
  base: string | null;
  ceiling: string;
  floor: string;
}

export async function startTargets(ctx: Ctx, round: number, dir: string, pg: PgUrls | null): Promise<[TargetName, ServerHandle][]> {
  const baseline = (name: TargetName, script: string, env: Record<string, string>) =>
    startServer({ name, nodeArgs: ["--import", "tsx", `bench/baselines/${script}`], env: { WHATSAPP_APP_SECRET: APP_SECRET, ...env } });
  const starting: [TargetName, Promise<ServerHandle>][] = [
    [
      "hub (SQLite)",
      startHub({
        name: "hub (SQLite)",
        databaseUrl: `file:${join(dir, "hub.db")}`,
        nodeFlags: profileFlags(ctx, `ingest-sqlite-${round}`),
        env: profileEnv(ctx, `ingest-sqlite-${round}`),
      }),
    ],
    ["HMAC only", baseline("HMAC only", "hmacServer.ts", {})],
    ["HMAC + INSERT", baseline("HMAC + INSERT", "sqliteServer.ts", { DATABASE_FILE: join(dir, "baseline.db") })],
    ["group commit (SQLite)", baseline("group commit (SQLite)", "groupCommitSqlite.ts", { DATABASE_FILE: join(dir, "ceiling.db") })],
    ["projection floor (SQLite)", baseline("projection floor (SQLite)", "projectionFloorSqlite.ts", { DATABASE_FILE: join(dir, "floor.db") })],
    // The hub's own start-up needs a database; the front never writes to it.
    [FRONT, startHub({ name: FRONT, databaseUrl: `file:${join(dir, "front.db")}`, nodeFlags: ["--import", join(BENCH, "lib", "frontOnly.mjs")] })],
  ];
  if (ctx.base) {
    starting.push(["base hub (SQLite)", startHub({ name: "base hub (SQLite)", databaseUrl: `file:${join(dir, "base.db")}`, root: ctx.base.root })]);
  }
  if (pg) {
    starting.push(
      ["hub (PostgreSQL)", startHub({ name: "hub (PostgreSQL)", databaseUrl: pg.hub, nodeFlags: profileFlags(ctx, `ingest-postgresql-${round}`) })],
      ["group commit (PostgreSQL)", baseline("group commit (PostgreSQL)", "groupCommitPostgres.ts", { DATABASE_URL: pg.ceiling })],
      ["projection floor (PostgreSQL)", baseline("projection floor (PostgreSQL)", "projectionFloorPostgres.ts", { DATABASE_URL: pg.floor })],
    );
    if (ctx.base && pg.base) {
      starting.push(["base hub (PostgreSQL)", startHub({ name: "base hub (PostgreSQL)", databaseUrl: pg.base, root: ctx.base.root })]);
    }
  }
  const settled = await Promise.allSettled(starting.map(([, p]) => p));
  const servers: [TargetName, ServerHandle][] = [];
  settled.forEach((r, i) => {
    if (r.status === "fulfilled") servers.push([starting[i]![0], r.value]);
  });
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(servers.map(([, s]) => s.stop()));
    throw failed.reason;
  }
  return servers;
}
