import type { Storage } from "../storage/db.ts";
import type { Db } from "../storage/client.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Principal } from "../tokens/principal.ts";
import type { Outbound } from "../outbound/outbound.ts";
import type { Onboarding } from "../outbound/onboarding.ts";
import type { InactivityPolicy } from "../domain/inactivity.ts";
import type { Alerts } from "../alerts/alerts.ts";

/** What every GraphQL operation runs with (built per request by src/app.ts). */
export interface Context {
  /** The storage handle's Prisma client (`storage.prisma`), which the Prisma plugin and most fields use. */
  db: Db;
  /** The storage handle: what depends on the database (write transactions, provider-specific ordering). */
  storage: Storage;
  pubsub: HubPubSub;
  /** Configured bounds the resolvers enforce themselves (the per-operation ones are graphql-armor's). */
  limits: { searchMaxLength: number; maxReplayIds: number };
  /** Who asked: every field that can reach a WABA's data filters by it (see scope.ts). */
  principal: Principal;
  /** The thresholds of PhoneNumber.inactivityRisk (INACTIVITY_* days). */
  inactivity: InactivityPolicy;
  /** Sending through the Cloud API (src/outbound/). */
  outbound: Outbound;
  /** The syncs and onboarding of a business (src/outbound/onboarding.ts). */
  onboarding: Onboarding;
  /** Alerts out: replay (src/alerts/alerts.ts). */
  alerts: Alerts;
}
