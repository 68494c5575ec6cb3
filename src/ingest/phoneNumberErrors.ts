import { createHash } from "node:crypto";
import type { PhoneNumberErrorInput } from "../domain/mirrorEvents.ts";
import type { Tx } from "../storage/client.ts";

/**
 * Stores value.errors (the phone number's errors), each with the delivery that carried it.
 * Idempotent: the id hashes the number, the time and the error, so a replay, or Meta repeating the
 * delivery, adds nothing. Runs after the mirror events, which upserted the phone numbers.
 */
export async function applyPhoneNumberErrors(
  tx: Tx,
  errors: readonly (Omit<PhoneNumberErrorInput, "occurredAt"> & { occurredAt: Date; deliveryId: string })[],
): Promise<void> {
  if (errors.length === 0) return;
  const rows = new Map(
    errors.map((e) => {
      const { code, title, message, details } = e.error;
      const id = createHash("sha256")
        .update(JSON.stringify([e.business.phoneNumberId, e.occurredAt.toISOString(), code, title, message, details]))
        .digest("hex");
      const row = {
        id,
        phoneNumberId: e.business.phoneNumberId,
        wabaId: e.business.wabaId,
        code,
        title,
        message,
        details,
        occurredAt: e.occurredAt,
        deliveryId: e.deliveryId,
      };
      return [id, row] as const;
    }),
  );
  const existing = await tx.phoneNumberError.findMany({ where: { id: { in: [...rows.keys()] } }, select: { id: true } });
  for (const { id } of existing) rows.delete(id);
  // createMany without skipDuplicates: SQLite has no ON CONFLICT DO NOTHING through Prisma; the
  // delivery and phone-number locks the projection holds keep two writers of one row apart.
  if (rows.size) await tx.phoneNumberError.createMany({ data: [...rows.values()] });
}
