import type { ReplyTemplateFragment, TemplateStatus } from "../generated/graphql.ts";

type Template = ReplyTemplateFragment;

/** Why a template cannot be chosen here, or null when it can. */
export function whyNot(t: Template): string | null {
  // Only a template Meta approved (the issue's rule; Meta refuses the others anyway).
  if (t.status !== "APPROVED") return t.status ? (STATUS_WORDS[t.status] ?? t.status.toLowerCase().replaceAll("_", " ")) : "no status from Meta yet";
  // A media or location header needs its media, which the console cannot attach yet.
  const format = t.parameters?.headerFormat;
  if (format && format !== "TEXT") {
    const kind = format.toLowerCase();
    return `needs ${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} header, which the console cannot attach`;
  }
  return null;
}

export const canChoose = (t: Template) => whyNot(t) === null;

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
  const why = whyNot(t);
  return why ? `${base} — ${why}` : base;
}

/** The variables to fill, each with its place: the header's, then the body's. */
export function variablesOf(t: Template): { part: "header" | "body"; name: string }[] {
  const p = t.parameters;
  if (!p) return [];
  return [...p.header.map((name) => ({ part: "header" as const, name })), ...p.body.map((name) => ({ part: "body" as const, name }))];
}

/**
 * sendMessage's template components from the values typed, in Meta's shape: one `header` and one
 * `body` component, a text parameter per variable in order; a named variable ({{first_name}})
 * carries its `parameter_name`. Null components: the template has no variables.
 */
export function componentsOf(t: Template, values: Record<string, string>): Record<string, unknown>[] | null {
  const parts = (["header", "body"] as const).flatMap((part) => {
    const names = t.parameters?.[part] ?? [];
    if (names.length === 0) return [];
    const parameters = names.map((name) => ({ type: "text", ...(/^\d+$/.test(name) ? {} : { parameter_name: name }), text: values[`${part}:${name}`] ?? "" }));
    return [{ type: part, parameters }];
  });
  return parts.length ? parts : null;
}
