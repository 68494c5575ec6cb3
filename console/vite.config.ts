import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The console's build: `npm run console:build` (run by `npm install`) writes console/dist, which
 * the hub serves at `/` (src/server/console.ts). `npm run console:dev` serves the sources with
 * reload, forwarding GraphQL (HTTP and WebSocket) to a hub on HUB_URL (default localhost:4000).
 */
const hub = process.env.HUB_URL ?? "http://localhost:4000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  // The page loads nothing from elsewhere: no CDN fonts or scripts (the hub's CSP forbids them).
  build: { outDir: "dist", emptyOutDir: true, assetsInlineLimit: 0, target: "es2022", reportCompressedSize: false },
  oxc: { jsx: { runtime: "automatic" } },
  server: { proxy: { "/graphql": { target: hub, ws: true } } },
});
