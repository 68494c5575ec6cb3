import { request } from "node:http";
import { describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import WebSocket from "ws";
import { APP_SECRET, API_TOKEN, startApp } from "../helpers/app.ts";
import { fixture, metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { wsJson } from "../helpers/subscriptions.ts";

describe("health endpoints", () => {
  it("/healthz answers while the process is up; /readyz checks database and migrations", async () => {
    const app = await startApp();
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok" } });
  });

  it("/readyz checks Redis when REDIS_URL is set, and fails while it is unreachable", async () => {
    const up = await startApp({ redisUrl: "redis://127.0.0.1:6379" });
    expect((await (await fetch(`${up.url}/readyz`)).json()).checks.redis).toBe("ok");
    const down = await startApp({ redisUrl: "redis://127.0.0.1:1" });
    const res = await fetch(`${down.url}/readyz`);
    expect(res.status).toBe(503);
    expect((await res.json()).checks.redis).toBe("unreachable");
    // A delivery is still stored and answered; its events cannot be published, which is reported, not thrown.
    expect((await down.deliver(samples.accountOffboarded("399000000000001", 1_760_000_000))).status).toBe(200);
  });
});

describe("graceful shutdown", () => {
  it("finishes a delivery already in flight, closes subscriptions cleanly and stops accepting", async () => {
    const app = await startApp();
    const socket = new WebSocket(app.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${API_TOKEN}` } })));
      socket.on("message", (m) => wsJson(m).type === "connection_ack" && resolve());
    });

    // A delivery whose body is still arriving when the server is told to stop.
    const body = metaBytes(fixture("account_update/account_offboarded"));
    const url = new URL(`${app.url}/webhooks/whatsapp`);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "Content-Type": "application/json", "Content-Length": body.length, "X-Hub-Signature-256": signLikeMeta(body, APP_SECRET) },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.subarray(0, 20));
      setTimeout(() => req.end(body.subarray(20)), 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = app.stop();

    expect((await answer).status).toBe(200);
    expect(await closed).toBe(1001);
    await stopped;
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});
