// Yoga's own GraphiQL build (React, GraphiQL, Monaco and its workers) as strings, pinned by the
// lock file. Yoga's default page loads the same build from unpkg.com, which is a blank page offline,
// behind a corporate proxy or under a strict CSP; serving it from the hub removes all three.
// Imported only when a GraphiQL asset is first asked for (graphiql.ts): it is 8.7 MB of source.
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from "@graphql-yoga/render-graphiql/graphiql";

export interface Asset {
  type: string;
  body: Buffer;
  gzipped?: Buffer;
}

/** The page's files by name under /graphiql/, with the script that starts it (graphiql.ts). */
export function graphiqlAssets(startScript: string): ReadonlyMap<string, Asset> {
  const faviconMatch = /^data:([^;]+);base64,(.*)$/s.exec(favicon);
  return new Map<string, Asset>([
    ["start.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(startScript) }],
    ["graphiql.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(js) }],
    ["graphiql.css", { type: "text/css; charset=utf-8", body: Buffer.from(css) }],
    ["editor.worker.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(editorWorkerService) }],
    ["json.worker.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(jsonWorker) }],
    ["graphql.worker.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(graphqlWorker) }],
    ...(faviconMatch ? [["favicon.ico", { type: faviconMatch[1] ?? "image/x-icon", body: Buffer.from(faviconMatch[2] ?? "", "base64") }] as const] : []),
  ]);
}
