import { createHash } from "node:crypto";

/**
 * A delivery's hash (sha256, hex) — of its raw bytes, and of the bytes its signature covers (see
 * signature.ts): what the stored rows are found by. Here, below the ingest, because a large body's
 * are computed on the parse thread with its signature (readLarge.ts).
 */
export function contentHash(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
