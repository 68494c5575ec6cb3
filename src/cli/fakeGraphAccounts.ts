import { randomBytes } from "node:crypto";

/**
 * The fake Graph API's onboarding endpoints (src/cli/fakeGraphServer.ts): the Embedded Signup code
 * exchange (GET /oauth/access_token, each code once), the two coexistence syncs
 * (POST /{phone-number-id}/smb_app_data), each taken once per number (2593107 after, 2593108 once
 * its window is closed), and the app's subscription to a WABA (POST /{waba-id}/subscribed_apps).
 */

export interface FakeAnswer {
  status: number;
  json: unknown;
}

/** Meta's error envelope. */
export function metaError(code: number, message: string, type = "OAuthException") {
  return { error: { message, type, code, error_data: { messaging_product: "whatsapp", details: message }, fbtrace_id: randomBytes(8).toString("hex") } };
}

const SYNC_TYPES = new Set(["smb_app_state_sync", "history"]);

export interface FakeAccounts {
  /** A business finished Embedded Signup: `code` may be exchanged once for `token`, which the fake then accepts. */
  signup(code: string, token: string): void;
  /** Answers the code exchange (its query parameters). */
  exchange(query: Record<string, unknown>): FakeAnswer;
  /** Whether an Authorization header carries a token the fake issued. */
  issued(authorization: string | undefined): boolean;
  /** Answers smb_app_data for `id` (a phone number id). */
  syncRequest(id: string, body: Record<string, unknown>): FakeAnswer;
  /** Answers subscribed_apps for `id` (a WABA id). */
  subscribe(id: string): FakeAnswer;
  /** The sync types Meta took for a number, in order. */
  synced(phoneNumberId: string): string[];
  /** WABAs the app is subscribed to. */
  readonly subscribed: ReadonlySet<string>;
  /** From now on, sync requests for the number are too late (2593108), as 24 h after onboarding. */
  closeSyncWindow(phoneNumberId: string): void;
}

export function createFakeAccounts(): FakeAccounts {
  const synced = new Map<string, string[]>();
  const closed = new Set<string>();
  const subscribed = new Set<string>();
  const codes = new Map<string, string>();
  const tokens = new Set<string>();
  return {
    signup: (code, token) => void codes.set(code, token),
    exchange(query) {
      const code = typeof query.code === "string" ? query.code : "";
      if (!query.client_id || !query.client_secret)
        return { status: 400, json: metaError(101, "Error validating application: client_id and client_secret are required") };
      const token = codes.get(code);
      if (!token) return { status: 400, json: metaError(100, "Invalid verification code format.") };
      codes.delete(code);
      tokens.add(token);
      return { status: 200, json: { access_token: token, token_type: "bearer" } };
    },
    issued: (authorization) => authorization !== undefined && tokens.has(authorization.replace(/^Bearer /, "")),
    syncRequest(id, body) {
      const type = body.sync_type;
      if (body.messaging_product !== "whatsapp" || typeof type !== "string" || !SYNC_TYPES.has(type)) {
        return { status: 400, json: metaError(100, "Invalid parameter: messaging_product whatsapp and sync_type smb_app_state_sync or history are required") };
      }
      const done = synced.get(id) ?? [];
      if (done.includes(type)) return { status: 400, json: metaError(2593107, "Synchronization request was already made for this phone number") };
      if (closed.has(id)) return { status: 400, json: metaError(2593108, "Synchronization request was made outside of the allowed time window") };
      synced.set(id, [...done, type]);
      return { status: 200, json: { messaging_product: "whatsapp", request_id: `req_${randomBytes(8).toString("hex")}` } };
    },
    subscribe(id) {
      subscribed.add(id);
      return { status: 200, json: { success: true } };
    },
    synced: (phoneNumberId) => [...(synced.get(phoneNumberId) ?? [])],
    subscribed,
    closeSyncWindow: (phoneNumberId) => void closed.add(phoneNumberId),
  };
}
