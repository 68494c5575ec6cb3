-- CreateTable
CREATE TABLE "SyncRequest" (
    "phoneNumberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requestedAt" DATETIME,
    "requestId" TEXT,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "attemptedAt" DATETIME NOT NULL,

    PRIMARY KEY ("phoneNumberId", "kind"),
    CONSTRAINT "SyncRequest_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber" ("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE
);
