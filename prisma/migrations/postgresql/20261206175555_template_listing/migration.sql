-- AlterTable
ALTER TABLE "Waba" ADD COLUMN     "templatesListedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "MessageTemplate" ADD COLUMN     "components" JSONB,
ADD COLUMN     "listedAt" TIMESTAMP(3);
