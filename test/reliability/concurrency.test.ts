/**
 * 50 connections delivering at the same moment to one WABA and one thread of one of its numbers.
 *
 * Asserted, precisely:
 *  - the requests really overlap: 50 distinct client sockets, all open before the first delivery;
 *  - every request is answered 200 (nothing times out: no deadlock, no lock wait left hanging);
 *  - every distinct delivery is answered PROCESSED exactly once, its other copies (sent at the
 *    same moment on other connections) ALREADY_PROCESSED; none FAILED;
 *  - stored: each distinct delivery once, all PROCESSED, none RECEIVED or FAILED;
 *  - no duplicate row: as many account events as distinct events, as many messages as wamids;
 *  - no lost update: the final state equals that of the same deliveries sent in order, one at a
 *    time, to a fresh database (statuses at their furthest, edits and revokes applied, the
 *    lifecycle fold and the thread's last message the same).
 */
import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { startApp, TEST_PROVIDER } from "../helpers/app.ts";
import { countsOf, readFinalState } from "../helpers/finalState.ts";
import { post, signed, type SignedDelivery } from "../helpers/metaSender.ts";
import { accountUpdate, type Business, echo, editOf, inbound, revokeOf, statusOf, together } from "../helpers/mirror.ts";
import { seededRandom } from "../helpers/random.ts";

const CONNECTIONS = 50;
const W = "950000000000001";
const B: Business = { wabaId: W, phoneNumberId: "960000000000001", display: "15550003333" };
const USER = "5511900000301";
const T = 1_755_000_000;
const REASONS = ["PRIMARY_INACTIVITY", "BUSINESS_DOWNGRADE", "CHANGE_NUMBER"];

/** One WABA's lifecycle and one thread, with some deliveries carrying both (two entries). */
function workload() {
  const deliveries: SignedDelivery[] = [];
  const add = (p: Parameters<typeof signed>[0]) => deliveries.push(signed(p));
  const lifecycle = (k: number) => {
    const at = T + k * 60;
    const value =
      k % 6 === 0
        ? { event: "ACCOUNT_OFFBOARDED" }
        : k % 6 === 1
          ? { event: "ACCOUNT_RECONNECTED" }
          : k % 6 === 2
            ? { event: "PARTNER_REMOVED", waba_info: { waba_id: W }, disconnection_info: { reason: REASONS[k % 3], initiated_by: k % 4 ? "SYSTEM" : "USER" } }
            : k % 6 === 3
              ? { event: "PARTNER_ADDED", waba_info: { waba_id: W } }
              : k % 6 === 4
                ? {
                    event: "ACCOUNT_RESTRICTION",
                    restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: k % 12 === 4 ? 4_102_444_800 : 1_000_000_000 }],
                  }
                : { event: "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE", country: ["BR", "PT", "AO"][k % 3] };
    return accountUpdate(W, at, value);
  };
  for (let k = 0; k < 60; k++) add(lifecycle(k));
  for (let k = 0; k < 80; k++) {
    const at = T + k * 30;
    const wamid = `wamid.conc.in.${k}`;
    add(inbound(B, wamid, USER, at, `mensagem ${k} ✓`));
    if (k % 6 === 1) add(editOf(B, `wamid.conc.edit.${k}`, wamid, USER, at + 5, `mensagem ${k}, corrigida`));
    if (k % 8 === 5) add(revokeOf(B, `wamid.conc.revoke.${k}`, wamid, USER, at + 7));
  }
  for (let k = 0; k < 30; k++) {
    const at = T + k * 70 + 13;
    const wamid = `wamid.conc.out.${k}`;
    add(echo(B, wamid, USER, at, `resposta ${k} 👍`));
    if (k < 20) for (const [i, s] of ["sent", "delivered", "read"].entries()) add(statusOf(B, wamid, USER, at + 1 + i, s));
  }
  // Both locks at once (the WABA and the phone number) in one delivery.
  for (let k = 0; k < 15; k++) add(together(lifecycle(100 + k), inbound(B, `wamid.conc.both.${k}`, USER, T + 10_000 + k * 30, `junto ${k}`)));
  return deliveries;
}

interface Sent {
  status: number;
  outcome: string | undefined;
  localPort: number | undefined;
}

/** POSTs on `agent` (one socket per agent), resolving with the answer and the client port used. */
function postOn(agent: Agent, url: URL, d: SignedDelivery): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: "/webhooks/whatsapp",
        method: "POST",
        headers: { "Content-Type": "application/json", "Content-Length": d.body.length, "X-Hub-Signature-256": d.signature! },
        timeout: 60_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          let outcome: string | undefined;
          try {
            outcome = JSON.parse(text).outcome;
          } catch {
            outcome = undefined;
          }
          resolve({ status: res.statusCode ?? 0, outcome, localPort: req.socket?.localPort });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 60 s")));
    req.on("error", reject);
    req.end(d.body);
  });
}

describe(`50 concurrent connections to one WABA and one thread (${TEST_PROVIDER})`, () => {
  it(
    "converge on the in-order result: every answer 200, each delivery projected once, no lost update, no duplicate row, no deadlock",
    { timeout: 120_000 },
    async () => {
      const deliveries = workload();
      // A third of the deliveries also go out a second time, on another connection, at once.
      const random = seededRandom(7);
      const copies = deliveries.filter((_, i) => i % 3 === 0);
      const sends = [...deliveries, ...copies]
        .map((d) => ({ d, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.d);
      const queues = Array.from({ length: CONNECTIONS }, (_, c) => sends.filter((_, i) => i % CONNECTIONS === c));

      const reference = await startApp();
      for (const d of deliveries) expect((await post(reference.url, d)).json?.outcome).toBe("PROCESSED");
      const expected = await readFinalState(reference.url, { phoneNumberIds: [B.phoneNumberId] });

      const app = await startApp();
      const url = new URL(app.url);
      const agents = queues.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
      try {
        // Open the 50 connections first (a request each), then let every connection go at once.
        const opened = await Promise.all(
          agents.map(
            (agent) =>
              new Promise<number | undefined>((resolve, reject) => {
                const req = request({ agent, host: url.hostname, port: url.port, path: "/healthz" }, (res) => {
                  res.resume();
                  res.on("end", () => resolve(req.socket?.localPort));
                });
                req.on("error", reject);
                req.end();
              }),
          ),
        );
        expect(new Set(opened).size).toBe(CONNECTIONS);

        const answers = (
          await Promise.all(
            queues.map(async (queue, c) => {
              const out: (Sent & { hash: string })[] = [];
              for (const d of queue) out.push({ ...(await postOn(agents[c]!, url, d)), hash: d.hash });
              return out;
            }),
          )
        ).flat();

        expect(new Set(answers.map((a) => a.localPort)).size).toBe(CONNECTIONS);
        expect(answers.filter((a) => a.status !== 200)).toEqual([]);
        const byHash = new Map<string, string[]>();
        for (const a of answers) byHash.set(a.hash, [...(byHash.get(a.hash) ?? []), a.outcome ?? "?"]);
        const notOnce = [...byHash].filter(
          ([, outcomes]) => outcomes.filter((o) => o === "PROCESSED").length !== 1 || outcomes.some((o) => o !== "PROCESSED" && o !== "ALREADY_PROCESSED"),
        );
        expect(notOnce).toEqual([]);
      } finally {
        agents.forEach((a) => a.destroy());
      }

      const actual = await readFinalState(app.url, { phoneNumberIds: [B.phoneNumberId] });
      expect(actual.deliveries).toEqual({ total: deliveries.length, RECEIVED: 0, PROCESSED: deliveries.length, PARTIAL: 0, FAILED: 0 });
      const counts = countsOf(actual);
      expect(counts.accountEvents).toBe(75);
      expect(counts.messages).toBe(80 + 30 + 15);
      expect(counts.distinctWamids).toBe(counts.messages);
      expect(actual).toEqual(expected);
    },
  );
});
