// graphql-yoga's factory, not `new GraphQLError`: its masking recognises errors of its own graphql
// instance only, and under a loader that resolves graphql twice (ESM and CJS) the class differs.
import { createGraphQLError } from "graphql-yoga";
import { SEND_REFUSALS } from "./domain/sendErrors.ts";

/**
 * Every error code the hub answers with: GraphQL's `extensions.code` and the `code` of every HTTP
 * error body (`{ code, error }`). docs/errors.md is the table of this catalogue (a test keeps them
 * equal). `status`: the HTTP status when the error ends a request; graphql-ws closes or answers an
 * error result instead (SECURITY.md says which).
 */
export const ERRORS = {
  UNAUTHENTICATED: { status: 401, meaning: "No bearer token, an unknown or revoked one (GraphQL over HTTP, SSE and graphql-ws)." },
  FORBIDDEN: { status: 403, meaning: "The token's scope lacks the power the operation needs (docs/tokens.md)." },
  BAD_USER_INPUT: { status: 400, meaning: "An argument is out of its bounds (a search too long, too many ids); the message says which and what was expected." },
  QUERY_TOO_LARGE: {
    status: 400,
    meaning: "The operation could return more nodes than GRAPHQL_MAX_NODES, or asks for a page over GRAPHQL_MAX_PAGE_SIZE; nothing ran.",
  },
  TOO_MANY_SUBSCRIPTIONS: { status: 429, meaning: "The token has SUBSCRIPTIONS_MAX_PER_TOKEN streams or subscriptions open already." },
  TOO_MANY_STREAMS: { status: 503, meaning: "The server holds STREAMS_MAX long-lived streams already; retry later." },
  SERVICE_UNAVAILABLE: { status: 503, meaning: "The database is out of reach; retry after Retry-After (deliveries too: Meta retries)." },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: "Unexpected: masked as `Unexpected error.`; the log has the error with its stack." },
  NOT_CONFIGURED: {
    status: 503,
    meaning:
      "sendMessage, startSync or onboardBusiness cannot call the Cloud API as configured: no GRAPH_API_TOKEN (nor a business token for the WABA), or a signup code without BUSINESS_TOKEN_KEY or WHATSAPP_APP_ID (docs/sending.md, docs/connect-meta.md).",
  },
  CANNOT_SEND: {
    status: 409,
    meaning:
      "The number may not send now (partner removed, app uninstalled, deleted, disabled, restricted); `reason` and `recommendedAction` say why and what to do.",
  },
  OUTSIDE_SERVICE_WINDOW: {
    status: 409,
    meaning: "Only a template may be sent: the user's customer service window is closed (`windowClosedAt`) or never opened.",
  },
  META_ERROR: {
    status: 502,
    meaning:
      "A direct call to the Cloud API (markRead, refreshTemplates) was answered with Meta's error (e.g. 190 an expired token, 100 a WABA Meta does not know): `metaCode` is Meta's code, `metaError` its error (code, title, message, details, httpStatus).",
  },
  META_UNREACHABLE: {
    status: 504,
    meaning: "A direct call to the Cloud API (markRead, refreshTemplates) got no answer (refused, timed out, reset): `detail` says which; safe to try again.",
  },
  TEMPLATE_NOT_SENDABLE: {
    status: 409,
    meaning:
      "The template's latest status from Meta cannot be sent (PAUSED, DISABLED, REJECTED, PENDING, …); `status`, `reason` and `detail` say which and why.",
  },
  MARKETING_OPTED_OUT: {
    status: 409,
    meaning: "A MARKETING template to a user who stopped marketing messages (user_preferences); Meta would refuse it with 131050. `stoppedAt` says when.",
  },
  UNKNOWN_ALERT_ATTEMPT: {
    status: 404,
    meaning: "replayAlert named an alert attempt the hub does not have (never made, or removed with its target); see alertAttempts (docs/alerts.md).",
  },
  METHOD_NOT_ALLOWED: { status: 405, meaning: "The webhook route takes POST (deliveries) and GET (verification) only." },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: "A delivery larger than WEBHOOK_MAX_BYTES." },
  BAD_BODY: { status: 400, meaning: "A delivery whose body could not be read, is not JSON, is too deep, or is not a webhook envelope." },
  BAD_SIGNATURE: { status: 401, meaning: "A delivery without a valid X-Hub-Signature-256 for one of the app secrets; nothing was stored." },
  VERIFICATION_FAILED: { status: 403, meaning: "The webhook handshake's hub.mode or hub.verify_token is missing or wrong." },
  BAD_REQUEST_TARGET: { status: 400, meaning: "A request target or Host header that is not a URL." },
  NOT_FOUND: { status: 404, meaning: "No such route (the body does not repeat the path)." },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERRORS;

// What sendMessage refuses with is named by the domain's rules; each is a code of this catalogue.
SEND_REFUSALS satisfies readonly ErrorCode[];

/** An expected GraphQL error: a message for the client and the code it can act on. */
type ErrorOptions = Omit<NonNullable<Parameters<typeof createGraphQLError>[1]>, "extensions"> & { extensions?: Record<string, unknown> };

export function hubError(code: ErrorCode, message: string, options: ErrorOptions = {}) {
  return createGraphQLError(message, { ...options, extensions: { code, ...options.extensions } });
}

/** An HTTP error body: the code and words for a person. */
export function errorBody(code: ErrorCode, message: string): { code: ErrorCode; error: string } {
  return { code, error: message };
}
