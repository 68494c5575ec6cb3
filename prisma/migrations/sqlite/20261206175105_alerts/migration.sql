-- CreateTable
CREATE TABLE "AlertTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "format" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "wabaId" TEXT,
    "data" JSONB NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AlertAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "replayOf" TEXT,
    "tries" JSONB NOT NULL,
    "nextAttemptAt" DATETIME NOT NULL,
    "giveUpAt" DATETIME NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertAttempt_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AlertEvent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AlertAttempt_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "AlertTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertTarget_name_key" ON "AlertTarget"("name");

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_key_key" ON "AlertEvent"("key");

-- CreateIndex
CREATE INDEX "AlertEvent_createdAt_idx" ON "AlertEvent"("createdAt");

-- CreateIndex
CREATE INDEX "AlertAttempt_state_nextAttemptAt_idx" ON "AlertAttempt"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AlertAttempt_targetId_createdAt_idx" ON "AlertAttempt"("targetId", "createdAt");

-- CreateIndex
CREATE INDEX "AlertAttempt_eventId_idx" ON "AlertAttempt"("eventId");
