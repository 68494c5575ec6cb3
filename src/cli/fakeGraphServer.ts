import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeAccounts, metaError, type FakeAccounts } from "./fakeGraphAccounts.ts";
import { createFakeTemplates, type FakeTemplates } from "./fakeGraphTemplates.ts";
import { statusPoster, type LateFailure, type PostedStatus, type StatusWebhooks } from "./fakeStatuses.ts";

/**
 * A fake of Meta's Graph API for the endpoints the hub calls, on a local port: it records every
 * request with the time it arrived, answers in Meta's shapes, and can be told to fail a recipient
 * with an error code a number of times or to answer slowly, and can post Meta's signed status
 * webhooks back to the hub (src/cli/fakeStatuses.ts). The tests' truth about what reached
 * "Meta" (test/helpers/fakeGraph.ts), and `hub fake-graph` to try the hub without Meta.
 */
export interface RecordedRequest {
  /** Date.now() when the request's body had arrived. */
  at: number;
  method: string;
  /** The request target as it came, prefix included, e.g. "/v27.0/106540352242922/messages". */
  url: string;
  /** The path after any prefix, e.g. "/106540352242922/messages". */
  path: string;
  phoneNumberId: string | null;
  authorization: string | null;
  body: Record<string, unknown>;
  /** The wamid answered, when the send was accepted. */
  wamid: string | null;
}

export interface Failure {
  code: number;
  /** How many requests to that recipient fail before it is accepted again. */
  times: number;
  /** HTTP status of the error answer (Meta answers most errors with 400). */
  status?: number;
  message?: string;
}

export interface FakeGraph {
  url: string;
  readonly requests: readonly RecordedRequest[];
  /** Message sends only (not mark-read, not sync). */
  sends(): RecordedRequest[];
  /** Fails the next `times` sends to `recipient` (a `to` or `recipient` value), or read receipts of that wamid, with Meta's `code`. */
  fail(recipient: string, failure: Failure): void;
  /**
   * Accepts the next `times` (default every) sends to `recipient` (wamid answered), then posts their `failed` status
   * with Meta's error `code` (131047, 131026, …), `afterMs` after `sent` — with statuses posted (postStatusesTo).
   */
  failLater(recipient: string, failure: LateFailure & { times?: number }): void;
  /** Read receipts (mark-read, typing indicators). */
  reads(): RecordedRequest[];
  /** From now on, posts the statuses of accepted sends to this hub (a test starts the hub after the fake). */
  postStatusesTo(webhooks: StatusWebhooks): void;
  /** The status webhooks posted to the hub (with `webhooks` set), in the order their answers came. */
  readonly posted: readonly PostedStatus[];
  /** Answers every request after `ms` (0: at once). */
  slow(ms: number): void;
  /** Fails the next `times` requests to `path` (e.g. "/{waba-id}/subscribed_apps") with Meta's `code`. */
  failPath(path: string, failure: Failure): void;
  /** The syncs and app subscriptions (src/cli/fakeGraphAccounts.ts). */
  readonly accounts: FakeAccounts;
  /** The WABAs' templates it lists (GET /{waba-id}/message_templates, src/cli/fakeGraphTemplates.ts). */
  readonly templates: FakeTemplates;
  /** Template listings asked for (GET /{waba-id}/message_templates), every page. */
  listings(): RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeGraphOptions {
  port?: number;
  host?: string;
  /** The access token to accept (any bearer when unset); another one is answered 401 with code 190. */
  token?: string;
  onRequest?: (r: RecordedRequest) => void;
  /** Post Meta's signed status webhooks (sent, delivered, read) to the hub for each accepted send. */
  webhooks?: StatusWebhooks;
  onPosted?: (p: PostedStatus) => void;
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, Failure>();
  const pathFailures = new Map<string, Failure>();
  const lateFailures = new Map<string, LateFailure & { times?: number }>();
  const accounts = createFakeAccounts();
  const templates = createFakeTemplates();
  let delayMs = 0;
  const sockets = new Set<import("node:net").Socket>();
  const posted: PostedStatus[] = [];
  const poster = (webhooks: StatusWebhooks) =>
    statusPoster(webhooks, (p) => {
      posted.push(p);
      options.onPosted?.(p);
    });
  let statuses = options.webhooks && poster(options.webhooks);

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, metaError(1, "fake graph failed"));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      return answer(res, 400, metaError(100, "Invalid parameter: the body is not JSON"));
    }
    // Any prefix (a version, a proxy's path) before /{id}/{edge}.
    // Its own address as base: a listing's paging.next points back at the fake.
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "fake"}`);
    const match = /\/([^/]+)\/(messages|smb_app_data|subscribed_apps|message_templates)\/?$/.exec(url.pathname);
    // The code exchange is a GET whose parameters are its query: recorded as its body.
    const exchange = req.method === "GET" && url.pathname.endsWith("/oauth/access_token");
    if (exchange) body = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = {
      at,
      method: req.method ?? "",
      url: req.url ?? "",
      path: match ? `/${match[1]}/${match[2]}` : exchange ? "/oauth/access_token" : (req.url ?? ""),
      phoneNumberId: match?.[1] ?? null,
      authorization: req.headers.authorization ?? null,
      body,
      wamid: null,
    };
    requests.push(record);
    options.onRequest?.(record);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (exchange) return answerWith(res, accounts.exchange(body));
    if (options.token && req.headers.authorization !== `Bearer ${options.token}` && !accounts.issued(req.headers.authorization)) {
      return answer(res, 401, metaError(190, "Invalid OAuth access token", "OAuthException"));
    }
    const listing = match?.[2] === "message_templates";
    if (!match || req.method !== (listing ? "GET" : "POST")) return answer(res, 400, metaError(100, `Unsupported request: ${req.method} ${req.url}`));
    const pathFailure = pathFailures.get(record.path);
    if (pathFailure && pathFailure.times > 0) {
      pathFailure.times--;
      return answer(res, pathFailure.status ?? 400, metaError(pathFailure.code, pathFailure.message ?? `fake error ${pathFailure.code}`));
    }
    if (listing) return answerWith(res, templates.list(match[1]!, url));
    if (match[2] === "smb_app_data") return answerWith(res, accounts.syncRequest(match[1]!, body));
    if (match[2] === "subscribed_apps") return answerWith(res, accounts.subscribe(match[1]!));
    if (match[2] !== "messages") return answer(res, 200, { success: true });
    const failed = (key: string) => {
      const failure = failures.get(key);
      if (!failure || failure.times <= 0) return false;
      failure.times--;
      answer(res, failure.status ?? 400, metaError(failure.code, failure.message ?? `fake error ${failure.code}`));
      return true;
    };
    if (body.status === "read") {
      // A read receipt (and typing indicator): https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators/
      if (typeof body.message_id !== "string") return answer(res, 400, metaError(100, "Invalid parameter: message_id is required"));
      if (failed(body.message_id)) return;
      return answer(res, 200, { success: true });
    }
    const to = typeof body.to === "string" ? body.to : null;
    const recipient = to ?? (typeof body.recipient === "string" ? body.recipient : null);
    if (!recipient) return answer(res, 400, metaError(100, "Invalid parameter: to or recipient is required"));
    if (failed(recipient)) return;
    record.wamid = `wamid.${randomBytes(18).toString("base64url")}`;
    answer(res, 200, {
      messaging_product: "whatsapp",
      contacts: [to ? { input: to, wa_id: to } : { input: recipient, user_id: recipient }],
      messages: [{ id: record.wamid }],
    });
    statuses?.accepted(match[1]!, record.wamid, to ? { to } : { recipient }, lateFailureOf(recipient));
  }

  /** The late failure of a send to `recipient`, counted down. */
  function lateFailureOf(recipient: string): LateFailure | undefined {
    const failure = lateFailures.get(recipient);
    if (!failure || failure.times === 0) return undefined;
    if (failure.times !== undefined) failure.times--;
    return failure;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/v27.0`,
    requests,
    sends: () => requests.filter((r) => r.path.endsWith("/messages") && r.body.status !== "read"),
    reads: () => requests.filter((r) => r.path.endsWith("/messages") && r.body.status === "read"),
    fail: (recipient, failure) => void failures.set(recipient, { ...failure }),
    failLater: (recipient, failure) => void lateFailures.set(recipient, { ...failure }),
    slow: (ms) => void (delayMs = ms),
    failPath: (path, failure) => void pathFailures.set(path, { ...failure }),
    accounts,
    templates,
    listings: () => requests.filter((r) => r.path.endsWith("/message_templates")),
    posted,
    postStatusesTo: (webhooks) => {
      void statuses?.close();
      statuses = poster(webhooks);
    },
    close: async () => {
      await statuses?.close();
      await new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}

function answerWith(res: ServerResponse, a: { status: number; json: unknown }) {
  answer(res, a.status, a.json);
}

/** The most requests whose arrival falls within any one window of `windowMs` (a sliding window over the record). */
export function mostInAnyWindow(requests: readonly RecordedRequest[], windowMs = 1000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function answer(res: ServerResponse, status: number, json: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(json));
}
