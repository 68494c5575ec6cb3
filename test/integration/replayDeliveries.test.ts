import { describe, expect, it } from "vitest";
import { partnerRemoved } from "../../src/cli/samples.ts";
import { API_TOKEN, TEST_GRAPHQL, startApp } from "../helpers/app.ts";
import { NEVER_PROJECTS, deliverStored, markFailedByStorage } from "../helpers/deliveries.ts";

const REPLAY = `mutation Replay($ids: [ID!]!) {
  replayDeliveries(ids: $ids) { id before outcome error delivery { status attempts error } }
}`;
const NOW = Math.floor(Date.now() / 1000);

describe("replayDeliveries", () => {
  it("projects a delivery a storage error left FAILED, and reports one that still fails with its error", async () => {
    const app = await startApp();
    const fixed = await deliverStored(app, partnerRemoved("555000111", NOW - 100, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }), "PROCESSED");
    await markFailedByStorage(app, fixed);
    const broken = await deliverStored(app, NEVER_PROJECTS, "FAILED");

    const { data, errors } = await app.graphql(REPLAY, { ids: [fixed, broken, "no-such-delivery"] });
    expect(errors).toBeUndefined();
    expect(data.replayDeliveries).toEqual([
      { id: fixed, before: "FAILED", outcome: "PROCESSED", error: null, delivery: { status: "PROCESSED", attempts: 2, error: null } },
      {
        id: broken,
        before: "FAILED",
        outcome: "FAILED",
        error: expect.stringContaining("ban_info.waba_ban_state"),
        delivery: { status: "FAILED", attempts: 2, error: expect.stringContaining("ban_info.waba_ban_state") },
      },
      { id: "no-such-delivery", before: null, outcome: "MISSING", error: null, delivery: null },
    ]);
  });

  it("leaves a PROCESSED delivery as it is", async () => {
    const app = await startApp();
    const done = await deliverStored(app, partnerRemoved("555000222", NOW - 100, { reason: "CHANGE_NUMBER", initiatedBy: "SYSTEM" }), "PROCESSED");
    const { data } = await app.graphql(REPLAY, { ids: [done] });
    expect(data.replayDeliveries).toEqual([
      { id: done, before: "PROCESSED", outcome: "ALREADY_PROCESSED", error: null, delivery: { status: "PROCESSED", attempts: 1, error: null } },
    ]);
  });

  it("refuses an empty list and more ids than GRAPHQL_MAX_REPLAY_IDS, replaying nothing", async () => {
    const app = await startApp({ graphql: { ...TEST_GRAPHQL, maxReplayIds: 2 } });
    const broken = await deliverStored(app, NEVER_PROJECTS, "FAILED");
    const tooMany = await app.graphql(REPLAY, { ids: [broken, "b", "c"] });
    expect(tooMany.errors?.[0]).toMatchObject({ message: "ids: expected 1 to 2 delivery ids, got 3", extensions: { code: "BAD_USER_INPUT" } });
    expect((await app.graphql(REPLAY, { ids: [] })).errors?.[0]?.message).toBe("ids: expected 1 to 2 delivery ids, got 0");
    const after = await app.graphql("{ webhookDeliveries(status: FAILED) { edges { node { attempts } } } }");
    expect(after.data.webhookDeliveries.edges).toEqual([{ node: { attempts: 1 } }]);
  });

  it("needs a token", async () => {
    const app = await startApp();
    const res = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}-not` },
      body: JSON.stringify({ query: REPLAY, variables: { ids: ["x"] } }),
    });
    expect(res.status).toBe(401);
  });
});
