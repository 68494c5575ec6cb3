import { afterEach, describe, expect, it } from "vitest";
import { APP_SECRET, TEST_PROVIDER } from "../helpers/app.ts";
import { metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { envelope, historyChunkOfBytes } from "../helpers/mirror.ts";
import { rawGet } from "../helpers/rawHttp.ts";
import { startTarget } from "./target.ts";

// Issue #18 item 8: one large signed delivery held the event loop for its whole projection (a
// 15,000-status delivery: 10.5 s, and a GraphQL query waited 10.4 s behind it). Asserted by order,
// not by time: while the big deliveries are being projected — the API lists them RECEIVED, which
// it can only do between two of their pieces, since each is stored RECEIVED and marked PROCESSED
// at its end — /healthz and a GraphQL query are answered.
const target = await startTarget({
  WEBHOOK_MAX_BYTES: String(4 * 1024 * 1024),
  // A held loop must show up in the order below, not as 408s of requests it could not read in time.
  HTTP_HEADERS_TIMEOUT_MS: "300000",
  HTTP_REQUEST_TIMEOUT_MS: "300000",
});
afterEach(() => target.stillSound());

const STATUSES = 15_000;
const RECEIVED = "{ webhookDeliveries(status: RECEIVED) { totalCount } }";

type Seen = { kind: "graphql"; received: number } | { kind: "healthz" } | { kind: "answered"; outcome: string };

async function signedPost(body: Buffer): Promise<{ status: number; outcome: string }> {
  const res = await fetch(`${target.url}/webhooks/whatsapp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signLikeMeta(body, APP_SECRET) },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, outcome: text };
  target.signedAndAccepted++;
  return { status: res.status, outcome: String((JSON.parse(text) as { outcome?: unknown }).outcome) };
}

describe(`a large signed delivery does not hold the API (${TEST_PROVIDER})`, () => {
  it(`while a ${STATUSES.toLocaleString("en-US")}-status delivery and a 3 MB history chunk are projected, /healthz and a GraphQL query are answered`, async () => {
    const statuses = metaBytes(
      envelope("messages", {
        statuses: Array.from({ length: STATUSES }, (_, i) => ({
          id: `wamid.freeze.${i}`,
          status: "delivered",
          timestamp: String(1_760_000_000 + i),
          recipient_id: "5511900000001",
        })),
      }),
    );
    const chunk = metaBytes(historyChunkOfBytes(3_000_000).chunk);

    const seen: Seen[] = [];
    const posts = [signedPost(statuses), signedPost(chunk)].map((p) => p.then((r) => (seen.push({ kind: "answered", outcome: r.outcome }), r)));
    const done = Promise.all(posts);
    let finished = false;
    void done.finally(() => (finished = true));
    // One probe at a time, alternating, until both deliveries are answered.
    while (!finished) {
      const answer = (await target.graphql(RECEIVED)) as { data: { webhookDeliveries: { totalCount: number } } };
      seen.push({ kind: "graphql", received: answer.data.webhookDeliveries.totalCount });
      expect((await rawGet(target.port, "/healthz")).status).toBe(200);
      seen.push({ kind: "healthz" });
    }
    expect((await done).map((r) => [r.status, r.outcome])).toEqual([
      [200, "PROCESSED"],
      [200, "PROCESSED"],
    ]);

    // A /healthz answered between two GraphQL answers that both still list a big delivery as
    // RECEIVED, before either POST was answered: answered while the projection was under way.
    const beforeAnswers = seen.slice(
      0,
      seen.findIndex((s) => s.kind === "answered"),
    );
    const during = beforeAnswers.flatMap((s, i) => {
      const next = beforeAnswers[i + 2];
      return s.kind === "graphql" && s.received > 0 && beforeAnswers[i + 1]?.kind === "healthz" && next?.kind === "graphql" && next.received > 0 ? [i] : [];
    });
    expect(during.length, `probes in order: ${JSON.stringify(seen.slice(0, 40))}`).toBeGreaterThan(0);

    // Everything was projected in the end: the statuses wait for their messages, the chunk's messages are stored.
    const stored = (await target.graphql(`{ webhookDeliveries(status: PROCESSED) { totalCount } }`)) as { data: { webhookDeliveries: { totalCount: number } } };
    expect(stored.data.webhookDeliveries.totalCount).toBe(2);
  }, 600_000);
});
