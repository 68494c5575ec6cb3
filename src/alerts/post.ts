import type { AlertTry } from "../domain/alertRetry.ts";

/**
 * The one HTTP client of alert targets: a POST with a deadline (AbortSignal), whose outcome is a
 * status or the network error, never a throw. The answer's body is read and dropped (a receiver
 * that streams one forever is cut at the same deadline), and a redirect is not followed: a
 * target's URL is exact, and a signed body must not be carried to another host.
 */
export async function postAlert(url: string, body: string, headers: Record<string, string>, timeoutMs: number, now = () => Date.now()): Promise<AlertTry> {
  const started = now();
  const at = new Date(started).toISOString();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: "POST", body, headers, signal, redirect: "manual" });
    await res.arrayBuffer().catch(() => undefined);
    return { at, status: res.status, error: null, durationMs: now() - started };
  } catch (error) {
    return { at, status: null, error: describe(error, signal, timeoutMs), durationMs: now() - started };
  }
}

function describe(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms (ALERT_TIMEOUT_MS)`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code ? `${code}: ${message}` : message;
}
