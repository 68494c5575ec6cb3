# syntax=docker/dockerfile:1
# Production image: `docker build -t coexist-hub .` — see docs/production.md.

# Build: full image (python3, make, g++ for better-sqlite3 when no prebuilt binary fits).
FROM node:20.20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
# postinstall generates the Prisma clients (offline) and compiles src/ into dist/.
RUN npm ci && npm prune --omit=dev && touch dist/.tsbuildinfo

# Run: slim image, no compilers, no dev dependencies, not root.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# The SQLite default lives here; with PostgreSQL it stays empty.
RUN mkdir -p /app/data && chown node:node /app/data && touch /app/dist/.tsbuildinfo
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "start"]
