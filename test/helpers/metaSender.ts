/**
 * Deliveries as Meta sends them: the exact bytes and their signature, one POST with its answer read,
 * and a sender that retries like Meta until it gets a 200.
 */
import { createHash } from "node:crypto";
import { APP_SECRET } from "./app.ts";
import { mapLimit } from "./mapLimit.ts";
import { metaBytes, signLikeMeta } from "./meta.ts";

export interface SignedDelivery {
  /** The bytes exactly as sent. */
  body: Buffer;
  /** X-Hub-Signature-256 (null: sent without it). */
  signature: string | null;
  /** sha256 of the body: WebhookDelivery.contentHash. */
  hash: string;
}

/** Meta-style bytes of `payload` with Meta's signature (over the \uXXXX-escaped form). */
export function signed(payload: unknown, secret = APP_SECRET): SignedDelivery {
  return signedBytes(metaBytes(payload), secret);
}

export function signedBytes(body: Buffer, secret = APP_SECRET): SignedDelivery {
  return { body, signature: signLikeMeta(body, secret), hash: sha256(body) };
}

export const sha256 = (body: Buffer | string) => createHash("sha256").update(body).digest("hex");

export interface Answer {
  status: number;
  /** The parsed JSON body, or null when it was not JSON. */
  json: Record<string, unknown> | null;
  headers: Headers;
}

/** One POST to /webhooks/whatsapp; rejects on network errors and after `timeoutMs` without an answer. */
export async function post(
  baseUrl: string,
  d: Pick<SignedDelivery, "body" | "signature">,
  extraHeaders: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Answer> {
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(d.signature !== null ? { "X-Hub-Signature-256": d.signature } : {}), ...extraHeaders },
    body: new Uint8Array(d.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers };
}

export interface SendResult {
  /** The outcome of the 200 that ended the retries (PROCESSED, ALREADY_PROCESSED or FAILED). */
  outcome: string;
  attempts: number;
  /** Why each earlier attempt did not count: "status 503", "ECONNREFUSED", "ECONNRESET", ... */
  failures: string[];
}

export interface SenderOptions {
  /** Where to send now (the server may have moved to another port after a restart). */
  target: () => string;
  /** Give up on one delivery after this long without a 200 (then the test fails). */
  giveUpAfterMs?: number;
  /** Called after each 200 (count of deliveries acknowledged so far). */
  onAcknowledged?: (acknowledged: number) => void;
  /** Called after each attempt that did not get a 200, with the reason. */
  onFailedAttempt?: (reason: string) => void;
}

/**
 * Sends like Meta: anything but a 200 — another status, a refused or reset connection, no answer —
 * is sent again, with a short backoff, until it is acknowledged.
 */
export class MetaSender {
  acknowledged = 0;
  /** Requests sent and not yet answered (or failed) at this moment. */
  inFlight = 0;
  failedAttempts = 0;
  readonly failuresByReason = new Map<string, number>();

  constructor(private readonly options: SenderOptions) {}

  async send(d: SignedDelivery): Promise<SendResult> {
    const failures: string[] = [];
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      try {
        this.inFlight++;
        const answer = await post(this.options.target(), d).finally(() => this.inFlight--);
        if (answer.status === 200) {
          this.acknowledged++;
          this.options.onAcknowledged?.(this.acknowledged);
          return { outcome: String(answer.json?.outcome), attempts: attempt, failures };
        }
        reason = `status ${answer.status}`;
      } catch (error) {
        reason = networkReason(error);
      }
      failures.push(reason);
      this.failedAttempts++;
      this.failuresByReason.set(reason, (this.failuresByReason.get(reason) ?? 0) + 1);
      this.options.onFailedAttempt?.(reason);
      if (Date.now() - started > (this.options.giveUpAfterMs ?? 120_000)) {
        throw new Error(`delivery ${d.hash} not acknowledged after ${attempt} attempts: ${failures.slice(-5).join(", ")}`);
      }
      // Meta backs off exponentially over hours; the same shape, compressed to milliseconds.
      await pause(Math.min(20 * 2 ** Math.min(attempt, 5), 400) * (0.5 + Math.random()));
    }
  }

  /** Sends every delivery with at most `concurrency` in flight; results in the input's order. */
  sendAll(deliveries: readonly SignedDelivery[], concurrency: number): Promise<SendResult[]> {
    return mapLimit(deliveries, concurrency, (d) => this.send(d));
  }
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timeout";
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? String((error as Error)?.message ?? error);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
