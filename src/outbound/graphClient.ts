import { z } from "zod";
import type { SendError } from "../domain/sendError.ts";
import { exchange, ExchangeError, type Exchanged } from "./httpExchange.ts";

/**
 * The one client for Meta's Graph API. Each call is one attempt with a timeout; what happens
 * next is decided by the caller from the answer's class (the queue retries only what Meta
 * documents as transient, src/domain/sendErrors.ts): it must know whether a request may have
 * reached Meta, since Meta has no idempotency key and a second POST can reach the user twice.
 */
export interface GraphClientOptions {
  /** Base URL with its version; any path prefix is kept. */
  apiUrl: string;
  /** The access token, or who picks it per call (src/outbound/graphTokens.ts: a WABA's business token, else GRAPH_API_TOKEN). */
  token: string | ((path: string) => Promise<string | undefined>);
  timeoutMs: number;
  maxAnswerBytes: number;
}

export type GraphAnswer =
  /** A 2xx with its JSON body. */
  | { kind: "OK"; status: number; json: Record<string, unknown> }
  /** Meta answered with an error object (or a non-2xx without one). */
  | { kind: "META_ERROR"; status: number; error: SendError }
  /** The request never left: the connection was refused or the name did not resolve. Safe to send again. */
  | { kind: "NOT_SENT"; detail: string }
  /** Sent, but no answer came (timeout, reset): Meta may have accepted it. */
  | { kind: "NO_ANSWER"; detail: string };

export interface GraphClient {
  post(path: string, body: unknown): Promise<GraphAnswer>;
  /** A GET with the token for `path` (e.g. "{waba-id}/message_templates"); nothing changes at Meta, so it may be repeated. */
  get(path: string, query: Record<string, string>): Promise<GraphAnswer>;
  /** A GET without an access token (the Embedded Signup code exchange, whose credentials are its query). */
  getAnonymous(path: string, query: Record<string, string>): Promise<GraphAnswer>;
}

/** Meta's error envelope: { error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id } }. */
const metaEnvelope = z.object({
  error: z
    .object({
      message: z.string().optional(),
      type: z.string().optional(),
      code: z.number().optional(),
      error_data: z.object({ details: z.string().optional() }).loose().optional(),
    })
    .loose(),
});

/** Errors before a byte was written: nothing reached Meta. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = options.apiUrl.replace(/\/+$/, "");
  const token = options.token;
  const tokenOf = typeof token === "string" ? () => Promise.resolve(token) : token;

  async function call(path: string, init: { method: string; body?: string; headers: Record<string, string> }): Promise<GraphAnswer> {
    let res: Exchanged;
    try {
      res = await exchange(new URL(`${base}/${path.replace(/^\/+/, "")}`), init, options);
    } catch (error) {
      const code = error instanceof ExchangeError ? error.code : "ERROR";
      return NEVER_SENT.has(code) ? { kind: "NOT_SENT", detail: code } : { kind: "NO_ANSWER", detail: code };
    }
    const json = parseJson(res.text);
    if (res.ok && json) return { kind: "OK", status: res.status, json };
    return { kind: "META_ERROR", status: res.status, error: errorOf(res.status, json, res.text) };
  }

  /** The bearer for `path`, or why there is none (nothing left the hub: safe to try again once the configuration is right). */
  async function bearerFor(path: string): Promise<string | GraphAnswer> {
    try {
      const bearer = await tokenOf(path);
      return bearer ?? { kind: "NOT_SENT", detail: "NO_TOKEN" };
    } catch (error) {
      return { kind: "NOT_SENT", detail: `TOKEN: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  return {
    async post(path, body) {
      const bearer = await bearerFor(path);
      if (typeof bearer !== "string") return bearer;
      return call(path, {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    },
    async get(path, query) {
      const bearer = await bearerFor(path);
      if (typeof bearer !== "string") return bearer;
      return call(`${path}?${new URLSearchParams(query).toString()}`, { method: "GET", headers: { Authorization: `Bearer ${bearer}` } });
    },
    getAnonymous(path, query) {
      return call(`${path}?${new URLSearchParams(query).toString()}`, { method: "GET", headers: {} });
    },
  };
}

function errorOf(status: number, json: Record<string, unknown> | null, text: string): SendError {
  const parsed = metaEnvelope.safeParse(json);
  if (!parsed.success) return { code: null, title: null, message: `HTTP ${status}: ${text.slice(0, 200)}`, details: null, httpStatus: status, meta: null };
  const e = parsed.data.error;
  return {
    code: e.code ?? null,
    title: e.type ?? null,
    message: e.message ?? null,
    details: e.error_data?.details ?? null,
    httpStatus: status,
    meta: e,
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
