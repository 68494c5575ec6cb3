import { z } from "zod";
import { ACCOUNT_EVENT_FAMILY_VALUES, CONNECTION_STATES, DISCONNECTION_KINDS, accountEventDetailsRecord } from "../domain/accountEvents.ts";
import { signalDetailsRecord } from "../domain/accountSignals.ts";
import { DELIVERY_STATUSES, failedItemRecord } from "../domain/deliveryStatus.ts";
import { MESSAGE_STATUSES } from "../domain/messageStatus.ts";
import {
  HISTORY_SYNC_STATUSES,
  MESSAGE_DIRECTIONS,
  MESSAGE_SOURCES,
  REACTORS,
  metaErrorRecord,
  referralRecord,
  type EditInput,
  type MessageInput,
  type ReactionInput,
  type RevokeInput,
  type StatusInput,
} from "../domain/mirrorEvents.ts";
import { storedMessageSchema } from "../domain/messageContent.ts";
import { componentRecord } from "../domain/templateListing.ts";
import { storedReactionRecord } from "../domain/reactions.ts";
import { POWERS } from "../domain/tokenPowers.ts";
import { ALERT_EVENT_TYPES, ALERT_FORMATS } from "../domain/alertEvents.ts";
import { alertDataRecord } from "../domain/alertData.ts";
import { ALERT_ATTEMPT_STATES, alertTryRecord } from "../domain/alertRetry.ts";
import { RECOMMENDED_ACTIONS } from "../domain/recommendedAction.ts";
import { sendErrorRecord } from "../domain/sendError.ts";
import { SEND_STATES, requestRecord } from "../domain/sendRequest.ts";
import { SYNC_KINDS } from "../domain/syncDeadline.ts";
import { storedStepsRecord } from "../domain/onboardingSteps.ts";
import { billingRecord, conversationRecord, pricingRecord } from "../domain/statusBilling.ts";
import { chunkRecord, earlierVersionRecord } from "../domain/threadMirror.ts";
import { authIntlRecord, pricingTierRecord, restrictionRecord, violationRecord } from "../domain/wabaProjection.ts";
import { enumColumn, jsonColumn, nullableEnumColumn, nullableJsonColumn } from "./column.ts";

/**
 * Every stored enum and JSON column, each with its one codec (src/storage/column.ts: read back
 * checked, StoredValueError on what cannot be read). Code that reads or writes one of these
 * columns goes through its entry here, so a column cannot be read two ways.
 */

export const deliveryStatusColumn = enumColumn("WebhookDelivery.status", DELIVERY_STATUSES);
export const failedItemsColumn = nullableJsonColumn("WebhookDelivery.failedItems", z.array(failedItemRecord), []);

export const connectionStateColumn = enumColumn("Waba.connectionState", CONNECTION_STATES);
export const restrictionsColumn = nullableJsonColumn("Waba.restrictions", z.array(restrictionRecord), []);
export const violationsColumn = nullableJsonColumn("Waba.violations", z.array(violationRecord), []);
export const pricingTiersColumn = nullableJsonColumn("Waba.pricingTiers", z.array(pricingTierRecord), []);
export const authIntlColumn = nullableJsonColumn("Waba.authIntlPriceEligibility", authIntlRecord.nullable(), null);
export const adAccountsColumn = nullableJsonColumn("Waba.adAccounts", z.array(z.string()), []);
export const certificationRejectionReasonsColumn = nullableJsonColumn("Waba.certificationRejectionReasons", z.array(z.string()), []);

export const accountEventFamilyColumn = enumColumn("AccountEvent.family", ACCOUNT_EVENT_FAMILY_VALUES);
// The change's value object exactly as Meta sent it: any JSON object, kept whole.
export const accountEventRawColumn = jsonColumn("AccountEvent.raw", z.record(z.string(), z.unknown()));
export const accountEventDetailsColumn = jsonColumn("AccountEvent.details", accountEventDetailsRecord);

export const signalDetailsColumn = jsonColumn("AccountSignal.details", signalDetailsRecord);
/** null: the template is known from webhooks only (they carry no components). */
export const templateComponentsColumn = nullableJsonColumn("MessageTemplate.components", z.array(componentRecord).nullable(), null);

export const disconnectionKindColumn = enumColumn("Disconnection.kind", DISCONNECTION_KINDS);
export const recommendedActionColumn = enumColumn("Disconnection.recommendedAction", RECOMMENDED_ACTIONS);

export const messageDirectionColumn = enumColumn("Message.direction", MESSAGE_DIRECTIONS);
export const messageSourceColumn = enumColumn("Message.source", MESSAGE_SOURCES);
export const messageStatusColumn = nullableEnumColumn("Message.status", MESSAGE_STATUSES);
// Meta's message object as it came; read back through the schema the webhook parsers accepted it with.
export const messageContentColumn = jsonColumn("Message.content", storedMessageSchema);
export const messageErrorsColumn = nullableJsonColumn("Message.errors", z.array(metaErrorRecord), []);
export const billingColumn = nullableJsonColumn("Message.billing", billingRecord.nullable(), null);
export const editsColumn = nullableJsonColumn("Message.edits", z.array(earlierVersionRecord), []);
export const referralColumn = nullableJsonColumn("Message.referral", referralRecord.nullable(), null);
export const reactionsColumn = nullableJsonColumn("Message.reactions", z.array(storedReactionRecord), []);

export const historySyncStatusColumn = enumColumn("HistorySync.status", HISTORY_SYNC_STATUSES);
export const chunksColumn = nullableJsonColumn("HistorySync.chunks", z.array(chunkRecord), []);
export const historySyncErrorColumn = nullableJsonColumn("HistorySync.error", metaErrorRecord.nullable(), null);

export const syncKindColumn = enumColumn("SyncRequest.kind", SYNC_KINDS);
export const syncRequestErrorColumn = nullableJsonColumn("SyncRequest.error", sendErrorRecord.nullable(), null);
export const onboardingStepsColumn = jsonColumn("Onboarding.steps", storedStepsRecord);

// PendingMessageUpdate.payload: the update as applyMessageUpdate received it, its Dates as ISO
// strings. Payloads from before pricing was kept have no pricing/conversation keys.
const date = z.string().pipe(z.coerce.date());
const business = z.object({ phoneNumberId: z.string(), displayPhoneNumber: z.string().nullable(), wabaId: z.string() });
const user = z.object({ waId: z.string().nullable(), userId: z.string().nullable() });
const record = z.record(z.string(), z.unknown());
const pendingUpdateRecord = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    business,
    user,
    wamid: z.string(),
    direction: z.enum(MESSAGE_DIRECTIONS),
    source: z.enum(MESSAGE_SOURCES),
    type: z.string(),
    text: z.string().nullable(),
    content: record,
    timestamp: date,
    status: z.enum(MESSAGE_STATUSES).nullable(),
    errors: z.array(metaErrorRecord),
    referral: referralRecord.nullable().default(null),
  }) satisfies z.ZodType<MessageInput, unknown>,
  z.object({
    kind: z.literal("edit"),
    business,
    user,
    wamid: z.string(),
    originalWamid: z.string(),
    content: record,
    type: z.string(),
    text: z.string().nullable(),
    timestamp: date,
  }) satisfies z.ZodType<EditInput, unknown>,
  z.object({ kind: z.literal("revoke"), business, user, wamid: z.string(), originalWamid: z.string(), timestamp: date }) satisfies z.ZodType<
    RevokeInput,
    unknown
  >,
  z.object({
    kind: z.literal("reaction"),
    business,
    user,
    wamid: z.string(),
    originalWamid: z.string(),
    reactor: z.enum(REACTORS),
    emoji: z.string().nullable(),
    timestamp: date,
  }) satisfies z.ZodType<ReactionInput, unknown>,
  z.object({
    kind: z.literal("status"),
    business,
    wamid: z.string(),
    user,
    status: z.enum(MESSAGE_STATUSES),
    timestamp: date,
    errors: z.array(metaErrorRecord).default([]),
    pricing: pricingRecord.nullable().default(null),
    conversation: conversationRecord.nullable().default(null),
    raw: record.default({}),
  }) satisfies z.ZodType<StatusInput, unknown>,
]);
export const pendingUpdateColumn = jsonColumn("PendingMessageUpdate.payload", pendingUpdateRecord);

export const sendStateColumn = enumColumn("Send.state", SEND_STATES);
export const sendErrorColumn = nullableJsonColumn("Send.error", sendErrorRecord.nullable(), null);
export const sendRequestColumn = jsonColumn("Send.request", requestRecord);

// The WABAs a token may read (empty when allWabas) and what it may do beyond reading (tokens/store.ts).
export const apiTokenWabaIdsColumn = jsonColumn("ApiToken.wabaIds", z.array(z.string()));
export const apiTokenPowersColumn = jsonColumn("ApiToken.powers", z.array(z.enum(POWERS)));

export const alertEventTypeColumn = enumColumn("AlertEvent.type", ALERT_EVENT_TYPES);
export const alertDataColumn = jsonColumn("AlertEvent.data", alertDataRecord);
export const alertFormatColumn = enumColumn("AlertTarget.format", ALERT_FORMATS);
export const alertTargetEventsColumn = jsonColumn("AlertTarget.events", z.array(z.string()));
export const alertAttemptStateColumn = enumColumn("AlertAttempt.state", ALERT_ATTEMPT_STATES);
export const alertTriesColumn = jsonColumn("AlertAttempt.tries", z.array(alertTryRecord));
