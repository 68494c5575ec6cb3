import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { Config } from "../../src/env.ts";
import { APP_SECRET, startApp, TEST_GRAPH, TEST_GRAPHQL, type TestApp } from "./app.ts";
import { eventually } from "./eventually.ts";
import { fakeGraph, GRAPH_TOKEN, type FakeGraph } from "./fakeGraph.ts";
import type { Business } from "./mirror.ts";

/** What sending tests share: a hub pointed at a fake Graph API, a business of its own per test, and reads of a sent message. */

export const SEND = `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { id wamid source direction type text status send { state reason attempts idempotencyKey error { code message } } }
}`;
const MESSAGES = `query M($id: ID!) { thread(id: $id) { messages(first: 50) { edges { node { id wamid source status error { code title message details } send { state reason attempts error { code } } } } } } }`;

export const now = () => Math.floor(Date.now() / 1000);
export const HOUR = 3600;

let counter = 0;
/** Every business made below, by phone number id: the fake Graph API names their WABAs in its status webhooks. */
const businesses = new Map<string, Business>();
/** A business of its own per test: lifecycle events act on a whole WABA. */
export function business(): Business {
  counter++;
  const n = `${Date.now() % 1e6}${counter}`;
  const b = { wabaId: `9${n}`, phoneNumberId: `8${n}`, display: `+1 555 01${n.slice(-4)}` };
  businesses.set(b.phoneNumberId, b);
  return b;
}
export const user = () => `1650${String(1e6 + Math.floor(Math.random() * 8e6)).slice(0, 7)}`;
export const key = () => randomBytes(8).toString("hex");

/** A hub sending to a fake Graph API of its own; `timeoutMs`: how long it waits for the fake's answer. */
export async function hubWithFake(overrides: Partial<Config> = {}, timeoutMs = 5_000): Promise<{ app: TestApp; fake: FakeGraph }> {
  const fake = await fakeGraph();
  const app = await startApp({
    graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN, timeoutMs },
    graphql: { ...TEST_GRAPHQL, debugErrors: true },
    ...overrides,
  });
  return { app, fake };
}

/** As hubWithFake, the fake also posting Meta's signed statuses (sent, delivered, read) of each accepted send back to the hub. */
export async function hubWithStatuses(): Promise<{ app: TestApp; fake: FakeGraph }> {
  const { app, fake } = await hubWithFake();
  fake.postStatusesTo({
    url: app.url,
    appSecret: APP_SECRET,
    businessOf: (phoneNumberId) => {
      const b = businesses.get(phoneNumberId);
      return b ? { wabaId: b.wabaId, phoneNumberId: b.phoneNumberId, displayNumber: b.display } : null;
    },
  });
  return { app, fake };
}

/** Delivers a webhook and checks it was projected (a 200 alone only says it was stored). */
export async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { outcome: string }).outcome).toBe("PROCESSED");
}

export async function send(app: TestApp, input: Record<string, unknown>) {
  return app.graphql(SEND, { input: { idempotencyKey: key(), ...input } });
}

/** The stored message, re-read by its thread until `done` holds for it. */
export async function messageWhen(app: TestApp, threadId: string, id: string, done: (m: any) => boolean, what: string) {
  return eventually(
    async () => {
      const res = await app.graphql(MESSAGES, { id: threadId });
      return res.data?.thread?.messages.edges.map((e: any) => e.node).find((m: any) => m.id === id);
    },
    (m) => m !== undefined && done(m),
    what,
  );
}

export async function threadOf(app: TestApp, messageId: string): Promise<string> {
  const res = await app.graphql(`query { threads(first: 100) { edges { node { id messages(first: 100) { edges { node { id } } } } } } }`);
  const thread = res.data.threads.edges.find((t: any) => t.node.messages.edges.some((m: any) => m.node.id === messageId));
  return thread.node.id;
}
