import { shouldRenderGraphiQL, type Plugin } from "graphql-yoga";
import { bearerToken, refusalResponse, type Refusal } from "../auth.ts";
import type { Principal } from "../tokens/principal.ts";

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
  /** Who a presented token is, or how to refuse it (judgeToken in auth.ts). */
  judge(token: string | null): Promise<{ principal: Principal } | { refusal: Refusal }>;
  /** Told the principal (and token) of every request let through, for what runs later for it. */
  accepted(request: Request, principal: Principal, token: string): void;
  graphiqlEnabled: boolean;
}

/**
 * The one bearer check of GraphQL over HTTP (GET, POST, SSE). Everything but the GraphiQL page
 * needs a token; graphql-ws checks the same token in onConnect (src/server/graphqlWs.ts).
 */
export function requireToken(o: RequireTokenOptions): Plugin {
  return {
    async onRequest(payload) {
      const { request, fetchAPI } = payload;
      if (isGraphiQLPage(request, o.graphiqlEnabled)) return;
      const token = bearerToken(request.headers.get("authorization"));
      const verdict = await o.judge(token);
      if ("refusal" in verdict) return payload.endResponse(refusalResponse(verdict.refusal, fetchAPI));
      // judgeToken accepts no missing token; this tells the type checker.
      if (token) o.accepted(request, verdict.principal, token);
    },
  };
}
