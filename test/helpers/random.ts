/** The one seeded PRNG of the simulator, the tests and the benchmarks: the same seed gives the same "random" choices, so a failure can be replayed. */
import { mulberry32 } from "../../src/cli/sampleSource.ts";

/** mulberry32 (the simulator's generator, src/cli/sampleSource.ts): numbers in [0, 1). */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** A Fisher–Yates shuffle driven by seededRandom(seed): the same seed, the same order. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The seed of a randomised test: RELIABILITY_SEED when set (to replay a failure), else a fresh one. */
export function testSeed(): number {
  const fromEnv = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && process.env.RELIABILITY_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}
