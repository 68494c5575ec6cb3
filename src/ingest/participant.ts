import type { Contact } from "../storage/generated/prisma/client.ts";

// One user of a business number as the ingest holds it: their contact and thread (participants.ts finds or creates them).

/** The contact fields the mirror's rules read (src/domain/threadMirror.ts contactUpdate), as stored. */
export type StoredContact = Pick<
  Contact,
  "id" | "waId" | "userId" | "username" | "parentUserId" | "profileName" | "fullName" | "firstName" | "removedAt" | "syncedAt" | "namesSyncedAt" | "createdAt"
>;

export interface ThreadRef {
  id: string;
  lastMessageAt: Date | null;
  /** The current last message: with lastMessageAt, what a later message is compared against. */
  lastMessageId: string | null;
  /** wamid of the current last message: of two messages in the same second, the greater wamid is last. */
  lastWamid: string | null;
}

export interface Participant {
  contact: StoredContact;
  thread: ThreadRef;
}
