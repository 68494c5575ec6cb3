import { TEMPLATE_FIELDS, isTemplateDetails } from "../domain/accountSignals.ts";
import { projectTemplate, type TemplateEvent, type TemplateProjection } from "../domain/templates.ts";
import type { Tx } from "../storage/client.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";

/** MessageTemplate.id: a template is its WABA's subject. */
export function templateRowId(wabaId: string, subject: string): string {
  return `${wabaId}|${subject}`;
}

/**
 * Re-derives each named template from all its stored events (projectTemplate) and writes the row
 * when anything changed; returns the templates changed, to publish after the commit.
 */
export async function rederiveTemplates(tx: Tx, touched: readonly { wabaId: string; subject: string }[]): Promise<TopicEvent<"template">[]> {
  const changed: TopicEvent<"template">[] = [];
  for (const { wabaId, subject } of touched) {
    const rows = await tx.accountSignal.findMany({
      where: { wabaId, subject, field: { in: [...TEMPLATE_FIELDS] } },
      select: { id: true, occurredAt: true, details: true },
    });
    const events = rows.flatMap((r): TemplateEvent[] => {
      const details = signalDetailsColumn.read(r.details);
      return isTemplateDetails(details) ? [{ id: r.id, occurredAt: r.occurredAt, details }] : [];
    });
    if (events.length === 0) continue;
    const p = projectTemplate(events);
    const id = templateRowId(wabaId, subject);
    const before = await tx.messageTemplate.findUnique({ where: { id } });
    if (before && same(before, p)) continue;
    const data = { ...p, wabaId, subject };
    await tx.messageTemplate.upsert({ where: { id }, create: { id, ...data }, update: data });
    changed.push({ id, wabaId });
  }
  return changed;
}

function same(stored: TemplateProjection, p: TemplateProjection): boolean {
  return (Object.keys(p) as (keyof TemplateProjection)[]).every((k) => {
    const a = stored[k];
    const b = p[k];
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
  });
}
