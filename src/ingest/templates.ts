import { TEMPLATE_FIELDS, isTemplateDetails } from "../domain/accountSignals.ts";
import { factTimes, listingWins } from "../domain/templateListing.ts";
import { projectTemplate, type TemplateEvent, type TemplateProjection } from "../domain/templates.ts";
import type { Tx } from "../storage/client.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";

/** MessageTemplate.id: a template is its WABA's subject. */
export function templateRowId(wabaId: string, subject: string): string {
  return `${wabaId}|${subject}`;
}

/** A template's stored events (AccountSignal rows of the template fields). */
export async function templateEventsOf(tx: Tx, wabaId: string, subject: string): Promise<TemplateEvent[]> {
  const rows = await tx.accountSignal.findMany({
    where: { wabaId, subject, field: { in: [...TEMPLATE_FIELDS] } },
    select: { id: true, occurredAt: true, details: true },
  });
  return rows.flatMap((r): TemplateEvent[] => {
    const details = signalDetailsColumn.read(r.details);
    return isTemplateDetails(details) ? [{ id: r.id, occurredAt: r.occurredAt, details }] : [];
  });
}

/**
 * Re-derives each named template from all its stored events (projectTemplate), keeping what a
 * listing from Meta newer than the events said (src/domain/templateListing.ts, listingWins), and
 * writes the row when anything changed; returns the templates changed, to publish after the commit.
 */
export async function rederiveTemplates(tx: Tx, touched: readonly { wabaId: string; subject: string }[]): Promise<TopicEvent<"template">[]> {
  const changed: TopicEvent<"template">[] = [];
  for (const { wabaId, subject } of touched) {
    const events = await templateEventsOf(tx, wabaId, subject);
    if (events.length === 0) continue;
    const id = templateRowId(wabaId, subject);
    const before = await tx.messageTemplate.findUnique({ where: { id } });
    const p = before ? keepListed(projectTemplate(events), before, events) : projectTemplate(events);
    if (before && same(before, p)) continue;
    const data = { ...p, wabaId, subject };
    await tx.messageTemplate.upsert({ where: { id }, create: { id, ...data }, update: data });
    changed.push({ id, wabaId });
  }
  return changed;
}

/** The projection, with each fact a listing newer than its latest event gave kept (the row holds the listing's value then). */
function keepListed(p: TemplateProjection, row: TemplateProjection & { listedAt: Date | null }, events: readonly TemplateEvent[]): TemplateProjection {
  if (!row.listedAt) return p;
  const times = factTimes(events);
  const kept = { ...p, changedAt: new Date(Math.max(p.changedAt.getTime(), row.changedAt.getTime())) };
  if (listingWins(row.listedAt, times.status)) Object.assign(kept, { status: row.status, reason: row.reason, detail: row.detail });
  if (listingWins(row.listedAt, times.category)) kept.category = row.category;
  if (listingWins(row.listedAt, times.quality)) kept.quality = row.quality;
  return kept;
}

function same(stored: TemplateProjection, p: TemplateProjection): boolean {
  return (Object.keys(p) as (keyof TemplateProjection)[]).every((k) => {
    const a = stored[k];
    const b = p[k];
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
  });
}
