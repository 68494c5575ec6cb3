import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { maskGraphQLError } from "../../src/graphqlErrors.ts";
import { isStorageUnavailable } from "../../src/storage/unavailable.ts";

/** A Prisma error as the driver adapters raise it (the shapes below were captured from real outages). */
function prismaError(code: string, cause: Record<string, unknown>, message = ""): Error {
  return Object.assign(new Error(message), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });
}

// PostgreSQL server not listening.
const unreachable = prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5999 });
// PostgreSQL database with ALLOW_CONNECTIONS false (storageDown.test.ts's outage).
const notAccepting = prismaError("P2039", {
  originalCode: "55000",
  kind: "postgres",
  code: "55000",
  severity: "FATAL",
  message: 'database "hub" is not currently accepting connections',
});
// SQLite still locked by another process after busy_timeout.
const sqliteBusy = prismaError("P1008", { originalCode: "SQLITE_BUSY", originalMessage: "database is locked", kind: "SocketTimeout" });
const poolTimeout = Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" });
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

// Failures that are the request's or the code's, not the database's availability.
const uniqueViolation = prismaError("P2002", { kind: "UniqueConstraintViolation", constraint: { fields: ["contentHash"] } });
const syntaxError = prismaError("P2010", { kind: "postgres", code: "42601", message: "syntax error at or near" });
const bug = new TypeError("Cannot read properties of undefined (reading 'x')");

describe("isStorageUnavailable", () => {
  it.each([
    ["an unreachable server", unreachable],
    ["a database not accepting connections", notAccepting],
    ["SQLite busy after its timeout", sqliteBusy],
    ["a pool time-out", poolTimeout],
    ["a refused socket", refused],
    ["any of those as the cause of another error", new Error("resolver failed", { cause: unreachable })],
    ["any of those inside a GraphQLError", new GraphQLError("x", { originalError: notAccepting })],
  ])("is true for %s", (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(true);
  });

  it.each([
    ["a constraint violation", uniqueViolation],
    ["an SQL error", syntaxError],
    ["a bug", bug],
    ["a non-error", "database"],
  ])("is false for %s", (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(false);
  });
});

describe("maskGraphQLError", () => {
  const inResolver = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["webhookDeliveries"] });

  it("says the database is unavailable, with SERVICE_UNAVAILABLE and a 503 with Retry-After, and nothing of the database", () => {
    const masked = maskGraphQLError(inResolver(notAccepting), "Unexpected error.") as GraphQLError;
    expect(masked.message).toBe("database unavailable; retry later");
    expect(masked.path).toEqual(["webhookDeliveries"]);
    expect(masked.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", http: { status: 503, headers: { "Retry-After": "5" } } });
  });

  it("keeps every other unexpected error masked", () => {
    for (const e of [bug, uniqueViolation, syntaxError]) {
      const masked = maskGraphQLError(inResolver(e), "Unexpected error.") as GraphQLError;
      expect(masked.message).toBe("Unexpected error.");
      expect(masked.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    }
  });
});
