/**
 * Reading the message object Meta sent (the API's `content`, JSON of any shape) for display. The
 * hub keeps it as it came, so nothing here assumes a field exists: each reader checks and falls back.
 */

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !(key in current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown, ...path: string[]): string | null {
  const found = field(value, ...path);
  return typeof found === "string" && found.trim() ? found : null;
}

const MEDIA: Record<string, string> = {
  image: "Photo",
  video: "Video",
  audio: "Voice message or audio",
  document: "Document",
  sticker: "Sticker",
};

export type ContentView =
  | { kind: "text" }
  | { kind: "media"; label: string; detail: string | null }
  | { kind: "placeholder" }
  | { kind: "reaction"; emoji: string | null }
  | { kind: "unsupported" }
  | { kind: "other"; label: string; detail: string | null };

/** What to show for a message of `type` besides its text (the API's `text` already holds captions). */
export function contentView(type: string, content: unknown): ContentView {
  if (type === "text") return { kind: "text" };
  if (type === "media_placeholder") return { kind: "placeholder" };
  if (type === "unsupported") return { kind: "unsupported" };
  if (type === "reaction") return { kind: "reaction", emoji: text(content, "reaction", "emoji") };
  const media = MEDIA[type];
  if (media) return { kind: "media", label: media, detail: text(content, type, "filename") ?? text(content, type, "mime_type") };
  if (type === "location") return { kind: "other", label: "Location", detail: text(content, "location", "name") ?? text(content, "location", "address") };
  if (type === "contacts") return { kind: "other", label: "Shared contact", detail: text(content, "contacts", "0", "name", "formatted_name") };
  if (type === "interactive" || type === "button")
    return {
      kind: "other",
      label: "Reply to buttons or a list",
      detail: text(content, "interactive", "button_reply", "title") ?? text(content, "interactive", "list_reply", "title") ?? text(content, "button", "text"),
    };
  return { kind: "other", label: type.replaceAll("_", " "), detail: null };
}
