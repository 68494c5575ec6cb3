import type { ReplyTemplatesQuery, TemplateStatus } from "../generated/graphql.ts";

type Template = NonNullable<ReplyTemplatesQuery["waba"]>["templates"][number];

/** Only a template Meta approved can be chosen (the issue's rule; Meta refuses the others anyway). */
export const canChoose = (t: Template) => t.status === "APPROVED";

const STATUS_WORDS: Partial<Record<TemplateStatus, string>> = {
  PENDING: "waiting for Meta's review",
  REJECTED: "rejected",
  PAUSED: "paused by Meta",
  DISABLED: "disabled by Meta",
  IN_APPEAL: "in appeal",
  FLAGGED: "flagged",
  LIMIT_EXCEEDED: "over Meta's limit",
  ARCHIVED: "archived",
  PENDING_DELETION: "being deleted",
  DELETED: "deleted",
};

/** One line per template: "order_confirmation (en-US, utility)", with why it cannot be chosen when so. */
export function templateLabel(t: Template): string {
  const base = `${t.name} (${t.language}${t.category ? `, ${t.category.toLowerCase()}` : ""})`;
  if (canChoose(t)) return base;
  const status = t.status ? (STATUS_WORDS[t.status] ?? t.status.toLowerCase().replaceAll("_", " ")) : "no status from Meta yet";
  return `${base} — ${status}`;
}
