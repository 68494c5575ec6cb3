import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import type { Tx } from "./client.ts";

/**
 * A write transaction opened on the driver adapter itself, without Prisma's interactive-transaction
 * engine: for the ingest's hot path, whose statements are all plain SQL (`sql`). Prisma's engine
 * costs ~0.26 ms of CPU per transaction on SQLite (against 0.003 ms for BEGIN and COMMIT on the
 * connection) and ~0.4 ms more than the driver's own on PostgreSQL (bench/ANALYSIS.md, issue #22):
 * per batch, and the small batches of a moderate load are one or a few deliveries each.
 *
 * It keeps every guarantee of `writeTransaction`: the adapter's `startTransaction` takes what
 * Prisma's transactions take (SQLite: the adapter's mutex, so never inside another transaction on
 * its one connection; PostgreSQL: a pooled connection of its own) and sends BEGIN; COMMIT and
 * ROLLBACK go through the transaction's own `executeRaw`, as Prisma's engine sends them, before
 * `commit()` / `rollback()` hand the connection back. The caller is answered only after COMMIT
 * returned.
 *
 * The callback gets no Prisma client: `tx` refuses every use with NeedsPrisma, after which the
 * transaction is rolled back and the caller runs the same callback again through Prisma's
 * transaction (a new user's contact, an account event: the rare paths kept on typed queries).
 */
export class NeedsPrisma extends Error {
  constructor() {
    super("this transaction needs Prisma's transaction client: run it through writeTransaction");
    this.name = "NeedsPrisma";
  }
}

/** Prisma's transaction client where there is none: any use throws NeedsPrisma. */
// A Proxy has no type of its own to give; every property it could be asked for throws.
export const NO_PRISMA = new Proxy(
  {},
  {
    get() {
      throw new NeedsPrisma();
    },
  },
) as Tx;

/** Runs `fn` in a transaction the adapter opens, with `sqlOf` giving the plain SQL on its connection. */
export async function runDirect<S, T>(adapter: SqlDriverAdapter, sqlOf: (transaction: Transaction) => S, fn: (tx: Tx, sql: S) => Promise<T>): Promise<T> {
  const transaction = await adapter.startTransaction();
  let result: T;
  try {
    result = await fn(NO_PRISMA, sqlOf(transaction));
    await transaction.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
  } catch (error) {
    await transaction.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => {});
    await transaction.rollback();
    throw error;
  }
  await transaction.commit();
  return result;
}
