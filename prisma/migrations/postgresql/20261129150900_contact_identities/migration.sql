-- DropForeignKey
ALTER TABLE "Thread" DROP CONSTRAINT "Thread_phoneNumberId_waId_fkey";

-- DropIndex
DROP INDEX "Contact_phoneNumberId_waId_key";

-- DropIndex
DROP INDEX "Thread_phoneNumberId_waId_key";

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "failedItems" JSONB;

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "parentUserId" TEXT,
ADD COLUMN     "username" TEXT,
ALTER COLUMN "waId" DROP NOT NULL;

-- AlterTable
-- hand-written: a thread now points at its contact by id instead of by (phone number, wa_id)
ALTER TABLE "Thread" ADD COLUMN     "contactId" TEXT;
UPDATE "Thread" t SET "contactId" = c."id" FROM "Contact" c WHERE c."phoneNumberId" = t."phoneNumberId" AND c."waId" = t."waId";
ALTER TABLE "Thread" ALTER COLUMN "contactId" SET NOT NULL;
ALTER TABLE "Thread" DROP COLUMN "waId";
-- end hand-written
-- replaced: ALTER TABLE "Thread" DROP COLUMN "waId",
-- replaced: ADD COLUMN     "contactId" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "ContactIdentity" (
    "phoneNumberId" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "currentSince" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactIdentity_pkey" PRIMARY KEY ("phoneNumberId","identity")
);

-- CreateIndex
CREATE INDEX "ContactIdentity_contactId_idx" ON "ContactIdentity"("contactId");

-- CreateIndex
CREATE INDEX "Contact_phoneNumberId_waId_idx" ON "Contact"("phoneNumberId", "waId");

-- CreateIndex
CREATE INDEX "Contact_phoneNumberId_userId_idx" ON "Contact"("phoneNumberId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Thread_contactId_key" ON "Thread"("contactId");

-- CreateIndex
CREATE INDEX "Thread_phoneNumberId_idx" ON "Thread"("phoneNumberId");

-- AddForeignKey
ALTER TABLE "ContactIdentity" ADD CONSTRAINT "ContactIdentity_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- hand-written: every contact is known by its number, and by its BSUID where one was stored
INSERT INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId") SELECT "phoneNumberId", 'wa_id:' || "waId", "id" FROM "Contact" WHERE "waId" IS NOT NULL;
INSERT INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId") SELECT DISTINCT ON ("phoneNumberId", "userId") "phoneNumberId", 'user_id:' || "userId", "id" FROM "Contact" WHERE "userId" IS NOT NULL ORDER BY "phoneNumberId", "userId", "createdAt", "id" ON CONFLICT DO NOTHING;
-- end hand-written
