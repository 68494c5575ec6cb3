import type { Logger } from "pino";
import { errorOfTheHub } from "../domain/sendError.ts";
import { LISTED_FIELDS, listingPage, nextCursor, readListedTemplate, type ListedTemplate } from "../domain/templateListing.ts";
import { storeListing } from "../ingest/templateListing.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import type { GraphAnswer, GraphClient } from "./graphClient.ts";

/**
 * The WABAs' templates as Meta lists them (GET /{waba-id}/message_templates), cached in their
 * MessageTemplate rows with the WABA's `templatesListedAt`. Listed again on demand (refresh) or
 * when a read finds the list older than TEMPLATE_CACHE_MINUTES (whenStale): a read with a cached
 * list is answered from it at once while the list is refreshed in the background, and subscribers
 * of `templates` hear of each row that changed. A failed automatic listing is not tried again by
 * reads for FAILURE_BACKOFF_MS (refreshTemplates still asks at once). One listing per WABA at a time: a second caller
 * waits for the one in flight.
 */
export type RefreshOutcome = { kind: "OK"; listed: number; skipped: number } | Exclude<GraphAnswer, { kind: "OK" }>;

export interface TemplateCache {
  /** Lists the WABA's templates from Meta now and stores them (the WABA must be stored). */
  refresh(wabaId: string): Promise<RefreshOutcome>;
  /**
   * For a read: nothing while the list is fresh; a background refresh when a cached list is stale;
   * awaits the first listing when there is none (a failure is logged, the read goes on with what the webhooks told).
   */
  whenStale(wabaId: string, listedAt: Date | null): Promise<void>;
  /** Waits for the listings in flight (at shutdown, before the database closes). */
  settle(): Promise<void>;
}

export interface TemplateCacheSettings {
  cacheMinutes: number;
  maxPages: number;
}

const PAGE_SIZE = "100";
/** After a failed automatic listing, reads wait this long (or the cache's age, if shorter) before asking Meta again. */
const FAILURE_BACKOFF_MS = 5 * 60_000;

export function createTemplateCache(storage: Storage, pubsub: HubPubSub, graph: GraphClient, settings: TemplateCacheSettings, log: Logger): TemplateCache {
  const inFlight = new Map<string, Promise<RefreshOutcome>>();
  // A WABA Meta refuses to list (an unknown WABA, an expired token) is not asked again on every read.
  const failedAt = new Map<string, number>();
  const backoffMs = Math.min(FAILURE_BACKOFF_MS, settings.cacheMinutes * 60_000);

  async function listAndStore(wabaId: string): Promise<RefreshOutcome> {
    // Meta's state as of when the hub asked: an event timed after this wins over the list.
    const listedAt = new Date();
    const listing = await listTemplates(graph, wabaId, settings.maxPages);
    if (listing.kind !== "OK") return listing;
    const changed = await storage.writeTransaction((tx) => storeListing(tx, wabaId, listedAt, listing.templates));
    for (const event of changed) pubsub.publish("template", event);
    if (listing.skipped > 0) log.warn({ wabaId, skipped: listing.skipped }, "templates Meta listed that could not be read were skipped");
    return { kind: "OK", listed: listing.templates.length, skipped: listing.skipped };
  }

  function refresh(wabaId: string): Promise<RefreshOutcome> {
    const running = inFlight.get(wabaId);
    if (running) return running;
    const p = listAndStore(wabaId).finally(() => inFlight.delete(wabaId));
    inFlight.set(wabaId, p);
    return p;
  }

  function logged(wabaId: string, p: Promise<RefreshOutcome>): Promise<void> {
    return p.then(
      (outcome) => {
        if (outcome.kind === "OK") return void failedAt.delete(wabaId);
        failedAt.set(wabaId, Date.now());
        log.warn({ wabaId, outcome }, "listing the WABA's templates from Meta failed");
      },
      (error: unknown) => {
        failedAt.set(wabaId, Date.now());
        log.error({ wabaId, err: error }, "storing the WABA's templates listed from Meta failed");
      },
    );
  }

  return {
    refresh,
    async whenStale(wabaId, listedAt) {
      if (listedAt && Date.now() - listedAt.getTime() < settings.cacheMinutes * 60_000) return;
      if (Date.now() - (failedAt.get(wabaId) ?? 0) < backoffMs) return;
      const p = logged(wabaId, refresh(wabaId));
      if (!listedAt) await p;
    },
    async settle() {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

/** Every page of the WABA's templates, following Meta's `after` cursor while `paging.next` says there is more, at most `maxPages`. */
async function listTemplates(
  graph: GraphClient,
  wabaId: string,
  maxPages: number,
): Promise<{ kind: "OK"; templates: ListedTemplate[]; skipped: number } | Exclude<GraphAnswer, { kind: "OK" }>> {
  const templates: ListedTemplate[] = [];
  let skipped = 0;
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const query: Record<string, string> = { fields: LISTED_FIELDS.join(","), limit: PAGE_SIZE, ...(after ? { after } : {}) };
    const answer = await graph.get(`${encodeURIComponent(wabaId)}/message_templates`, query);
    if (answer.kind !== "OK") return answer;
    const parsed = listingPage.safeParse(answer.json);
    if (!parsed.success) {
      const error = errorOfTheHub(`Meta's template list did not read: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      return { kind: "META_ERROR", status: answer.status, error };
    }
    for (const raw of parsed.data.data) {
      const t = readListedTemplate(raw);
      if (t) templates.push(t);
      else skipped++;
    }
    after = nextCursor(parsed.data);
    if (!after) break;
  }
  return { kind: "OK", templates, skipped };
}
