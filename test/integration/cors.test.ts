import { describe, expect, it } from "vitest";
import { API_TOKEN, startApp } from "../helpers/app.ts";

// CORS is off unless CORS_ORIGINS lists origins; yoga's default echoed any origin with
// credentials allowed (issue #9).
const closed = await startApp();
const open = await startApp({ corsOrigins: ["https://inbox.example.com"] });

const preflight = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
  });
const post = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ query: "{ __typename }" }),
  });

describe("CORS", () => {
  it("sends no CORS headers by default, whatever the origin", async () => {
    for (const res of [await preflight(closed.url, "https://evil.example"), await post(closed.url, "https://evil.example")]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("allows an origin on CORS_ORIGINS, without credentials", async () => {
    const res = await preflight(open.url, "https://inbox.example.com");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://inbox.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect((await post(open.url, "https://inbox.example.com")).headers.get("access-control-allow-origin")).toBe("https://inbox.example.com");
  });

  it("sends no CORS headers to an origin not on the list", async () => {
    const res = await post(open.url, "https://evil.example");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
