# syntax=docker/dockerfile:1
# xiangxun in a container: `docker compose up -d` (see compose.yaml) or build this alone.

# --- build: compile better-sqlite3 against this Node and install production dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source with node-gyp; the toolchain stays in this stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY commands ./commands
COPY data/feeds.json data/regions.json ./data/
COPY src ./src
COPY tsconfig.json ./

# --- run: the sources (run through tsx, as `npm start` does), no compiler, not root ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_PATH=/data/xiangxun.db \
    FEEDS_FILE=/app/data/feeds.json \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
# The database lives on a volume owned by the unprivileged `node` user of the base image.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers while the process runs; Node's own fetch keeps curl out of the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches Node directly (exec form), so deliveries in flight finish before exit.
CMD ["node", "--import", "tsx", "src/index.ts"]
