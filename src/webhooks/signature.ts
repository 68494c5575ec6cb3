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
 * JSON is never used, as it would differ from both.
 */
export function verifySignature(raw: Buffer, header: string | undefined, secrets: readonly string[]): SignatureCheck {
  if (!header) return { ok: false, reason: "missing X-Hub-Signature-256 header" };
  const match = HEADER.exec(header.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature-256 must be "sha256=" followed by 64 hex digits' };
  const expected = Buffer.from(match[1]!.toLowerCase(), "hex");

  const forms: [SignatureScheme, Buffer][] = [["RAW", raw]];
  const escaped = escapeLikeMeta(raw.toString("utf8"));
  if (!raw.equals(escaped)) forms.push(["ESCAPED_UNICODE", escaped]);

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
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (ch === "\\") {
      // An escape sequence is copied whole, so an existing "\/" or "\\" is left as it is.
      out += ch + (text[i + 1] ?? "");
      i++;
    } else if (ch === "/") {
      out += "\\/";
    } else if (code > 0x7f) {
      out += "\\u" + code.toString(16).padStart(4, "0");
    } else {
      out += ch;
    }
  }
  return Buffer.from(out, "utf8");
}

/** Signs a body the way Meta does; used by tests and the `simulate` tool. */
export function signLikeMeta(body: string | Buffer, secret: string): string {
  const text = typeof body === "string" ? body : body.toString("utf8");
  return "sha256=" + createHmac("sha256", secret).update(escapeLikeMeta(text)).digest("hex");
}
