import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { APP_SECRET, API_TOKEN, TEST_PROVIDER, VERIFY_TOKEN, freshDatabase } from "../helpers/app.ts";
import { fixture, metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { accountUpdate, echoText, inboundText, partnerAdded, partnerRemoved } from "../helpers/mirror.ts";
import { startServerProcess, type ServerProcess } from "../helpers/process.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";
import { afterAll, beforeAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const deliver = (url: string, payload: unknown) => {
  const bytes = metaBytes(payload);
  return fetch(`${url}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signLikeMeta(bytes, APP_SECRET) },
    body: new Uint8Array(bytes),
  });
};

// Several instances behind a load balancer share PostgreSQL and Redis; on SQLite there is one instance.
describe.runIf(TEST_PROVIDER === "postgresql")("two server processes on one PostgreSQL and one Redis", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  // In a hook, not in the describe body: a skipped describe's body still runs to collect its tests.
  let dir: string | undefined;
  let database: ReturnType<typeof freshDatabase> | undefined;
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "coexist-hub-two-"));
    database = freshDatabase(dir);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_CHANNEL_PREFIX: `test-${randomBytes(6).toString("hex")}`,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      API_TOKENS: API_TOKEN,
    };
    a = await startServerProcess(env);
    b = await startServerProcess(env);
  });

  it("brings a webhook received by instance A to a subscriber on instance B", async () => {
    const onB = await subscribe(wsClient(b.url), `subscription { disconnections(wabaId: "980198427658004") { kind reason recommendedAction } }`);
    expect((await deliver(a.url, fixture("account_update/partner_removed_primary_inactivity_by_system"))).status).toBe(200);
    expect(await onB.next(1, 10_000)).toEqual([
      { disconnections: { kind: "PARTNER_REMOVED", reason: "PRIMARY_INACTIVITY", recommendedAction: "PROMPT_RECONNECT" } },
    ]);
  });

  it("converges when both ingest deliveries for the same WABA and thread at once, publishing each change once", async () => {
    const user = "5511944443333";
    const onA = await subscribe(wsClient(a.url), `subscription { messages { wamid } }`);
    const onB = await subscribe(wsClient(b.url), `subscription { messages { wamid } }`);
    const payloads = [
      ...Array.from({ length: 20 }, (_, i) => inboundText(`wamid.two.${i}`, user, 1_700_000_000 + i, `m${i}`)),
      echoText("wamid.two.echo", user, 1_700_000_100, "eco"),
    ];
    // Every payload goes to both instances at the same moment, as Meta's retries can.
    const answers = await Promise.all(payloads.flatMap((p) => [deliver(a.url, p), deliver(b.url, p)]).map(async (r) => (await r).status));
    expect(new Set(answers)).toEqual(new Set([200]));

    const wamids = payloads
      .map((p) => (p.entry[0]!.changes[0]!.value as any)[p.entry[0]!.changes[0]!.field === "messages" ? "messages" : "message_echoes"][0].id)
      .sort();
    expect((await onA.next(21, 10_000)).map((m: any) => m.messages.wamid).sort()).toEqual(wamids);
    expect((await onB.next(21, 10_000)).map((m: any) => m.messages.wamid).sort()).toEqual(wamids);

    const res = await fetch(`${b.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify({
        query: `{ webhookDeliveries { totalCount } threadByParticipants(phoneNumberId: "106540352242922", waId: "${user}") { lastMessage { wamid } messages(first: 100) { edges { node { wamid } } } } }`,
      }),
    });
    const data = (await res.json()).data;
    expect(data.threadByParticipants.messages.edges.map((e: any) => e.node.wamid).sort()).toEqual(wamids);
    expect(data.threadByParticipants.lastMessage.wamid).toBe("wamid.two.echo");
    expect(data.webhookDeliveries.totalCount).toBe(1 + payloads.length);
    // Nothing more arrives: no change was published twice.
    await deliver(a.url, fixture("account_update/account_deleted"));
    expect(onA.received).toHaveLength(21);
    expect(onB.received).toHaveLength(21);
  });

  it("says OPENED then RESOLVED for a disconnection opened on A and resolved on B right after, on both instances", async () => {
    const waba = "300000000000003";
    const query = `subscription { disconnections(wabaId: "${waba}") { id change } }`;
    const [onA, onB] = await Promise.all([subscribe(wsClient(a.url), query), subscribe(wsClient(b.url), query)]);
    // The resolve is sent as soon as A committed the opening, without waiting for any subscriber:
    // the re-read of the first event may already find the row resolved; its change must still say OPENED.
    expect((await deliver(a.url, partnerRemoved(waba, 1_750_000_000))).status).toBe(200);
    expect((await deliver(b.url, partnerAdded(waba, 1_750_000_001))).status).toBe(200);
    for (const events of [await onA.next(2, 10_000), await onB.next(2, 10_000)]) {
      expect(events.map((e: any) => e.disconnections.change)).toEqual(["OPENED", "RESOLVED"]);
      expect(new Set(events.map((e: any) => e.disconnections.id)).size).toBe(1);
    }
  });

  it("says OPENED then RESOLVED even when the subscriber's instance re-reads only after both commits", async () => {
    const waba = "300000000000004";
    const onB = await subscribe(wsClient(b.url), `subscription { disconnections(wabaId: "${waba}") { change resolvedAt } }`);
    // B is paused while A commits the opening and then the resolve: when it resumes, both events wait
    // in its Redis connection and both re-reads find the disconnection resolved.
    b.child.kill("SIGSTOP");
    try {
      expect((await deliver(a.url, partnerRemoved(waba, 1_750_000_000))).status).toBe(200);
      expect((await deliver(a.url, partnerAdded(waba, 1_750_000_001))).status).toBe(200);
    } finally {
      b.child.kill("SIGCONT");
    }
    const resolvedAt = new Date(1_750_000_001 * 1000).toISOString();
    expect(await onB.next(2, 10_000)).toEqual([{ disconnections: { change: "OPENED", resolvedAt } }, { disconnections: { change: "RESOLVED", resolvedAt } }]);
  });

  it("records an offboarding delivered past its stall time once, though both instances check it", async () => {
    const waba = "300000000000005";
    const query = `subscription { disconnections(wabaId: "${waba}") { kind change } }`;
    const [onA, onB] = await Promise.all([subscribe(wsClient(a.url), query), subscribe(wsClient(b.url), query)]);
    // Meta's time 40 minutes ago: each instance hears it open and checks for stalls at once.
    const at = Math.floor(Date.now() / 1000) - 40 * 60;
    expect((await deliver(a.url, accountUpdate(waba, at, { event: "ACCOUNT_OFFBOARDED" }))).status).toBe(200);
    for (const events of [onA, onB]) await events.waitFor((e: any) => e.disconnections.change === "STALLED", 10_000);
    // A later event of the WABA makes both check again; the stall is not announced twice.
    expect((await deliver(b.url, accountUpdate(waba, at + 60, { event: "PARTNER_ADDED", waba_info: { waba_id: waba } }))).status).toBe(200);
    expect((await deliver(b.url, partnerRemoved(waba, at + 120))).status).toBe(200);
    for (const events of [onA, onB]) await events.waitFor((e: any) => e.disconnections.kind === "PARTNER_REMOVED", 10_000);
    for (const events of [onA, onB]) expect(events.received.filter((e: any) => e.disconnections.change === "STALLED")).toHaveLength(1);
  });
});
