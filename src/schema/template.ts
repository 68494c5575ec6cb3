import { isTemplateDetails } from "../domain/accountSignals.ts";
import {
  TEMPLATE_CATEGORIES,
  TEMPLATE_QUALITIES,
  TEMPLATE_STATUSES,
  templateCategoryOf,
  templateQualityOf,
  templateSendable,
  templateStatusOf,
} from "../domain/templates.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { templateEvents, templateHistory, templateOf } from "../resolvers/template.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";

export const TemplateStatusEnum = builder.enumType("TemplateStatus", {
  description:
    "A template's status: the `event` of Meta's latest message_template_status_update for it. OTHER: a value this version " +
    "does not know (the change's `raw` has it as sent).",
  values: TEMPLATE_STATUSES,
});

export const TemplateCategoryEnum = builder.enumType("TemplateCategory", {
  description: "MARKETING, UTILITY or AUTHENTICATION; OTHER: a category this version does not know.",
  values: TEMPLATE_CATEGORIES,
});

export const TemplateQualityEnum = builder.enumType("TemplateQuality", {
  description: "Meta's quality score: GREEN, YELLOW, RED, or UNKNOWN (no signal yet); OTHER: a score this version does not know.",
  values: TEMPLATE_QUALITIES,
});

const TEMPLATE_CHANGE_KINDS = ["STATUS", "CATEGORY", "QUALITY"] as const;
const KIND_OF_FIELD = {
  message_template_status_update: "STATUS",
  template_category_update: "CATEGORY",
  message_template_quality_update: "QUALITY",
} as const;

export const TemplateChangeKindEnum = builder.enumType("TemplateChangeKind", {
  description:
    "Which of Meta's fields the change came from: STATUS (message_template_status_update), CATEGORY (template_category_update), " +
    "QUALITY (message_template_quality_update).",
  values: TEMPLATE_CHANGE_KINDS,
});

/** A template change's details (only template fields reach this type: history reads those alone). */
const templateDetails = (e: { details: unknown }) => {
  const d = signalDetailsColumn.read(e.details);
  if (!isTemplateDetails(d)) throw new Error(`AccountSignal of field ${d.field} read as a template change`);
  return d;
};
const statusDetails = (e: { details: unknown }) => {
  const d = templateDetails(e);
  return d.field === "message_template_status_update" ? d : null;
};
const categoryDetails = (e: { details: unknown }) => {
  const d = templateDetails(e);
  return d.field === "template_category_update" ? d : null;
};
const qualityDetails = (e: { details: unknown }) => {
  const d = templateDetails(e);
  return d.field === "message_template_quality_update" ? d : null;
};

export const TemplateChangeRef = builder.prismaObject("AccountSignal", {
  variant: "TemplateChange",
  description: "One of Meta's template events, as stored once however many deliveries carried it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    kind: t.field({ type: TemplateChangeKindEnum, resolve: (e) => KIND_OF_FIELD[templateDetails(e).field] }),
    at: t.expose("occurredAt", { type: "DateTime", description: "Meta's time of the event (the entry's time)." }),
    receivedAt: t.expose("createdAt", { type: "DateTime" }),
    status: t.field({
      type: TemplateStatusEnum,
      nullable: true,
      description: "STATUS: the status it moved to.",
      resolve: (e) => templateStatusOf(statusDetails(e)?.event),
    }),
    reason: t.string({ nullable: true, description: "STATUS: Meta's reason, as sent.", resolve: (e) => statusDetails(e)?.reason ?? null }),
    category: t.field({
      type: TemplateCategoryEnum,
      nullable: true,
      description: "STATUS: the template's category; CATEGORY: its category now (after a completed change, the new one).",
      resolve: (e) => templateCategoryOf(statusDetails(e)?.category ?? categoryDetails(e)?.newCategory),
    }),
    previousCategory: t.field({ type: TemplateCategoryEnum, nullable: true, resolve: (e) => templateCategoryOf(categoryDetails(e)?.previousCategory) }),
    pendingCategory: t.field({
      type: TemplateCategoryEnum,
      nullable: true,
      description: "CATEGORY: a change Meta announced (correct_category), effective at `categoryChangesAt`.",
      resolve: (e) => templateCategoryOf(categoryDetails(e)?.correctCategory),
    }),
    categoryChangesAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (e) => {
        const at = categoryDetails(e)?.categoryUpdateAt;
        return at ? new Date(at) : null;
      },
    }),
    quality: t.field({ type: TemplateQualityEnum, nullable: true, resolve: (e) => templateQualityOf(qualityDetails(e)?.newQuality) }),
    previousQuality: t.field({ type: TemplateQualityEnum, nullable: true, resolve: (e) => templateQualityOf(qualityDetails(e)?.previousQuality) }),
    raw: t.expose("raw", { type: "JSON", description: "The change's value exactly as Meta sent it." }),
  }),
});

export const MessageTemplateRef = builder.prismaObject("MessageTemplate", {
  description:
    "A message template as Meta's template webhooks and Meta's list of the WABA's templates left it: each fact (status, " +
    "category, quality) is the one of the latest event (by Meta's time) that carries it, or the listing's when the hub asked " +
    "Meta after that event, whatever order the deliveries arrived in. See docs/sending.md#templates.",
  fields: (t) => ({
    id: t.exposeID("id"),
    templateId: t.exposeString("templateId", { nullable: true, description: "Meta's message_template_id." }),
    wabaId: t.exposeString("wabaId"),
    waba: t.relation("waba"),
    name: t.exposeString("name"),
    language: t.exposeString("language", { description: "Language and locale code, as Meta sent it (e.g. en_US)." }),
    category: t.field({ type: TemplateCategoryEnum, nullable: true, resolve: (m) => templateCategoryOf(m.category) }),
    status: t.field({
      type: TemplateStatusEnum,
      nullable: true,
      description: "Null until Meta sent a status event for it (only its quality or category may be known).",
      resolve: (m) => templateStatusOf(m.status),
    }),
    quality: t.field({ type: TemplateQualityEnum, nullable: true, resolve: (m) => templateQualityOf(m.quality) }),
    reason: t.exposeString("reason", { nullable: true, description: "The latest status event's reason, as Meta sent it (NONE on an approval)." }),
    detail: t.exposeString("detail", {
      nullable: true,
      description: "Meta's explanation of the latest status: a pause's description, or a rejection's reason and recommendation.",
    }),
    pendingCategory: t.field({
      type: TemplateCategoryEnum,
      nullable: true,
      description: "A recategorisation Meta announced and has not reported done yet; it takes effect at `categoryChangesAt`.",
      resolve: (m) => templateCategoryOf(m.pendingCategory),
    }),
    categoryChangesAt: t.expose("categoryChangesAt", { type: "DateTime", nullable: true }),
    canSend: t.boolean({
      description:
        "False when Meta's latest status is one a template cannot be sent in (PENDING, REJECTED, PAUSED, DISABLED, IN_APPEAL, " +
        "ARCHIVED, PENDING_DELETION, DELETED, LIMIT_EXCEEDED); true otherwise, an unknown status included (Meta then decides). " +
        "See docs/account-signals.md.",
      select: { status: true },
      resolve: (m) => templateSendable(m.status),
    }),
    updatedAt: t.expose("changedAt", {
      type: "DateTime",
      description: "Meta's time of the template's latest event, or the time of the listing that last changed it (when the hub asked Meta).",
    }),
    history: t.field({
      type: [TemplateChangeRef],
      ...capped(LIST_CAPS.templateHistory, "The template's events, newest first by Meta's time; the newest kept."),
      select: { wabaId: true, subject: true },
      resolve: (m, _args, ctx) => templateHistory(m, ctx, LIST_CAPS.templateHistory),
    }),
  }),
});

builder.subscriptionField("templates", (t) =>
  t.prismaField({
    type: "MessageTemplate",
    description: "A template whose status, category or quality changed, once committed (a late, older event that changes nothing is not announced).",
    args: { wabaId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) => templateEvents(args, ctx),
    resolve: (query, event, _args, ctx) => templateOf(query, event, ctx),
  }),
);
