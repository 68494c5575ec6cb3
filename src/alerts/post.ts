import type { AlertTry } from "../domain/alertRetry.ts";

/**
 * The one HTTP client of alert targets: a POST with a deadline (AbortSignal), whose outcome is a
 * status or the network error, never a throw. Only the status counts: the answer's body is not
 * read (a receiver cannot make the hub hold a large or endless one). A redirect is not followed:
 * a target's URL is exact, and a signed body must not be carried to another host. `stopping`
 * cuts the POST short when the instance shuts down (recorded as such, and retried).
 */
export async function postAlert(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  stopping: AbortSignal,
  now = () => Date.now(),
): Promise<AlertTry> {
  const started = now();
  const at = new Date(started).toISOString();
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.any([deadline, stopping]), redirect: "manual" });
    await res.body?.cancel().catch(() => undefined);
    return { at, status: res.status, error: null, durationMs: now() - started };
  } catch (error) {
    const reason = stopping.aborted
      ? "cut short: the hub instance stopped"
      : deadline.aborted
        ? `no answer within ${timeoutMs} ms (ALERT_TIMEOUT_MS)`
        : describe(error);
    return { at, status: null, error: reason, durationMs: now() - started };
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code ? `${code}: ${message}` : message;
}
