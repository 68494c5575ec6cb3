/**
 * What held the event loop: the gaps bench/lib/loopGaps.mjs noted (its 1 ms timer fired late), laid
 * over the same process's main-thread .cpuprofile (node --cpu-prof): for each of the longest, where
 * its sampled time went — by the innermost frame of this repository (src/ or dist/) on the stack,
 * and by self frame. Both files use the monotonic clock (µs).
 *
 * `tsx bench/lib/loopStalls.ts <file.cpuprofile> <gaps.json> [--top 12] [--min 20]`
 */
import { existsSync, readFileSync } from "node:fs";
import { areaOf, type CpuProfile, type ProfileNode } from "./profile.ts";
export interface LoopGaps {
  delay: { p50: number; p99: number; max: number; count: number };
  /** Each stall: its start (monotonic µs), its length and the main thread's CPU time in it (ms). */
  gaps: { startUs: number; ms: number; cpuMs: number }[];
}

export interface Loop {
  /** The longest stall of the hub's event loop during the ingest, ms. */
  longest: number;
  /** The most CPU time its main thread spent in one stall, ms: what other processes' load does not inflate. */
  longestCpu: number;
  /** Stalls of more than 50 ms of CPU, and their time in all. */
  over50: number;
  over50Ms: number;
}

/** The hub's own view of its loop during the ingest (bench/lib/loopGaps.mjs). */
export function loopDuring(file: string, [from, to]: [number, number]): Loop {
  if (!existsSync(file)) return { longest: NaN, longestCpu: NaN, over50: NaN, over50Ms: NaN };
  const { gaps } = JSON.parse(readFileSync(file, "utf8")) as LoopGaps;
  const inside = gaps.filter((g) => g.startUs >= from && g.startUs <= to);
  const long = inside.filter((g) => g.cpuMs > 50);
  return {
    longest: Math.max(0, ...inside.map((g) => g.ms)),
    longestCpu: Math.max(0, ...inside.map((g) => g.cpuMs)),
    over50: long.length,
    over50Ms: long.reduce((a, g) => a + g.cpuMs, 0),
  };
}

export interface Stall {
  /** s from the profile's start. */
  at: number;
  ms: number;
  cpuMs: number;
  /** Sampled ms by the innermost repository frame on the stack (or the self frame's area when none). */
  bySource: [string, number][];
  /** Sampled ms by self frame. */
  bySelf: [string, number][];
}

const short = (url: string) => url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench|test|dist)\//, "$1/");

export function loopStalls(profileFile: string, gapsFile: string, minMs = 20): Stall[] {
  const p = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  const { gaps } = JSON.parse(readFileSync(gapsFile, "utf8")) as LoopGaps;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const sourceOf = new Map<number, string>();
  const source = (id: number): string => {
    const known = sourceOf.get(id);
    if (known) return known;
    let found: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !found; at = parent.get(at)) {
      const n = byId.get(at)!;
      if (/\/(src|dist)\//.test(n.callFrame.url) && !n.callFrame.url.includes("node_modules")) found = label(n);
    }
    const n = byId.get(id)!;
    const result = found ?? areaOf(n.callFrame.url, n.callFrame.functionName);
    sourceOf.set(id, result);
    return result;
  };
  // Sample i covers [times[i] - timeDeltas[i], times[i]].
  const times: number[] = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) times.push((t += d));
  return gaps
    .filter((g) => g.ms >= minMs)
    .map((g) => {
      const from = g.startUs;
      const to = g.startUs + g.ms * 1000;
      const picked: { id: number; ms: number }[] = [];
      for (let i = 0; i < times.length; i++) if (times[i]! > from && times[i]! <= to) picked.push({ id: p.samples[i]!, ms: (p.timeDeltas[i] ?? 0) / 1000 });
      const tally = (key: (id: number) => string) => {
        const m = new Map<string, number>();
        for (const s of picked) m.set(key(s.id), (m.get(key(s.id)) ?? 0) + s.ms);
        return [...m].sort((a, b) => b[1] - a[1]).slice(0, 6);
      };
      return { at: (from - p.startTime) / 1e6, ms: g.ms, cpuMs: g.cpuMs, bySource: tally(source), bySelf: tally((id) => label(byId.get(id)!)) };
    });
}

if (process.argv[1]?.endsWith("loopStalls.ts")) {
  const [profileFile, gapsFile] = process.argv.slice(2);
  if (!profileFile || !gapsFile) throw new Error("usage: tsx bench/lib/loopStalls.ts <file.cpuprofile> <gaps.json> [--top n] [--min ms]");
  const opt = (name: string, d: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const { delay } = JSON.parse(readFileSync(gapsFile, "utf8")) as LoopGaps;
  const all = loopStalls(profileFile, gapsFile, opt("--min", 20));
  const total = all.reduce((a, s) => a + s.ms, 0);
  process.stdout.write(
    `event-loop delay p50 ${delay.p50} / p99 ${delay.p99} / max ${delay.max} ms; ${all.length} gaps ≥ ${opt("--min", 20)} ms, ${Math.round(total)} ms in all\n`,
  );
  for (const s of [...all].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, opt("--top", 12))) {
    process.stdout.write(`\n${s.cpuMs} ms on CPU (${s.ms} ms wall) at ${s.at.toFixed(2)} s\n`);
    for (const [k, ms] of s.bySource) process.stdout.write(`   src  ${ms.toFixed(0).padStart(5)}  ${k}\n`);
    for (const [k, ms] of s.bySelf.slice(0, 3)) process.stdout.write(`   self ${ms.toFixed(0).padStart(5)}  ${k}\n`);
  }
}
