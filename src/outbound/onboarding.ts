import type { Config } from "../env.ts";
import type { SyncKind } from "../domain/syncDeadline.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { createGraphClient } from "./graphClient.ts";
import type { GraphTokens } from "./graphTokens.ts";
import { OnboardingRefused, onboardBusiness, type OnboardInput } from "./onboardBusiness.ts";
import { requestSync, type SyncOutcome, type SyncTarget } from "./syncRequest.ts";

export { OnboardingRefused };

/** What the hub does for a business after Embedded Signup (docs/connect-meta.md). */
export interface Onboarding {
  /** Requests one of the number's syncs and records Meta's answer; OnboardingRefused when no token can call Meta for its WABA. */
  startSync(target: SyncTarget, kind: SyncKind): Promise<SyncOutcome>;
  /** Runs the onboarding steps not done yet (src/outbound/onboardBusiness.ts); OnboardingRefused before any call when it cannot. */
  onboardBusiness(input: OnboardInput): Promise<void>;
}

export function createOnboarding(
  storage: Storage,
  pubsub: HubPubSub,
  tokens: GraphTokens,
  config: Pick<Config, "graph" | "onboarding" | "appSecrets">,
): Onboarding {
  const graph = createGraphClient({ ...config.graph, token: (path) => tokens.tokenFor(path) });
  const deps = { storage, pubsub, graph, tokens, app: { id: config.onboarding.appId, secret: config.appSecrets[0] } };
  // One run per number at a time in this process: a second call waits, then finds the steps done
  // (a code exchanged twice would fail the second time and hide the first's success).
  const running = new Map<string, Promise<void>>();
  return {
    async startSync(target, kind) {
      let token: string | undefined;
      try {
        token = await tokens.tokenFor(target.phoneNumberId);
      } catch (error) {
        throw new OnboardingRefused("NOT_CONFIGURED", error instanceof Error ? error.message : String(error));
      }
      if (token === undefined)
        throw new OnboardingRefused(
          "NOT_CONFIGURED",
          "the hub has no Graph API token (GRAPH_API_TOKEN) nor a business token for this WABA: it cannot call Meta",
        );
      return requestSync(storage, graph, pubsub, target, kind);
    },
    async onboardBusiness(input) {
      const before = running.get(input.phoneNumberId) ?? Promise.resolve();
      const run = before.catch(() => undefined).then(() => onboardBusiness(deps, input));
      running.set(input.phoneNumberId, run);
      try {
        await run;
      } finally {
        if (running.get(input.phoneNumberId) === run) running.delete(input.phoneNumberId);
      }
    },
  };
}
