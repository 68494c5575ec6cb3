-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "failedItems" JSONB;

-- CreateTable
CREATE TABLE "ContactIdentity" (
    "phoneNumberId" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "currentSince" DATETIME,
    "retiredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("phoneNumberId", "identity"),
    CONSTRAINT "ContactIdentity_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "phoneNumberId" TEXT NOT NULL,
    "waId" TEXT,
    "userId" TEXT,
    "username" TEXT,
    "parentUserId" TEXT,
    "profileName" TEXT,
    "fullName" TEXT,
    "firstName" TEXT,
    "removedAt" DATETIME,
    "syncedAt" DATETIME,
    "namesSyncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber" ("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Contact" ("createdAt", "firstName", "fullName", "id", "namesSyncedAt", "phoneNumberId", "profileName", "removedAt", "syncedAt", "updatedAt", "userId", "waId") SELECT "createdAt", "firstName", "fullName", "id", "namesSyncedAt", "phoneNumberId", "profileName", "removedAt", "syncedAt", "updatedAt", "userId", "waId" FROM "Contact";
DROP TABLE "Contact";
ALTER TABLE "new_Contact" RENAME TO "Contact";
CREATE INDEX "Contact_phoneNumberId_waId_idx" ON "Contact"("phoneNumberId", "waId");
CREATE INDEX "Contact_phoneNumberId_userId_idx" ON "Contact"("phoneNumberId", "userId");
CREATE TABLE "new_Thread" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "phoneNumberId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "lastMessageAt" DATETIME,
    "lastMessageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Thread_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber" ("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Thread_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Thread_lastMessageId_fkey" FOREIGN KEY ("lastMessageId") REFERENCES "Message" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- hand-written: a thread now points at its contact by id instead of by (phone number, wa_id)
INSERT INTO "new_Thread" ("createdAt", "id", "lastMessageAt", "lastMessageId", "phoneNumberId", "contactId") SELECT t."createdAt", t."id", t."lastMessageAt", t."lastMessageId", t."phoneNumberId", c."id" FROM "Thread" t JOIN "Contact" c ON c."phoneNumberId" = t."phoneNumberId" AND c."waId" = t."waId";
-- end hand-written
-- replaced: INSERT INTO "new_Thread" ("createdAt", "id", "lastMessageAt", "lastMessageId", "phoneNumberId") SELECT "createdAt", "id", "lastMessageAt", "lastMessageId", "phoneNumberId" FROM "Thread";
DROP TABLE "Thread";
ALTER TABLE "new_Thread" RENAME TO "Thread";
CREATE UNIQUE INDEX "Thread_contactId_key" ON "Thread"("contactId");
CREATE UNIQUE INDEX "Thread_lastMessageId_key" ON "Thread"("lastMessageId");
CREATE INDEX "Thread_phoneNumberId_idx" ON "Thread"("phoneNumberId");
CREATE INDEX "Thread_lastMessageAt_id_idx" ON "Thread"("lastMessageAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ContactIdentity_contactId_idx" ON "ContactIdentity"("contactId");

-- hand-written: every contact is known by its number, and by its BSUID where one was stored
INSERT INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId") SELECT "phoneNumberId", 'wa_id:' || "waId", "id" FROM "Contact" WHERE "waId" IS NOT NULL;
INSERT OR IGNORE INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId") SELECT "phoneNumberId", 'user_id:' || "userId", "id" FROM "Contact" WHERE "userId" IS NOT NULL ORDER BY "createdAt", "id";
-- end hand-written
