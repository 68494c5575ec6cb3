-- AlterTable
ALTER TABLE "Disconnection" ADD COLUMN     "stalledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "HistorySync" ADD COLUMN     "stalledAt" TIMESTAMP(3);
