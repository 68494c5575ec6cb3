import { SCOPES, type Scope } from "../domain/tokenPowers.ts";
import type { Db } from "../storage/client.ts";
import { apiTokenPowersColumn, apiTokenWabaIdsColumn } from "../storage/columns.ts";
import type { Principal } from "./principal.ts";
import { hashSecret, newSecret } from "./secret.ts";

export interface NewToken {
  name: string;
  /** "ALL" or at least one WABA id. */
  wabaIds: "ALL" | readonly string[];
  scope: Scope;
}

export interface TokenSummary {
  name: string;
  wabaIds: "ALL" | string[];
  powers: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class TokenNameTaken extends Error {}

/** Stores the token's hash and returns the secret, which exists nowhere else from now on. */
export async function createToken(db: Db, token: NewToken): Promise<string> {
  if (token.wabaIds !== "ALL" && token.wabaIds.length === 0) throw new Error("a token needs at least one WABA, or all of them");
  if (await db.apiToken.findUnique({ where: { name: token.name }, select: { id: true } })) {
    throw new TokenNameTaken(`a token named ${token.name} exists already (names stay taken after a revoke)`);
  }
  const secret = newSecret();
  await db.apiToken.create({
    data: {
      name: token.name,
      secretHash: hashSecret(secret),
      allWabas: token.wabaIds === "ALL",
      wabaIds: apiTokenWabaIdsColumn.write(token.wabaIds === "ALL" ? [] : [...new Set(token.wabaIds)]),
      powers: apiTokenPowersColumn.write([...SCOPES[token.scope]]),
    },
  });
  return secret;
}

export async function listTokens(db: Db): Promise<TokenSummary[]> {
  const rows = await db.apiToken.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({
    name: r.name,
    wabaIds: r.allWabas ? "ALL" : apiTokenWabaIdsColumn.read(r.wabaIds),
    powers: apiTokenPowersColumn.read(r.powers),
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  }));
}

/** "REVOKED", "ALREADY_REVOKED" (the first time is kept) or "MISSING". */
export async function revokeToken(db: Db, name: string): Promise<"REVOKED" | "ALREADY_REVOKED" | "MISSING"> {
  const { count } = await db.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count) return "REVOKED";
  return (await db.apiToken.findUnique({ where: { name }, select: { id: true } })) ? "ALREADY_REVOKED" : "MISSING";
}

/** The principal of a live (not revoked) stored token with this secret hash, or null. */
export async function principalOfHash(db: Db, secretHash: string): Promise<Principal | null> {
  const row = await db.apiToken.findUnique({ where: { secretHash } });
  if (!row || row.revokedAt) return null;
  return {
    name: row.name,
    wabaIds: row.allWabas ? "ALL" : apiTokenWabaIdsColumn.read(row.wabaIds),
    powers: apiTokenPowersColumn.read(row.powers),
  };
}

/** Written at most once per cache period per token (see auth.ts), and never allowed to fail a request. */
export async function touchToken(db: Db, secretHash: string): Promise<void> {
  await db.apiToken.updateMany({ where: { secretHash }, data: { lastUsedAt: new Date() } });
}
