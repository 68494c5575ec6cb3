import type { CombinedError } from "urql";
import { ACTION_WORDS } from "../words.ts";
import type { RecommendedAction } from "../generated/graphql.ts";

/**
 * A refused send in words for the agent: what happened and what to do. The codes are the hub's
 * (docs/sending.md, "Refusals"); anything else shows the server's message.
 */
export function sendErrorWords(error: CombinedError | undefined): string {
  if (!error) return "The hub did not answer. Try again: the same message is never sent twice.";
  const first = error.graphQLErrors[0];
  if (!first) return `The hub could not be reached (${error.message}). Try again: the same message is never sent twice.`;
  const ext = first.extensions ?? {};
  switch (ext.code) {
    case "NOT_CONFIGURED":
      return "Sending is not configured: the hub has no Graph API token. Ask whoever runs the hub to set GRAPH_API_TOKEN.";
    case "FORBIDDEN":
      return "Your token may only read: sign in with a token that has the send scope.";
    case "CANNOT_SEND": {
      const action = isAction(ext.recommendedAction) ? ACTION_WORDS[ext.recommendedAction] : undefined;
      const reason = typeof ext.reason === "string" ? ext.reason.toLowerCase().replaceAll("_", " ") : "refused";
      return `This number cannot send (${reason}).${action ? ` ${action}` : ""}`;
    }
    case "OUTSIDE_SERVICE_WINDOW":
      return "Template required: the customer has not written in the last 24 hours, so only a template can be sent.";
    case "TEMPLATE_NOT_SENDABLE": {
      const status = typeof ext.status === "string" ? ` (${ext.status.toLowerCase().replaceAll("_", " ")})` : "";
      return `Meta does not let this template be sent now${status}: choose another one.`;
    }
    case "MARKETING_OPTED_OUT":
      return "The customer stopped marketing messages: choose a template that is not marketing, or wait until they write.";
    default:
      return `Not sent: ${first.message}`;
  }
}

/** Error extensions are untyped JSON: an action the console knows, or nothing. */
function isAction(value: unknown): value is RecommendedAction {
  return typeof value === "string" && Object.hasOwn(ACTION_WORDS, value);
}
