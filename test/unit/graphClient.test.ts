import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphClient } from "../../src/outbound/graphClient.ts";

// The queue decides from the answer's kind whether a send may be posted again (docs/sending.md, "at
// most once"): NOT_SENT only when nothing can have left the hub, NO_ANSWER whenever Meta may have it.
// A real server on a local port, answering as each case needs.
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const handlers = new Map<string, Handler>();
const seen: { url: string; auth: string | undefined; body: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", auth: req.headers.authorization, body });
      const handler = [...handlers].find(([path]) => req.url?.includes(path))?.[1];
      if (handler) handler(req, res, body);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/v27.0`;
  handlers.set("/ok/", (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(`{"messages":[{"id":"wamid.é"}]}`));
  handlers.set("/meta-error/", (_req, res) =>
    res
      .writeHead(400, { "Content-Type": "application/json" })
      .end(JSON.stringify({ error: { message: "Re-engagement message", type: "OAuthException", code: 131047 } })),
  );
  handlers.set("/slow/", (_req, res) => setTimeout(() => res.writeHead(200).end("{}"), 1_000));
  handlers.set("/reset/", (req) => req.socket.destroy());
  // 2,048 bytes of JSON: said up front (Content-Length), or streamed in pieces with no length.
  handlers.set("/big/", (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(ANSWER_2048));
  handlers.set("/big-streamed/", (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    for (let i = 0; i < ANSWER_2048.length; i += 256) res.write(ANSWER_2048.slice(i, i + 256));
    res.end();
  });
});
const ANSWER_2048 = JSON.stringify({ pad: "x".repeat(2048 - 10) });
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (apiUrl = base, timeoutMs = 2_000, maxAnswerBytes = 64 * 1024) => createGraphClient({ apiUrl, token: "graph-token", timeoutMs, maxAnswerBytes });

describe("the Graph API client", () => {
  it("posts JSON with the bearer under the base URL's path prefix and answers OK with Meta's JSON", async () => {
    const answer = await client().post("/ok/messages", { to: "5511" });
    expect(answer).toEqual({ kind: "OK", status: 200, json: { messages: [{ id: "wamid.é" }] } });
    expect(seen.at(-1)).toEqual({ url: "/prefix/v27.0/ok/messages", auth: "Bearer graph-token", body: `{"to":"5511"}` });
  });

  it("answers META_ERROR with Meta's code for an error envelope", async () => {
    const answer = await client().post("meta-error/messages", {});
    expect(answer).toMatchObject({ kind: "META_ERROR", status: 400, error: { code: 131047, title: "OAuthException", httpStatus: 400 } });
  });

  it("answers NOT_SENT when the connection is refused (nothing left the hub)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await client(`http://127.0.0.1:${port}/v27.0`).post("1/messages", {})).toEqual({ kind: "NOT_SENT", detail: "ECONNREFUSED" });
  });

  it("answers NO_ANSWER after its timeout when the answer is late (Meta may have the message)", async () => {
    expect(await client(base, 200).post("slow/messages", {})).toEqual({ kind: "NO_ANSWER", detail: "TIMEOUT" });
  });

  it("answers NO_ANSWER when the connection is reset after the request was sent", async () => {
    expect(await client().post("reset/messages", {})).toEqual({ kind: "NO_ANSWER", detail: "ECONNRESET" });
  });

  it("reads an answer of exactly GRAPH_API_MAX_ANSWER_BYTES", async () => {
    expect(ANSWER_2048.length).toBe(2048);
    expect(await client(base, 2_000, 2048).post("big/messages", {})).toMatchObject({ kind: "OK", status: 200 });
    expect(await client(base, 2_000, 2048).post("big-streamed/messages", {})).toMatchObject({ kind: "OK", status: 200 });
  });

  it("answers NO_ANSWER for an answer larger than GRAPH_API_MAX_ANSWER_BYTES, announced by its length or streamed past the bound", async () => {
    expect(await client(base, 2_000, 2047).post("big/messages", {})).toEqual({ kind: "NO_ANSWER", detail: "ANSWER_TOO_LARGE" });
    expect(await client(base, 2_000, 1000).post("big-streamed/messages", {})).toEqual({ kind: "NO_ANSWER", detail: "ANSWER_TOO_LARGE" });
  });
});
