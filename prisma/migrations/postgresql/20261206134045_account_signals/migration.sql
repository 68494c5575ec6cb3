-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN     "inactivityLevel" TEXT,
ADD COLUMN     "lastAppActivityAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AccountSignal" (
    "id" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountSignal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "templateId" TEXT,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "category" TEXT,
    "status" TEXT,
    "quality" TEXT,
    "reason" TEXT,
    "detail" TEXT,
    "pendingCategory" TEXT,
    "categoryChangesAt" TIMESTAMP(3),
    "changedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccountSignal_wabaId_subject_occurredAt_idx" ON "AccountSignal"("wabaId", "subject", "occurredAt");

-- CreateIndex
CREATE INDEX "AccountSignal_wabaId_field_occurredAt_idx" ON "AccountSignal"("wabaId", "field", "occurredAt");

-- CreateIndex
CREATE INDEX "MessageTemplate_wabaId_name_language_idx" ON "MessageTemplate"("wabaId", "name", "language");

-- CreateIndex
CREATE UNIQUE INDEX "MessageTemplate_wabaId_subject_key" ON "MessageTemplate"("wabaId", "subject");

-- AddForeignKey
ALTER TABLE "AccountSignal" ADD CONSTRAINT "AccountSignal_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba"("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountSignal" ADD CONSTRAINT "AccountSignal_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba"("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE;
