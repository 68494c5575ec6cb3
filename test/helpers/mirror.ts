/**
 * The tests' one set of payload builders, in Meta's shapes, with ids and times of the test's
 * choosing. Each builder takes the business (WABA + phone number) first; the shorthands below
 * (`inboundText`, `status`, ...) are the same builders for the fixtures' business, to keep tests
 * terse. Text messages, echoes and history chunks are the ones `hub simulate` sends.
 */
import * as samples from "../../src/cli/samples.ts";
import { metaBytes } from "./meta.ts";

const OBJECT: samples.MetaPayload["object"] = "whatsapp_business_account";

/** A business phone number and the WABA it belongs to (value.metadata + entry id). */
export interface Business {
  wabaId: string;
  phoneNumberId: string;
  display: string;
}

/** A webhook payload in Meta's shape (the simulator's type). */
export type Payload = samples.MetaPayload;

export type HistoryMessage = samples.HistoryMessage;

const sample = (b: Business): samples.SampleBusiness => ({ wabaId: b.wabaId, phoneNumberId: b.phoneNumberId, displayNumber: b.display });

/** One account_update change for `wabaId` (the entry id), stamped `time` (unix seconds), as its own delivery. */
export const accountUpdate = (wabaId: string, time: number, value: Record<string, unknown>): Payload => ({
  object: OBJECT,
  entry: [{ id: wabaId, time, changes: [{ field: "account_update", value }] }],
});

/** One thread-mirror change of `field`: the WABA is the entry, the number is value.metadata. */
export const mirrorChange = (b: Business, field: string, value: Record<string, unknown>): Payload => ({
  object: OBJECT,
  entry: [
    {
      id: b.wabaId,
      changes: [{ field, value: { messaging_product: "whatsapp", metadata: { display_phone_number: b.display, phone_number_id: b.phoneNumberId }, ...value } }],
    },
  ],
});

export const inbound = (b: Business, wamid: string, from: string, at: number, body: string, name = "Ana Souza"): Payload =>
  samples.inboundText(sample(b), { wamid, user: from, at, body, profileName: name });

export const echo = (b: Business, wamid: string, to: string, at: number, body: string): Payload => samples.echoText(sample(b), { wamid, user: to, at, body });

export const statusOf = (b: Business, wamid: string, to: string, at: number, value: string, errors?: unknown[]) =>
  mirrorChange(b, "messages", { statuses: [{ id: wamid, status: value, timestamp: String(at), recipient_id: to, ...(errors ? { errors } : {}) }] });

export const editOf = (b: Business, wamid: string, original: string, from: string, at: number, body: string) =>
  mirrorChange(b, "messages", {
    messages: [{ from, id: wamid, timestamp: String(at), type: "edit", edit: { original_message_id: original, message: { type: "text", text: { body } } } }],
  });

export const revokeOf = (b: Business, wamid: string, original: string, from: string, at: number) =>
  mirrorChange(b, "messages", { messages: [{ from, id: wamid, timestamp: String(at), type: "revoke", revoke: { original_message_id: original } }] });

export const contactSync = (b: Business, phone: string, action: "add" | "remove", at: number, fullName?: string) =>
  mirrorChange(b, "smb_app_state_sync", {
    state_sync: [
      {
        type: "contact",
        contact: { phone_number: phone, ...(fullName ? { full_name: fullName, first_name: fullName.split(" ")[0] } : {}) },
        action,
        metadata: { timestamp: String(at) },
      },
    ],
  });

/** One history chunk (the simulator's builder); a message given to two chunks is sent identically in both. */
export const historyChunkOf = (b: Business, phase: number, chunkOrder: number, progress: number, messages: readonly HistoryMessage[]): Payload =>
  samples.historyChunk(sample(b), { phase, chunkOrder, progress }, messages);

/** Several payloads as one delivery (Meta batches entries): the entries side by side. */
export const together = (...payloads: Payload[]): Payload => ({ object: OBJECT, entry: payloads.flatMap((p) => p.entry) });

// The fixtures' business and the shorthands for it.
export const WABA = samples.DEFAULT_BUSINESS.wabaId;
export const PHONE_ID = samples.DEFAULT_BUSINESS.phoneNumberId;
export const DISPLAY = samples.DEFAULT_BUSINESS.displayNumber;
export const BUSINESS: Business = { wabaId: WABA, phoneNumberId: PHONE_ID, display: DISPLAY };

export const envelope = (field: string, value: Record<string, unknown>) => mirrorChange(BUSINESS, field, value);
export const inboundText = (wamid: string, from: string, at: number, body: string, name = "Sheena Nelson") => inbound(BUSINESS, wamid, from, at, body, name);
export const echoText = (wamid: string, to: string, at: number, body: string) => echo(BUSINESS, wamid, to, at, body);
export const status = (wamid: string, to: string, at: number, value: string, errors?: unknown[]) => statusOf(BUSINESS, wamid, to, at, value, errors);
export const edit = (wamid: string, original: string, from: string, at: number, body: string) => editOf(BUSINESS, wamid, original, from, at, body);
export const revoke = (wamid: string, original: string, from: string, at: number) => revokeOf(BUSINESS, wamid, original, from, at);
export const stateSync = (phone: string, action: "add" | "remove", at: number, fullName?: string) => contactSync(BUSINESS, phone, action, at, fullName);
export const historyChunk = (phase: number, chunkOrder: number, progress: number, messages: readonly HistoryMessage[]) =>
  historyChunkOf(BUSINESS, phase, chunkOrder, progress, messages);

/**
 * A generated six-month history: `threads` users, `perThread` messages each, spread over 180 days,
 * cut into Meta-style chunks over phases 0 (last day), 1 (up to 90 days) and 2 (older).
 */
export function generateHistory(threads: number, perThread: number, chunkSize: number) {
  const now = 1_760_000_000;
  const messages: HistoryMessage[] = [];
  for (let t = 0; t < threads; t++) {
    const user = String(5511900000000 + t);
    for (let i = 0; i < perThread; i++) {
      const at = now - Math.floor(((perThread - 1 - i) / perThread) * 180 * 86400) - t;
      messages.push({ wamid: `wamid.hist.${t}.${i}`, user, outbound: i % 3 === 0, at, body: `mensagem ${i} para ${t} — ação ✓` });
    }
  }
  const phaseOf = (at: number) => (now - at <= 86400 ? 0 : now - at <= 90 * 86400 ? 1 : 2);
  const chunks: ReturnType<typeof historyChunk>[] = [];
  const byPhase = [0, 1, 2].map((p) => messages.filter((m) => phaseOf(m.at) === p));
  const total = Math.ceil(messages.length / chunkSize);
  let sent = 0;
  byPhase.forEach((list, phase) => {
    for (let i = 0, order = 1; i < list.length; i += chunkSize, order++) {
      sent++;
      chunks.push(historyChunk(phase, order, Math.min(100, Math.round((sent / total) * 100)), list.slice(i, i + chunkSize)));
    }
  });
  return { messages, chunks };
}

/** PARTNER_REMOVED (opens a disconnection) and PARTNER_ADDED (resolves it) for one WABA. */
export const partnerRemoved = (wabaId: string, time: number) =>
  accountUpdate(wabaId, time, {
    event: "PARTNER_REMOVED",
    waba_info: { waba_id: wabaId },
    disconnection_info: { reason: "PRIMARY_INACTIVITY", initiated_by: "SYSTEM" },
  });
export const partnerAdded = (wabaId: string, time: number) => accountUpdate(wabaId, time, { event: "PARTNER_ADDED", waba_info: { waba_id: wabaId } });

/** One history chunk as Meta sends it, of at least `bytes` bytes (thousands of messages over 20 threads). */
export function historyChunkOfBytes(bytes: number) {
  const one = metaBytes(historyChunk(0, 1, 100, generateHistory(1, 1, 1).messages)).length;
  for (let perThread = Math.ceil(bytes / one / 20); ; perThread = Math.ceil(perThread * 1.1)) {
    const { messages } = generateHistory(20, perThread, 1);
    const chunk = historyChunk(0, 1, 100, messages);
    const size = metaBytes(chunk).length;
    if (size >= bytes) return { chunk, size, messages };
  }
}
