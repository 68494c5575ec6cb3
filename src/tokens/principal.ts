/**
 * Who is asking, as every resolver sees it: the token's name, the WABAs whose data it may read and
 * its powers. Built once per request (HTTP) or per connection (graphql-ws) from the bearer token.
 */
import { POWERS, type Power } from "../domain/tokenPowers.ts";

export interface Principal {
  name: string;
  wabaIds: "ALL" | readonly string[];
  powers: readonly Power[];
}

/** An API_TOKENS entry: every WABA, every power (as before tokens had scopes). */
export function fullAccess(name: string): Principal {
  return { name, wabaIds: "ALL", powers: POWERS };
}

/** What an operation runs as when no token was accepted: nothing is visible to it. */
export const NOBODY: Principal = { name: "", wabaIds: [], powers: [] };

export function canSeeWaba(principal: Principal, wabaId: string): boolean {
  return principal.wabaIds === "ALL" || principal.wabaIds.includes(wabaId);
}

export function hasPower(principal: Principal, power: Power): boolean {
  // Admin tokens stored before "send" existed hold ["read", "admin"]: admin includes send.
  return principal.powers.includes(power) || (power === "send" && principal.powers.includes("admin"));
}

/** Everything about a principal that can change what an operation returns (see the shared subscriptions in app.ts). */
export function principalKey(principal: Principal): string {
  const wabas = principal.wabaIds === "ALL" ? "ALL" : [...principal.wabaIds].sort();
  return JSON.stringify([principal.name, wabas, [...principal.powers].sort()]);
}
