-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "billing" JSONB;

-- CreateTable
CREATE TABLE "PhoneNumberError" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "code" INTEGER,
    "title" TEXT,
    "message" TEXT,
    "details" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PhoneNumberError_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PhoneNumberError_phoneNumberId_occurredAt_idx" ON "PhoneNumberError"("phoneNumberId", "occurredAt");

-- CreateIndex
CREATE INDEX "PhoneNumberError_deliveryId_idx" ON "PhoneNumberError"("deliveryId");

-- CreateIndex
CREATE INDEX "PendingMessageUpdate_phoneNumberId_kind_occurredAt_idx" ON "PendingMessageUpdate"("phoneNumberId", "kind", "occurredAt");

-- CreateIndex
CREATE INDEX "PendingMessageUpdate_createdAt_idx" ON "PendingMessageUpdate"("createdAt");

-- AddForeignKey
ALTER TABLE "PhoneNumberError" ADD CONSTRAINT "PhoneNumberError_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhoneNumberError" ADD CONSTRAINT "PhoneNumberError_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
