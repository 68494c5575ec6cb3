import { mostInAnyWindow, startFakeGraph, type FakeGraph, type RecordedRequest } from "../../src/cli/fakeGraphServer.ts";
import { teardown } from "./teardown.ts";

export type { FakeGraph, RecordedRequest };
// The pace as the fake saw it; bench/send.ts counts it the same way.
export { mostInAnyWindow };

export const GRAPH_TOKEN = "test-graph-token";

/** A fake Graph API on a free port (src/cli/fakeGraphServer.ts), closed after the file's tests. */
export async function fakeGraph(): Promise<FakeGraph> {
  const fake = await startFakeGraph({ token: GRAPH_TOKEN });
  teardown(() => fake.close());
  return fake;
}
