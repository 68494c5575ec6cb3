import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PARSE_LISTS, emptyParse, type ParsedDelivery } from "../webhooks/fields/index.ts";
import { parseDelivery } from "./parseDelivery.ts";
import type { FromWorker, ToWorker } from "./parseWorker.ts";

/**
 * Parses a large delivery on a thread of its own (parseWorker.ts), so the event loop keeps
 * answering requests meanwhile: a 3 MB history chunk's parse (its fields' zod schemas over 16,000
 * messages) held the loop for 100–600 ms; only the pieces' deserialisation is left on it, a few
 * milliseconds each with the loop turning between them (bench/ANALYSIS.md). Small bodies are
 * parsed in place (a thread's round trip costs more than their parse).
 *
 * One thread per process, started on the first large body and ended after IDLE_MS without one (an
 * idle thread is a V8 isolate: ~16 MB). The result is the same as parseDelivery's: the same
 * function runs there, and a payload's own failure rejects with its message. If the thread cannot
 * run at all (it died, it could not start), the body is parsed here instead: slower for the loop,
 * never a delivery lost to the machinery.
 */
export const OFF_LOOP_BYTES = 256 * 1024;
const IDLE_MS = 10_000;

interface Pending {
  parsed: ParsedDelivery;
  resolve(parsed: ParsedDelivery): void;
  reject(error: Error): void;
  /** Parses here: the thread failed under this request. */
  inPlace(): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

let thread: Thread | null = null;
let lastId = 0;
const counts = { onThread: 0, inPlace: 0, lastFailure: null as string | null };

/** How many large bodies were parsed on the thread and how many here because it failed (and why, last). */
export function offLoopParses(): Readonly<typeof counts> {
  return { ...counts };
}

export function parseOffLoop(text: string, receivedAt: Date): Promise<ParsedDelivery> {
  return new Promise((resolve, reject) => {
    const inPlace = () => {
      counts.inPlace++;
      try {
        resolve(parseDelivery(text, receivedAt));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    let t: Thread;
    try {
      t = thread ?? start();
    } catch (error) {
      counts.lastFailure = error instanceof Error ? error.message : String(error);
      return inPlace();
    }
    clearTimeout(t.idle);
    const id = ++lastId;
    t.pending.set(id, { parsed: emptyParse(), resolve, reject, inPlace });
    t.worker.postMessage({ id, kind: "parse", text, receivedAt: receivedAt.getTime() } satisfies ToWorker);
  });
}

function start(): Thread {
  const worker = import.meta.url.endsWith(".ts") ? sourceWorker() : new Worker(new URL("./parseWorker.js", import.meta.url), { execArgv: [] });
  const t: Thread = { worker, pending: new Map() };
  // Never what keeps a process alive; a request waiting on it holds its own promise.
  worker.unref();
  worker.on("message", (message: FromWorker) => received(t, message));
  const failed = (error?: unknown) => {
    if (thread === t) thread = null;
    if (error instanceof Error) counts.lastFailure = error.message;
    for (const p of t.pending.values()) p.inPlace();
    t.pending.clear();
  };
  worker.on("error", failed);
  worker.on("exit", () => failed());
  thread = t;
  return t;
}

function received(t: Thread, message: FromWorker): void {
  const p = t.pending.get(message.id);
  if (!p) return;
  if (message.kind === "error") {
    t.pending.delete(message.id);
    p.reject(new Error(message.message));
  } else {
    const { piece } = message;
    for (const key of PARSE_LISTS) (p.parsed[key] as unknown[]).push(...(piece[key] ?? []));
    if (!message.last) {
      // The next piece after the loop has turned: requests waiting meanwhile are read first.
      setImmediate(() => t.worker.postMessage({ id: message.id, kind: "next" } satisfies ToWorker));
      return;
    }
    t.pending.delete(message.id);
    counts.onThread++;
    p.resolve(p.parsed);
  }
  if (t.pending.size === 0) {
    t.idle = setTimeout(() => void t.worker.terminate(), IDLE_MS);
    t.idle.unref();
  }
}

/**
 * From the TypeScript sources (tests, `npm run dev`), the thread must load parseWorker.ts through
 * tsx: Node 20 does not hand the parent's module hooks to a worker, nor honour `--import` in its
 * execArgv, so the worker registers tsx itself before importing the entry. Compiled (dist/), the
 * worker runs parseWorker.js as it is. Neither inherits the parent's preloads (bench probes).
 */
function sourceWorker(): Worker {
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./parseWorker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    execArgv: [],
  });
}
