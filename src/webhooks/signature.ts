import { createHmac, timingSafeEqual } from "node:crypto";

/** Which form of the body a valid signature was computed over. */
export type SignatureScheme = "RAW" | "ESCAPED_UNICODE";

export type SignatureCheck =
  | { ok: true; scheme: SignatureScheme }
  | { ok: false; reason: string };

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks X-Hub-Signature-256 against every configured app secret.
 *
 * Meta signs "an escaped unicode version of the payload, with lowercase hex digits": a body that
 * arrives with "mangé" or an emoji in UTF-8 was signed as "mang\u00e9" / "\ud83d\ude00", and `/`
 * as `\/`. So the raw bytes are tried first and then that escaped form; parsed-and-reserialized
 * JSON is never used, as it would differ from both. When the two forms differ the escaped one is
 * tried first: it is the one Meta signs. `text` is the body decoded as UTF-8, passed by a caller
 * that decodes it anyway (the route, for JSON), so it is decoded once.
 */
export function verifySignature(raw: Buffer, header: string | undefined, secrets: readonly string[], text = raw.toString("utf8")): SignatureCheck {
  if (!header) return { ok: false, reason: "missing X-Hub-Signature-256 header" };
  const match = HEADER.exec(header.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature-256 must be "sha256=" followed by 64 hex digits' };
  const expected = Buffer.from(match[1]!.toLowerCase(), "hex");

  const escaped = escapedText(text);
  // A body that does not survive UTF-8 decoding unchanged (invalid bytes) is only ever the raw form.
  const forms: [SignatureScheme, Buffer | string][] = escaped === text && Buffer.byteLength(text) === raw.length ? [["RAW", raw]] : [["ESCAPED_UNICODE", escaped], ["RAW", raw]];

  for (const secret of secrets) {
    for (const [scheme, body] of forms) {
      const digest = createHmac("sha256", secret).update(body).digest();
      // Both are 32 bytes (the header regex fixes the length), as timingSafeEqual requires.
      if (timingSafeEqual(digest, expected)) return { ok: true, scheme };
    }
  }
  return { ok: false, reason: "X-Hub-Signature-256 does not match the body for any configured app secret" };
}

/** The body as Meta signs it: non-ASCII as \uXXXX (lowercase hex, UTF-16 units) and `/` as `\/`. */
export function escapeLikeMeta(text: string): Buffer {
  return Buffer.from(escapedText(text), "utf8");
}

// An escape sequence is matched whole, so an existing "\/" or "\\" is left as it is.
const TO_ESCAPE = /\\[\s\S]|\/|[^\x00-\x7f]/g;

function escapedText(text: string): string {
  return text.replace(TO_ESCAPE, (m) => (m.length === 2 ? m : m === "/" ? "\\/" : "\\u" + m.charCodeAt(0).toString(16).padStart(4, "0")));
}

/** Signs a body the way Meta does; used by tests and the `simulate` tool. */
export function signLikeMeta(body: string | Buffer, secret: string): string {
  const text = typeof body === "string" ? body : body.toString("utf8");
  return "sha256=" + createHmac("sha256", secret).update(escapedText(text)).digest("hex");
}
