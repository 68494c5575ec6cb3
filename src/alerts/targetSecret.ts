import { randomBytes } from "node:crypto";
import { openToken, sealToken } from "../outbound/tokenSeal.ts";

/**
 * A target's signing secret at rest. The hub must read it back to sign, so it cannot keep a hash:
 * with BUSINESS_TOKEN_KEY set it is sealed as business tokens are (AES-256-GCM, the target's id
 * as associated data); without the key it is stored as it is, marked "plain." (docs/alerts.md says so:
 * anyone who can read the database can then forge alerts to that target).
 */
const PLAIN = "plain.";

export function newAlertSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

const aad = (targetId: string) => `alert-target:${targetId}`;

export function storeAlertSecret(key: Buffer | undefined, secret: string, targetId: string): string {
  return key ? sealToken(key, secret, aad(targetId)) : `${PLAIN}${secret}`;
}

/** The secret to sign with; an Error (naming the target, never the secret) when it is sealed and the key is missing or another. */
export function readAlertSecret(key: Buffer | undefined, stored: string, targetId: string): string {
  if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
  if (!key) throw new Error(`the secret of alert target ${targetId} is sealed but BUSINESS_TOKEN_KEY is not set`);
  return openToken(key, stored, aad(targetId));
}
