-- CreateTable
CREATE TABLE "SyncRequest" (
    "phoneNumberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3),
    "requestId" TEXT,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "attemptedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncRequest_pkey" PRIMARY KEY ("phoneNumberId","kind")
);

-- AddForeignKey
ALTER TABLE "SyncRequest" ADD CONSTRAINT "SyncRequest_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;
