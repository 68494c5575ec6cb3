import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies SQLite's write-ahead log back into the database file from a worker thread.
 *
 * By default the connection that commits is the one that checkpoints: every ~1,000 pages one
 * commit also writes those pages to the database file and fsyncs it. Measured with the hub's
 * batch shape (38 deliveries per commit): commit p50 1.6 ms but p90 15.8 ms, and 60 % of all commit
 * time was checkpointing — on the event loop, with Meta's requests waiting. So the server's own
 * connection turns automatic checkpoints off and this thread runs PASSIVE checkpoints on its own
 * connection: they never block a writer or a reader, and their I/O waits off the main thread.
 * If the thread cannot keep up (a long read pins old pages), the log just grows until it can.
 */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain CommonJS evaluated in the worker: no TypeScript loader is needed there (tests, tsx, built JS).
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = (mode) => { try { db.pragma("wal_checkpoint(" + mode + ")"); } catch { /* busy or closed: next round */ } };
const timer = setInterval(() => checkpoint("PASSIVE"), workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint("PASSIVE");
  db.close();
  parentPort.close();
});
`;

/** `onFailure` runs if the thread dies: the caller turns automatic checkpoints back on. */
export function startWalCheckpointer(file: string, onFailure: (error: Error) => void, intervalMs = 250): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver } });
  // Never what keeps a process alive (the CLI's short commands, a test that forgot to stop).
  worker.unref();
  worker.on("error", onFailure);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      // Held by the caller now: it waits for the last checkpoint before it closes its own connection.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
