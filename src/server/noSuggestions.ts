import { GraphQLError } from "graphql";
import { usePayloadFormatter, type Plugin } from "graphql-yoga";

/**
 * graphql-js completes a misspelt name with the schema's own ("Did you mean the enum value
 * "CONNECTED"?", "Did you mean "phoneNumberId"?"): with introspection off, that would hand the
 * schema out name by name. graphql-armor's blockFieldSuggestion only matches `Did you mean "…"`,
 * and only in validation errors, so enum values and the same words from variable coercion (at
 * execution) went through (issue #18). This removes every suggestion from every error a client
 * gets: validation, execution and subscription results, over HTTP, SSE and graphql-ws alike.
 */
export function noSuggestions() {
  const validation: Plugin = {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map(withoutSuggestion));
      },
  };
  const results = usePayloadFormatter((result) => (result.errors?.length ? { ...result, errors: result.errors.map(withoutSuggestion) } : false));
  return [validation, results] as const;
}

// Suggestions always end the sentence with a question mark, and GraphQL names cannot hold one.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestion<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  const message = error.message.replace(SUGGESTION, "");
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
