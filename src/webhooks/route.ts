import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import getRawBody from "raw-body";
import type { Logger } from "pino";
import { verifySignature } from "./signature.ts";
import { EnvelopeError, readEnvelope } from "./envelope.ts";
import type { SubmitDelivery } from "./submit.ts";
import type { WebhookChange } from "./envelope.ts";
import { ERRORS, errorBody, type ErrorCode } from "../errors.ts";

export const WEBHOOK_PATH = "/webhooks/whatsapp";

export interface WebhookRouteOptions {
  ingest: SubmitDelivery;
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
  return async function webhookRoute(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    if (req.method === "GET") return verifyHandshake(query, o.verifyToken, res);
    if (req.method !== "POST") {
      res.setHeader("Allow", "GET, POST");
      return sendError(res, "METHOD_NOT_ALLOWED", "method not allowed: use POST for deliveries, GET for verification");
    }

    let body: Buffer;
    try {
      body = await getRawBody(req, { limit: o.maxBytes });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) return sendError(res, "PAYLOAD_TOO_LARGE", `body larger than ${o.maxBytes} bytes`);
      return sendError(res, "BAD_BODY", `could not read the body: ${(error as Error).message}`);
    }

    const signature = req.headers["x-hub-signature-256"];
    const check = verifySignature(body, Array.isArray(signature) ? signature[0] : signature, o.appSecrets);
    if (!check.ok) {
      o.log.warn({ reason: check.reason, bytes: body.length }, "webhook rejected: signature");
      return sendError(res, "BAD_SIGNATURE", check.reason);
    }
    // Decoded once, after the signature: the text serves JSON and storage.
    const text = body.toString("utf8");

    let changes: WebhookChange[];
    try {
      changes = readEnvelope(JSON.parse(text), o.maxDepth);
    } catch (error) {
      const message = error instanceof EnvelopeError ? error.message : `body is not JSON: ${(error as Error).message}`;
      o.log.warn({ reason: message }, "webhook rejected: body");
      return sendError(res, "BAD_BODY", message);
    }

    const fields = [...new Set(changes.map((c) => c.field))];
    try {
      const result = await o.ingest.submit({ body, signed: check.signed, text, signature: String(signature), scheme: check.scheme, fields, changes });
      o.log.info({ ...result, fields }, "webhook delivery");
      // 200 even when projection failed: the delivery is stored and marked for replay, and
      // Meta retrying a payload that cannot be projected would change nothing.
      return sendJson(res, 200, { deliveryId: result.deliveryId, outcome: result.outcome });
    } catch (error) {
      o.log.error({ err: error, fields }, "webhook delivery not stored: storage unavailable");
      res.setHeader("Retry-After", "5");
      return sendError(res, "SERVICE_UNAVAILABLE", "storage unavailable; retry later");
    }
  };
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
