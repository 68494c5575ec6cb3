import { createHash, randomBytes } from "node:crypto";

/** Recognisable in logs, configs and secret scanners; the rest is 32 random bytes. */
export const SECRET_PREFIX = "chub_";

export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * What the database keeps. A plain sha256 is enough (no salt, no slow hash): the secret is 256
 * random bits, not a password, so it cannot be guessed from its hash; and a fast hash keeps the
 * lookup by hash, done on each uncached request, cheap.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
