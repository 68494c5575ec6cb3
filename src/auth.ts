import { createHash, timingSafeEqual } from "node:crypto";

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
