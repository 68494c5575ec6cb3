import { request, type Agent } from "node:http";

/** One JSON POST over a keep-alive agent; resolves with the status and the whole response text. */
export function postJson(
  agent: Agent,
  target: URL,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
