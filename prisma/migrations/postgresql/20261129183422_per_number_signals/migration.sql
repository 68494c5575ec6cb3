-- AlterTable
ALTER TABLE "AccountEvent" ADD COLUMN     "phoneNumber" TEXT;

-- AlterTable
ALTER TABLE "Disconnection" ADD COLUMN     "phoneNumber" TEXT;

-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN     "lastActivityAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Disconnection_wabaId_phoneNumber_idx" ON "Disconnection"("wabaId", "phoneNumber");

-- hand-written: events stored before name their number in the value as Meta sent it (digits only), and so do their disconnections. A WABA is re-derived with these at its next event.
UPDATE "AccountEvent" SET "phoneNumber" = regexp_replace("raw"->>'phone_number', '\D', '', 'g')
WHERE "raw"->>'phone_number' IS NOT NULL;
UPDATE "Disconnection" SET "phoneNumber" = (SELECT "phoneNumber" FROM "AccountEvent" WHERE "AccountEvent"."id" = "Disconnection"."id");
-- end hand-written
