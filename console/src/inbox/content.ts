import type { IdentityKind, InboxMessageFragment, MessageKind } from "../generated/graphql.ts";
import { phoneNumberWords } from "../words.ts";

/**
 * What to show for a message besides its text, from what the server decoded (Message.details and
 * Message.identityChange): the console reads no raw Meta object. The API's `text` already holds
 * captions, titles and names.
 */

export type ContentView =
  | { kind: "text" }
  | { kind: "label"; label: string; detail: string | null }
  | { kind: "placeholder" }
  | { kind: "reaction"; emoji: string | null }
  | { kind: "unsupported" };

const LABELS: Record<Exclude<MessageKind, "TEXT" | "MEDIA_PLACEHOLDER" | "REACTION" | "UNSUPPORTED" | "OTHER">, string> = {
  IMAGE: "Photo",
  VIDEO: "Video",
  AUDIO: "Voice message or audio",
  DOCUMENT: "Document",
  STICKER: "Sticker",
  LOCATION: "Location",
  CONTACTS: "Shared contact",
  REPLY: "Reply to buttons or a list",
  ORDER: "Order",
  SYSTEM: "System message",
};

/** The view of a message; a revoked one has no details and shows as text (the caller shows it deleted). */
export function contentView(m: Pick<InboxMessageFragment, "type" | "details">): ContentView {
  if (!m.details) return { kind: "text" };
  const { kind, detail } = m.details;
  switch (kind) {
    case "TEXT":
      return { kind: "text" };
    case "MEDIA_PLACEHOLDER":
      return { kind: "placeholder" };
    case "REACTION":
      return { kind: "reaction", emoji: detail ?? null };
    case "UNSUPPORTED":
      return { kind: "unsupported" };
    case "OTHER":
      // A type the server does not know yet: Meta's own name for it.
      return { kind: "label", label: m.type.replaceAll("_", " "), detail: detail ?? null };
    default:
      return { kind: "label", label: LABELS[kind], detail: detail ?? null };
  }
}

const WHAT: Record<IdentityKind, string> = { WA_ID: "number", USER_ID: "user id" };

const shown = (kind: IdentityKind, value: string) => (kind === "WA_ID" ? phoneNumberWords(value) : value);

/** "changed number from +1… to +1…" for an identity change the server decoded. */
export function identityChangeWords(change: NonNullable<InboxMessageFragment["identityChange"]>): string {
  const what = WHAT[change.kind];
  const to = change.to ? shown(change.kind, change.to) : "a new one";
  return change.from ? `changed ${what} from ${shown(change.kind, change.from)} to ${to}` : `changed ${what} to ${to}`;
}

/** A message in a few words, for a quote ("Replying to …"): its text, else what it is. */
export function messageSummary(m: Pick<InboxMessageFragment, "type" | "details" | "text" | "revokedAt">): string {
  if (m.revokedAt) return "a deleted message";
  if (m.text) return m.text;
  const view = contentView(m);
  switch (view.kind) {
    case "label":
      return view.detail ? `${view.label}: ${view.detail}` : view.label;
    case "placeholder":
      return "media from the chat history";
    case "reaction":
      return `a reaction ${view.emoji ?? ""}`.trim();
    case "unsupported":
      return "a message the Cloud API does not show";
    case "text":
      return "a message";
  }
}
