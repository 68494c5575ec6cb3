import type { Tx } from "../storage/client.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import type { Sql } from "../storage/sql.ts";

/** A part of a shared write transaction: the keys it needs locked (src/storage/locks.ts) and its statements. */
export interface Piece<T> {
  keys: readonly string[];
  run(tx: Tx, sql: Sql): Promise<T>;
  /**
   * Run after the pieces without it: markSending plans its posts from the time it runs and they go
   * once the transaction committed, so nothing else should come in between (it would eat the slack
   * its pacing leaves between two instances' posts).
   */
  last?: boolean;
}

export interface GroupCommit {
  /**
   * Runs a piece in the next write transaction, with every piece waiting then; resolves with its
   * result once that transaction committed. `take` is called when the transaction starts, so a piece
   * can take everything that came until then (Meta's answers).
   */
  add<T>(take: () => Piece<T>): Promise<T>;
  /** Resolves once nothing waits and nothing is being committed. */
  idle(): Promise<void>;
}

interface Job {
  take(): Piece<void>;
  done(error: { failed: unknown } | null): void;
}

/**
 * The outbound worker's writes, one transaction at a time, each carrying everything that waited
 * while the previous one ran: lanes' SENDING commits and Meta's answers together (issue #21's
 * throughput). A transaction costs more than its statements — on SQLite an fsync'd commit on the
 * one writer, and through Prisma's interactive transactions a fixed toll of event-loop hops — so
 * one commit per round instead of one per lane and one for the answers.
 *
 * The keys of every piece are locked first, in one sorted call: taken piece by piece they could
 * wait in a cycle on another instance's. A transaction that fails is tried again piece by piece,
 * so that one piece's failure does not fail the others with it.
 */
export function groupCommit(storage: Storage): GroupCommit {
  let waiting: Job[] = [];
  let running: Promise<void> | undefined;

  const commit = (pieces: readonly Piece<void>[], tx: Tx, sql: Sql) =>
    lockKeys(
      sql,
      pieces.flatMap((p) => p.keys),
    ).then(async () => {
      for (const p of pieces) if (!p.last) await p.run(tx, sql);
      for (const p of pieces) if (p.last) await p.run(tx, sql);
    });

  const drain = async () => {
    while (waiting.length > 0) {
      let jobs: Job[] = [];
      let pieces: Piece<void>[] = [];
      try {
        await storage.writeTransaction((tx, sql) => {
          // Taken once the transaction has begun: what came while it was being opened goes too.
          [jobs, waiting] = [waiting, []];
          pieces = jobs.map((j) => j.take());
          return commit(pieces, tx, sql);
        });
        for (const j of jobs) j.done(null);
      } catch (error) {
        if (jobs.length === 0) {
          // Not even begun: the waiting ones fail with it (each caller handles its failure) rather than
          // spin; each still takes its part, so what it took is what its failure is about.
          [jobs, waiting] = [waiting, []];
          for (const j of jobs) {
            j.take();
            j.done({ failed: error });
          }
          continue;
        }
        if (jobs.length === 1) {
          jobs[0]!.done({ failed: error });
          continue;
        }
        for (const [i, j] of jobs.entries()) {
          try {
            await storage.writeTransaction((tx, sql) => commit([pieces[i]!], tx, sql));
            j.done(null);
          } catch (alone) {
            j.done({ failed: alone });
          }
        }
      }
    }
    running = undefined;
  };

  return {
    add<T>(take: () => Piece<T>) {
      return new Promise<T>((resolve, reject) => {
        let result: { value: T } | undefined;
        waiting.push({
          take() {
            const piece = take();
            return {
              keys: piece.keys,
              last: piece.last,
              run: async (tx, sql) => {
                result = { value: await piece.run(tx, sql) };
              },
            };
          },
          done: (error) =>
            error ? reject(asError(error.failed)) : result ? resolve(result.value) : reject(new Error("a piece of a committed transaction did not run")),
        });
        running ??= drain();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
