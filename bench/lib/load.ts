import type { LoadInput, LoadResult } from "./loadWorker.ts";
import { runWorker } from "./util.ts";

export type { LoadInput, LoadResult };

/** Runs autocannon in a separate process on the load CPU. */
export function runLoad(input: LoadInput): Promise<LoadResult> {
  return runWorker<LoadResult>("load", "bench/lib/loadWorker.ts", input, (input.duration + 120) * 1000);
}

/** Fixed-rate, open-loop load (bench/lib/pacedWorker.ts) in a separate process on the load CPU. */
export function runPaced(input: import("./pacedWorker.ts").PacedInput): Promise<LoadResult> {
  return runWorker<LoadResult>("load", "bench/lib/pacedWorker.ts", input, (input.duration + input.drain + 120) * 1000);
}
