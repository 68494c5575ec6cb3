import { contentHash } from "./contentHash.ts";
import { EnvelopeError, readEnvelope, type WebhookChange } from "./envelope.ts";
import { parseEachChange, type ChangeParses } from "./parseDelivery.ts";
import { verifySignature, type SignatureScheme } from "./signature.ts";

/** The fields' parse, or why nothing of the delivery could be read (it is stored FAILED with that reason, as parseDelivery's). */
export type LargeParse = ChangeParses | { error: string };

/** A large body's reading: refused as the route refuses (same codes, same reasons), or read to its parse. */
export type LargeRead =
  | { ok: false; code: "BAD_SIGNATURE" | "BAD_BODY"; reason: string }
  | {
      ok: true;
      scheme: SignatureScheme;
      /** The bytes the signature covers (see signature.ts). */
      signed: Buffer;
      /** The body decoded (UTF-8), for storage: decoded here once, not again on the loop. */
      text: string;
      /** contentHash of the body and of the signed bytes. */
      hashes: { body: string; signed: string };
      /** The envelope's changes WITHOUT their values (`value` is undefined): their parses are in `parsed`. */
      changes: WebhookChange[];
      fields: string[];
      parsed: LargeParse;
    };

/** The route's steps for a signed body: refused as Meta's contract says (docs/webhook-contract.md), or read to its changes. */
export type SignedRead =
  | { ok: false; code: "BAD_SIGNATURE" | "BAD_BODY"; reason: string }
  | { ok: true; scheme: SignatureScheme; signed: Buffer; text: string; changes: WebhookChange[]; fields: string[] };

/** Signature, then JSON, then envelope — in that order, each failure with its own code (the route's and readLarge's). */
export function readSigned(body: Buffer, header: string | undefined, secrets: readonly string[], maxDepth: number): SignedRead {
  const check = verifySignature(body, header, secrets);
  if (!check.ok) return { ok: false, code: "BAD_SIGNATURE", reason: check.reason };
  // Decoded once, after the signature: the text serves JSON and storage.
  const text = body.toString("utf8");
  let changes: WebhookChange[];
  try {
    changes = readEnvelope(JSON.parse(text), maxDepth);
  } catch (error) {
    const reason = error instanceof EnvelopeError ? error.message : `body is not JSON: ${(error as Error).message}`;
    return { ok: false, code: "BAD_BODY", reason };
  }
  return { ok: true, scheme: check.scheme, signed: check.signed, text, changes, fields: [...new Set(changes.map((c) => c.field))] };
}

/**
 * The route's steps for one body — signature, JSON, envelope — and then the batcher's, the fields'
 * parse, in one pass over it: what readWorker.ts does on its thread for a large body (the loop is
 * not held by a 3 MB `JSON.parse` and zod), and what the main thread does when that thread cannot
 * run. The changes' values are dropped from the answer: handing 16,000 parsed messages back twice
 * (as values and as events) would cost the main thread more than the parse it was spared.
 */
export function readLarge(body: Buffer, header: string | undefined, secrets: readonly string[], maxDepth: number, receivedAt: Date): LargeRead {
  const read = readSigned(body, header, secrets, maxDepth);
  if (!read.ok) return read;
  const { changes, signed } = read;
  let parsed: LargeParse;
  try {
    parsed = parseEachChange(changes, receivedAt);
  } catch (error) {
    parsed = { error: error instanceof Error ? error.message : String(error) };
  }
  const bodyHash = contentHash(body);
  return {
    ...read,
    hashes: { body: bodyHash, signed: signed === body ? bodyHash : contentHash(signed) },
    changes: changes.map((c) => ({ ...c, value: undefined })),
    parsed,
  };
}
