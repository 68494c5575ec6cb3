import { setTimeout as sleep } from "node:timers/promises";
import { WEBHOOK_PATH } from "../webhooks/route.ts";
import { signLikeMeta } from "../webhooks/signature.ts";

export interface SendTarget {
  /** The hub's base URL, e.g. http://localhost:4000. */
  url: string;
  /** The app secret the hub checks signatures against. */
  secret: string;
}

export type SendResult =
  { accepted: true; outcome: string; deliveryId: string; attempts: number } | { accepted: false; status: number | null; error: string; attempts: number };

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Wait before the first retry; doubled for each next one. */
  baseDelayMs: number;
  /** Longest wait, even when the hub's Retry-After asks for more: this is a test tool. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** A path under the hub's base URL, keeping any path prefix of it (a hub behind a proxy at /hub). */
export function endpoint(base: string, path: string): URL {
  return new URL(base.replace(/\/+$/, "") + path);
}

/**
 * The bytes Meta sends: UTF-8 JSON with every `/` escaped as `\/`. The replacement is safe on
 * serialized JSON because `/` can only occur inside strings there.
 */
export function metaBytes(payload: unknown): Buffer {
  return Buffer.from(JSON.stringify(payload).replace(/\//g, "\\/"), "utf8");
}

/**
 * POSTs one payload signed like Meta. A 4xx is final (the hub will not change its mind about
 * these bytes); a 5xx or a network error is retried with backoff, as Meta does.
 */
export async function sendDelivery(target: SendTarget, payload: unknown, policy: RetryPolicy = DEFAULT_RETRY): Promise<SendResult> {
  const body = metaBytes(payload);
  const headers = { "Content-Type": "application/json", "X-Hub-Signature-256": signLikeMeta(body, target.secret) };
  let failure: { status: number | null; error: string } = { status: null, error: "not sent" };
  let retryAfterMs = 0;

  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoff(policy, attempt - 1, retryAfterMs));
    let response: Response;
    try {
      response = await fetch(endpoint(target.url, WEBHOOK_PATH), { method: "POST", headers, body: new Uint8Array(body) });
    } catch (error) {
      failure = { status: null, error: networkError(error) };
      retryAfterMs = 0;
      continue;
    }
    const text = await response.text();
    if (response.status === 200) return { accepted: true, attempts: attempt, ...acceptedBody(text) };
    failure = { status: response.status, error: errorOf(text) };
    if (response.status >= 400 && response.status < 500) return { accepted: false, attempts: attempt, ...failure };
    retryAfterMs = Number(response.headers.get("retry-after")) * 1000 || 0;
  }
  return { accepted: false, attempts: policy.retries + 1, ...failure };
}

/** Exponential, but never shorter than the hub's Retry-After, and capped. */
function backoff(policy: RetryPolicy, retry: number, retryAfterMs: number): number {
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  return Math.min(policy.maxDelayMs, Math.max(exponential, retryAfterMs));
}

function acceptedBody(text: string): { outcome: string; deliveryId: string } {
  try {
    const parsed = JSON.parse(text) as { outcome?: unknown; deliveryId?: unknown };
    return {
      outcome: typeof parsed.outcome === "string" ? parsed.outcome : "UNKNOWN",
      deliveryId: typeof parsed.deliveryId === "string" ? parsed.deliveryId : "",
    };
  } catch {
    return { outcome: "UNKNOWN", deliveryId: "" };
  }
}

function errorOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // Not the hub's JSON error (a proxy's page, say): show the start of it.
  }
  return text.slice(0, 200);
}

/** fetch hides the useful part ("connect ECONNREFUSED …") in `cause`. */
export function networkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Runs `task` over `items` with at most `concurrency` in flight, keeping results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
