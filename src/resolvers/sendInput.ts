import { z } from "zod";
import { isBsuid } from "../domain/identityKey.ts";
import { MEDIA_KINDS, type SendContent } from "../domain/sendRequest.ts";
import type { SendTarget } from "../outbound/storeSend.ts";
import { refuse } from "./sendRefusal.ts";

/** What sendMessage and recordSentMessage take alike: a number, exactly one addressee and exactly one content. */

// Meta's own bounds where it states them (a text body is at most 4096 characters); the rest keep ids short.
export const id = z.string().trim().min(1).max(200);
export const optional = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? null);

export const messageFields = {
  phoneNumberId: id,
  threadId: optional(id),
  to: optional(z.string().regex(/^\d{5,20}$/, "to: digits only, with the country code (e.g. 16505551234)")),
  userId: optional(z.string().refine(isBsuid, "userId: a business-scoped user id, e.g. US.13491208655302741918")),
  text: optional(z.string().min(1).max(4096)),
  media: optional(
    z.object({
      kind: z.enum(MEDIA_KINDS),
      link: optional(z.url().max(2000)),
      id: optional(id),
      caption: optional(z.string().max(1024)),
      filename: optional(z.string().max(240)),
    }),
  ),
  template: optional(z.object({ name: id, language: id, components: optional(z.array(z.unknown()).max(50)) })),
  reaction: optional(z.object({ wamid: id, emoji: z.string().max(16) })),
  replyTo: optional(id),
};

type MessageFields = z.output<z.ZodObject<typeof messageFields>>;

/** The "exactly one" rules GraphQL cannot say, added to an input built on messageFields. */
export function oneOfEach<S extends z.ZodType<MessageFields>>(schema: S) {
  return schema
    .refine((i) => [i.threadId, i.to, i.userId].filter((v) => v !== null).length === 1, "give exactly one of threadId, to and userId")
    .refine((i) => [i.text, i.media, i.template, i.reaction].filter((v) => v !== null).length === 1, "give exactly one of text, media, template and reaction")
    .refine((i) => i.media === null || (i.media.link === null) !== (i.media.id === null), "media: give exactly one of link and id");
}

/** The input parsed, or BAD_USER_INPUT saying what was expected where. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return refuse("BAD_USER_INPUT", `${issue?.path.length ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "invalid input"}`);
}

export function targetOf(i: MessageFields): SendTarget {
  return i.threadId !== null ? { threadId: i.threadId } : i.to !== null ? { to: i.to } : { userId: i.userId ?? "" };
}

export function contentOf(i: MessageFields): SendContent {
  if (i.text !== null) return { kind: "text", body: i.text };
  if (i.media !== null) return { kind: "media", media: i.media.kind, link: i.media.link, id: i.media.id, caption: i.media.caption, filename: i.media.filename };
  if (i.template !== null) return { kind: "template", name: i.template.name, language: i.template.language, components: i.template.components };
  const r = i.reaction!;
  return { kind: "reaction", wamid: r.wamid, emoji: r.emoji };
}
