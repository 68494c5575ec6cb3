/**
 * A fresh idempotency key: 128 random bits from crypto.getRandomValues, which (unlike
 * crypto.randomUUID) also exists on a hub served over plain http on a LAN address.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
