-- CreateTable
CREATE TABLE "Onboarding" (
    "phoneNumberId" TEXT NOT NULL,
    "wabaId" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Onboarding_pkey" PRIMARY KEY ("phoneNumberId")
);

-- CreateTable
CREATE TABLE "BusinessToken" (
    "wabaId" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BusinessToken_pkey" PRIMARY KEY ("wabaId")
);

-- AddForeignKey
ALTER TABLE "Onboarding" ADD CONSTRAINT "Onboarding_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("phoneNumberId") ON DELETE RESTRICT ON UPDATE CASCADE;
