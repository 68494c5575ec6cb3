/**
 * The send benchmark's client (bench/send.ts), in its own process on the load CPU; input on stdin,
 * one JSON line out.
 *  - "hub": `sendMessage` over GraphQL, `concurrency` requests at a time, each a template to one of
 *    `users` users (templates need no service window), as an application sending from many
 *    conversations would;
 *  - "direct": the request body the hub would post (src/domain/sendRequest.ts), POSTed straight to
 *    the fake Graph API with `fetch`, one at a time, waiting for each answer: an integration that
 *    calls Meta itself, without a queue.
 */
import { addressOf, requestBody } from "../../src/domain/sendRequest.ts";
import { percentile, readInput } from "./util.ts";

export interface SendClientInput {
  mode: "hub" | "direct";
  /** The hub's base URL and API token (mode "hub"). */
  hubUrl: string;
  token: string;
  /** The fake's base URL (its path prefix included) and the Graph API token it accepts (mode "direct"). */
  graphUrl: string;
  graphToken: string;
  phoneNumberId: string;
  sends: number;
  concurrency: number;
  users: number;
  /** Makes template names and idempotency keys unique to this batch. */
  prefix: string;
}

export interface SendClientResult {
  ms: number;
  errors: number;
  firstError?: string;
  /** Each request's time to its answer (the mutation's, or Meta's fake answer), ms. */
  latency: { p50: number; p99: number };
}

const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

const input = await readInput<SendClientInput>();
const userOf = (i: number) => `55119${String(1_000_000 + (i % input.users)).padStart(8, "0")}`;

async function hubSend(i: number): Promise<string | null> {
  const res = await fetch(`${input.hubUrl}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${input.token}` },
    body: JSON.stringify({
      query: SEND,
      variables: {
        input: {
          phoneNumberId: input.phoneNumberId,
          to: userOf(i),
          template: { name: `${input.prefix}_${i}`, language: "en" },
          idempotencyKey: `${input.prefix}-${i}`,
        },
      },
    }),
  });
  const json = (await res.json()) as { errors?: { message: string }[] };
  return res.ok && !json.errors ? null : `${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 300)}`;
}

async function directSend(i: number): Promise<string | null> {
  const body = requestBody(
    addressOf({ waId: userOf(i), userId: null })!,
    { kind: "template", name: `${input.prefix}_${i}`, language: "en", components: null },
    null,
  );
  const res = await fetch(`${input.graphUrl}/${input.phoneNumberId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${input.graphToken}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return res.ok ? null : `${res.status} ${text.slice(0, 300)}`;
}

const one = input.mode === "hub" ? hubSend : directSend;
const concurrency = input.mode === "hub" ? input.concurrency : 1;
const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < input.sends) {
      const i = next++;
      const t = performance.now();
      const error = await one(i).catch((e: unknown) => String(e));
      latencies.push(performance.now() - t);
      if (error) {
        errors++;
        firstError ??= error;
      }
    }
  }),
);
const result: SendClientResult = {
  ms: performance.now() - started,
  errors,
  firstError,
  latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
};
console.log(JSON.stringify(result));
