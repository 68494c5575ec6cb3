import { GraphQLError } from "graphql";
import { maskError } from "graphql-yoga";
import { hubError } from "./errors.ts";
import { isStorageUnavailable } from "./storage/unavailable.ts";

/**
 * graphql-yoga's maskError, except for the database being out of reach: unexpected errors stay
 * masked ("Unexpected error.", code INTERNAL_SERVER_ERROR), but an outage is said as such, with
 * code SERVICE_UNAVAILABLE and an HTTP 503 with Retry-After — what the webhook route tells Meta
 * — so a client knows to retry rather than report a bug. No detail of the database is given.
 */
export function maskGraphQLError(error: unknown, message: string, isDev?: boolean): Error {
  if (!isStorageUnavailable(error)) return maskError(error, message, isDev);
  const at = error instanceof GraphQLError ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path } : {};
  return hubError("SERVICE_UNAVAILABLE", "database unavailable; retry later", {
    ...at,
    extensions: { http: { status: 503, headers: { "Retry-After": "5" } } },
  });
}
