-- AlterTable
ALTER TABLE "Waba" ADD COLUMN "templatesListedAt" DATETIME;

-- AlterTable
ALTER TABLE "MessageTemplate" ADD COLUMN "components" JSONB;
ALTER TABLE "MessageTemplate" ADD COLUMN "listedAt" DATETIME;
