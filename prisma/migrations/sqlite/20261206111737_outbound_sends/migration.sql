-- CreateTable
CREATE TABLE "Send" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "heldSince" DATETIME,
    "recipient" TEXT NOT NULL,
    "template" BOOLEAN NOT NULL DEFAULT false,
    "request" JSONB NOT NULL,
    "error" JSONB,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Send_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SendPace" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "tat" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Send_messageId_key" ON "Send"("messageId");

-- CreateIndex
CREATE INDEX "Send_state_nextAttemptAt_idx" ON "Send"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Send_requestedBy_idempotencyKey_key" ON "Send"("requestedBy", "idempotencyKey");
