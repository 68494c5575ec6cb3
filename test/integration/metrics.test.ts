import { describe, expect, it } from "vitest";
import { accountOffboarded } from "../../src/cli/samples.ts";
import { API_TOKEN, startApp } from "../helpers/app.ts";
import { parsePrometheus, sampleValue } from "../helpers/prometheus.ts";
import { openSse } from "../helpers/sse.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";
import { makeToken } from "../helpers/tokens.ts";
import { eventually } from "../helpers/eventually.ts";

const WABA = "777000111";
const AT = 1_760_000_000;
const scrape = (url: string, token: string | null = API_TOKEN) => fetch(`${url}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe("GET /metrics (Prometheus)", () => {
  it("is refused without a token (401) and to a token without the admin power (403)", async () => {
    const app = await startApp();
    const reader = await makeToken(app.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });
    const anonymous = await scrape(app.url, null);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe("UNAUTHENTICATED");
    const read = await scrape(app.url, reader);
    expect(read.status).toBe(403);
    expect(((await read.json()) as { code: string }).code).toBe("FORBIDDEN");
  });

  it("counts deliveries by field and outcome, refusals by code, and times the ingest", async () => {
    const app = await startApp();
    expect((await app.deliver(accountOffboarded(WABA, AT))).status).toBe(200);
    expect((await app.deliver(accountOffboarded(WABA, AT))).status).toBe(200);
    expect((await app.deliver(accountOffboarded(WABA, AT + 1), "not-the-app-secret")).status).toBe(401);

    const res = await scrape(app.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheus(await res.text());
    expect(sampleValue(samples, "hub_webhook_deliveries_total", { field: "account_update", outcome: "PROCESSED" })).toBe(1);
    expect(sampleValue(samples, "hub_webhook_deliveries_total", { field: "account_update", outcome: "ALREADY_PROCESSED" })).toBe(1);
    expect(sampleValue(samples, "hub_webhook_refused_total", { code: "BAD_SIGNATURE" })).toBe(1);
    expect(sampleValue(samples, "hub_webhook_ingest_seconds_count")).toBe(2);
    // One at a time: each delivery its own batch of one.
    expect(sampleValue(samples, "hub_ingest_batch_deliveries_count")).toBe(2);
    expect(sampleValue(samples, "hub_ingest_batch_deliveries_bucket", { le: "1" })).toBe(2);
    expect(sampleValue(samples, "hub_deliveries_unprojected")).toBe(0);
    expect(sampleValue(samples, "hub_projection_lag_seconds")).toBe(0);
    expect(sampleValue(samples, "hub_disconnections_open", { kind: "ACCOUNT_OFFBOARDED" })).toBe(1);
    expect(sampleValue(samples, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("reports the streams and subscriptions open by transport", async () => {
    const app = await startApp();
    const sse = await openSse(app.url, API_TOKEN, "subscription { accountEvents { id } }");
    const ws = wsClient(app.url);
    await subscribe(ws, "subscription { accountEvents { id } }");
    await subscribe(ws, "subscription { disconnections { id } }");
    const open = async () => parsePrometheus(await (await scrape(app.url)).text());
    const samples = await eventually(open, (s) => sampleValue(s, "hub_subscriptions_open", { transport: "ws" }) === 2, "two ws subscriptions");
    expect(sampleValue(samples, "hub_streams_open", { transport: "ws" })).toBe(1);
    expect(sampleValue(samples, "hub_streams_open", { transport: "sse" })).toBe(1);
    expect(sampleValue(samples, "hub_subscriptions_open", { transport: "sse" })).toBe(1);
    sse.close();
    await ws.dispose();
    const after = await eventually(open, (s) => sampleValue(s, "hub_streams_open", { transport: "ws" }) === 0, "the socket closed");
    expect(sampleValue(after, "hub_subscriptions_open", { transport: "ws" })).toBe(0);
  });
});
