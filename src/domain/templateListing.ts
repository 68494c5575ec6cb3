import { z } from "zod";
import { byMetaTime, decodeOr, type TemplateField } from "./accountSignals.ts";
import type { TemplateEvent } from "./templates.ts";

/**
 * Meta's list of a WABA's templates (GET /{waba-id}/message_templates, WhatsApp Business
 * Management API): `{ data: [{ id, name, language, status, category, quality_score: { score },
 * components: [{ type: HEADER|BODY|FOOTER|BUTTONS, format, text, example, buttons }] }],
 * paging: { cursors: { before, after }, next } }` — and the rules that fold it into the templates
 * the webhooks built. Components are kept as Meta sent them (a format Meta adds is not lost).
 */

/** The fields the hub asks for (`fields=`). */
export const LISTED_FIELDS = ["id", "name", "language", "status", "category", "quality_score", "components"] as const;

const text = z.string().trim().min(1).max(512);
export const componentRecord = z.record(z.string(), z.unknown());
export type TemplateComponent = z.infer<typeof componentRecord>;

const listedTemplate = z.object({
  id: z.union([text, z.number().transform(String)]),
  name: text,
  language: text,
  status: text.optional(),
  category: text.optional(),
  quality_score: z.object({ score: text.optional() }).loose().optional(),
  components: z.array(componentRecord).max(50).optional(),
});

/** One page of Meta's answer; a template that does not read is skipped (counted), not the page. */
export const listingPage = z.object({
  data: z.array(z.unknown()).max(1000),
  paging: z
    .object({ cursors: z.object({ after: z.string().optional() }).loose().optional(), next: z.string().optional() })
    .loose()
    .optional(),
});

export interface ListedTemplate {
  templateId: string;
  name: string;
  language: string;
  status: string | null;
  category: string | null;
  quality: string | null;
  components: TemplateComponent[];
}

export function readListedTemplate(raw: unknown): ListedTemplate | null {
  const parsed = listedTemplate.safeParse(raw);
  if (!parsed.success) return null;
  const t = parsed.data;
  return {
    templateId: t.id,
    name: t.name,
    language: t.language,
    status: t.status ?? null,
    category: t.category ?? null,
    quality: t.quality_score?.score ?? null,
    components: t.components ?? [],
  };
}

/** The cursor of the next page, when Meta says there is one (`paging.next` present). */
export function nextCursor(page: z.infer<typeof listingPage>): string | null {
  return page.paging?.next ? (page.paging.cursors?.after ?? null) : null;
}

// The facts both sources give, and the webhook fields that carry each.
type ListedFact = "status" | "category" | "quality";
const FIELDS_OF: Record<ListedFact, readonly TemplateField[]> = {
  status: ["message_template_status_update"],
  category: ["message_template_status_update", "template_category_update"],
  quality: ["message_template_quality_update"],
};

/** Meta's time of the latest event carrying each fact (null: no event carries it). */
export function factTimes(events: readonly TemplateEvent[]): Record<ListedFact, Date | null> {
  const latest = (fact: ListedFact) => byMetaTime(events.filter((e) => FIELDS_OF[fact].includes(e.details.field))).at(-1)?.occurredAt ?? null;
  return { status: latest("status"), category: latest("category"), quality: latest("quality") };
}

/**
 * The merge rule. A listing is Meta's state at the moment the hub asked (`listedAt`, taken before
 * the request left); a webhook event is Meta's state at its own time. Each fact (status, category,
 * quality) is the newer of the two: a listing never overwrites an event Meta timed after the hub
 * asked, and an event delivered late, older than the listing, does not undo it. Applied when a
 * listing is stored (against the template's latest event) and when events are folded again
 * (against the template's listedAt).
 */
export function listingWins(listedAt: Date | null, eventAt: Date | null): boolean {
  return listedAt !== null && (eventAt === null || listedAt.getTime() > eventAt.getTime());
}

/** Header formats Meta documents; OTHER: one this version does not know. */
export const HEADER_FORMATS = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION", "OTHER"] as const;
export type HeaderFormat = (typeof HEADER_FORMATS)[number];

/** Buttons whose value is given when sending: a URL button's variable suffix, a copy-code button's code. */
export const BUTTON_KINDS = ["URL", "COPY_CODE"] as const;
export type ButtonKind = (typeof BUTTON_KINDS)[number];

export interface TemplateButtonParameter {
  /** The button's position among the template's buttons (Meta's `index` when sending). */
  index: number;
  kind: ButtonKind;
  /** A URL button's variables ("1"); none for a copy-code button (its one value is the code). */
  variables: string[];
}

export interface TemplateParameters {
  /** The header's format, null without a header. */
  headerFormat: HeaderFormat | null;
  /** The variables of a TEXT header, in order ("1", or a named parameter's name). */
  header: string[];
  /** The body's variables, in order of first appearance ("1", "2", … or names). */
  body: string[];
  /** The buttons that take a value when sending, in the template's order. */
  buttons: TemplateButtonParameter[];
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function variablesOf(textValue: unknown): string[] {
  if (typeof textValue !== "string") return [];
  const names = [...textValue.matchAll(VARIABLE)].map((m) => m[1]!);
  const unique = [...new Set(names)];
  // Positional ones by number ({{2}} before {{1}} in the text is still the second parameter).
  return unique.every((n) => /^\d+$/.test(n)) ? unique.sort((a, b) => Number(a) - Number(b)) : unique;
}

/** What a sender must fill: the header's format and variables, the body's variables. */
export function parametersOf(components: readonly TemplateComponent[]): TemplateParameters {
  const ofType = (type: string) => components.find((c) => typeof c.type === "string" && c.type.toUpperCase() === type);
  const header = ofType("HEADER");
  const format = header ? (decodeOr(HEADER_FORMATS, typeof header.format === "string" ? header.format : "TEXT") ?? "TEXT") : null;
  return {
    headerFormat: format,
    header: format === "TEXT" ? variablesOf(header?.text) : [],
    body: variablesOf(ofType("BODY")?.text),
    buttons: buttonsOf(ofType("BUTTONS")?.buttons),
  };
}

/**
 * A URL button with a variable in its URL takes the variable's value (the end of the URL); a
 * copy-code button takes the code. Quick replies, phone numbers and the rest take nothing.
 */
function buttonsOf(buttons: unknown): TemplateButtonParameter[] {
  if (!Array.isArray(buttons)) return [];
  return buttons.flatMap((raw: unknown, index): TemplateButtonParameter[] => {
    const button = componentRecord.safeParse(raw);
    if (!button.success) return [];
    const type = typeof button.data.type === "string" ? button.data.type.toUpperCase() : "";
    if (type === "COPY_CODE") return [{ index, kind: "COPY_CODE", variables: [] }];
    const variables = type === "URL" ? variablesOf(button.data.url) : [];
    return variables.length ? [{ index, kind: "URL", variables }] : [];
  });
}
