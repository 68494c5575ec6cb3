import type { Participant } from "./participant.ts";

/**
 * What the ingest remembers of participants it has seen committed (issue #22): the contact and
 * thread behind each (phone number, identifier), so a message from a known user does not re-read
 * them. A remembered participant is only ever a guess: the transaction that uses one checks it
 * against the database in a statement it runs anyway (the message insert returns its thread's
 * `fingerprint`), and a guess that no longer holds — another instance or process merged the
 * contact, renamed it, moved its last message — throws StaleMemory inside the transaction, which
 * rolls it back and runs it again with the memory forgotten. So a stale entry costs a retry,
 * never a skipped write. Entries are learned only after their transaction commits, and all are
 * forgotten when a transaction that used the memory fails. Bounded: the oldest are dropped.
 */
export class IngestMemory {
  readonly #participants = new Map<string, Remembered>();

  constructor(private readonly maxEntries = MEMORY_ENTRIES) {}

  /** A copy of the participant remembered for this identifier, with the fingerprint it had then. */
  participant(phoneNumberId: string, identity: string): Remembered | undefined {
    const r = this.#participants.get(key(phoneNumberId, identity));
    return r && { fingerprint: r.fingerprint, participant: { contact: { ...r.participant.contact }, thread: { ...r.participant.thread } } };
  }

  /** After a commit: the participants its transaction left, as it left them. */
  learn(known: readonly KnownParticipant[]): void {
    for (const { phoneNumberId, identities, participant } of known) {
      const remembered = { fingerprint: fingerprintOf(participant), participant: { contact: { ...participant.contact }, thread: { ...participant.thread } } };
      for (const identity of identities) {
        const k = key(phoneNumberId, identity);
        this.#participants.delete(k);
        this.#participants.set(k, remembered);
      }
    }
    for (const k of this.#participants.keys()) {
      if (this.#participants.size <= this.maxEntries) break;
      this.#participants.delete(k);
    }
  }

  forget(): void {
    this.#participants.clear();
  }

  /** Runs a transaction that may use the memory: if it fails for any reason, nothing remembered is trusted again. */
  async guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.forget();
      throw error;
    }
  }
}

/** Identifiers remembered at most (each a few hundred bytes): the active users of the numbers served. */
export const MEMORY_ENTRIES = 50_000;

export interface Remembered {
  fingerprint: string;
  participant: Participant;
}

/** A participant a committed transaction resolved, under every identifier it was named by. */
export interface KnownParticipant {
  phoneNumberId: string;
  identities: readonly string[];
  participant: Participant;
}

/** A remembered participant turned out not to be as stored: the transaction is rolled back and run again. */
export class StaleMemory extends Error {
  constructor() {
    super("a remembered participant changed in the database meanwhile");
  }
}

/**
 * What a remembered participant is checked by: every stored value the ingest decides on without
 * reading it (the contact and thread ids, the thread's last message, the names a `profile` event
 * compares). THREAD_FINGERPRINT computes the same text in SQL from the thread's id.
 */
export function fingerprintOf({ contact: c, thread: t }: Participant): string {
  const v = (x: string | null) => (x === null ? "~" : `=${x}`);
  return [c.id, t.id, v(t.lastMessageId), v(c.profileName), v(c.username), v(c.parentUserId), v(c.waId), v(c.userId)].join("|");
}

/** fingerprintOf, in SQL, of the thread whose id is `threadId` (an SQL expression); NULL when that thread is gone. */
export function threadFingerprint(threadId: string): string {
  const v = (x: string) => `COALESCE('=' || ${x}, '~')`;
  return `(SELECT c."id" || '|' || t."id" || '|' || ${[v(`t."lastMessageId"`), v(`c."profileName"`), v(`c."username"`), v(`c."parentUserId"`), v(`c."waId"`), v(`c."userId"`)].join(` || '|' || `)}
    FROM "Thread" t JOIN "Contact" c ON c."id" = t."contactId" WHERE t."id" = ${threadId})`;
}

function key(phoneNumberId: string, identity: string): string {
  return `${phoneNumberId}\u0000${identity}`;
}
