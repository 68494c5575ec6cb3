-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "reactions" JSONB,
ADD COLUMN     "referral" JSONB;
