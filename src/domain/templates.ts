import { byMetaTime, decodeOr, type DetailsOf, type TemplateField } from "./accountSignals.ts";

/**
 * Message templates as Meta's three template fields leave them. Statuses are the `event` values of
 * message_template_status_update ("message_template_status_update webhook reference", May 2026);
 * a value Meta adds later is OTHER, its raw string kept in the event's `raw`.
 */
export const TEMPLATE_STATUSES = [
  "APPROVED",
  "PENDING",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "FLAGGED",
  "IN_APPEAL",
  "REINSTATED",
  "LOCKED",
  "ARCHIVED",
  "UNARCHIVED",
  "PENDING_DELETION",
  "DELETED",
  "LIMIT_EXCEEDED",
  "OTHER",
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION", "OTHER"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** "Template quality rating": UNKNOWN is Meta's own value (no signal yet); OTHER a value this version does not know. */
export const TEMPLATE_QUALITIES = ["GREEN", "YELLOW", "RED", "UNKNOWN", "OTHER"] as const;
export type TemplateQuality = (typeof TEMPLATE_QUALITIES)[number];

export const templateStatusOf = (raw: string | null | undefined) => decodeOr(TEMPLATE_STATUSES, raw);
export const templateCategoryOf = (raw: string | null | undefined) => decodeOr(TEMPLATE_CATEGORIES, raw);
export const templateQualityOf = (raw: string | null | undefined) => decodeOr(TEMPLATE_QUALITIES, raw);

/**
 * Statuses Meta says a template cannot be sent in: under review, refused, paused or disabled for
 * its quality, archived or on its way out. Every other status (APPROVED, REINSTATED, FLAGGED (at
 * risk, still sent), LOCKED (no edits), UNARCHIVED), a status this version does not know and no
 * status at all leave the decision to Meta: the hub refuses only what it knows Meta would.
 */
const NOT_SENDABLE: ReadonlySet<TemplateStatus> = new Set([
  "PENDING",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "IN_APPEAL",
  "ARCHIVED",
  "PENDING_DELETION",
  "DELETED",
  "LIMIT_EXCEEDED",
]);

export function templateSendable(status: string | null): boolean {
  const decoded = templateStatusOf(status);
  return decoded === null || !NOT_SENDABLE.has(decoded);
}

/** A template event as the fold reads it (one AccountSignal row of a template field). */
export interface TemplateEvent {
  id: string;
  occurredAt: Date;
  details: DetailsOf<TemplateField>;
}

export interface TemplateProjection {
  templateId: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string | null;
  quality: string | null;
  reason: string | null;
  detail: string | null;
  pendingCategory: string | null;
  categoryChangesAt: Date | null;
  changedAt: Date;
}

/**
 * A template from all its events, folded in Meta's order (byMetaTime): each fact is the one of the
 * latest event that carries it, so a late delivery of an earlier event changes nothing and the
 * result is the same in any arrival order. Needs at least one event.
 */
export function projectTemplate(events: readonly TemplateEvent[]): TemplateProjection {
  const sorted = byMetaTime(events);
  const last = sorted.at(-1);
  if (!last) throw new Error("projectTemplate needs at least one event");
  const p: TemplateProjection = {
    templateId: null,
    name: "",
    language: "",
    category: null,
    status: null,
    quality: null,
    reason: null,
    detail: null,
    pendingCategory: null,
    categoryChangesAt: null,
    changedAt: last.occurredAt,
  };
  for (const { details: d } of sorted) {
    p.templateId = d.templateId ?? p.templateId;
    p.name = d.name ?? p.name;
    p.language = d.language ?? p.language;
    switch (d.field) {
      case "message_template_status_update":
        p.status = d.event;
        p.reason = d.reason;
        p.detail = d.description ?? joined(d.rejectionReason, d.recommendation);
        p.category = d.category ?? p.category;
        break;
      case "template_category_update":
        p.category = d.newCategory ?? p.category;
        // An announcement names the category to come; a completed change (or a later announcement) replaces it.
        p.pendingCategory = d.correctCategory;
        p.categoryChangesAt = d.correctCategory && d.categoryUpdateAt ? new Date(d.categoryUpdateAt) : null;
        break;
      case "message_template_quality_update":
        p.quality = d.newQuality;
        break;
      default:
        assertNever(d);
    }
  }
  return p;
}

function joined(...parts: (string | null)[]): string | null {
  const present = parts.filter((p): p is string => !!p);
  return present.length ? present.join(" ") : null;
}

function assertNever(value: never): never {
  throw new Error(`unexpected template event ${JSON.stringify(value)}`);
}
