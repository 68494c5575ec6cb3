import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

/**
 * The console's build: `npm run console:build` (run by `npm install`) writes console/dist, which
 * the hub serves at `/` (src/server/console.ts). `npm run console:dev` serves the sources with
 * reload, forwarding GraphQL (HTTP and WebSocket) to a hub on HUB_URL (default localhost:4000).
 */
const hub = process.env.HUB_URL ?? "http://localhost:4000";

/** Text files worth compressing; smaller ones gain too little to be worth a second request path. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
const MIN_BYTES = 1024;

/**
 * Writes `<file>.br` and `<file>.gz` beside each built text file, at the strongest settings (the
 * cost is paid once, at build): src/server/console.ts serves them to browsers that accept them.
 */
function precompress(): Plugin {
  return {
    name: "coexist-hub-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const path = join(dir, fileName);
        const bytes = readFileSync(path);
        if (bytes.length < MIN_BYTES) continue;
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [precompress()],
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  // The page loads nothing from elsewhere: no CDN fonts or scripts (the hub's CSP forbids them).
  build: { outDir: "dist", emptyOutDir: true, assetsInlineLimit: 0, target: "es2022", reportCompressedSize: false },
  oxc: { jsx: { runtime: "automatic" } },
  server: { proxy: { "/graphql": { target: hub, ws: true } } },
});
