/**
 * Statement counting: a separate, untimed run of the hub with bench/lib/sqlCounter.ts preloaded,
 * which appends every SQL statement Prisma sends to better-sqlite3 to a log file. Requests are made
 * one at a time on an otherwise idle server, so the lines added during a request are its statements.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startHub, type ServerHandle } from "./util.ts";

export interface Counted {
  count: number;
  statements: string[];
}

export interface CountingHub {
  hub: ServerHandle;
  measure(action: (url: string) => Promise<void>): Promise<Counted>;
  stop(): Promise<void>;
}

export async function startCountingHub(databaseUrl: string, dir: string): Promise<CountingHub> {
  const file = join(dir, `statements-${Date.now()}.log`);
  writeFileSync(file, "");
  const hub = await startHub({
    name: "hub (statement count)",
    databaseUrl,
    nodeFlags: ["--import", "./bench/lib/sqlCounter.ts"],
    env: { BENCH_SQL_LOG: file },
  });
  const lines = () => readFileSync(file, "utf8").split("\n").filter(Boolean);
  return {
    hub,
    async measure(action) {
      const before = lines().length;
      await action(hub.url);
      const after = lines();
      const statements = after.slice(before);
      return { count: statements.length, statements };
    },
    async stop() {
      await hub.stop();
    },
  };
}

/** Statements grouped as "SELECT Message ×3" lines, for the report. */
export function describeStatements(statements: readonly string[]): string[] {
  const kinds = statements.map((s) => {
    const verb = s.split(" ")[0]!.toUpperCase();
    const table = /(?:FROM|INTO|UPDATE)\s+[`"]?(?:main[`"]?\.)?[`"]?(\w+)/i.exec(s)?.[1] ?? "";
    return `${verb}${table ? " " + table : ""}`;
  });
  const out: string[] = [];
  for (let i = 0; i < kinds.length;) {
    let j = i;
    while (j < kinds.length && kinds[j] === kinds[i]) j++;
    out.push(j - i > 1 ? `${kinds[i]} ×${j - i}` : kinds[i]!);
    i = j;
  }
  return out;
}
