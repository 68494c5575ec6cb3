import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import getRawBody from "raw-body";
import type { Logger } from "pino";
import { readSigned } from "./readLarge.ts";
import { OFF_LOOP_BYTES, readOffLoop } from "./readOffLoop.ts";
import type { AcceptedDelivery, SubmitDelivery } from "./submit.ts";
import { ERRORS, errorBody, type ErrorCode } from "../errors.ts";

export const WEBHOOK_PATH = "/webhooks/whatsapp";

/** What the route tells whoever counts deliveries (the metrics endpoint). */
export interface WebhookObserver {
  /** A delivery stored and answered 200: its fields, outcome, and seconds from its body read to its answer. */
  stored(fields: readonly string[], outcome: string, seconds: number): void;
  /** A delivery answered with an error. */
  refused(code: ErrorCode): void;
}

const NOBODY_WATCHING: WebhookObserver = { stored: () => {}, refused: () => {} };

export interface WebhookRouteOptions {
  ingest: SubmitDelivery;
  observer?: WebhookObserver;
  log: Logger;
  appSecrets: readonly string[];
  verifyToken: string;
  maxBytes: number;
  /** Deepest JSON nesting accepted (deeper: 400; see readEnvelope). */
  maxDepth: number;
}

/**
 * Meta's contract, in a fixed order: raw bytes → signature → JSON → envelope → durable store →
 * projection. Each failure has its own status (docs/webhook-contract.md).
 */
export function createWebhookRoute(o: WebhookRouteOptions) {
  const observer = o.observer ?? NOBODY_WATCHING;
  const route = createRoute(o);
  return async function webhookRoute(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const answer = await route(req, res, query);
    if (!answer) return;
    if ("code" in answer) observer.refused(answer.code);
    else observer.stored(answer.fields, answer.outcome, answer.seconds);
  };
}

/** What one POST came to; nothing for a handshake. */
type Answered = { code: ErrorCode } | { fields: readonly string[]; outcome: string; seconds: number } | undefined;

function createRoute(o: WebhookRouteOptions) {
  const refuse = (res: ServerResponse, code: ErrorCode, message: string): Answered => {
    sendError(res, code, message);
    return { code };
  };
  return async function answer(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<Answered> {
    if (req.method === "GET") {
      verifyHandshake(query, o.verifyToken, res);
      return undefined;
    }
    if (req.method !== "POST") {
      res.setHeader("Allow", "GET, POST");
      return refuse(res, "METHOD_NOT_ALLOWED", "method not allowed: use POST for deliveries, GET for verification");
    }

    let body: Buffer;
    try {
      body = await getRawBody(req, { limit: o.maxBytes });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) return refuse(res, "PAYLOAD_TOO_LARGE", `body larger than ${o.maxBytes} bytes`);
      return refuse(res, "BAD_BODY", `could not read the body: ${(error as Error).message}`);
    }

    const signature = req.headers["x-hub-signature-256"];
    const header = Array.isArray(signature) ? signature[0] : signature;
    const startedAt = performance.now();
    // A large body is read whole (signature, JSON, envelope, fields) on a thread of its own: the loop answers requests meanwhile.
    const read =
      body.length >= OFF_LOOP_BYTES
        ? await readOffLoop(body, header, o.appSecrets, o.maxDepth, new Date())
        : readSigned(body, header, o.appSecrets, o.maxDepth);
    if (!read.ok) {
      o.log.warn({ reason: read.reason, bytes: body.length }, `webhook rejected: ${read.code === "BAD_SIGNATURE" ? "signature" : "body"}`);
      return refuse(res, read.code, read.reason);
    }
    return store(res, { ...read, body, signature: String(signature) }, startedAt);
  };

  async function store(res: ServerResponse, accepted: AcceptedDelivery, checkedAt: number): Promise<Answered> {
    const { fields } = accepted;
    try {
      const result = await o.ingest.submit(accepted);
      o.log.info({ ...result, fields }, "webhook delivery");
      // 200 even when projection failed: the delivery is stored and marked for replay, and
      // Meta retrying a payload that cannot be projected would change nothing.
      sendJson(res, 200, { deliveryId: result.deliveryId, outcome: result.outcome });
      return { fields, outcome: result.outcome, seconds: (performance.now() - checkedAt) / 1000 };
    } catch (error) {
      o.log.error({ err: error, fields }, "webhook delivery not stored: storage unavailable");
      res.setHeader("Retry-After", "5");
      return refuse(res, "SERVICE_UNAVAILABLE", "storage unavailable; retry later");
    }
  }
}

function verifyHandshake(query: URLSearchParams, verifyToken: string, res: ServerResponse): void {
  const challenge = query.get("hub.challenge");
  const refused = handshakeRefusal(query.get("hub.mode"), query.get("hub.verify_token"), challenge, verifyToken);
  if (refused) return sendError(res, "VERIFICATION_FAILED", `verification failed: ${refused}`);
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(challenge);
}

/**
 * Why a handshake is refused, or null when it passes. Each case has its own words: an empty token
 * is what `hub.verify_token=$WHATSAPP_VERIFY_TOKEN` sends from a shell where the variable is unset,
 * and "must match" would send the user comparing two tokens. The expected token is never told.
 */
function handshakeRefusal(mode: string | null, token: string | null, challenge: string | null, verifyToken: string): string | null {
  if (mode !== "subscribe") return `hub.mode must be "subscribe" (${mode === null ? "it is missing" : "it is something else"})`;
  if (!token) return "hub.verify_token is missing or empty (in a shell, is the variable you put in the URL set?)";
  if (!sameSecret(token, verifyToken)) return "hub.verify_token differs from the hub's WHATSAPP_VERIFY_TOKEN";
  if (challenge === null) return "hub.challenge is missing";
  return null;
}

/** Equal strings, compared in constant time (as equal-length digests, so the length does not show either). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** An error answer: the catalogue's status for the code, and `{ code, error }` (src/errors.ts). */
export function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  sendJson(res, ERRORS[code].status, errorBody(code, message));
}
