-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN     "sendRatePerSecond" DOUBLE PRECISION;
