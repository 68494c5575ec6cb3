-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contentHash" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "signatureScheme" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "fields" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Waba" (
    "wabaId" TEXT NOT NULL PRIMARY KEY,
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
    "mmLiteTermsSignedAt" DATETIME,
    "certificationStatus" TEXT,
    "certificationRejectionReasons" JSONB,
    "lastEventAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AccountEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "wabaId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "entryId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AccountEvent_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba" ("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AccountEvent_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Disconnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "wabaId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "initiatedBy" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedByEventId" TEXT,
    "recommendedAction" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Disconnection_wabaId_fkey" FOREIGN KEY ("wabaId") REFERENCES "Waba" ("wabaId") ON DELETE RESTRICT ON UPDATE CASCADE
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
