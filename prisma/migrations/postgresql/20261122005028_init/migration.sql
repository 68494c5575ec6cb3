-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "signatureScheme" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "fields" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Waba" (
    "wabaId" TEXT NOT NULL,
    "ownerBusinessId" TEXT,
    "connectionState" TEXT NOT NULL DEFAULT 'CONNECTED',
    "banState" TEXT,
    "banDate" TEXT,
    "country" TEXT,
    "restrictions" JSONB,
    "violations" JSONB,
    "pricingTiers" JSONB,
    "authIntlPriceEligibility" JSONB,
    "adAccounts" JSONB,
    "mmLiteTermsSignedAt" TIMESTAMP(3),
    "certificationStatus" TEXT,
    "certificationRejectionReasons" JSONB,
    "lastEventAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Waba_pkey" PRIMARY KEY ("wabaId")
);

-- CreateTable
CREATE TABLE "AccountEvent" (
    "id" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "entryId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disconnection" (
    "id" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "initiatedBy" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolvedByEventId" TEXT,
    "recommendedAction" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Disconnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhoneNumber" (
    "phoneNumberId" TEXT NOT NULL,
    "displayPhoneNumber" TEXT,
    "wabaId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PhoneNumber_pkey" PRIMARY KEY ("phoneNumberId")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "waId" TEXT NOT NULL,
    "userId" TEXT,
    "profileName" TEXT,
    "fullName" TEXT,
    "firstName" TEXT,
    "removedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Thread" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "waId" TEXT NOT NULL,
    "lastMessageAt" TIMESTAMP(3),
    "lastMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Thread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "wamid" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "text" TEXT,
    "content" JSONB NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "status" TEXT,
    "statusAt" TIMESTAMP(3),
    "errors" JSONB,
    "editedAt" TIMESTAMP(3),
    "edits" JSONB,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingMessageUpdate" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "targetWamid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingMessageUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistorySync" (
    "phoneNumberId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'NOT_STARTED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "chunks" JSONB,
    "error" JSONB,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistorySync_pkey" PRIMARY KEY ("phoneNumberId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_contentHash_key" ON "WebhookDelivery"("contentHash");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_idx" ON "WebhookDelivery"("status");

-- CreateIndex
CREATE INDEX "Waba_connectionState_idx" ON "Waba"("connectionState");

-- CreateIndex
CREATE INDEX "AccountEvent_wabaId_occurredAt_idx" ON "AccountEvent"("wabaId", "occurredAt");

-- CreateIndex
CREATE INDEX "Disconnection_wabaId_occurredAt_idx" ON "Disconnection"("wabaId", "occurredAt");

-- CreateIndex
CREATE INDEX "PhoneNumber_wabaId_idx" ON "PhoneNumber"("wabaId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_phoneNumberId_waId_key" ON "Contact"("phoneNumberId", "waId");

-- CreateIndex
CREATE UNIQUE INDEX "Thread_lastMessageId_key" ON "Thread"("lastMessageId");

-- CreateIndex
CREATE INDEX "Thread_lastMessageAt_id_idx" ON "Thread"("lastMessageAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Thread_phoneNumberId_waId_key" ON "Thread"("phoneNumberId", "waId");

-- CreateIndex
CREATE INDEX "Message_threadId_timestamp_id_idx" ON "Message"("threadId", "timestamp", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Message_phoneNumberId_wamid_key" ON "Message"("phoneNumberId", "wamid");

-- CreateIndex
CREATE INDEX "PendingMessageUpdate_phoneNumberId_targetWamid_idx" ON "PendingMessageUpdate"("phoneNumberId", "targetWamid");

-- AddForeignKey
ALTER TABLE "AccountEvent" ADD CONSTRAINT "AccountEvent_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba"("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountEvent" ADD CONSTRAINT "AccountEvent_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disconnection" ADD CONSTRAINT "Disconnection_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba"("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_phoneNumberId_waId_fkey" FOREIGN KEY ("phoneNumberId", "waId") REFERENCES "Contact"("phoneNumberId", "waId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_lastMessageId_fkey" FOREIGN KEY ("lastMessageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistorySync" ADD CONSTRAINT "HistorySync_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;
