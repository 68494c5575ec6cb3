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

-- CreateTable
CREATE TABLE "Onboarding" (
    "phoneNumberId" TEXT NOT NULL PRIMARY KEY,
    "wabaId" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Onboarding_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber" ("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BusinessToken" (
    "wabaId" TEXT NOT NULL PRIMARY KEY,
    "sealed" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
