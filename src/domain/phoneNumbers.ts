/**
 * Meta names a business phone number two ways. The thread-mirror fields carry its id
 * (`value.metadata.phone_number_id`) and display number; account_update names it only by its
 * number (`phone_number`, e.g. a coexistence PARTNER_REMOVED: "15550783881", the same digits as the
 * mirror fields' `display_phone_number`). Both are compared as digits ("+1 (650) 555-1234" is
 * "16505551234"), and so is every user's phone number.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users
 */
export function digits(phone: string | number): string {
  return String(phone).replace(/\D/g, "");
}

/**
 * A number named only by an account_update has no phone_number_id yet. It is stored under this
 * key until the first mirror webhook names it by id, which takes its place (see docs/thread-mirror.md).
 */
const PROVISIONAL_PREFIX = "display:";

export function provisionalPhoneNumberId(digits: string): string {
  return `${PROVISIONAL_PREFIX}${digits}`;
}

export function isProvisionalPhoneNumberId(phoneNumberId: string): boolean {
  return phoneNumberId.startsWith(PROVISIONAL_PREFIX);
}

/** The later of two optional times (null when both are). */
export function laterOf(a: Date | null | undefined, b: Date | null | undefined): Date | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
