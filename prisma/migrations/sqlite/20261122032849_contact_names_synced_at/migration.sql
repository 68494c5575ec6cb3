-- AlterTable
ALTER TABLE "Contact" ADD COLUMN "namesSyncedAt" DATETIME;
