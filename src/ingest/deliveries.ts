import { createHash, randomUUID } from "node:crypto";
import type { SignatureScheme } from "../webhooks/signature.ts";
import type { Db } from "../storage/db.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { providerOf } from "../storage/locks.ts";

export interface IncomingDelivery {
  body: Buffer;
  signature: string;
  scheme: SignatureScheme;
  fields: string[];
}

export interface RecordedDelivery {
  id: string;
  status: string;
  receivedAt: Date;
  body: string;
  /** The same bytes were stored before (a retry by Meta). */
  duplicate: boolean;
}

export function contentHash(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

const SELECT = { id: true, status: true, receivedAt: true, body: true, contentHash: true } as const;

/**
 * Stores deliveries as they came, before anything is projected from them, with one query to find
 * those seen before and one multi-row insert for the rest. The content hash is unique, so Meta's
 * retries of one delivery find the row already there.
 */
export async function storeDeliveries(db: Db, incoming: readonly IncomingDelivery[]): Promise<RecordedDelivery[]> {
  const hashes = incoming.map((d) => contentHash(d.body));
  const known = new Map((await db.webhookDelivery.findMany({ where: { contentHash: { in: [...new Set(hashes)] } }, select: SELECT })).map((r) => [r.contentHash, r]));
  const fresh = new Map<string, { id: string; receivedAt: Date; body: string; d: IncomingDelivery }>();
  incoming.forEach((d, i) => {
    const hash = hashes[i]!;
    if (!known.has(hash) && !fresh.has(hash)) fresh.set(hash, { id: randomUUID(), receivedAt: new Date(), body: d.body.toString("utf8"), d });
  });
  if (fresh.size) {
    try {
      await db.$transaction((tx) =>
        bulkInsert(
          tx,
          providerOf(db),
          "WebhookDelivery",
          { id: "text", contentHash: "text", body: "text", signature: "text", signatureScheme: "text", fields: "text", receivedAt: "timestamp", status: "text", attempts: "int" },
          [...fresh].map(([hash, f]) => ({
            id: f.id,
            contentHash: hash,
            body: f.body,
            signature: f.d.signature,
            signatureScheme: f.d.scheme,
            fields: f.d.fields.join(","),
            receivedAt: f.receivedAt,
            status: "RECEIVED",
            attempts: 0,
          })),
        ),
      );
    } catch (error) {
      // Another instance stored some of the same bytes at the same moment: store one by one.
      if (incoming.length === 1) {
        const raced = await db.webhookDelivery.findUnique({ where: { contentHash: hashes[0]! }, select: SELECT });
        if (raced) return [{ ...raced, duplicate: true }];
        throw error;
      }
      const one: RecordedDelivery[] = [];
      for (const d of incoming) one.push(...(await storeDeliveries(db, [d])));
      return one;
    }
  }
  const firstOf = new Set<string>();
  return hashes.map((hash) => {
    const stored = known.get(hash);
    if (stored) return { ...stored, duplicate: true };
    const f = fresh.get(hash)!;
    // The second copy of the same bytes inside one batch is a duplicate of the first.
    const duplicate = firstOf.has(hash);
    firstOf.add(hash);
    return { id: f.id, status: "RECEIVED", receivedAt: f.receivedAt, body: f.body, duplicate };
  });
}
