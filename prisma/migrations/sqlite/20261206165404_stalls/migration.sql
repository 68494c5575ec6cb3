-- AlterTable
ALTER TABLE "Disconnection" ADD COLUMN "stalledAt" DATETIME;

-- AlterTable
ALTER TABLE "HistorySync" ADD COLUMN "stalledAt" DATETIME;
