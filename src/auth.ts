import { createHash, timingSafeEqual } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Db } from "./storage/client.ts";
import type { Logger } from "pino";
import { ERRORS, hubError, type ErrorCode } from "./errors.ts";
import { isStorageUnavailable } from "./storage/unavailable.ts";
import { fullAccess, type Principal } from "./tokens/principal.ts";
import { SECRET_PREFIX, hashSecret } from "./tokens/secret.ts";
import { principalOfHash, touchToken } from "./tokens/store.ts";

/**
 * Bearer-token check in constant time: every configured token is compared (as equal-length
 * digests), so neither the position of a match nor a length difference shows in the timing.
 * Several tokens are accepted at once so that one can be rotated out while the next is in use.
 */
export function createTokenCheck(tokens: readonly string[]): (presented: string | null | undefined) => boolean {
  const digests = tokens.map(digest);
  return (presented) => {
    if (!presented) return false;
    const d = digest(presented);
    let ok = false;
    for (const known of digests) ok = timingSafeEqual(known, d) || ok;
    return ok;
  };
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** The token of an `Authorization: Bearer <token>` value, or null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1]! : null;
}

export interface AuthenticatorOptions {
  /** API_TOKENS: full access, checked in constant time, never looked up in the database. */
  envTokens: readonly string[];
  db: Db;
  /** How long a stored token's answer (its principal, or "no such live token") is reused: the revocation delay. */
  cacheTtlMs: number;
  /** Most stored tokens remembered at once (least recently used go first). */
  cacheMax: number;
}

/** Resolves a presented bearer token to its principal, or null (missing, unknown or revoked). */
export type Authenticate = (presented: string | null | undefined) => Promise<Principal | null>;

/**
 * Environment tokens first (no I/O), then tokens made by `hub tokens create`, looked up by the hash
 * of the secret. Answers for stored tokens are cached for cacheTtlMs, so a busy inbox costs one
 * read per period instead of one per request; the price is that a revoke takes up to that long to
 * bite. Unknown secrets are cached too, so replaying a revoked or made-up token is cheap as well.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const isEnvToken = createTokenCheck(options.envTokens);
  const cache = options.cacheTtlMs > 0 ? new LRUCache<string, { principal: Principal | null }>({ max: options.cacheMax, ttl: options.cacheTtlMs }) : null;
  return async (presented) => {
    if (!presented) return null;
    if (isEnvToken(presented)) return fullAccess("API_TOKENS");
    // Anything that cannot be a `hub tokens create` secret costs no database read.
    if (!presented.startsWith(SECRET_PREFIX) || presented.length > MAX_SECRET_LENGTH) return null;
    const hash = hashSecret(presented);
    const cached = cache?.get(hash);
    if (cached) return cached.principal;
    const principal = await principalOfHash(options.db, hash);
    cache?.set(hash, { principal });
    // Best effort: a failed bookkeeping write must not fail the request it belongs to.
    if (principal) touchToken(options.db, hash).catch(() => {});
    return principal;
  };
}

/** Generated secrets are 48 characters; anything much longer is not one. */
const MAX_SECRET_LENGTH = 128;

/** graphql-ws closes an unauthenticated socket with this code (the WebSocket twin of HTTP 401). */
export const WS_UNAUTHORIZED = 4401;

/** Why a presented token is refused, for either transport. None of it carries the database's message. */
export interface Refusal {
  wsCode: number;
  code: Extract<ErrorCode, "UNAUTHENTICATED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR">;
  message: string;
}

const UNAUTHENTICATED: Refusal = { wsCode: WS_UNAUTHORIZED, code: "UNAUTHENTICATED", message: "missing or invalid bearer token" };

/**
 * A principal, or how to refuse. A lookup that fails is not a 401 (the token may be fine): an
 * outage is said as such (retry later, as the rest of the API does), anything else is an internal error.
 */
export async function judgeToken(
  authenticate: Authenticate,
  token: string | null | undefined,
  log: Pick<Logger, "warn">,
): Promise<{ principal: Principal } | { refusal: Refusal }> {
  try {
    const principal = await authenticate(token);
    return principal ? { principal } : { refusal: UNAUTHENTICATED };
  } catch (error) {
    log.warn({ err: error }, "bearer token lookup failed");
    return isStorageUnavailable(error)
      ? { refusal: { wsCode: 1013, code: "SERVICE_UNAVAILABLE", message: "database unavailable; retry later" } }
      : { refusal: { wsCode: 1011, code: "INTERNAL_SERVER_ERROR", message: "Unexpected error." } };
  }
}

/** The HTTP answer to a refusal, in GraphQL's error shape. */
export function refusalResponse(refusal: Refusal, fetchAPI: { Response: typeof Response }): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (ERRORS[refusal.code].status === 401) headers["WWW-Authenticate"] = "Bearer";
  if (ERRORS[refusal.code].status === 503) headers["Retry-After"] = "5";
  return new fetchAPI.Response(JSON.stringify({ errors: [hubError(refusal.code, refusal.message).toJSON()] }), {
    status: ERRORS[refusal.code].status,
    headers,
  });
}
