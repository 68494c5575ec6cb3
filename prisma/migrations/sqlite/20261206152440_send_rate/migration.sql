-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN "sendRatePerSecond" REAL;
