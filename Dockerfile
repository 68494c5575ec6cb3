# syntax=docker/dockerfile:1
# Production image: `docker build -t coexist-hub .` — see docs/production.md. No Docker engine runs
# where this is developed: test/image/dockerfile.test.ts replays these stages without one (npm run test:image).

# Build: full image (python3, make, g++ for better-sqlite3 when no prebuilt binary fits).
FROM node:20.20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY console ./console
# postinstall generates the Prisma clients (offline), compiles src/ into dist/ and builds the
# console into console/dist. data/ holds the SQLite default; with PostgreSQL it stays empty.
RUN npm ci && npm prune --omit=dev && mkdir -p data

# Run: slim image, no compilers, no dev dependencies, not root.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself, not `npm start`: it is PID 1's only child and gets the runtime's SIGTERM first hand
# (the hub then finishes what it holds and exits within SHUTDOWN_GRACE_MS). Same flags as `npm start`.
CMD ["node", "--liftoff-only", "--heap-growing-percent=100", "--v8-pool-size=1", "dist/main.js"]
