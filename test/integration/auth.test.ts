import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { API_TOKEN, startApp } from "../helpers/app.ts";
import { wsJson } from "../helpers/subscriptions.ts";

const app = await startApp({ apiTokens: [API_TOKEN, "next-token-during-rotation"] });
const query = JSON.stringify({ query: "{ wabas { edges { node { wabaId } } } }" });
const post = (headers: Record<string, string>) =>
  fetch(`${app.url}/graphql`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: query });

describe("GraphQL over HTTP needs a bearer token", () => {
  it("answers 401 without Authorization", async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("answers 401 to a wrong token", async () => {
    expect((await post({ Authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("answers 401 to a token sent without the Bearer scheme", async () => {
    expect((await post({ Authorization: API_TOKEN })).status).toBe(401);
  });

  it("accepts every configured token (rotation)", async () => {
    expect((await post({ Authorization: `Bearer ${API_TOKEN}` })).status).toBe(200);
    expect((await post({ Authorization: "Bearer next-token-during-rotation" })).status).toBe(200);
  });

  it("serves the GraphiQL page itself without a token", async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { Accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Coexist Hub");
  });
});

describe("GraphQL over WebSocket needs the token in connectionParams", () => {
  const closeCode = (params: Record<string, unknown>) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(app.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: params })));
      socket.on("message", (data) => {
        const msg = wsJson(data);
        if (msg.type === "connection_ack") {
          socket.close(1000);
          resolve(1000);
        }
      });
      socket.on("close", (code) => resolve(code));
      socket.on("error", reject);
    });

  it("closes with 4401 without a token", async () => {
    expect(await closeCode({})).toBe(4401);
  });

  it("closes with 4401 on a wrong token", async () => {
    expect(await closeCode({ Authorization: "Bearer wrong" })).toBe(4401);
  });

  it("acknowledges the connection with a valid token", async () => {
    expect(await closeCode({ Authorization: `Bearer ${API_TOKEN}` })).toBe(1000);
  });
});
