import { createHmac, timingSafeEqual } from "node:crypto";
import { escapedBytes } from "./escapedBytes.ts";

/** Which form of the body a valid signature was computed over. */
export type SignatureScheme = "RAW" | "ESCAPED_UNICODE";

/**
 * `signed`: the bytes the signature covers. Every spelling of one delivery that the signature
 * verifies (`/` or `\/`, é or \u00e9) has the same signed bytes, so they are its identity
 * (the delivery's signedHash): a re-escaped replay is the delivery already stored.
 */
export type SignatureCheck = { ok: true; scheme: SignatureScheme; signed: Buffer } | { ok: false; reason: string };

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks X-Hub-Signature-256 against every configured app secret.
 *
 * Meta signs "an escaped unicode version of the payload, with lowercase hex digits": a body that
 * arrives with "mangé" or an emoji in UTF-8 was signed as "mang\u00e9" / "\ud83d\ude00", and `/`
 * as `\/`. So the raw bytes are tried and then that escaped form; parsed-and-reserialized JSON is
 * never used, as it would differ from both.
 *
 * Cheapest first, as most rejected bodies come from people who are not Meta: a missing or
 * malformed header is refused before the body is looked at, and the escaped form is built once,
 * from the bytes (escapedBytes.ts). When it differs from them (a non-ASCII byte, a bare `/`), it
 * is tried first: that is Meta's case, and the raw bytes then cannot match Meta's signature, so
 * trying them first cost every real delivery an HMAC for nothing. A body that matches neither
 * costs the same either way (the escaped form and both HMACs).
 */
export function verifySignature(raw: Buffer, header: string | undefined, secrets: readonly string[]): SignatureCheck {
  if (!header) return { ok: false, reason: "missing X-Hub-Signature-256 header" };
  const match = HEADER.exec(header.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature-256 must be "sha256=" followed by 64 hex digits' };
  const expected = Buffer.from(match[1]!.toLowerCase(), "hex");
  // Both are 32 bytes (the header regex fixes the length), as timingSafeEqual requires.
  const signedBy = (body: Buffer) => secrets.some((secret) => timingSafeEqual(createHmac("sha256", secret).update(body).digest(), expected));

  const escaped = escapedBytes(raw);
  if (escaped && signedBy(escaped)) return { ok: true, scheme: "ESCAPED_UNICODE", signed: escaped };
  if (signedBy(raw)) return { ok: true, scheme: "RAW", signed: raw };
  return { ok: false, reason: "X-Hub-Signature-256 does not match the body for any configured app secret" };
}

/** The body as Meta signs it: non-ASCII as \uXXXX (lowercase hex, UTF-16 units) and `/` as `\/`. */
export function escapeLikeMeta(text: string): Buffer {
  return Buffer.from(escapedText(text), "utf8");
}

// An escape sequence is matched whole, so an existing "\/" or "\\" is left as it is.
const TO_ESCAPE = /\\[\s\S]|\/|[\u0080-\uffff]/g;

function escapedText(text: string): string {
  return text.replace(TO_ESCAPE, (m) => (m.length === 2 ? m : m === "/" ? "\\/" : "\\u" + m.charCodeAt(0).toString(16).padStart(4, "0")));
}

/** Signs a body the way Meta does; used by tests and the `simulate` tool. */
export function signLikeMeta(body: string | Buffer, secret: string): string {
  const text = typeof body === "string" ? body : body.toString("utf8");
  return "sha256=" + createHmac("sha256", secret).update(escapedText(text)).digest("hex");
}
