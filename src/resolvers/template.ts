import { TEMPLATE_FIELDS } from "../domain/accountSignals.ts";
import { TEMPLATE_STATUSES, type TemplateStatus } from "../domain/templates.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { Selection } from "./selection.ts";

/** `templates(wabaId)`: a template whose status, category or quality a commit changed. */
export function templateEvents(args: { wabaId?: string | null }, ctx: Context) {
  return subscribeTo(ctx, "template", (e) => !args.wabaId || e.wabaId === args.wabaId);
}

export function templateOf(query: Selection<"MessageTemplate">, event: TopicEvent<"template">, ctx: Context) {
  return reread(event, query, () => ctx.db.messageTemplate.findUniqueOrThrow({ ...query, where: { id: event.id } }));
}

/**
 * `Waba.templates(status, name)`: by name and language, the first `take`. A list from Meta older
 * than TEMPLATE_CACHE_MINUTES is refreshed first: in the background when one is cached (this read
 * answers from it), awaited when none is (src/outbound/templateCache.ts).
 */
export async function wabaTemplates(
  w: { wabaId: string; templatesListedAt: Date | null },
  args: { status?: TemplateStatus | null; name?: string | null },
  ctx: Context,
  take: number,
) {
  await ctx.outbound.templates?.whenStale(w.wabaId, w.templatesListedAt);
  return ctx.db.messageTemplate.findMany({
    where: {
      wabaId: w.wabaId,
      ...(args.name ? { name: args.name } : {}),
      // A status this version does not know is stored as Meta sent it: OTHER matches none of the known ones.
      ...(args.status ? { status: args.status === "OTHER" ? { notIn: knownStatuses() } : args.status } : {}),
    },
    orderBy: [{ name: "asc" }, { language: "asc" }, { id: "asc" }],
    take,
  });
}

/** `MessageTemplate.history`: the template's events, newest first by Meta's time, the newest `take`. */
export function templateHistory(t: { wabaId: string; subject: string }, ctx: Context, take: number) {
  return ctx.db.accountSignal.findMany({
    where: { wabaId: t.wabaId, subject: t.subject, field: { in: [...TEMPLATE_FIELDS] } },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take,
  });
}

const knownStatuses = () => TEMPLATE_STATUSES.filter((s) => s !== "OTHER");
