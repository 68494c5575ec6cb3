import type { SampleSource } from "./sampleSource.ts";
import { SAMPLE_TEXTS, historyChunk, type HistoryMessage, type MetaPayload, type SampleBusiness } from "./samples.ts";

export interface HistoryShape {
  /** Messages in the whole history. */
  messages: number;
  /** Users they are spread over (capped at `messages`). */
  threads: number;
  /** Messages per chunk (one delivery each). */
  chunkSize: number;
}

export interface SampleHistory {
  messages: HistoryMessage[];
  /** In the order Meta sends them: phase 0, 1, 2, each in chunk order. */
  chunks: MetaPayload[];
}

const DAY = 86_400;
/** Meta shares up to six months of history. */
const HISTORY_DAYS = 180;

/** Meta's phases: 0 is the last day, 1 up to 90 days back, 2 the older rest. */
export function phaseOf(ageSeconds: number): 0 | 1 | 2 {
  if (ageSeconds <= DAY) return 0;
  if (ageSeconds <= 90 * DAY) return 1;
  return 2;
}

/**
 * A six-month history sync: `messages` messages over `threads` users, each thread's messages
 * spread evenly back to 180 days, cut into chunks per phase. Progress reaches 100 on the last
 * chunk only, since the hub takes 100 to mean the sync is complete.
 */
export function sampleHistory(business: SampleBusiness, source: SampleSource, shape: HistoryShape): SampleHistory {
  const messages = historyMessages(source, shape);
  const byPhase = [0, 1, 2].map((phase) => messages.filter((m) => phaseOf(source.now - m.at) === phase).sort((a, b) => a.at - b.at));
  const total = byPhase.reduce((n, list) => n + Math.ceil(list.length / shape.chunkSize), 0);

  const chunks: MetaPayload[] = [];
  byPhase.forEach((list, phase) => {
    for (let start = 0, chunkOrder = 1; start < list.length; start += shape.chunkSize, chunkOrder++) {
      const progress = chunks.length + 1 === total ? 100 : Math.min(99, Math.floor(((chunks.length + 1) / total) * 100));
      chunks.push(historyChunk(business, { phase, chunkOrder, progress }, list.slice(start, start + shape.chunkSize)));
    }
  });
  return { messages, chunks };
}

function historyMessages(source: SampleSource, shape: HistoryShape): HistoryMessage[] {
  const threads = Math.max(1, Math.min(shape.threads, shape.messages));
  const messages: HistoryMessage[] = [];
  for (let t = 0; t < threads; t++) {
    const inThread = Math.floor(shape.messages / threads) + (t < shape.messages % threads ? 1 : 0);
    for (let i = 0; i < inThread; i++) {
      // Oldest first, the newest at "now"; a per-thread offset keeps threads' times apart.
      const age = Math.floor(((inThread - 1 - i) / inThread) * HISTORY_DAYS * DAY) + t;
      messages.push({
        wamid: source.wamid(),
        user: source.user(t),
        outbound: i % 3 === 0,
        at: source.now - age,
        body: source.pick(SAMPLE_TEXTS),
      });
    }
  }
  return messages;
}
