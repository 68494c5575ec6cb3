import type { Referral } from "../domain/mirrorEvents.ts";
import { referralColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";

const ReferralRef = builder.objectRef<Referral>("MessageReferral").implement({
  description: "The click-to-WhatsApp ad or post the user came from (Meta's `referral`, on the first message after the click).",
  fields: (t) => ({
    sourceUrl: t.exposeString("sourceUrl", { nullable: true }),
    sourceId: t.exposeString("sourceId", { nullable: true, description: "The ad's or post's id." }),
    sourceType: t.exposeString("sourceType", { nullable: true, description: "ad or post." }),
    headline: t.exposeString("headline", { nullable: true }),
    body: t.exposeString("body", { nullable: true }),
    mediaType: t.exposeString("mediaType", { nullable: true, description: "image or video." }),
    imageUrl: t.exposeString("imageUrl", { nullable: true }),
    videoUrl: t.exposeString("videoUrl", { nullable: true }),
    thumbnailUrl: t.exposeString("thumbnailUrl", { nullable: true }),
    ctwaClid: t.exposeString("ctwaClid", { nullable: true, description: "Click id for Meta's Conversions API." }),
  }),
});

builder.prismaObjectFields("Message", (t) => ({
  referral: t.field({
    type: ReferralRef,
    nullable: true,
    description: "Set on a message sent right after a click on a click-to-WhatsApp ad or post; content keeps Meta's object too.",
    select: { referral: true },
    resolve: (m) => referralColumn.read(m.referral),
  }),
}));
