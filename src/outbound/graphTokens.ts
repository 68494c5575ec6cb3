import type { Storage } from "../storage/db.ts";
import { openToken, sealToken } from "./tokenSeal.ts";

/**
 * Which access token a Graph API call uses, decided here only: the business token stored for the
 * call's WABA (exchanged by onboardBusiness), else the hub's GRAPH_API_TOKEN. The graph client asks
 * with the call's path, whose first segment names a phone number or a WABA.
 */
export interface GraphTokens {
  /** The token for a call to `path` ("{phone-number-id}/messages", "{waba-id}/subscribed_apps"); undefined: none. */
  tokenFor(path: string): Promise<string | undefined>;
  /** Whether a business token can be stored (BUSINESS_TOKEN_KEY is set). */
  readonly canStore: boolean;
  /** Stores (or replaces) the WABA's business token, encrypted. */
  store(wabaId: string, token: string): Promise<void>;
  /** Whether a business token is stored for the WABA. */
  has(wabaId: string): Promise<boolean>;
}

// A send looks its token up; cached so a burst does not read and decrypt it each time. Another
// instance's new token is seen within this long (this instance's at once).
const CACHE_MS = 30_000;

export function createGraphTokens(storage: Storage, options: { defaultToken: string | undefined; key: Buffer | undefined }): GraphTokens {
  const cache = new Map<string, { token: string | undefined; until: number }>();
  const db = storage.prisma;

  async function wabaOf(id: string): Promise<string> {
    const number = await db.phoneNumber.findUnique({ where: { phoneNumberId: id }, select: { wabaId: true } });
    return number?.wabaId ?? id;
  }

  async function lookUp(id: string): Promise<string | undefined> {
    const wabaId = await wabaOf(id);
    const row = await db.businessToken.findUnique({ where: { wabaId }, select: { sealed: true } });
    if (!row) return options.defaultToken;
    if (!options.key) throw new Error(`a business token is stored for WABA ${wabaId} but BUSINESS_TOKEN_KEY is not set`);
    return openToken(options.key, row.sealed, wabaId);
  }

  return {
    async tokenFor(path) {
      const id = path.replace(/^\/+/, "").split(/[/?]/)[0] ?? "";
      const hit = cache.get(id);
      if (hit && hit.until > Date.now()) return hit.token;
      const token = await lookUp(id);
      cache.set(id, { token, until: Date.now() + CACHE_MS });
      return token;
    },
    canStore: options.key !== undefined,
    async store(wabaId, token) {
      if (!options.key) throw new Error("BUSINESS_TOKEN_KEY is not set: a business token is never stored in clear");
      const sealed = sealToken(options.key, token, wabaId);
      await db.businessToken.upsert({ where: { wabaId }, create: { wabaId, sealed }, update: { sealed } });
      cache.clear();
    },
    async has(wabaId) {
      return (await db.businessToken.findUnique({ where: { wabaId }, select: { wabaId: true } })) !== null;
    },
  };
}
