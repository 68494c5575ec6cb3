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
  // Worst case is three bytes out per byte in (a two-byte character becomes six).
  let out: Buffer | undefined;
  let o = 0;
  let copiedUpTo = 0;
  const ensure = (i: number) => {
    if (!out) out = Buffer.allocUnsafe(raw.length * 3);
    if (i > copiedUpTo) o += raw.copy(out, o, copiedUpTo, i);
  };
  const writeUnit = (unit: number) => {
    out![o++] = BACKSLASH;
    out![o++] = U;
    out![o++] = HEX[(unit >> 8) * 2]!;
    out![o++] = HEX[(unit >> 8) * 2 + 1]!;
    out![o++] = HEX[(unit & 0xff) * 2]!;
    out![o++] = HEX[(unit & 0xff) * 2 + 1]!;
  };
  const n = raw.length;
  let i = 0;
  while (i < n) {
    const b = raw[i]!;
    if (b < 0x80) {
      if (b === BACKSLASH) {
        // The escaped character is kept as it is, whatever it is (JSON allows only ASCII there).
        const escaped = sequenceLength(raw, i + 1);
        if (escaped < 0) return undefined;
        i += 1 + escaped;
        continue;
      }
      if (b === SLASH) {
        ensure(i);
        out![o++] = BACKSLASH;
        out![o++] = SLASH;
        copiedUpTo = ++i;
        continue;
      }
      i++;
      continue;
    }
    const length = sequenceLength(raw, i);
    if (length < 0) return undefined;
    const cp = codePoint(raw, i, length);
    ensure(i);
    if (cp < 0x10000) writeUnit(cp);
    else {
      const v = cp - 0x10000;
      writeUnit(0xd800 + (v >> 10));
      writeUnit(0xdc00 + (v & 0x3ff));
    }
    i += length;
    copiedUpTo = i;
  }
  if (!out) return undefined;
  if (copiedUpTo < n) o += raw.copy(out, o, copiedUpTo, n);
  return out.subarray(0, o);
}

/** Length of the well-formed UTF-8 sequence at i (1 for ASCII), or -1 (what toString would replace with U+FFFD). */
function sequenceLength(raw: Buffer, i: number): number {
  if (i >= raw.length) return 0;
  const b = raw[i]!;
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < raw.length && raw[i + k]! >= lo && raw[i + k]! <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : -1;
  if (b >= 0xe0 && b <= 0xef) {
    // No overlong forms (E0 A0..), no UTF-16 surrogates (ED 80..9F).
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : -1;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : -1;
  }
  return -1;
}

function codePoint(raw: Buffer, i: number, length: number): number {
  const b = raw[i]!;
  if (length === 2) return ((b & 0x1f) << 6) | (raw[i + 1]! & 0x3f);
  if (length === 3) return ((b & 0x0f) << 12) | ((raw[i + 1]! & 0x3f) << 6) | (raw[i + 2]! & 0x3f);
  return ((b & 0x07) << 18) | ((raw[i + 1]! & 0x3f) << 12) | ((raw[i + 2]! & 0x3f) << 6) | (raw[i + 3]! & 0x3f);
}
