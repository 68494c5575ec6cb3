import type { Config } from "../env.ts";
import type { SyncKind } from "../domain/syncDeadline.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { createGraphClient } from "./graphClient.ts";
import { requestSync, type SyncOutcome, type SyncTarget } from "./syncRequest.ts";

/** What the hub does for a business after Embedded Signup: the two syncs (docs/connect-meta.md). */
export interface Onboarding {
  /** Whether the hub can call the Graph API (GRAPH_API_TOKEN is set). */
  readonly configured: boolean;
  /** Requests one of the number's syncs and records Meta's answer (src/outbound/syncRequest.ts). */
  startSync(target: SyncTarget, kind: SyncKind): Promise<SyncOutcome>;
}

export function createOnboarding(storage: Storage, pubsub: HubPubSub, config: Pick<Config, "graph">): Onboarding {
  const token = config.graph.token;
  const graph = token ? createGraphClient({ apiUrl: config.graph.apiUrl, token, timeoutMs: config.graph.timeoutMs }) : null;
  return {
    configured: graph !== null,
    startSync(target, kind) {
      if (!graph) throw new Error("startSync without GRAPH_API_TOKEN: check `configured` first");
      return requestSync(storage, graph, pubsub, target, kind);
    },
  };
}
