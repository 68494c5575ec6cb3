import http from "node:http";
import https from "node:https";

/** What came back: the status and the body as text. */
export interface Exchanged {
  status: number;
  ok: boolean;
  text: string;
}

/** An error of the exchange: `code` is Node's (ECONNREFUSED, ECONNRESET, …) or TIMEOUT. */
export class ExchangeError extends Error {
  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`request failed: ${code}`, options);
    this.name = "ExchangeError";
  }
}

// Connections kept open between calls, as fetch keeps them. node:http rather than fetch: the queue
// posts every send through here, and fetch costs three to four times the CPU per request (its web
// streams and abort signals; 0.5–0.85 ms against 0.15–0.25 ms per POST measured on this machine), which
// was a third of the hub's CPU per send (bench/ANALYSIS.md). Idle sockets are closed before the
// usual 5 s keep-alive of a server, so a post seldom goes out on a socket the server is closing.
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: 4_000 }),
  "https:": new https.Agent({ keepAlive: true, timeout: 4_000 }),
};

/**
 * One HTTP exchange, bounded by `timeoutMs` from the start to the last byte of the answer and by
 * `maxAnswerBytes` of answer (beyond it the exchange fails with ANSWER_TOO_LARGE, read no further:
 * a misbehaving server or proxy cannot fill the hub's memory). A request that fails rejects with
 * an ExchangeError naming why, so the caller can tell "never left" (refused, no such host) from
 * "may have arrived" (reset, timeout, an answer too large to read).
 */
export function exchange(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
  limits: { timeoutMs: number; maxAnswerBytes: number },
): Promise<Exchanged> {
  const transport = url.protocol === "https:" ? https : http;
  const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
  const headers = init.body === undefined ? init.headers : { ...init.headers, "Content-Length": String(Buffer.byteLength(init.body)) };
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: init.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // Rejected here, not from the request's error: once an answer has begun, a destroyed
      // request may still end its response (empty) before any error is emitted.
      const tooLarge = () => {
        reject(new ExchangeError("ANSWER_TOO_LARGE"));
        req.destroy();
      };
      if (Number(res.headers["content-length"] ?? 0) > limits.maxAnswerBytes) return void tooLarge();
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxAnswerBytes) return void tooLarge();
        chunks.push(chunk);
      });
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (error) => reject(error instanceof ExchangeError ? error : new ExchangeError(codeOf(error), { cause: error })));
    });
    const timer = setTimeout(() => req.destroy(new ExchangeError("TIMEOUT")), limits.timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", (error) => reject(error instanceof ExchangeError ? error : new ExchangeError(codeOf(error), { cause: error })));
    req.end(init.body);
  });
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error.name;
}
