import type { StatusInput } from "../domain/mirrorEvents.ts";
import { mergeBilling, type MessageBilling } from "../domain/statusBilling.ts";
import { readBilling } from "../storage/storedStatus.ts";

/**
 * The billing a stored message gets from a status, or null to leave it (see mergeBilling). A
 * status kept as a pending update by an older version has no pricing keys: it counts as none.
 */
export function statusBillingUpdate(stored: unknown, u: StatusInput): MessageBilling | null {
  return mergeBilling(readBilling(stored), {
    status: u.status,
    timestamp: u.timestamp,
    pricing: u.pricing ?? null,
    conversation: u.conversation ?? null,
  });
}
