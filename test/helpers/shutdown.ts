/**
 * What a clean stop of a real server process looks like from outside, however it was started
 * (`npm start`, the image's CMD): a delivery in flight when the signal came is finished and
 * acknowledged, a subscriber is closed with 1001, the database is closed, the process exits 0.
 */
import { existsSync } from "node:fs";
import { request } from "node:http";
import { expect } from "vitest";
import WebSocket from "ws";
import { API_TOKEN, APP_SECRET } from "./app.ts";
import { runSql } from "./database.ts";
import { fixture } from "./meta.ts";
import { signed, type SignedDelivery } from "./metaSender.ts";
import { wsJson } from "./subscriptions.ts";
import { databaseTarget } from "../../src/storage/provider.ts";

/** A graphql-ws connection, acknowledged; resolves with its close code once the server closes it. */
export async function connectedSubscriber(url: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(url.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${API_TOKEN}` } })));
    socket.on("message", (m) => wsJson(m).type === "connection_ack" && resolve());
  });
  return { closed };
}

export interface HeldDelivery {
  delivery: SignedDelivery;
  /** Sends the body; the server has had the request (headers) since this object was returned. */
  finish(): void;
  answer: Promise<{ status: number; body: string }>;
}

/**
 * A signed delivery whose headers the server has taken in (it answered `100 Continue`, which
 * node's server does as it hands the request to the handler) and whose body is held back.
 */
export async function heldDelivery(url: string, payload = fixture("account_update/account_offboarded")): Promise<HeldDelivery> {
  const delivery = signed(payload, APP_SECRET);
  const target = new URL(`${url}/webhooks/whatsapp`);
  let admitted!: () => void;
  const taken = new Promise<void>((resolve) => (admitted = resolve));
  let finish!: () => void;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": delivery.body.length,
          "X-Hub-Signature-256": delivery.signature!,
          Expect: "100-continue",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.on("continue", () => admitted());
    req.flushHeaders();
    finish = () => req.end(delivery.body);
  });
  await taken;
  return { delivery, finish, answer };
}

export interface StoppableProcess {
  url: string;
  databaseUrl: string;
  /** Sends the stop signal (SIGTERM) the way the runtime would: to the process it started. */
  terminate(): void;
  /** Resolves once the process printed `line` on stdout; rejects after `ms`. */
  printed(line: string, ms: number): Promise<void>;
  /** The exit code of the process the signal went to. */
  exit: Promise<number | null>;
}

/** Stops `server` with a delivery in flight and a subscriber connected, and checks the stop was clean. */
export async function expectCleanStop(server: StoppableProcess): Promise<void> {
  const subscriber = await connectedSubscriber(server.url);
  const held = await heldDelivery(server.url);
  server.terminate();
  // The rest of the body only once the server is stopping: the delivery is in flight across the stop.
  await server.printed('"shutting down"', 30_000);
  held.finish();

  const answer = await held.answer;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ outcome: "PROCESSED" });
  expect(await subscriber.closed).toBe(1001);
  expect(await server.exit).toBe(0);
  await server.printed('"stopped"', 1_000);

  const target = databaseTarget(server.databaseUrl);
  // SQLite removes the write-ahead log when its last connection closes; a killed process leaves it.
  if (target.provider === "sqlite") expect(existsSync(`${target.file}-wal`)).toBe(false);
  const stored = await runSql<{ n: number | bigint }>(
    server.databaseUrl,
    `SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "contentHash" = '${held.delivery.hash}'`,
  );
  expect(Number(stored[0]?.n)).toBe(1);
}
