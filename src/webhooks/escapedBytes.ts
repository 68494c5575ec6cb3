const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const U = 0x75;
// "00".."ff" as byte pairs, so an escape is written with four table reads and no string work.
const HEX = Buffer.from(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0")).join(""), "latin1");

/**
 * The body as Meta signs it (see signature.ts), built straight from the received bytes: each
 * non-ASCII character as `\uXXXX` (lowercase hex, UTF-16 units) and a bare `/` as `\/`; an escape
 * sequence already there (`\/`, `\\`, …) is copied whole. Undefined when that form is the body
 * itself (ASCII with no bare `/`) or when the body is not valid UTF-8: Meta's form is made from
 * text, so such a body can only have been signed raw.
 *
 * A byte loop into one preallocated buffer, never a decoded string with a replace callback per
 * character: rejecting a wrongly signed 1 MB non-ASCII body used to cost ten times an ASCII one
 * (issue #9); this keeps it near the cost of hashing the escaped bytes (bench/signature.ts).
 */
export function escapedBytes(raw: Buffer): Buffer | undefined {
  const n = raw.length;
  const first = firstToEscape(raw);
  if (first < 0) return undefined;
  // Worst case is three bytes out per byte in (a two-byte character becomes six).
  const out = Buffer.allocUnsafe(n * 3);
  let o = raw.copy(out, 0, 0, first);
  let i = first;
  // Plain locals, byte writes and no closures: this runs once per byte of up to a megabyte.
  while (i < n) {
    const b = raw[i]!;
    if (b < 0x80) {
      if (b === SLASH) {
        out[o++] = BACKSLASH;
        out[o++] = SLASH;
        i++;
      } else if (b === BACKSLASH) {
        // The escaped character is kept as it is, whatever it is (JSON allows only ASCII there).
        const escaped = i + 1 < n ? sequenceLength(raw, i + 1) : 0;
        if (escaped < 0) return undefined;
        for (let k = 0; k <= escaped; k++) out[o++] = raw[i + k]!;
        i += 1 + escaped;
      } else {
        out[o++] = b;
        i++;
      }
      continue;
    }
    const length = sequenceLength(raw, i);
    if (length < 0) return undefined;
    const cp = codePoint(raw, i, length);
    if (cp < 0x10000) o = writeUnit(out, o, cp);
    else {
      o = writeUnit(out, o, 0xd800 + ((cp - 0x10000) >> 10));
      o = writeUnit(out, o, 0xdc00 + ((cp - 0x10000) & 0x3ff));
    }
    i += length;
  }
  return out.subarray(0, o);
}

/** Index of the first byte the escaped form changes (a bare `/` or non-ASCII outside an escape sequence), or -1. */
function firstToEscape(raw: Buffer): number {
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const b = raw[i]!;
    if (b >= 0x80 || b === SLASH) return i;
    // An escape sequence is kept whole, whatever character it escapes.
    if (b === BACKSLASH && i + 1 < n) i += Math.max(0, sequenceLength(raw, i + 1));
  }
  return -1;
}

/** Writes `\uXXXX` for one UTF-16 unit at o; returns the new offset. */
function writeUnit(out: Buffer, o: number, unit: number): number {
  const hi = (unit >> 8) * 2;
  const lo = (unit & 0xff) * 2;
  out[o] = BACKSLASH;
  out[o + 1] = U;
  out[o + 2] = HEX[hi]!;
  out[o + 3] = HEX[hi + 1]!;
  out[o + 4] = HEX[lo]!;
  out[o + 5] = HEX[lo + 1]!;
  return o + 6;
}

function isContinuation(raw: Buffer, at: number, lo = 0x80, hi = 0xbf): boolean {
  if (at >= raw.length) return false;
  const b = raw[at]!;
  return b >= lo && b <= hi;
}

/** Length of the well-formed UTF-8 sequence at i (1 for ASCII), or -1 (what toString would replace with U+FFFD). */
function sequenceLength(raw: Buffer, i: number): number {
  const b = raw[i]!;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(raw, i + 1) ? 2 : -1;
  if (b >= 0xe0 && b <= 0xef) {
    // No overlong forms (E0 A0..), no UTF-16 surrogates (ED 80..9F).
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return isContinuation(raw, i + 1, lo, hi) && isContinuation(raw, i + 2) ? 3 : -1;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return isContinuation(raw, i + 1, lo, hi) && isContinuation(raw, i + 2) && isContinuation(raw, i + 3) ? 4 : -1;
  }
  return -1;
}

function codePoint(raw: Buffer, i: number, length: number): number {
  const b = raw[i]!;
  if (length === 2) return ((b & 0x1f) << 6) | (raw[i + 1]! & 0x3f);
  if (length === 3) return ((b & 0x0f) << 12) | ((raw[i + 1]! & 0x3f) << 6) | (raw[i + 2]! & 0x3f);
  return ((b & 0x07) << 18) | ((raw[i + 1]! & 0x3f) << 12) | ((raw[i + 2]! & 0x3f) << 6) | (raw[i + 3]! & 0x3f);
}
