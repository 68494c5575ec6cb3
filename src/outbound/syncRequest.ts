import { errorOfTheHub, type SendError } from "../domain/sendError.ts";
import { SYNC_TYPE, type SyncKind } from "../domain/syncDeadline.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { syncKindColumn, syncRequestErrorColumn } from "../storage/columns.ts";
import type { GraphAnswer, GraphClient } from "./graphClient.ts";

export interface SyncTarget {
  phoneNumberId: string;
  wabaId: string;
}

/** What Meta answered: accepted (with its request_id), or refused / unanswered with the error recorded. */
export type SyncOutcome = { accepted: true; requestId: string | null } | { accepted: false; error: SendError };

/**
 * Asks Meta for one of the number's syncs and records the attempt (SyncRequest), then tells the
 * number's historySyncProgress subscribers. Meta decides, not the hub: its deadline may be only
 * an estimate, so a request is always made and Meta's refusal (2593107, 2593108) is recorded.
 */
export async function requestSync(storage: Storage, graph: GraphClient, pubsub: HubPubSub, target: SyncTarget, kind: SyncKind): Promise<SyncOutcome> {
  const answer = await graph.post(`${target.phoneNumberId}/smb_app_data`, { messaging_product: "whatsapp", sync_type: SYNC_TYPE[kind] });
  const outcome = outcomeOf(answer);
  const at = new Date();
  const key = { phoneNumberId: target.phoneNumberId, kind: syncKindColumn.write(kind) };
  const data = outcome.accepted
    ? { requestedAt: at, requestId: outcome.requestId, error: syncRequestErrorColumn.write(null) }
    : { error: syncRequestErrorColumn.write(outcome.error) };
  await storage.prisma.syncRequest.upsert({
    where: { phoneNumberId_kind: key },
    create: { ...key, ...data, attempts: 1, attemptedAt: at },
    update: { ...data, attempts: { increment: 1 }, attemptedAt: at },
  });
  pubsub.publish("historySync", { phoneNumberId: target.phoneNumberId, wabaId: target.wabaId });
  return outcome;
}

function outcomeOf(answer: GraphAnswer): SyncOutcome {
  switch (answer.kind) {
    case "OK":
      return { accepted: true, requestId: typeof answer.json.request_id === "string" ? answer.json.request_id : null };
    case "META_ERROR":
      return { accepted: false, error: answer.error };
    case "NOT_SENT":
      return { accepted: false, error: errorOfTheHub(`the request did not reach Meta (${answer.detail}); ask again`) };
    case "NO_ANSWER":
      // Meta may have taken it: asking again is safe, Meta then answers 2593107 (already requested).
      return { accepted: false, error: errorOfTheHub(`Meta did not answer (${answer.detail}); it may have taken the request: ask again to know`) };
  }
}
