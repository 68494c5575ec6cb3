import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { CONSOLE_DIST, createConsoleHandler } from "../../src/server/console.ts";

/** The console's static serving on a real port, over a built-looking folder of its own. */
describe("console static files", () => {
  let dir: string;
  let base: string;
  let close: () => Promise<void>;

  const serve = async (root: string) => {
    const handler = createConsoleHandler(root);
    const server = createServer((req, res) =>
      handler(req, res, () => {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end('{"error":"no route"}');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  };

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), "console-dist-")), "dist/");
    mkdirSync(join(dir, "assets"), { recursive: true });
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
    writeFileSync(join(dir, "assets", "index-AbC123.js"), "console.log(1)");
    writeFileSync(join(dir, "assets", "index-AbC123.css"), "body{}");
    writeFileSync(join(dir, ".secret"), "dotfile");
    const server = await serve(dir);
    base = server.url;
    close = server.close;
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (path: string) => fetch(base + path, { headers: { Accept: "text/html,application/xhtml+xml" } });

  it("serves index.html at / as HTML that browsers revalidate on every load, under a strict content policy", async () => {
    const res = await page("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toContain("<title>console</title>");
  });

  it("caches hashed assets for a year as immutable, with their content types", async () => {
    const js = await fetch(`${base}/assets/index-AbC123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const css = await fetch(`${base}/assets/index-AbC123.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("answers a browser navigating to a client-side route with index.html", async () => {
    const res = await page("/inbox/some-thread");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<title>console</title>");
  });

  it("answers an unknown path that is not a page navigation with the 404, not the page", async () => {
    const res = await fetch(`${base}/api/v1/things`, { headers: { Accept: "application/json" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "no route" });
    expect((await fetch(`${base}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: "POST", headers: { Accept: "text/html" } })).status).toBe(404);
  });

  it("never serves dotfiles or anything outside the folder", async () => {
    expect((await fetch(`${base}/.secret`)).status).toBe(404);
    for (const path of ["/..%2f..%2fetc%2fpasswd", "/assets/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd"]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("root:");
    }
  });

  it("tells a browser how to build the console when it was not built", async () => {
    const empty = mkdtempSync(join(tmpdir(), "console-unbuilt-"));
    const server = await serve(`${empty}/`);
    try {
      const res = await fetch(`${server.url}/`, { headers: { Accept: "text/html" } });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("npm run console:build");
      expect((await fetch(`${server.url}/x`, { headers: { Accept: "application/json" } })).status).toBe(404);
    } finally {
      await server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/** The console as `npm run console:build` made it: its text files come precompressed. */
describe("the built console's compression", () => {
  const get = (url: string, acceptEncoding: string | null) =>
    new Promise<{ status: number; encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
      // node:http, not fetch: fetch asks for compression itself and hides Content-Encoding's effect.
      request(url, { headers: acceptEncoding === null ? {} : { "Accept-Encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], vary: res.headers.vary, body: Buffer.concat(chunks) }),
        );
      })
        .on("error", reject)
        .end();
    });

  let base: string;
  let script: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const html = readFileSync(join(CONSOLE_DIST, "index.html"), "utf8");
    script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? "index.html names no script: is console/dist built?";
    const handler = createConsoleHandler();
    const server = createServer((req, res) => handler(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () => new Promise<void>((r) => server.close(() => r()));
  });
  afterAll(() => stop());

  it("serves the script brotli-compressed to a browser that accepts br, the same bytes once decoded", async () => {
    const plain = readFileSync(join(CONSOLE_DIST, script));
    const res = await get(base + script, "gzip, deflate, br");
    expect(res).toMatchObject({ status: 200, encoding: "br", vary: "Accept-Encoding" });
    expect(res.body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(res.body).equals(plain)).toBe(true);
  });

  it("serves gzip to a client that accepts only gzip, and the plain file to one that accepts none", async () => {
    const plain = readFileSync(join(CONSOLE_DIST, script));
    const gz = await get(base + script, "gzip");
    expect(gz.encoding).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);
    const identity = await get(base + script, null);
    expect(identity.encoding).toBeUndefined();
    expect(identity.body.equals(plain)).toBe(true);
  });
});
