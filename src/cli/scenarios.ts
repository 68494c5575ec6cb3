import { sampleHistory } from "./sampleHistory.ts";
import type { SampleSource } from "./sampleSource.ts";
import {
  PARTNER_REMOVED_REASONS,
  SAMPLE_NAMES,
  SAMPLE_TEXTS,
  accountOffboarded,
  accountReconnected,
  echoText,
  inboundText,
  partnerAdded,
  partnerRemoved,
  type MetaPayload,
  type SampleBusiness,
} from "./samples.ts";

export const SCENARIOS = ["offboard-cycle", "partner-removed", "history", "echoes", "inbound"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ScenarioSettings {
  /** The business: its WABA is the one the account_update scenarios are about too. */
  business: SampleBusiness;
  messages: number;
  threads: number;
  chunkSize: number;
  count: number;
}

export interface ScenarioPlan {
  scenario: Scenario;
  /** What one delivery is, for the progress bar. */
  unit: string;
  /** One line on what will be sent. */
  summary: string;
  payloads: MetaPayload[];
}

// Each scenario has its own stretch of the hour before "now", so `all` never stamps two
// lifecycle events of one WABA with the same second.
const OFFBOARD_AT = -3600;
const PARTNER_EVENTS_FROM = -3000;
/** Re-onboarding after an offboarding takes minutes. */
const RECONNECT_AFTER = 180;
const PARTNER_EVENT_SPACING = 60;
/** Echoes and inbound messages reuse the first users of the history, so they join its threads. */
const LIVE_USERS = 10;

export function planScenario(scenario: Scenario, source: SampleSource, settings: ScenarioSettings): ScenarioPlan {
  switch (scenario) {
    case "offboard-cycle":
      return offboardCycle(source, settings);
    case "partner-removed":
      return partnerRemovedCycle(source, settings);
    case "history":
      return history(source, settings);
    case "echoes":
      return echoes(source, settings);
    case "inbound":
      return inbound(source, settings);
  }
}

function offboardCycle(source: SampleSource, { business }: ScenarioSettings): ScenarioPlan {
  const at = source.now + OFFBOARD_AT;
  return {
    scenario: "offboard-cycle",
    unit: "deliveries",
    summary: `ACCOUNT_OFFBOARDED then ACCOUNT_RECONNECTED ${RECONNECT_AFTER} s later for WABA ${business.wabaId}`,
    payloads: [accountOffboarded(business.wabaId, at), accountReconnected(business.wabaId, at + RECONNECT_AFTER)],
  };
}

/** Removed, added, removed, …: each removal after an add opens a disconnection of its own. */
function partnerRemovedCycle(source: SampleSource, { business }: ScenarioSettings): ScenarioPlan {
  const payloads: MetaPayload[] = [];
  let at = source.now + PARTNER_EVENTS_FROM;
  PARTNER_REMOVED_REASONS.forEach((reason, i) => {
    if (i > 0) {
      payloads.push(partnerAdded(business.wabaId, at));
      at += PARTNER_EVENT_SPACING;
    }
    payloads.push(partnerRemoved(business.wabaId, at, reason));
    at += PARTNER_EVENT_SPACING;
  });
  return {
    scenario: "partner-removed",
    unit: "deliveries",
    summary: `PARTNER_REMOVED for each of ${PARTNER_REMOVED_REASONS.map((r) => r.reason).join(", ")} with PARTNER_ADDED between, for WABA ${business.wabaId}`,
    payloads,
  };
}

function history(source: SampleSource, settings: ScenarioSettings): ScenarioPlan {
  const { messages, chunks } = sampleHistory(settings.business, source, settings);
  const threads = new Set(messages.map((m) => m.user)).size;
  return {
    scenario: "history",
    unit: "chunks",
    summary: `six-month history sync of ${messages.length} messages in ${threads} threads, ${chunks.length} chunks, for number ${settings.business.phoneNumberId}`,
    payloads: chunks,
  };
}

function echoes(source: SampleSource, { business, count }: ScenarioSettings): ScenarioPlan {
  const payloads = Array.from({ length: count }, (_, i) =>
    echoText(business, { wamid: source.wamid(), user: source.user(i % LIVE_USERS), at: source.now - (count - i) * 30, body: source.pick(SAMPLE_TEXTS) }),
  );
  return { scenario: "echoes", unit: "deliveries", summary: `${count} smb_message_echoes (messages sent from the Business app)`, payloads };
}

function inbound(source: SampleSource, { business, count }: ScenarioSettings): ScenarioPlan {
  const payloads = Array.from({ length: count }, (_, i) => {
    const userIndex = i % LIVE_USERS;
    return inboundText(business, {
      wamid: source.wamid(),
      user: source.user(userIndex),
      // A user keeps one profile name across messages, as on WhatsApp.
      profileName: SAMPLE_NAMES[userIndex % SAMPLE_NAMES.length]!,
      at: source.now - (count - i) * 30 + 15,
      body: source.pick(SAMPLE_TEXTS),
    });
  });
  return { scenario: "inbound", unit: "deliveries", summary: `${count} inbound text messages (messages field)`, payloads };
}
