/**
 * Whether an error means the database cannot be reached or used right now (an outage, a pool or
 * lock time-out), as opposed to a bug or a bad request: what a client should retry later.
 * Looks through Prisma's error, the driver adapter's error it carries, and any `cause` chain.
 */

/** Prisma codes for a database that cannot be reached or answered in time. */
const PRISMA_CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // database server reached but timed out
  "P1008", // operations timed out
  "P1017", // server has closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2037", // too many database connections opened
]);

/** Driver adapter error kinds (meta.driverAdapterError.cause.kind) for the same. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/** PostgreSQL SQLSTATEs: connection exceptions (class 08), shutdown/cannot connect now, too many connections. */
const PG_STATES = /^(08...|57P0[1-3]|53300)$/;

/** Node's socket errors. */
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** SQLite: busy (still locked after busy_timeout), cannot open, disk I/O error; primary codes of the extended ones. */
const SQLITE_PRIMARY = new Set([5 /* BUSY */, 6 /* LOCKED */, 10 /* IOERR */, 14 /* CANTOPEN */]);
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN)/;

/** Messages of pg's pool and client that carry no code. */
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|is not currently accepting connections|the database system is (starting up|shutting down)/i;

export function isStorageUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e !== null && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const x = e as {
      code?: unknown;
      kind?: unknown;
      extendedCode?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: unknown } };
      originalError?: unknown;
    };
    if (typeof x.code === "string" && (PRISMA_CODES.has(x.code) || NODE_CODES.has(x.code) || SQLITE_CODES.test(x.code))) return true;
    if (typeof x.kind === "string" && ADAPTER_KINDS.has(x.kind)) return true;
    if (x.kind === "postgres" && typeof x.code === "string" && PG_STATES.test(x.code)) return true;
    if (x.kind === "sqlite" && typeof x.extendedCode === "number" && SQLITE_PRIMARY.has(x.extendedCode & 0xff)) return true;
    if (typeof x.message === "string" && MESSAGES.test(x.message)) return true;
    // Prisma keeps the adapter's error in meta; GraphQL keeps the resolver's in originalError.
    if (x.meta?.driverAdapterError?.cause && isStorageUnavailable(x.meta.driverAdapterError.cause)) return true;
    if (x.originalError && x.originalError !== e && isStorageUnavailable(x.originalError)) return true;
  }
  return false;
}
