import { startFakeGraph, type FakeGraph, type RecordedRequest } from "../../src/cli/fakeGraphServer.ts";
import { teardown } from "./teardown.ts";

export type { FakeGraph, RecordedRequest };

export const GRAPH_TOKEN = "test-graph-token";

/** A fake Graph API on a free port (src/cli/fakeGraphServer.ts), closed after the file's tests. */
export async function fakeGraph(): Promise<FakeGraph> {
  const fake = await startFakeGraph({ token: GRAPH_TOKEN });
  teardown(() => fake.close());
  return fake;
}

/** The most requests whose arrival falls within any one window of `windowMs` (a sliding window over the record). */
export function mostInAnyWindow(requests: readonly RecordedRequest[], windowMs = 1000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
