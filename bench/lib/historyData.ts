/**
 * The history-import data set: test/helpers/mirror.ts's generated six-month history (its messages
 * and its `history` payload builder), cut into chunks of 100–500 messages per phase like Meta's,
 * sent out of order (a seeded shuffle, so every run and the baseline see the same order).
 */
import { generateHistory, historyChunk, type HistoryMessage } from "../../test/helpers/mirror.ts";
import { seededRandom, seededShuffle } from "../../test/helpers/random.ts";

export interface HistoryOptions {
  threads: number;
  perThread: number;
  minChunk: number;
  maxChunk: number;
  seed: number;
}

export interface HistoryData {
  messages: HistoryMessage[];
  /** Webhook payloads, in sending order. */
  chunks: ReturnType<typeof historyChunk>[];
  /** Messages per chunk, same order. */
  sizes: number[];
}

export function buildHistory(o: HistoryOptions): HistoryData {
  const { messages } = generateHistory(o.threads, o.perThread, o.maxChunk);
  const now = Math.max(...messages.map((m) => m.at));
  const phaseOf = (at: number) => (now - at <= 86400 ? 0 : now - at <= 90 * 86400 ? 1 : 2);
  const random = seededRandom(o.seed);
  // Cut every phase into chunks of random size; progress grows with the chunks' place in Meta's order.
  const cuts: { phase: number; order: number; list: HistoryMessage[] }[] = [];
  for (const phase of [0, 1, 2]) {
    const list = messages.filter((m) => phaseOf(m.at) === phase);
    for (let i = 0, order = 1; i < list.length; order++) {
      const size = o.minChunk + Math.floor(random() * (o.maxChunk - o.minChunk + 1));
      cuts.push({ phase, order, list: list.slice(i, i + size) });
      i += size;
    }
  }
  const built = cuts.map((c, i) => ({
    payload: historyChunk(c.phase, c.order, Math.min(100, Math.round(((i + 1) / cuts.length) * 100)), c.list),
    size: c.list.length,
  }));
  const order = seededShuffle(built, o.seed);
  return { messages, chunks: order.map((b) => b.payload), sizes: order.map((b) => b.size) };
}
