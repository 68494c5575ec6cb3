-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "signedHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_signedHash_key" ON "WebhookDelivery"("signedHash");

-- hand-written: a delivery verified over its raw bytes (RAW) was signed over exactly what contentHash
-- hashes. Rows verified over the escaped form (ESCAPED_UNICODE) get theirs at start-up, computed from
-- the stored body (src/ingest/signedHashes.ts): SQL cannot build Meta's escaped form.
UPDATE "WebhookDelivery" SET "signedHash" = "contentHash" WHERE "signatureScheme" = 'RAW';
-- end hand-written
