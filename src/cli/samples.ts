/**
 * Sample webhook payloads in the shapes Meta sends (see test/fixtures/**): what `hub simulate`
 * posts to a running hub. Builders only; ids and times come from the caller.
 */

/** A webhook body: one entry per WABA (or partner business), one change per field. */
export interface MetaPayload {
  object: "whatsapp_business_account";
  entry: { id: string; time?: number; changes: { field: string; value: Record<string, unknown> }[] }[];
}

/** The business number the thread-mirror samples are about. */
export interface SampleBusiness {
  wabaId: string;
  phoneNumberId: string;
  displayNumber: string;
}

/** The fixtures' business, so a simulated hub looks like the one the tests and the README use. */
export const DEFAULT_BUSINESS: SampleBusiness = {
  wabaId: "102290129340398",
  phoneNumberId: "106540352242922",
  displayNumber: "15550783881",
};

/** Partner events come in the partner's own entry; the WABA is named in waba_info. */
export const SAMPLE_PARTNER_BUSINESS_ID = "2949482758682047";
const SAMPLE_OWNER_BUSINESS_ID = "2329417887457253";

/** Every PARTNER_REMOVED reason Meta documents, with who initiates it in practice. */
export const PARTNER_REMOVED_REASONS = [
  { reason: "BUSINESS_DOWNGRADE", initiatedBy: "USER" },
  { reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" },
  { reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" },
  { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" },
  { reason: "USER_RE_REGISTERED", initiatedBy: "USER" },
] as const;

export type PartnerRemovedReason = (typeof PARTNER_REMOVED_REASONS)[number];

function single(entryId: string, field: string, value: Record<string, unknown>, time?: number): MetaPayload {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: entryId, ...(time === undefined ? {} : { time }), changes: [{ value, field }] }],
  };
}

export const accountOffboarded = (wabaId: string, time: number) => single(wabaId, "account_update", { event: "ACCOUNT_OFFBOARDED" }, time);

export const accountReconnected = (wabaId: string, time: number) => single(wabaId, "account_update", { event: "ACCOUNT_RECONNECTED" }, time);

const wabaInfo = (wabaId: string) => ({ waba_id: wabaId, owner_business_id: SAMPLE_OWNER_BUSINESS_ID });

export const partnerRemoved = (wabaId: string, time: number, info: PartnerRemovedReason) =>
  single(
    SAMPLE_PARTNER_BUSINESS_ID,
    "account_update",
    {
      event: "PARTNER_REMOVED",
      waba_info: wabaInfo(wabaId),
      disconnection_info: { reason: info.reason, initiated_by: info.initiatedBy },
    },
    time,
  );

export const partnerAdded = (wabaId: string, time: number) =>
  single(
    SAMPLE_PARTNER_BUSINESS_ID,
    "account_update",
    {
      event: "PARTNER_ADDED",
      waba_info: { ...wabaInfo(wabaId), solution_partner_business_ids: [SAMPLE_PARTNER_BUSINESS_ID] },
    },
    time,
  );

/** A thread-mirror change: the WABA is the entry, the number is value.metadata. */
function mirrorChange(business: SampleBusiness, field: string, value: Record<string, unknown>): MetaPayload {
  return single(business.wabaId, field, {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: business.displayNumber, phone_number_id: business.phoneNumberId },
    ...value,
  });
}

export interface SampleText {
  wamid: string;
  /** The user's number (digits). */
  user: string;
  /** Unix seconds. */
  at: number;
  body: string;
}

/** A message a user sent to the business (`messages` field), with their WhatsApp profile name. */
export const inboundText = (business: SampleBusiness, m: SampleText & { profileName: string }) =>
  mirrorChange(business, "messages", {
    contacts: [{ profile: { name: m.profileName }, wa_id: m.user }],
    messages: [{ from: m.user, id: m.wamid, timestamp: String(m.at), type: "text", text: { body: m.body } }],
  });

/** A message the business sent from the WhatsApp Business app (`smb_message_echoes`). */
export const echoText = (business: SampleBusiness, m: SampleText) =>
  mirrorChange(business, "smb_message_echoes", {
    message_echoes: [{ from: business.displayNumber, to: m.user, id: m.wamid, timestamp: String(m.at), type: "text", text: { body: m.body } }],
  });

/** statuses[].pricing as Meta sends it under per-message pricing (2026). */
export interface SamplePricing {
  billable?: boolean;
  pricing_model: string;
  category: string;
  type?: string;
}

export interface SampleStatus {
  /** The outbound message the status is about. */
  wamid: string;
  /** The recipient's number (digits); omitted for a user Meta names only by BSUID. */
  user?: string;
  /** The recipient's business-scoped user id, when the message was sent to one. */
  userId?: string;
  /** Unix seconds. */
  at: number;
  status: "sent" | "delivered" | "read" | "failed";
  /** A failed status's errors (statuses[].errors[]). */
  errors?: readonly SampleError[];
  pricing?: SamplePricing;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
}

/** A status of a message the business sent (`messages` field, statuses[]). */
export const outboundStatus = (business: SampleBusiness, s: SampleStatus) =>
  mirrorChange(business, "messages", {
    statuses: [
      {
        id: s.wamid,
        status: s.status,
        timestamp: String(s.at),
        ...(s.user !== undefined ? { recipient_id: s.user } : {}),
        ...(s.userId !== undefined ? { recipient_user_id: s.userId } : {}),
        ...(s.conversation ? { conversation: s.conversation } : {}),
        ...(s.pricing ? { pricing: s.pricing } : {}),
        ...(s.errors ? { errors: s.errors.map(metaErrorObject) } : {}),
      },
    ],
  });

export interface SampleError {
  code: number;
  title: string;
  details: string;
}

/** Meta's error object in a webhook (value.errors[], statuses[].errors[]). */
const metaErrorObject = (e: SampleError) => ({
  code: e.code,
  title: e.title,
  message: e.title,
  error_data: { details: e.details },
  href: "/documentation/business-messaging/whatsapp/support/error-codes",
});

/** value.errors of a `messages` change: errors about the phone number (e.g. 130429 rate limit hit). */
export const phoneNumberErrors = (business: SampleBusiness, errors: readonly SampleError[]) =>
  mirrorChange(business, "messages", { errors: errors.map(metaErrorObject) });

export interface HistoryMessage extends SampleText {
  outbound: boolean;
}

export interface ChunkPosition {
  phase: number;
  chunkOrder: number;
  progress: number;
}

/** One `history` chunk: its messages grouped into threads, as Meta sends them. */
export function historyChunk(business: SampleBusiness, position: ChunkPosition, messages: readonly HistoryMessage[]): MetaPayload {
  const threads = new Map<string, HistoryMessage[]>();
  for (const m of messages) threads.set(m.user, [...(threads.get(m.user) ?? []), m]);
  return mirrorChange(business, "history", {
    history: [
      {
        metadata: { phase: position.phase, chunk_order: position.chunkOrder, progress: position.progress },
        threads: [...threads].map(([user, list]) => ({
          id: user,
          messages: list.map((m) => ({
            from: m.outbound ? business.displayNumber : user,
            // Meta names a recipient only on the business's own messages.
            ...(m.outbound ? { to: user } : {}),
            id: m.wamid,
            timestamp: String(m.at),
            type: "text",
            text: { body: m.body },
            history_context: { status: m.outbound ? "READ" : "DELIVERED" },
          })),
        })),
      },
    ],
  });
}

/** Non-ASCII on purpose: Meta signs the \uXXXX form of these, which the hub must accept. */
export const SAMPLE_TEXTS = [
  "Olá! Vi o anúncio 😍 — ainda têm a echeveria?",
  "Merci, à bientôt ! Votre commande n° 1042 est prête ✓",
  "¿Cuánto cuesta el envío a Córdoba?",
  "Danke schön — Lieferung bis Freitag möglich?",
  "Catálogo: https://www.example.com/loja/suculentas?ref=wa",
  "Ваш заказ отправлен 📦",
  "ご注文ありがとうございます 🙏",
  "Pedido confirmado. Pagamento via Pix ✅",
] as const;

export const SAMPLE_NAMES = ["João Araújo", "Zoë Kraus", "Łukasz Wójcik", "Ayşe Yılmaz", "Ольга Петрова", "陈伟", "Sheena Nelson ✨"] as const;
