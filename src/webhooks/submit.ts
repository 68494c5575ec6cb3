import type { WebhookChange } from "./envelope.ts";
import type { LargeParse } from "./readLarge.ts";
import type { SignatureScheme } from "./signature.ts";

/** A delivery that passed the route's checks (signature, JSON, envelope), handed on to be stored. */
export interface AcceptedDelivery {
  body: Buffer;
  /** The bytes the signature was verified over (the body, or its escaped form): the delivery's identity. */
  signed: Buffer;
  /** The body decoded as UTF-8 (the route decoded it for the signature and JSON already). */
  text: string;
  signature: string;
  scheme: SignatureScheme;
  fields: string[];
  /** The envelope's changes; a large body's without their values (read off the loop: see `parsed`). */
  changes: readonly WebhookChange[];
  /** A large body's contentHash of `body` and of `signed`, computed off the loop with the rest (readOffLoop.ts). */
  hashes?: { body: string; signed: string };
  /** A large body's parse, made with its signature and envelope off the event loop (readOffLoop.ts); the batcher parses the others. */
  parsed?: LargeParse;
}

/**
 * What the webhook route hands an accepted delivery to (the ingest's DeliveryBatcher): resolves once
 * the delivery is durably stored, with what became of it; rejects when storage is unavailable.
 */
export interface SubmitDelivery {
  submit(delivery: AcceptedDelivery): Promise<{ deliveryId: string; outcome: string }>;
}
