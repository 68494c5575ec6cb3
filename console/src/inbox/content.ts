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
  | { kind: "identityChange"; what: "number" | "user id"; from: string | null; to: string | null }
  | { kind: "other"; label: string; detail: string | null };

/** An identifier the contact had before (Contact.previousIdentities). */
export interface PreviousIdentity {
  kind: "WA_ID" | "USER_ID";
  value: string;
  retiredAt?: string | null;
}

/** What to show for a message of `type` besides its text (the API's `text` already holds captions). */
export function contentView(type: string, content: unknown): ContentView {
  if (type === "text") return { kind: "text" };
  if (type === "media_placeholder") return { kind: "placeholder" };
  if (type === "unsupported") return { kind: "unsupported" };
  if (type === "system") {
    // Meta's system messages: user_changed_number (new number in system.wa_id, the old one in
    // `from`), user_changed_user_id (new BSUID in system.user_id, the old one in from_user_id).
    const systemType = text(content, "system", "type");
    if (systemType === "user_changed_number")
      return { kind: "identityChange", what: "number", from: text(content, "from"), to: text(content, "system", "wa_id") };
    if (systemType === "user_changed_user_id")
      return { kind: "identityChange", what: "user id", from: text(content, "from_user_id"), to: text(content, "system", "user_id") };
  }
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

const shown = (what: "number" | "user id", value: string) => (what === "number" ? `+${value.replace(/^\+/, "")}` : value);

/**
 * "changed number from +1… to +1…" for an identity change. When the message does not name the old
 * identifier, the contact's previous identity of that kind retired at the change's time does.
 */
export function identityChangeWords(view: Extract<ContentView, { kind: "identityChange" }>, timestamp: string, previous: readonly PreviousIdentity[]): string {
  const kind = view.what === "number" ? "WA_ID" : "USER_ID";
  const from = view.from ?? previous.find((p) => p.kind === kind && p.retiredAt === timestamp)?.value ?? null;
  const to = view.to ? shown(view.what, view.to) : "a new one";
  return from ? `changed ${view.what} from ${shown(view.what, from)} to ${to}` : `changed ${view.what} to ${to}`;
}
