import type { Plugin } from "graphql-yoga";
import type { ExecutionResult } from "graphql";
import type { Config } from "../env.ts";
import { isAsyncIterable, leasedStream } from "./leasedStream.ts";
import { revokedError, streamRefusalError, type StreamBudget } from "./streamBudget.ts";

/**
 * Subscriptions over HTTP (SSE, or multipart): each is a long-lived response, so it takes a stream
 * and a subscription slot of its token from the budget shared with graphql-ws, or is answered
 * TOO_MANY_STREAMS / TOO_MANY_SUBSCRIPTIONS; and it ends, with an UNAUTHENTICATED error as its
 * last event, when its token is revoked. `tokenOf` knows the bearer of HTTP requests only:
 * graphql-ws operations (no such request) are counted on their socket (graphqlWs.ts).
 */
export function useHttpStreams(budget: StreamBudget, limits: Config["streams"], tokenOf: (request: unknown) => string | undefined): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const context: unknown = args.contextValue;
      const token = tokenOf(typeof context === "object" && context !== null && "request" in context ? context.request : undefined);
      if (token === undefined) return;
      // Revoked before the stream exists (a slow start): it ends as soon as it does.
      let early: ExecutionResult | null = null;
      let cut = (last: ExecutionResult): void => {
        early = last;
      };
      const stream = budget.openStream(token, "sse", () => cut({ errors: [revokedError()] }));
      if (typeof stream === "string") return setResultAndStopExecution({ errors: [streamRefusalError(stream, limits)] });
      const subscription = budget.openSubscription(token, "sse");
      if (typeof subscription === "string") {
        stream.release();
        return setResultAndStopExecution({ errors: [streamRefusalError(subscription, limits)] });
      }
      const leases = [stream, subscription];
      const releaseAll = () => leases.forEach((lease) => lease.release());
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable<ExecutionResult>(result)) return releaseAll();
          const leased = leasedStream(result, leases);
          cut = leased.cut;
          if (early) cut(early);
          setResult(leased.stream);
        },
        onSubscribeError: releaseAll,
      };
    },
  };
}
