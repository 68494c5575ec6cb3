import { z } from "zod";
import { invalidConfiguration, positiveInt, type EnvOf } from "./values.ts";

/** BUSINESS_TOKEN_KEY: 32 bytes in base64 or hex (business tokens and alert secrets are sealed under it). */
const businessTokenKey = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
    if (key.length !== 32) ctx.addIssue({ code: "custom", message: `expected 32 bytes in base64 (44 characters) or hex (64), got ${key.length} bytes` });
    return key;
  });

/** BUSINESS_TOKEN_KEY alone, for a command that seals without the server's whole configuration (`hub alerts add`). */
export function readBusinessTokenKey(source: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const parsed = businessTokenKey.safeParse(source.BUSINESS_TOKEN_KEY);
  if (!parsed.success) throw invalidConfiguration(`BUSINESS_TOKEN_KEY: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data;
}

/** Acting on Meta's Graph API: where it is, the credentials, the outbound queue's pace and retries (docs/sending.md). */
export const sendingEnv = {
  // Meta's current versioned Graph API (any path prefix is kept, so a proxy or the fake can sit there).
  GRAPH_API_URL: z.url().default("https://graph.facebook.com/v27.0"),
  GRAPH_API_TOKEN: z.string().optional(),
  GRAPH_API_TIMEOUT_MS: positiveInt(10_000),
  // The most of an answer read (Meta's largest are template pages: ~100 KB per 100 templates); a
  // larger one is dropped unread, as an answer that never came.
  GRAPH_API_MAX_ANSWER_BYTES: positiveInt(4 * 1024 * 1024),
  // onboardBusiness (docs/connect-meta.md): the app's id, to exchange an Embedded Signup code for the
  // business's token (with the first WHATSAPP_APP_SECRET), and the 32-byte key that token is kept
  // encrypted under (base64 or hex; `openssl rand -base64 32`). Without the key no token is stored.
  WHATSAPP_APP_ID: z.string().optional(),
  BUSINESS_TOKEN_KEY: businessTokenKey,
  SEND_HOLD_MAX_MINUTES: z.coerce.number().nonnegative().default(60),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(80),
  SEND_COEXISTENCE_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SEND_PAIR_INTERVAL_MS: z.coerce.number().int().nonnegative().default(6_000),
  SEND_PAIR_BURST: positiveInt(45),
  SEND_MAX_ATTEMPTS: positiveInt(5),
  SEND_RETRY_BASE_MS: positiveInt(1_000),
  SEND_POLL_INTERVAL_MS: positiveInt(200),
  SEND_IN_FLIGHT_PER_NUMBER: z.coerce.number().int().positive().max(100).default(16),
  // Waba.templates lists the WABA's templates from Meta (GET /{waba-id}/message_templates) when its
  // cached list is older than this (in the background once a list exists); at most this many pages of 100.
  TEMPLATE_CACHE_MINUTES: z.coerce.number().int().positive().max(10_080).default(60),
  TEMPLATE_LIST_MAX_PAGES: z.coerce.number().int().positive().max(1000).default(20),
};

export function sendingConfig(e: EnvOf<typeof sendingEnv>) {
  return {
    /** Meta's Graph API (src/outbound/graphClient.ts). */
    graph: {
      /** Base URL with its version, e.g. https://graph.facebook.com/v27.0; requests go to `${apiUrl}/{phone-number-id}/messages`. */
      apiUrl: e.GRAPH_API_URL,
      /** The system user's access token; undefined: sendMessage refuses with NOT_CONFIGURED. */
      token: e.GRAPH_API_TOKEN || undefined,
      timeoutMs: e.GRAPH_API_TIMEOUT_MS,
      /** The largest answer read; beyond it the exchange ends as NO_ANSWER. */
      maxAnswerBytes: e.GRAPH_API_MAX_ANSWER_BYTES,
    },
    /** onboardBusiness (src/outbound/onboardBusiness.ts, docs/connect-meta.md). */
    onboarding: {
      /** The Meta app's id (WHATSAPP_APP_ID): the code exchange's client_id; its secret is the first of appSecrets. */
      appId: e.WHATSAPP_APP_ID || undefined,
      /** AES-256 key for business tokens at rest (BUSINESS_TOKEN_KEY); undefined: a code is refused, no token is stored. */
      tokenKey: e.BUSINESS_TOKEN_KEY,
    },
    /** The outbound queue (src/outbound/outbound.ts, docs/sending.md). */
    send: {
      holdMaxMinutes: e.SEND_HOLD_MAX_MINUTES,
      ratePerSecond: e.SEND_RATE_PER_SECOND,
      coexistenceRatePerSecond: e.SEND_COEXISTENCE_RATE_PER_SECOND,
      pairIntervalMs: e.SEND_PAIR_INTERVAL_MS,
      pairBurst: e.SEND_PAIR_BURST,
      /** Posts of one send, retries of transient errors included. */
      maxAttempts: e.SEND_MAX_ATTEMPTS,
      /** First retry's delay; each next one doubles it (at most 5 minutes). */
      retryBaseMs: e.SEND_RETRY_BASE_MS,
      pollIntervalMs: e.SEND_POLL_INTERVAL_MS,
      /** Posts of one number awaiting Meta's answer at once (within its pace; one at a time per user). */
      inFlightPerNumber: e.SEND_IN_FLIGHT_PER_NUMBER,
    },
    /** The WABAs' templates listed from Meta (src/outbound/templateCache.ts, docs/sending.md). */
    templates: {
      /** A cached list older than this is listed again when Waba.templates is read. */
      cacheMinutes: e.TEMPLATE_CACHE_MINUTES,
      /** Most pages (of 100) one listing follows. */
      maxPages: e.TEMPLATE_LIST_MAX_PAGES,
    },
  };
}
