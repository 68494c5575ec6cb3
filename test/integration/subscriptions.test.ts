import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

const app = await startApp();

describe("live lifecycle changes over graphql-ws", () => {
  it("pushes the disconnection a signed POST opened, once committed", async () => {
    const client = wsClient(app.url);
    const live = await subscribe(client, `subscription { disconnections(wabaId: "980198427658004") { kind reason initiatedBy recommendedAction resolvedAt waba { connectionState } } }`);
    expect((await app.deliver(fixture("account_update/partner_removed_primary_inactivity_by_system"))).status).toBe(200);
    const [first] = await live.next(1);
    expect(first).toEqual({
      disconnections: { kind: "PARTNER_REMOVED", reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM", recommendedAction: "PROMPT_RECONNECT", resolvedAt: null, waba: { connectionState: "DISCONNECTED" } },
    });
  });

  it("pushes each account event once, even when Meta retries the delivery", async () => {
    const client = wsClient(app.url);
    const live = await subscribe(client, `subscription { accountEvents(wabaId: "862475293675413") { __typename event occurredAt waba { wabaId connectionState } } }`);
    await app.deliver(fixture("account_update/account_offboarded"));
    await app.deliver(fixture("account_update/account_offboarded"));
    await app.deliver(fixture("account_update/account_reconnected_timed_before_offboarding"));
    const events = await live.next(2);
    expect(events.map((e: any) => e.accountEvents.event)).toEqual(["ACCOUNT_OFFBOARDED", "ACCOUNT_RECONNECTED"]);
    expect(events[1]).toMatchObject({ accountEvents: { __typename: "ConnectionAccountEvent", waba: { connectionState: "CONNECTED" } } });
    // A third event for this WABA would have arrived by now if the retry had been published again.
    await app.deliver(fixture("account_update/account_deleted"));
    expect(live.received).toHaveLength(2);
  });

  it("filters by wabaId and delivers to an unfiltered subscriber too", async () => {
    const client = wsClient(app.url);
    const other = await subscribe(client, `subscription { accountEvents(wabaId: "nobody") { event } }`);
    const all = await subscribe(client, `subscription { accountEvents { event waba { wabaId } } }`);
    await app.deliver(fixture("account_update/account_violation_adult"));
    expect((await all.next(1))[0]).toEqual({ accountEvents: { event: "ACCOUNT_VIOLATION", waba: { wabaId: "102290129340398" } } });
    expect(other.received).toEqual([]);
  });
});
