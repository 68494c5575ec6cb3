import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PARSE_LISTS, emptyParse, type ParsedDelivery } from "./fields/index.ts";
import { mergeParses } from "./parseDelivery.ts";
import { readLarge, type LargeRead } from "./readLarge.ts";
import type { FromWorker, ToWorker } from "./readWorker.ts";

/**
 * Reads a large body on a thread of its own (readWorker.ts) — its signature, JSON, envelope and
 * fields, in one pass — so the event loop keeps answering requests meanwhile: on the loop, a 3 MB
 * history chunk's signature and envelope held it for 50–80 ms and its fields' parse (zod over
 * 16,000 messages) for 100–600 ms more; only the pieces' deserialisation is left on it, a few
 * milliseconds each with the loop turning between them (bench/ANALYSIS.md). Small bodies are read
 * in place by the route (a thread's round trip costs more than their parse).
 *
 * One thread per process, started on the first large body and ended after IDLE_MS without one (an
 * idle thread is a V8 isolate: ~16 MB). The answer is readLarge's: the same function runs there.
 * If the thread cannot run at all (it died, it could not start), the body is read here instead:
 * slower for the loop, never a delivery lost to the machinery.
 */
export const OFF_LOOP_BYTES = 256 * 1024;
const IDLE_MS = 10_000;

interface Pending {
  body: Buffer;
  head: Extract<FromWorker, { kind: "head" }> | null;
  perChange: ParsedDelivery[];
  resolve(read: LargeRead): void;
  /** Reads here: the thread failed under this request. */
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

/** How many large bodies were read on the thread and how many here because it failed (and why, last). */
export function offLoopReads(): Readonly<typeof counts> {
  return { ...counts };
}

export function readOffLoop(body: Buffer, header: string | undefined, secrets: readonly string[], maxDepth: number, receivedAt: Date): Promise<LargeRead> {
  return new Promise((resolve) => {
    const inPlace = () => {
      counts.inPlace++;
      resolve(readLarge(body, header, secrets, maxDepth, receivedAt));
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
    t.pending.set(id, { body, head: null, perChange: [], resolve, inPlace });
    // A copy of just the body's bytes (a Buffer can be a view into a larger allocation, which would be copied whole).
    const bytes = new Uint8Array(body);
    t.worker.postMessage({ id, kind: "read", body: bytes, header, secrets: [...secrets], maxDepth, receivedAt: receivedAt.getTime() } satisfies ToWorker, [
      bytes.buffer,
    ]);
  });
}

function start(): Thread {
  const worker = import.meta.url.endsWith(".ts") ? sourceWorker() : new Worker(new URL("./readWorker.js", import.meta.url), { execArgv: [] });
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
  if (message.kind === "failed") {
    t.pending.delete(message.id);
    counts.lastFailure = message.message;
    p.inPlace();
  } else if (message.kind === "refused") {
    t.pending.delete(message.id);
    counts.onThread++;
    p.resolve({ ok: false, code: message.code, reason: message.reason });
  } else {
    if (message.kind === "head") {
      p.head = message;
      p.perChange = message.changes.map(() => emptyParse());
    } else {
      const into = p.perChange[message.change]!;
      for (const key of PARSE_LISTS) (into[key] as unknown[]).push(...(message.piece[key] ?? []));
    }
    if (!message.last) {
      // The next piece after the loop has turned: requests waiting meanwhile are read first.
      setImmediate(() => t.worker.postMessage({ id: message.id, kind: "next" } satisfies ToWorker));
      return;
    }
    t.pending.delete(message.id);
    counts.onThread++;
    p.resolve(finished(p));
  }
  if (t.pending.size === 0) {
    t.idle = setTimeout(() => void t.worker.terminate(), IDLE_MS);
    t.idle.unref();
  }
}

function finished(p: Pending): LargeRead {
  const head = p.head!;
  return {
    ok: true,
    scheme: head.scheme,
    signed: head.signed ? Buffer.from(head.signed.buffer, head.signed.byteOffset, head.signed.byteLength) : p.body,
    text: head.text,
    hashes: head.hashes,
    changes: head.changes,
    fields: head.fields,
    parsed: head.error !== null ? { error: head.error } : { whole: mergeParses(p.perChange), perChange: p.perChange },
  };
}

/**
 * From the TypeScript sources (tests, `npm run dev`), the thread must load readWorker.ts through
 * tsx: Node 20 does not hand the parent's module hooks to a worker, nor honour `--import` in its
 * execArgv, so the worker registers tsx itself before importing the entry. Compiled (dist/), the
 * worker runs readWorker.js as it is. Neither inherits the parent's preloads (bench probes).
 */
function sourceWorker(): Worker {
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./readWorker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    execArgv: [],
  });
}
