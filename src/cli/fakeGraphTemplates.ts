import { createHash } from "node:crypto";
import { z } from "zod";
import { metaError, type FakeAnswer } from "./fakeGraphAccounts.ts";

/**
 * The fake Graph API's template list (GET /{waba-id}/message_templates, src/cli/fakeGraphServer.ts):
 * the templates a test or `hub fake-graph --templates` gave a WABA, in Meta's shape
 * ({ data, paging: { cursors: { before, after }, next } }), `limit` per page (at most `pageSize`),
 * the next page by the `after` cursor. A WABA marked unknown is answered with Meta's error 100.
 */
export interface FakeTemplate {
  id?: string;
  name: string;
  language: string;
  status?: string;
  category?: string;
  /** quality_score.score */
  quality?: string;
  components?: Record<string, unknown>[];
}

/** A FakeTemplate as `hub fake-graph --templates` reads it from a file. */
export const fakeTemplateRecord = z.object({
  id: z.string().optional(),
  name: z.string(),
  language: z.string(),
  status: z.string().optional(),
  category: z.string().optional(),
  quality: z.string().optional(),
  components: z.array(z.record(z.string(), z.unknown())).optional(),
}) satisfies z.ZodType<FakeTemplate>;

export interface FakeTemplates {
  /** The WABA's templates from now on (a WABA never given any lists none). */
  set(wabaId: string, templates: readonly FakeTemplate[]): void;
  /** From now on the WABA does not exist for the fake: its list is Meta's error 100. */
  unknown(wabaId: string): void;
  /** Most templates on one page, whatever `limit` asks (Meta's default is 25). */
  pageSize: number;
  /** Answers a listing: the WABA, the request's URL (for `paging.next`). */
  list(wabaId: string, url: URL): FakeAnswer;
}

const cursorOf = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
const offsetOf = (cursor: string | null) => {
  const m = cursor ? /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8")) : null;
  return m ? Number(m[1]) : cursor ? null : 0;
};

/** Meta's id of a template given without one: the same for the same name and language, as Meta's is across listings. */
const idOf = (t: FakeTemplate) => String(BigInt(`0x${createHash("sha256").update(`${t.name}|${t.language}`).digest("hex").slice(0, 13)}`));

export function createFakeTemplates(): FakeTemplates {
  const byWaba = new Map<string, (FakeTemplate & { id: string })[]>();
  const unknown = new Set<string>();
  const fake: FakeTemplates = {
    pageSize: 25,
    set: (wabaId, templates) =>
      void byWaba.set(
        wabaId,
        templates.map((t) => ({ ...t, id: t.id ?? idOf(t) })),
      ),
    unknown: (wabaId) => void unknown.add(wabaId),
    list(wabaId, url) {
      if (unknown.has(wabaId)) {
        return {
          status: 400,
          json: metaError(
            100,
            `Unsupported get request. Object with ID '${wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            "GraphMethodException",
          ),
        };
      }
      const offset = offsetOf(url.searchParams.get("after"));
      if (offset === null) return { status: 400, json: metaError(100, "Invalid parameter: after is not a cursor of this list") };
      const limit = Math.min(Number(url.searchParams.get("limit")) || 25, fake.pageSize);
      const all = byWaba.get(wabaId) ?? [];
      const page = all.slice(offset, offset + limit);
      const after = offset + page.length;
      const next = new URL(url);
      next.searchParams.set("after", cursorOf(after));
      return {
        status: 200,
        json: {
          data: page.map((t) => ({
            name: t.name,
            language: t.language,
            status: t.status ?? "APPROVED",
            category: t.category ?? "UTILITY",
            quality_score: { score: t.quality ?? "UNKNOWN" },
            components: t.components ?? [{ type: "BODY", text: `${t.name}` }],
            id: t.id,
          })),
          paging: { cursors: { before: cursorOf(offset), after: cursorOf(after) }, ...(after < all.length ? { next: next.toString() } : {}) },
        },
      };
    },
  };
  return fake;
}
