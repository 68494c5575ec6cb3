-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "namesSyncedAt" TIMESTAMP(3);
