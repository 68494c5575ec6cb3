import type { ReplyTemplateFragment, TemplateStatus } from "../generated/graphql.ts";

type Template = ReplyTemplateFragment;

/** Why a template cannot be chosen here, or null when it can. */
export function whyNot(t: Template): string | null {
  // Only a template Meta approved (the issue's rule; Meta refuses the others anyway).
  if (t.status !== "APPROVED") return t.status ? (STATUS_WORDS[t.status] ?? t.status.toLowerCase().replaceAll("_", " ")) : "no status from Meta yet";
  // A header format Meta added after this version: what it needs is not known here.
  if (t.parameters?.headerFormat === "OTHER") return "its header is of a kind the console does not know";
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

/** One input of the picker: its key in the values typed, its label, and whether sending needs it. */
export interface TemplateInput {
  key: string;
  label: string;
  required: boolean;
}

const MEDIA = { IMAGE: "image", VIDEO: "video", DOCUMENT: "document" } as const;
const isMedia = (format: string | null | undefined): format is keyof typeof MEDIA => !!format && format in MEDIA;
const LOCATION_FIELDS = [
  { name: "latitude", label: "Header location: latitude", required: true },
  { name: "longitude", label: "Header location: longitude", required: true },
  { name: "name", label: "Header location: name", required: false },
  { name: "address", label: "Header location: address", required: false },
] as const;

/**
 * What the chosen template needs typed, in the message's order: the header (a text header's
 * variables, a media header's link, a location header's place), the body's variables, then the
 * buttons that take a value (a URL button's variable end, a copy-code button's code).
 */
export function inputsOf(t: Template): TemplateInput[] {
  const p = t.parameters;
  if (!p) return [];
  const header: TemplateInput[] = isMedia(p.headerFormat)
    ? [{ key: "header:link", label: `Header ${MEDIA[p.headerFormat]} link (https://…)`, required: true }]
    : p.headerFormat === "LOCATION"
      ? LOCATION_FIELDS.map((f) => ({ key: `header:${f.name}`, label: f.label, required: f.required }))
      : p.header.map((name) => ({ key: `header:${name}`, label: `Header {{${name}}}`, required: true }));
  const body = p.body.map((name) => ({ key: `body:${name}`, label: `Body {{${name}}}`, required: true }));
  const buttons = p.buttons.flatMap((b) =>
    b.kind === "COPY_CODE"
      ? [{ key: `button:${b.index}:code`, label: `Button ${b.index + 1}: coupon code`, required: true }]
      : b.variables.map((name) => ({ key: `button:${b.index}:${name}`, label: `Button ${b.index + 1}: URL {{${name}}}`, required: true })),
  );
  return [...header, ...body, ...buttons];
}

const textParameter = (name: string, text: string) => ({ type: "text", ...(/^\d+$/.test(name) ? {} : { parameter_name: name }), text });

/**
 * sendMessage's template components from the values typed, in Meta's shape: a `header` (text
 * parameters, or one image/video/document with its link, or one location), a `body` (a text
 * parameter per variable in order; a named variable carries its `parameter_name`), and a `button`
 * per button that takes a value (`sub_type` url or copy_code, its `index`). Null: nothing to fill.
 */
export function componentsOf(t: Template, values: Record<string, string>): Record<string, unknown>[] | null {
  const p = t.parameters;
  if (!p) return null;
  const value = (key: string) => (values[key] ?? "").trim();
  const components: Record<string, unknown>[] = [];
  if (isMedia(p.headerFormat)) {
    const kind = MEDIA[p.headerFormat];
    components.push({ type: "header", parameters: [{ type: kind, [kind]: { link: value("header:link") } }] });
  } else if (p.headerFormat === "LOCATION") {
    const place = Object.fromEntries(LOCATION_FIELDS.flatMap((f) => (value(`header:${f.name}`) ? [[f.name, value(`header:${f.name}`)]] : [])));
    components.push({ type: "header", parameters: [{ type: "location", location: place }] });
  } else if (p.header.length) {
    components.push({ type: "header", parameters: p.header.map((name) => textParameter(name, value(`header:${name}`))) });
  }
  if (p.body.length) components.push({ type: "body", parameters: p.body.map((name) => textParameter(name, value(`body:${name}`))) });
  for (const b of p.buttons) {
    const index = String(b.index);
    if (b.kind === "COPY_CODE") {
      components.push({ type: "button", sub_type: "copy_code", index, parameters: [{ type: "coupon_code", coupon_code: value(`button:${index}:code`) }] });
    } else if (b.variables.length) {
      components.push({
        type: "button",
        sub_type: "url",
        index,
        parameters: b.variables.map((name) => ({ type: "text", text: value(`button:${index}:${name}`) })),
      });
    }
  }
  return components.length ? components : null;
}
