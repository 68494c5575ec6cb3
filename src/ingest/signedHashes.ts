import type { Logger } from "pino";
import type { Storage } from "../storage/db.ts";
import { escapedBytes } from "../webhooks/escapedBytes.ts";
import { contentHash } from "../webhooks/contentHash.ts";

const BATCH = 200;

/**
 * Rows stored before signedHash existed (verified over Meta's escaped form; the migration gave RAW
 * rows theirs) get it from their stored body: the body is the received bytes decoded as UTF-8,
 * and an escaped-form signature only verifies valid UTF-8, so the bytes come back exactly and their
 * escaped form is what was signed. From then on every spelling of such a delivery is a duplicate.
 * Two old rows that are spellings of one delivery (a replay stored before this fix) cannot share
 * the unique value: the later keeps none, and is logged.
 */
export async function backfillSignedHashes(storage: Storage, log: Logger): Promise<number> {
  const db = storage.prisma;
  let after = "";
  let done = 0;
  for (;;) {
    const rows = await db.webhookDelivery.findMany({
      where: { signedHash: null, id: { gt: after } },
      select: { id: true, body: true, signatureScheme: true, contentHash: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const bytes = Buffer.from(row.body, "utf8");
      const signedHash = row.signatureScheme === "RAW" ? row.contentHash : contentHash(escapedBytes(bytes) ?? bytes);
      const taken = await db.webhookDelivery.findUnique({ where: { signedHash }, select: { id: true } });
      if (taken)
        log.warn({ deliveryId: row.id, sameAs: taken.id }, "stored delivery is another spelling of an earlier one (a replay); left without signedHash");
      else {
        await db.webhookDelivery.update({ where: { id: row.id }, data: { signedHash } });
        done++;
      }
    }
    after = rows[rows.length - 1]!.id;
  }
  if (done) log.info({ deliveries: done }, "signed hashes computed for deliveries stored before they existed");
  return done;
}
