import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import sirv from "sirv";
import { sendError } from "../webhooks/route.ts";

/**
 * Serves the console (the single-page app built from console/ by `npm run console:build`) at `/`.
 *
 * Vite names every file under /assets/ after its content hash, so those are cached for a year and
 * never revalidated; index.html names the current hashes, so browsers revalidate it on every load
 * (`no-cache`) and a new build reaches them at once. A path that is no file gets index.html when a
 * browser navigates to it (the app routes on the client: /inbox, /deliveries), and a plain 404 otherwise,
 * so a mistyped API path never answers 200 with a page. Text files are served precompressed
 * (brotli or gzip, made at build) when the browser accepts it.
 */

/** console/dist beside src/ and dist/ alike (this file runs from src/server or dist/server). */
export const CONSOLE_DIST = fileURLToPath(new URL("../../console/dist/", import.meta.url));

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Only what the page needs: its own scripts and styles, GraphQL over HTTP and WebSocket on the
 * same origin (CSP 3 counts ws: of the same host as 'self'), no framing.
 */
const PAGE_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse, notFound: () => void) => void;

export function createConsoleHandler(dir: string = CONSOLE_DIST): ConsoleHandler {
  if (!existsSync(`${dir}index.html`)) {
    // A clone where the console was not built (e.g. `npm install --ignore-scripts`): say how to get it.
    return (req, res, notFound) => {
      if (!acceptsHtml(req)) return notFound();
      sendError(res, "NOT_FOUND", "The console is not built: run `npm run console:build`, then reload. The API is at /graphql.");
    };
  }
  const files = sirv(dir, {
    dev: false,
    etag: true,
    // The build writes .br and .gz beside each text file (console/vite.config.ts): served as they
    // are to browsers that accept them (Content-Encoding, Vary: Accept-Encoding), nothing compressed per request.
    brotli: true,
    gzip: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      res.setHeader("X-Content-Type-Options", "nosniff");
      if (pathname.startsWith("/assets/")) return res.setHeader("Cache-Control", IMMUTABLE);
      // index.html (sirv names it "/" or "/index.html") and the few unhashed files beside it.
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("Content-Security-Policy", PAGE_POLICY);
      res.setHeader("Referrer-Policy", "no-referrer");
    },
  });
  return (req, res, notFound) => {
    if (req.method !== "GET" && req.method !== "HEAD") return notFound();
    files(req, res, () => {
      if (!acceptsHtml(req)) return notFound();
      req.url = "/index.html";
      files(req, res, notFound);
    });
  };
}

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
}
