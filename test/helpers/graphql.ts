/**
 * The tests' GraphQL-over-HTTP client: POSTs a query to an app's /graphql with a bearer token and
 * resolves with `data`, or throws on anything else (an HTTP error, a body that is not JSON, GraphQL
 * errors, no data). `app.graphql` (test/helpers/app.ts) gives the raw answer for tests about errors;
 * typedClient.ts sends generated typed documents through this one.
 */
import type { GraphQLFormattedError } from "graphql";
import { API_TOKEN } from "./app.ts";

/** Thrown when the server answers with errors (or without data) instead of a result. */
export class GraphQLResponseError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: readonly GraphQLFormattedError[],
  ) {
    super(`${operation}: HTTP ${status}: ${errors.map((e) => e.message).join("; ") || "no data"}`);
  }
}

export interface RequestOptions {
  token?: string;
  /** Names the operation in the error message. */
  operation?: string;
  timeoutMs?: number;
}

/** The answer as it came: the HTTP status and the parsed body (data and errors). */
export interface GraphQLAnswer<T> {
  status: number;
  body: { data?: T | null; errors?: (GraphQLFormattedError & { extensions?: { code?: string } })[] };
}

/** POSTs `query` with `variables` to `${baseUrl}/graphql` and returns the answer as it came; throws only when it is not JSON. */
export async function graphqlAnswer<T = any>(baseUrl: string, query: string, variables?: unknown, options: RequestOptions = {}): Promise<GraphQLAnswer<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json",
      Authorization: `Bearer ${options.token ?? API_TOKEN}`,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as GraphQLAnswer<T>["body"] };
  } catch {
    throw new GraphQLResponseError(options.operation ?? "GraphQL", res.status, [{ message: `not JSON: ${text.slice(0, 200)}` }]);
  }
}

/** POSTs `query` with `variables` to `${baseUrl}/graphql`; resolves with `data`, throws GraphQLResponseError on any error. */
export async function gql<T = any>(baseUrl: string, query: string, variables?: unknown, options: RequestOptions = {}): Promise<T> {
  const { status, body } = await graphqlAnswer<T>(baseUrl, query, variables, options);
  if (status < 200 || status >= 300 || body.errors?.length || body.data == null) {
    throw new GraphQLResponseError(options.operation ?? "GraphQL", status, body.errors ?? []);
  }
  return body.data;
}
