/** Builders for thread-mirror payloads in Meta's shapes, for tests that need control of ids and times. */
import * as samples from "../../src/cli/samples.ts";
import { metaBytes } from "./meta.ts";

export const WABA = samples.DEFAULT_BUSINESS.wabaId;
export const PHONE_ID = samples.DEFAULT_BUSINESS.phoneNumberId;
export const DISPLAY = samples.DEFAULT_BUSINESS.displayNumber;
const metadata = { display_phone_number: DISPLAY, phone_number_id: PHONE_ID };

export function envelope(field: string, value: Record<string, unknown>) {
  return { object: "whatsapp_business_account", entry: [{ id: WABA, changes: [{ field, value: { messaging_product: "whatsapp", metadata, ...value } }] }] };
}

// The payload builders are the ones `hub simulate` sends; these adapters keep the tests terse.
export const inboundText = (wamid: string, from: string, at: number, body: string, name = "Sheena Nelson") =>
  samples.inboundText(samples.DEFAULT_BUSINESS, { wamid, user: from, at, body, profileName: name });

export const echoText = (wamid: string, to: string, at: number, body: string) =>
  samples.echoText(samples.DEFAULT_BUSINESS, { wamid, user: to, at, body });

export const status = (wamid: string, to: string, at: number, value: string, errors?: unknown[]) =>
  envelope("messages", { statuses: [{ id: wamid, status: value, timestamp: String(at), recipient_id: to, ...(errors ? { errors } : {}) }] });

export const edit = (wamid: string, original: string, from: string, at: number, body: string) =>
  envelope("messages", {
    messages: [{ from, id: wamid, timestamp: String(at), type: "edit", edit: { original_message_id: original, message: { type: "text", text: { body } } } }],
  });

export const revoke = (wamid: string, original: string, from: string, at: number) =>
  envelope("messages", { messages: [{ from, id: wamid, timestamp: String(at), type: "revoke", revoke: { original_message_id: original } }] });

export const stateSync = (phone: string, action: string, at: number, fullName?: string) =>
  envelope("smb_app_state_sync", {
    state_sync: [{ type: "contact", contact: { phone_number: phone, ...(fullName ? { full_name: fullName, first_name: fullName.split(" ")[0] } : {}) }, action, metadata: { timestamp: String(at) } }],
  });

export type HistoryMessage = samples.HistoryMessage;

export const historyChunk = (phase: number, chunkOrder: number, progress: number, messages: readonly HistoryMessage[]) =>
  samples.historyChunk(samples.DEFAULT_BUSINESS, { phase, chunkOrder, progress }, messages);

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

/** A deterministic shuffle (seeded), so a failing order can be replayed. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * An account_update in Meta's shape (entry id and time, one change with field account_update), as in
 * test/fixtures/account_update/: for a disconnection opened and resolved at times of the test's choosing.
 */
export const accountUpdate = (wabaId: string, time: number, value: Record<string, unknown>) => ({
  object: "whatsapp_business_account",
  entry: [{ id: wabaId, time, changes: [{ field: "account_update", value }] }],
});

/** PARTNER_REMOVED (opens a disconnection) and PARTNER_ADDED (resolves it) for one WABA. */
export const partnerRemoved = (wabaId: string, time: number) =>
  accountUpdate(wabaId, time, { event: "PARTNER_REMOVED", waba_info: { waba_id: wabaId }, disconnection_info: { reason: "PRIMARY_INACTIVITY", initiated_by: "SYSTEM" } });
export const partnerAdded = (wabaId: string, time: number) => accountUpdate(wabaId, time, { event: "PARTNER_ADDED", waba_info: { waba_id: wabaId } });

/** One history chunk as Meta sends it, of at least `bytes` bytes (thousands of messages over 20 threads). */
export function historyChunkOf(bytes: number) {
  const one = metaBytes(historyChunk(0, 1, 100, generateHistory(1, 1, 1).messages)).length;
  for (let perThread = Math.ceil(bytes / one / 20); ; perThread = Math.ceil(perThread * 1.1)) {
    const { messages } = generateHistory(20, perThread, 1);
    const chunk = historyChunk(0, 1, 100, messages);
    const size = metaBytes(chunk).length;
    if (size >= bytes) return { chunk, size, messages };
  }
}
