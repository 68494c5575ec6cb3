-- CreateTable
CREATE TABLE "Send" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "heldSince" TIMESTAMP(3),
    "recipient" TEXT NOT NULL,
    "template" BOOLEAN NOT NULL DEFAULT false,
    "request" JSONB NOT NULL,
    "error" JSONB,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Send_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SendPace" (
    "key" TEXT NOT NULL,
    "tat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SendPace_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Send_messageId_key" ON "Send"("messageId");

-- CreateIndex
CREATE INDEX "Send_state_nextAttemptAt_idx" ON "Send"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Send_requestedBy_idempotencyKey_key" ON "Send"("requestedBy", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Send" ADD CONSTRAINT "Send_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
