import { randomBytes } from "node:crypto";

/**
 * Where the simulator's ids, users and times come from. With a seed everything is derived from
 * it, the clock included, so a run can be repeated byte for byte (the hub then answers
 * ALREADY_PROCESSED); without one, each run sends new deliveries stamped with the real time.
 */
export interface SampleSource {
  /** "Now" of the samples, in unix seconds. */
  readonly now: number;
  /** A number in [0, 1). */
  random(): number;
  pick<T>(items: readonly T[]): T;
  /** The i-th sample user (digits only): the same i is the same person in every scenario of a run. */
  user(i: number): string;
  /** A message id shaped like Meta's (base64 after "wamid."). */
  wamid(): string;
}

/** The earliest seeded clock: seeded runs land somewhere in 2024–2025, far enough from each other. */
const SEEDED_EPOCH = 1_704_067_200;
const SEEDED_SPREAD_SECONDS = 60_000_000;

export function sampleSource(seed?: number): SampleSource {
  const random = mulberry32(seed ?? randomBytes(4).readUInt32LE(0));
  const now = seed === undefined ? Math.floor(Date.now() / 1000) : SEEDED_EPOCH + Math.floor(random() * SEEDED_SPREAD_SECONDS);
  const users: string[] = [];
  const taken = new Set<string>();

  const digitsOf = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join("");

  return {
    now,
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    user(i) {
      while (users.length <= i) {
        // Brazilian mobile numbers: a real shape, and far from the fixtures' US numbers.
        const candidate = `55119${digitsOf(8)}`;
        if (taken.has(candidate)) continue;
        taken.add(candidate);
        users.push(candidate);
      }
      return users[i]!;
    },
    wamid() {
      const bytes = Buffer.from(Array.from({ length: 30 }, () => Math.floor(random() * 256)));
      return `wamid.HBgL${bytes.toString("base64")}`;
    },
  };
}

/** A small, fast, seedable generator; quality is ample for sample data. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
