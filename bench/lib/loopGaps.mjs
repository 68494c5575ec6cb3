/**
 * Preload (`node --import ./bench/lib/loopGaps.mjs dist/main.js`, env BENCH_LOOP_GAPS=<file>): when
 * the event loop was held, and for how long. A 1 ms timer re-armed on every firing notes each time
 * it fired more than 10 ms late — the loop did not get back to its timers for that long, so neither
 * did it read sockets (a chain of setImmediate callbacks lets timers run between them, so it is not
 * counted as one stretch; a CPU profile's "no idle sample" would). At exit, writes JSON: the gaps
 * (start on the monotonic clock, µs — the clock of a .cpuprofile's timestamps — length, ms, and the
 * main thread's own CPU time in it, ms: what the stall would last on a machine with nothing else
 * running, the figure other processes' load does not inflate) and perf_hooks' event-loop-delay
 * percentiles. bench/lib/loopStalls.ts lays them over a CPU profile.
 */
import { Buffer } from "node:buffer";
import { openSync, readSync, writeFileSync } from "node:fs";
import { setTimeout } from "node:timers";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_LOOP_GAPS;
if (file) {
  const gaps = [];
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  // This thread's time on CPU, ns (the first field of schedstat; ~2 µs a read).
  const schedstat = openSync("/proc/thread-self/schedstat", "r");
  const buffer = Buffer.alloc(128);
  const cpuNs = () => Number(buffer.toString("latin1", 0, readSync(schedstat, buffer, 0, 128, 0)).split(" ")[0]);
  let due = nowUs() + 1000;
  let cpuBefore = cpuNs();
  const tick = () => {
    const now = nowUs();
    const cpu = cpuNs();
    const late = (now - due) / 1000;
    if (late > 10) gaps.push({ startUs: due - 1000, ms: Math.round(late + 1), cpuMs: Math.round((cpu - cpuBefore) / 1e6) });
    due = now + 1000;
    cpuBefore = cpu;
    setTimeout(tick, 1).unref();
  };
  setTimeout(tick, 1).unref();
  process.on("exit", () => {
    histogram.disable();
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    writeFileSync(
      file,
      JSON.stringify({
        delay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count },
        gaps,
      }),
    );
  });
}
