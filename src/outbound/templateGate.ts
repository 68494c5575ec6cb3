import { userSubject } from "../domain/accountSignals.ts";
import { identityKeys } from "../domain/identityKey.ts";
import { currentMarketingPreference, optedOutOfMarketing } from "../domain/marketingPreference.ts";
import { SendRefused } from "../domain/sendErrors.ts";
import { templateCategoryOf, templateSendable } from "../domain/templates.ts";
import type { Tx } from "../storage/client.ts";
import { signalDetailsColumn } from "../storage/columns.ts";
import type { SendingNumber } from "./facts.ts";

/**
 * What Meta's template webhooks say against sending a template now, checked when sendMessage
 * accepts it: a template whose latest status cannot be sent (PAUSED, DISABLED, REJECTED, …;
 * templateSendable) is refused with its status and Meta's reason, and a MARKETING template to a user
 * whose latest marketing preference is a stop is refused, rather than posted for Meta to answer
 * 131050. A template or a preference the hub has no event about is left to Meta.
 */
export async function refuseUnsendableTemplate(
  db: Tx,
  number: SendingNumber,
  template: { name: string; language: string },
  user: { waId: string | null; userId: string | null },
): Promise<void> {
  const stored = await db.messageTemplate.findFirst({
    where: { wabaId: number.wabaId, name: template.name, language: template.language },
    orderBy: { changedAt: "desc" },
  });
  if (stored && !templateSendable(stored.status)) {
    throw new SendRefused("TEMPLATE_NOT_SENDABLE", `template ${template.name} (${template.language}) is ${stored.status} and cannot be sent`, {
      status: stored.status,
      reason: stored.reason,
      detail: stored.detail,
    });
  }
  if (templateCategoryOf(stored?.category) !== "MARKETING") return;
  const preferences = await db.accountSignal.findMany({
    where: { wabaId: number.wabaId, field: "user_preferences", subject: { in: identityKeys(user).map((k) => userSubject(number.phoneNumberId, k)) } },
  });
  const latest = currentMarketingPreference(
    preferences.flatMap((p) => {
      const details = signalDetailsColumn.read(p.details);
      return details.field === "user_preferences" ? [{ id: p.id, occurredAt: p.occurredAt, details }] : [];
    }),
  );
  if (optedOutOfMarketing(latest)) {
    throw new SendRefused("MARKETING_OPTED_OUT", "the user stopped marketing messages: Meta would refuse this marketing template (131050)", {
      stoppedAt: latest?.occurredAt.toISOString() ?? null,
    });
  }
}
