import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How a receiver knows an alert came from this hub, and is not an old one sent again: the body is
 * signed with the target's secret together with the time of the POST (docs/alerts.md shows the
 * receiver's side). The timestamp is in the signed material, so changing it breaks the signature.
 */
export const SIGNATURE_HEADER = "X-Hub-Alert-Signature-256";
export const TIMESTAMP_HEADER = "X-Hub-Alert-Timestamp";
export const EVENT_HEADER = "X-Hub-Alert-Event";
export const ID_HEADER = "X-Hub-Alert-Id";

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, as Meta's X-Hub-Signature-256 but over the timestamp too. */
export function signAlert(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The receiver's check (docs/alerts.md): the signature matches and the timestamp is at most `toleranceS` old. */
export function verifyAlert(secret: string, headers: { signature: string; timestamp: string }, body: string, now = Date.now(), toleranceS = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceS) return false;
  const expected = Buffer.from(signAlert(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The headers of one POST: signed at the moment it is sent, so each retry carries its own time. */
export function alertHeaders(secret: string, body: string, eventType: string, eventId: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    "Content-Type": "application/json",
    "User-Agent": "coexist-hub-alerts",
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signAlert(secret, timestamp, body),
    [EVENT_HEADER]: eventType,
    [ID_HEADER]: eventId,
  };
}
