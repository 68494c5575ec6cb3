import { randomUUID } from "node:crypto";
import { currentIdentity, survivorOrder } from "../domain/contactIdentity.ts";
import { identityKeys } from "../domain/identityKey.ts";
import type { ContactInput, IdentityChangeInput, MessageInput, UserRef } from "../domain/mirrorEvents.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";
import { BATCH, chunk } from "./groups.ts";
import { changeFacts, NO_FACT, refreshCurrentIdentity } from "./contactIdentity.ts";
import { mergeInto } from "./contactMerge.ts";
import type { Participant, StoredContact } from "./participant.ts";
import { UnionFind } from "./unionFind.ts";
import type { IngestMemory, KnownParticipant } from "./memory.ts";
import { fromMemory } from "./rememberedParticipants.ts";

type Timestamps = "removedAt" | "syncedAt" | "namesSyncedAt" | "createdAt";

/** Every user the events name, found or created, each with their one contact and thread. */
export interface Participants {
  /** The participant a user of a business number resolved to (undefined when the user names no identifier). */
  of(phoneNumberId: string, user: UserRef): Participant | undefined;
  all(): Participant[];
  /**
   * Threads whose user now reads differently (another current number or BSUID), and messages
   * moved into another thread by a merge: each shows a changed thread, so is published.
   */
  reidentified(): { threadIds: string[]; messageIds: string[] };
  /** Threads whose participant came from memory, each with the fingerprint it must still have (checked before the commit). */
  guessed(): Map<string, string>;
  /** Every participant with the identifiers it was named by, to remember after the commit. */
  known(): KnownParticipant[];
}

type Named = MessageInput | ContactInput | IdentityChangeInput;

/**
 * Resolves every user the events name to one contact and thread (src/domain/contactIdentity.ts
 * states the rules). The common case — identifiers already known, all of one contact — costs
 * one read and no write, or nothing when the participant is remembered (memory.ts); new identifiers are added, contacts the events tie together are
 * merged into the older one (its thread gets the other's messages), and identity changes are
 * recorded before the contact's current identifiers are worked out.
 */
export async function resolveParticipants(sql: Sql, events: readonly Named[], memory?: IngestMemory): Promise<Participants> {
  const byKey = new Map<string, Participant>();
  const pk = (phoneNumberId: string, identity: string) => `${phoneNumberId}\u0000${identity}`;
  const byPhone = new Map<string, Named[]>();
  for (const e of events) {
    const list = byPhone.get(e.business.phoneNumberId);
    if (list) list.push(e);
    else byPhone.set(e.business.phoneNumberId, [e]);
  }
  const reidentified = { threadIds: new Set<string>(), messageIds: new Set<string>() };
  const guessed = new Map<string, string>();
  const known = new Map<Participant, KnownParticipant & { identities: string[] }>();
  for (const [phoneNumberId, list] of byPhone) {
    // A known user's participant is remembered; the guess is checked by the message insert (messageInsert.ts).
    const remembered = memory && fromMemory(memory, phoneNumberId, list);
    for (const [threadId, fingerprint] of remembered?.guesses ?? []) guessed.set(threadId, fingerprint);
    for (const [identity, participant] of remembered?.participants ?? (await resolveForNumber(sql, phoneNumberId, list, reidentified))) {
      byKey.set(pk(phoneNumberId, identity), participant);
      const entry = known.get(participant) ?? { phoneNumberId, identities: [], participant };
      entry.identities.push(identity);
      known.set(participant, entry);
    }
  }
  return {
    of: (phoneNumberId, user) => {
      const first = identityKeys(user)[0];
      return first === undefined ? undefined : byKey.get(pk(phoneNumberId, first));
    },
    all: () => [...new Set(byKey.values())],
    reidentified: () => ({ threadIds: [...reidentified.threadIds], messageIds: [...reidentified.messageIds] }),
    guessed: () => guessed,
    known: () => [...known.values()],
  };
}

/** Identifier groups of one event: a message or contact names one user; an identity change, old and new of one user. */
function keysOf(e: Named): string[] {
  return e.kind === "identityChange" ? [...new Set([...identityKeys(e.from), ...identityKeys(e.to)])] : identityKeys(e.user);
}

async function resolveForNumber(
  sql: Sql,
  phoneNumberId: string,
  events: readonly Named[],
  reidentified: { threadIds: Set<string>; messageIds: Set<string> },
): Promise<Map<string, Participant>> {
  const groups = events.map(keysOf).filter((g) => g.length > 0);
  const keys = [...new Set(groups.flat())];
  // Each identifier's contact with its thread, in one read: known identifiers are the common case.
  const { known, stored } = await loadParticipants(sql, phoneNumberId, keys);

  // One component per person: identifiers named together, and identifiers of one stored contact.
  const sets = new UnionFind();
  for (const g of groups) for (const k of g) sets.union(`k:${g[0]}`, `k:${k}`);
  for (const [identity, contactId] of known) sets.union(`k:${identity}`, `c:${contactId}`);

  const now = new Date();
  const changes = events.filter((e): e is IdentityChangeInput => e.kind === "identityChange");
  const facts = changeFacts(changes);

  const components = new Map<string, string[]>();
  for (const k of keys) {
    const root = sets.find(`k:${k}`);
    const list = components.get(root);
    if (list) list.push(k);
    else components.set(root, [k]);
  }

  const result = new Map<string, Participant>();
  const newContacts: Participant[] = [];
  const newIdentities: { phoneNumberId: string; identity: string; contactId: string; currentSince: Date | null; retiredAt: Date | null; createdAt: Date }[] =
    [];
  const touched = new Set<string>();
  for (const componentKeys of components.values()) {
    const contactIds = [...new Set(componentKeys.flatMap((k) => (known.has(k) ? [known.get(k)!] : [])))];
    const found = contactIds.map((id) => stored.get(id)!).sort((a, b) => survivorOrder(a.contact, b.contact));
    let participant: Participant;
    if (found.length === 0) {
      const current = currentIdentity(componentKeys.map((identity) => ({ identity, ...(facts.get(identity) ?? NO_FACT) })));
      participant = {
        contact: {
          id: randomUUID(),
          ...current,
          username: null,
          parentUserId: null,
          profileName: null,
          fullName: null,
          firstName: null,
          removedAt: null,
          syncedAt: null,
          namesSyncedAt: null,
          createdAt: now,
        },
        thread: { id: randomUUID(), lastMessageAt: null, lastMessageId: null, lastWamid: null },
      };
      newContacts.push(participant);
    } else {
      participant = found[0]!;
      for (const other of found.slice(1)) for (const id of await mergeInto(sql, participant, other)) reidentified.messageIds.add(id);
      if (found.length > 1) touched.add(participant.contact.id);
    }
    for (const k of componentKeys) {
      result.set(k, participant);
      if (known.has(k)) continue;
      const fact = facts.get(k) ?? NO_FACT;
      newIdentities.push({ phoneNumberId, identity: k, contactId: participant.contact.id, ...fact, createdAt: now });
      if (found.length) touched.add(participant.contact.id);
    }
  }

  if (newContacts.length) {
    await bulkInsert(
      sql,
      "Contact",
      { id: "text", phoneNumberId: "text", waId: "text", userId: "text", createdAt: "timestamp", updatedAt: "timestamp" },
      newContacts.map(({ contact: c }) => ({ id: c.id, phoneNumberId, waId: c.waId, userId: c.userId, createdAt: now, updatedAt: now })),
    );
    await bulkInsert(
      sql,
      "Thread",
      { id: "text", phoneNumberId: "text", contactId: "text", createdAt: "timestamp" },
      newContacts.map((p) => ({ id: p.thread.id, phoneNumberId, contactId: p.contact.id, createdAt: now })),
    );
  }
  await bulkInsert(
    sql,
    "ContactIdentity",
    { phoneNumberId: "text", identity: "text", contactId: "text", currentSince: "timestamp", retiredAt: "timestamp", createdAt: "timestamp" },
    newIdentities,
  );

  // Identity changes on identifiers already stored: each time only ever moves later, so repeats and any order agree.
  const ts = sql.placeholder.timestamp;
  for (const [identity, fact] of facts) {
    if (!known.has(identity)) continue;
    const contactId = result.get(identity)!.contact.id;
    for (const column of ["currentSince", "retiredAt"] as const) {
      const at = fact[column];
      if (at === null) continue;
      await sql.run(
        `UPDATE "ContactIdentity" SET "${column}" = ${ts} WHERE "phoneNumberId" = ? AND "identity" = ? AND ("${column}" IS NULL OR "${column}" < ${ts})`,
        [at, phoneNumberId, identity, at],
      );
      touched.add(contactId);
    }
  }
  const refreshed = await refreshCurrentIdentity(
    sql,
    [...touched].map((id) => [...result.values()].find((p) => p.contact.id === id)!),
  );
  for (const p of refreshed) reidentified.threadIds.add(p.thread.id);
  return result;
}

async function loadParticipants(
  sql: Sql,
  phoneNumberId: string,
  keys: readonly string[],
): Promise<{ known: Map<string, string>; stored: Map<string, Participant> }> {
  const known = new Map<string, string>();
  const stored = new Map<string, Participant>();
  for (const part of chunk(keys, BATCH)) {
    // Plain SQL gives timestamps as stored (text on SQLite): read back through toDate.
    const rows = await sql.all<
      Omit<StoredContact, Timestamps> &
        Record<Timestamps, unknown> & { identity: string; threadId: string; lastMessageAt: unknown; lastMessageId: string | null; lastWamid: string | null }
    >(
      `SELECT ci."identity", c."id", c."waId", c."userId", c."username", c."parentUserId", c."profileName", c."fullName", c."firstName", c."removedAt", c."syncedAt", c."namesSyncedAt", c."createdAt",
              t."id" AS "threadId", t."lastMessageAt", t."lastMessageId", m."wamid" AS "lastWamid"
       FROM "ContactIdentity" ci JOIN "Contact" c ON c."id" = ci."contactId" JOIN "Thread" t ON t."contactId" = c."id" LEFT JOIN "Message" m ON m."id" = t."lastMessageId"
       WHERE ci."phoneNumberId" = ? AND ci."identity" IN (${placeholders(part.length)})`,
      [phoneNumberId, ...part],
    );
    for (const { identity, threadId, lastMessageAt, lastMessageId, lastWamid, ...c } of rows) {
      known.set(identity, c.id);
      if (stored.has(c.id)) continue;
      stored.set(c.id, {
        contact: {
          ...c,
          removedAt: toDate(c.removedAt),
          syncedAt: toDate(c.syncedAt),
          namesSyncedAt: toDate(c.namesSyncedAt),
          createdAt: toDate(c.createdAt)!,
        },
        thread: { id: threadId, lastMessageAt: toDate(lastMessageAt), lastMessageId, lastWamid },
      });
    }
  }
  return { known, stored };
}
