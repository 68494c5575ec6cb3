import type { MessageInput } from "../domain/mirrorEvents.ts";
import type { Tx } from "../storage/client.ts";

/**
 * A message first stored without its referral (its history copy came before the live webhook
 * that carries the ad click) gets the referral when a copy with one arrives, so the result does
 * not depend on which copy came first. New rows are written with theirs; this costs one lookup
 * per message with a referral, which only the first message after an ad click has.
 */
export async function fillReferrals(
  tx: Tx,
  messages: readonly MessageInput[],
): Promise<{ id: string; threadId: string; phoneNumberId: string; source: string; status: string | null }[]> {
  const filled: { id: string; threadId: string; phoneNumberId: string; source: string; status: string | null }[] = [];
  for (const m of messages) {
    if (m.referral === null) continue;
    const phoneNumberId = m.business.phoneNumberId;
    const stored = await tx.message.findUnique({
      where: { phoneNumberId_wamid: { phoneNumberId, wamid: m.wamid } },
      select: { id: true, threadId: true, source: true, status: true, referral: true },
    });
    if (!stored || stored.referral !== null) continue;
    await tx.message.update({ where: { id: stored.id }, data: { referral: m.referral } });
    filled.push({ id: stored.id, threadId: stored.threadId, phoneNumberId, source: stored.source, status: stored.status });
  }
  return filled;
}
