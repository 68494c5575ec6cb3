import { gzipSync } from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";
import { sendError } from "../webhooks/route.ts";
import type { Asset } from "./graphiqlBundle.ts";

/** Where the page's scripts, styles and Monaco workers are served (same origin as /graphql). */
export const GRAPHIQL_ASSETS_PATH = "/graphiql/";

/**
 * Everything the page loads comes from the hub. Monaco and GraphiQL set element styles at run
 * time (positions, sizes), which only 'unsafe-inline' in style-src allows; scripts stay 'self'
 * only, so injected markup cannot run code.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Runs before GraphiQL's bundle: tells Monaco where its workers are, then renders GraphiQL with
 * the options the page carries as JSON (a JSON block is data, not code, so the CSP stays 'self').
 *
 * The token lives only in the Headers pane, so the page must not ask anything before it is there:
 * GraphiQL fetches the schema at once, and the hub's 401 ("missing or invalid bearer token") would
 * fill the result pane and the console before the user has typed a thing. So a schema request
 * without a token is held (GraphiQL shows no schema yet) and sent once the pane has one, with the
 * pane's headers. After that, a change of headers fetches the schema again (a wrong token then a
 * right one). A new tab (+) starts with the headers of the tab it was opened from, not the
 * "Bearer " placeholder. Queries the user runs without a token still go out, and say why they fail.
 */
const START_SCRIPT = `"use strict";
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (_moduleId, label) => ${JSON.stringify(GRAPHIQL_ASSETS_PATH)} + ({ json: "json.worker.js", graphql: "graphql.worker.js" }[label] || "editor.worker.js"),
};
const endpoint = new URL(location.pathname, location.href).href;
const send = globalThis.fetch.bind(globalThis);
const isBearer = (value) => /^Bearer\\s+\\S/i.test(String(value ?? ""));
const hasToken = (headers) => isBearer(headers.get("authorization"));
const held = [];
globalThis.fetch = (input, init) => {
  const request = new Request(input, init);
  const introspection = typeof init?.body === "string" && init.body.includes("__schema");
  if (!introspection || request.url.split("?")[0] !== endpoint || hasToken(request.headers)) return send(request);
  return new Promise((resolve, reject) => held.push((paneHeaders) => {
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(paneHeaders)) try { headers.set(name, String(value)); } catch {}
    send(new Request(request, { headers })).then(resolve, reject);
  }));
};
addEventListener("DOMContentLoaded", () => {
  const options = JSON.parse(document.getElementById("graphiql-options").textContent);
  let lastHeaders = null;
  let withToken = null;
  let timer = 0;
  options.onEditHeaders = (text) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      let headers;
      try { headers = JSON.parse(text); } catch { return; }
      if (typeof headers !== "object" || headers === null) return;
      // The pane is JSON the user types: read its Authorization by hand (new Headers would throw on a bad name).
      // Kept for new tabs only while it holds a token: a pane emptied on purpose stays empty in the next tab.
      withToken = Object.entries(headers).some(([name, value]) => name.toLowerCase() === "authorization" && isBearer(value)) ? text : null;
      const key = JSON.stringify(headers);
      if (key === lastHeaders) return;
      lastHeaders = key;
      if (withToken === text && held.length) return held.splice(0).forEach((release) => release(headers));
      const refetch = document.querySelector('button[aria-label^="Re-fetch GraphQL schema"]');
      if (refetch) refetch.click();
    }, 500);
  };
  options.onTabChange = ({ tabs, activeTabIndex }) => {
    const tab = tabs[activeTabIndex];
    const fresh = activeTabIndex === tabs.length - 1 && !tab.query && (tab.headers ?? options.headers) === options.headers;
    if (!fresh || withToken === null) return;
    const carried = withToken;
    // After GraphiQL has made the tab current (it calls this before), or the edit would land on the tab left.
    setTimeout(() => {
      const model = globalThis.__MONACO?.editor.getModels().find((m) => m.uri.path.endsWith("request-headers.json"));
      if (model && model.getValue() === options.headers) model.setValue(carried);
    });
  };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), options);
});
`;

/**
 * The page's scripts, styles and workers (graphiqlBundle.ts), loaded on the first request for one.
 * Loaded at start-up they were ~40 MB of every hub's heap — the 8.7 MB module's source and its
 * strings (two bytes a character) and a Buffer of each — GraphiQL on or off (bench/ANALYSIS.md).
 */
let bundle: Promise<ReadonlyMap<string, Asset>> | undefined;
const loadBundle = () => (bundle ??= import("./graphiqlBundle.ts").then((m) => m.graphiqlAssets(START_SCRIPT)));

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page itself: no inline script, no third-party URL. */
export function renderGraphiQLPage(options: GraphiQLOptions): string {
  // "<" escaped so no option text can close the JSON block early.
  const json = JSON.stringify(options ?? {}).replace(/</g, "\\u003c");
  const at = GRAPHIQL_ASSETS_PATH;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options?.title ?? "GraphiQL")}</title>
<link rel="icon" href="${at}favicon.ico">
<link rel="stylesheet" href="${at}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script type="application/json" id="graphiql-options">${json}</script>
<script src="${at}start.js"></script>
<script src="${at}graphiql.js"></script>
</body>
</html>`;
}

/** Adds the CSP to the page Yoga renders (its other answers are JSON and need none). */
export const graphiqlCsp: Plugin = {
  onResponse({ response }) {
    if ((response.headers.get("content-type") ?? "").includes("text/html")) response.headers.set("Content-Security-Policy", GRAPHIQL_CSP);
  },
};

/**
 * Serves one of the page's assets, or null when the path is not one (the promise settles once
 * answered; it rejects only if the bundle cannot be loaded). The files are public (they are an npm
 * package) and immutable for a given install, so browsers may keep them for a day.
 */
export function serveGraphiqlAsset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> | null {
  if (!pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return null;
  if (req.method !== "GET" && req.method !== "HEAD") return Promise.resolve(sendError(res, "NOT_FOUND", "no such GraphiQL asset"));
  return loadBundle().then((assets) => {
    const asset = assets.get(pathname.slice(GRAPHIQL_ASSETS_PATH.length));
    if (!asset) return sendError(res, "NOT_FOUND", "no such GraphiQL asset");
    // The main bundle is 5 MB and compresses to a fifth; compressed once, on first use.
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? (asset.gzipped ??= gzipSync(asset.body)) : asset.body;
    res.writeHead(200, {
      "Content-Type": asset.type,
      "Content-Length": body.length,
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": GRAPHIQL_CSP,
      "X-Content-Type-Options": "nosniff",
      Vary: "Accept-Encoding",
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}

const WELCOME = `# Welcome to Coexist Hub's GraphiQL.
#
# 1. Put an API token in the Headers pane below:
#      {"Authorization": "Bearer <token>"}
#    Tokens are the server's API_TOKENS. In development
#    the first start generates one and keeps it in
#    data/dev-secrets.env; every start's log says
#    which file (npm run hub -- secrets API_TOKENS
#    prints the token).
#    Docs and autocompletion load once the header is set;
#    a new tab (+) keeps it.
# 2. Run with the play button (Ctrl-Enter). Subscriptions
#    stream events into the result pane until you stop
#    them: run this one, then post a signed webhook
#    (npm run hub -- simulate all).

subscription Disconnections {
  disconnections {
    wabaId
    kind
    reason
    initiatedBy
    occurredAt
    resolvedAt
    recommendedAction
  }
}
`;

/**
 * GraphiQL's settings. Subscriptions go over Server-Sent Events: GraphiQL sends the Headers pane
 * with every HTTP request (the SSE stream included), but never with a WebSocket's connection_init,
 * so over graphql-ws the token would not reach the server.
 */
export function graphiqlOptions(): GraphiQLOptions {
  return {
    title: "Coexist Hub",
    subscriptionsProtocol: "SSE",
    defaultQuery: WELCOME,
    headers: JSON.stringify({ Authorization: "Bearer " }, null, 2),
  };
}
