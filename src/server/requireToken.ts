import { shouldRenderGraphiQL, type Plugin } from "graphql-yoga";
import { bearerToken } from "../auth.ts";

/** The parameters by which graphql-yoga finds an operation in a GET request. */
const OPERATION_PARAMS = ["query", "documentId", "extensions", "operationName", "variables"] as const;

/**
 * Whether a GET request carries an operation, read the way graphql-yoga's GET parser reads it:
 * everything after the first `?` of the URL, fragment included. A `/graphql#?query={…}` target
 * has no search parameters for a URL parser, yet yoga executes it; deciding from the URL's shape
 * let such a request through without a token (issue #9).
 */
export function carriesOperation(request: Pick<Request, "url">): boolean {
  const at = request.url.indexOf("?");
  if (at < 0) return false;
  const params = new URLSearchParams(request.url.slice(at + 1));
  return OPERATION_PARAMS.some((name) => params.has(name));
}

/** The GraphiQL page itself: a browser's GET for HTML that carries no operation, when GraphiQL is on. */
export function isGraphiQLPage(request: Request, graphiqlEnabled: boolean): boolean {
  return graphiqlEnabled && shouldRenderGraphiQL(request) && !carriesOperation(request);
}

export interface RequireTokenOptions {
  /** Whether a presented token is valid (createTokenCheck in auth.ts). */
  isToken(token: string | null): boolean;
  graphiqlEnabled: boolean;
}

/**
 * The one bearer check of GraphQL over HTTP (GET, POST, SSE). Everything but the GraphiQL page
 * needs a token; graphql-ws checks the same token in onConnect (src/server/graphqlWs.ts).
 */
export function requireToken(o: RequireTokenOptions): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (isGraphiQLPage(request, o.graphiqlEnabled)) return;
      if (o.isToken(bearerToken(request.headers.get("authorization")))) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message: "missing or invalid bearer token", extensions: { code: "UNAUTHENTICATED" } }] }),
          { status: 401, headers: { "Content-Type": "application/json", "WWW-Authenticate": "Bearer" } },
        ),
      );
    },
  };
}
