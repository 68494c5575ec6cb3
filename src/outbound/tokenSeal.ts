import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * A business token at rest: AES-256-GCM under BUSINESS_TOKEN_KEY, a fresh 12-byte IV each time,
 * the WABA id as associated data so a sealed token copied to another WABA's row does not open.
 * Format: "v1.<iv>.<tag>.<ciphertext>", each part base64url.
 */
const VERSION = "v1";

export function sealToken(key: Buffer, token: string, wabaId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(wabaId, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The token, or an Error that names the WABA (never the token) when the key or the row is not the one it was sealed with. */
export function openToken(key: Buffer, sealed: string, wabaId: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error(`the stored token of WABA ${wabaId} is not a ${VERSION} sealed token`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(wabaId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`BUSINESS_TOKEN_KEY does not open the stored token of WABA ${wabaId} (another key, or a damaged row)`);
  }
}
