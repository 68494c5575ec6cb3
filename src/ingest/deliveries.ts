import { createHash } from "node:crypto";
import type { SignatureScheme } from "../webhooks/signature.ts";
import type { Db } from "../storage/db.ts";

export interface IncomingDelivery {
  body: Buffer;
  signature: string;
  scheme: SignatureScheme;
  fields: string[];
}

export interface RecordedDelivery {
  id: string;
  status: string;
  /** The same bytes were stored before (a retry by Meta). */
  duplicate: boolean;
}

export function contentHash(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Stores the delivery as it came, before anything is projected from it. The content hash is
 * unique, so Meta's retries of one delivery find the row already there.
 */
export async function recordDelivery(db: Db, d: IncomingDelivery): Promise<RecordedDelivery> {
  const hash = contentHash(d.body);
  const existing = await db.webhookDelivery.findUnique({ where: { contentHash: hash }, select: { id: true, status: true } });
  if (existing) return { ...existing, duplicate: true };
  try {
    const row = await db.webhookDelivery.create({
      data: {
        contentHash: hash,
        body: d.body.toString("utf8"),
        signature: d.signature,
        signatureScheme: d.scheme,
        fields: d.fields.join(","),
      },
      select: { id: true, status: true },
    });
    return { ...row, duplicate: false };
  } catch (error) {
    // Two copies racing: the loser reads the winner's row.
    const raced = await db.webhookDelivery.findUnique({ where: { contentHash: hash }, select: { id: true, status: true } });
    if (raced) return { ...raced, duplicate: true };
    throw error;
  }
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.webhookDelivery.update({
    where: { id },
    data: { status: "FAILED", error, attempts: { increment: 1 } },
  });
}
