import type { StatusInput } from "../domain/mirrorEvents.ts";
import { mergeBilling, type MessageBilling } from "../domain/statusBilling.ts";
import { billingColumn } from "../storage/columns.ts";

/** The billing a stored message gets from a status, or null to leave it (see mergeBilling). */
export function statusBillingUpdate(stored: unknown, u: StatusInput): MessageBilling | null {
  return mergeBilling(billingColumn.read(stored), {
    status: u.status,
    timestamp: u.timestamp,
    pricing: u.pricing,
    conversation: u.conversation,
  });
}
