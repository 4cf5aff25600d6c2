# crossfoot: one image for the worker, the web server and one-off commands (submit, status, search).
#   docker build -t crossfoot .
#   docker run --rm -v "$PWD/reports:/reports:ro" crossfoot check /reports        (no services needed)

# --- build: native addons (better-sqlite3) compile here, TypeScript compiles to dist/
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY bin ./bin
COPY rules ./rules
COPY schema ./schema
# `prepare` runs the TypeScript build during `npm ci`
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# --- runtime: no compilers, no dev dependencies, not root
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/rules ./rules
COPY --from=build /app/schema ./schema
COPY --from=build /app/web ./web
RUN mkdir -p /data/store /data/uploads && chown -R node:node /data
USER node
# the archive's SQLite default, for single-container use; compose sets DATABASE_URL instead
ENV CROSSFOOT_DB=/data/crossfoot.db
ENTRYPOINT ["node", "/app/bin/crossfoot.js"]
CMD ["--help"]
