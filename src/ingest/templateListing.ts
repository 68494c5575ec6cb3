import { templateSubject } from "../domain/accountSignals.ts";
import { factTimes, listingWins, type ListedTemplate, type TemplateComponent } from "../domain/templateListing.ts";
import type { Tx } from "../storage/client.ts";
import { templateComponentsColumn } from "../storage/columns.ts";
import type { TopicEvent } from "../pubsub.ts";
import { templateEventsOf, templateRowId } from "./templates.ts";

type Fact = "status" | "category" | "quality";
const FACTS: readonly Fact[] = ["status", "category", "quality"];

/**
 * Stores Meta's list of a WABA's templates (asked at `listedAt`) into its MessageTemplate rows,
 * by the merge rule of src/domain/templateListing.ts: each of status, category and quality is the
 * listing's unless an event of the template carrying it is timed after the hub asked; the
 * components are the listing's. Templates the listing does not name are kept as they are (Meta's
 * DELETED status webhook says when one is gone). Returns the rows changed, to publish after commit.
 */
export async function storeListing(tx: Tx, wabaId: string, listedAt: Date, listed: readonly ListedTemplate[]): Promise<TopicEvent<"template">[]> {
  const rows = new Map((await tx.messageTemplate.findMany({ where: { wabaId } })).map((r) => [r.id, r]));
  const changed: TopicEvent<"template">[] = [];
  for (const t of listed) {
    const subject = templateSubject({ templateId: t.templateId, name: t.name, language: t.language });
    const id = templateRowId(wabaId, subject);
    const before = rows.get(id);
    // Only a row with an event timed after the hub asked needs its events' times (rare: a clock apart, or a change meanwhile).
    const times = before && before.changedAt.getTime() >= listedAt.getTime() ? factTimes(await templateEventsOf(tx, wabaId, subject)) : null;
    const wins = (fact: Fact) => listingWins(listedAt, times ? times[fact] : null);
    const facts = Object.fromEntries(FACTS.filter(wins).map((f) => [f, t[f]])) as Partial<Record<Fact, string | null>>;
    const components = templateComponentsColumn.write(t.components);
    const data = {
      templateId: t.templateId,
      name: t.name,
      language: t.language,
      ...facts,
      // A status the listing replaced takes its reason and explanation with it (they were the older status's).
      ...("status" in facts && facts.status !== before?.status ? { reason: null, detail: null } : {}),
      components,
      listedAt,
    };
    if (!before) {
      // Kept in the map: a template on two pages (Meta's list moved while it was read) is then an update.
      rows.set(id, await tx.messageTemplate.create({ data: { id, wabaId, subject, changedAt: listedAt, ...data } }));
      changed.push({ id, wabaId });
      continue;
    }
    const differs =
      FACTS.some((f) => f in facts && facts[f] !== before[f]) ||
      !sameComponents(templateComponentsColumn.read(before.components), t.components) ||
      before.templateId !== t.templateId;
    const after = await tx.messageTemplate.update({
      where: { id },
      data: { ...data, ...(differs ? { changedAt: new Date(Math.max(before.changedAt.getTime(), listedAt.getTime())) } : {}) },
    });
    rows.set(id, after);
    if (differs && !changed.some((c) => c.id === id)) changed.push({ id, wabaId });
  }
  await tx.waba.update({ where: { wabaId }, data: { templatesListedAt: listedAt } });
  return changed;
}

function sameComponents(a: TemplateComponent[] | null, b: TemplateComponent[]): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
