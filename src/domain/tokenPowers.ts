/**
 * What an API token may do beyond reading its WABAs' data, as stored in ApiToken.powers and as
 * every resolver checks it. "read": the data of the token's WABAs. "send": also sending for them
 * through the Cloud API (sendMessage). "admin": also the hub's own records (webhookDeliveries),
 * which can span WABAs.
 */
export const POWERS = ["read", "send", "admin"] as const;
export type Power = (typeof POWERS)[number];

/** What `hub tokens create --scope` grants: read < send < admin. */
export const SCOPES = { read: ["read"], send: ["read", "send"], admin: ["read", "send", "admin"] } as const satisfies Record<string, readonly Power[]>;
export type Scope = keyof typeof SCOPES;
