# Miniscope in one image: the server, its dashboard and the embedded event store (chdb).
#   docker build -t miniscope .
#   docker run -d -p 3000:3000 -v miniscope-data:/data miniscope      (or: docker compose up -d)
# Data lives in the /data volume; the server runs as an unprivileged user (uid 10001).
# Most of the image is the embedded ClickHouse engine that chdb's npm package ships (one ~570 MB
# library); docs/deploy.md states the measured size. BASE and BUILD_BASE default to the public
# Node 20 images; scripts/container/test.sh builds with local ones where no registry is reachable.
ARG BASE=node:20-bookworm-slim
ARG BUILD_BASE=node:20-bookworm

# The dashboard and the mini-program SDK (served at /sdk/*), built with the development
# dependencies (Vite, esbuild, TypeScript); only their dist/ is kept.
FROM ${BUILD_BASE} AS web
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
# No install scripts: the dashboard needs no native addon (better-sqlite3 is built in `deps`).
RUN npm ci --ignore-scripts --no-audit --no-fund --include-workspace-root \
      --workspace @miniscope/web --workspace @miniscope/sdk
COPY scripts/build-web.mjs scripts/
COPY packages/contract packages/contract
COPY packages/web packages/web
COPY packages/sdk packages/sdk
RUN node scripts/build-web.mjs --force && npm run build -w @miniscope/sdk

# The server's production dependencies only (npm ci --omit=dev), native addons built here, where
# the build base has compilers; nothing of this stage but node_modules reaches the image.
FROM ${BUILD_BASE} AS deps
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
# --ignore-scripts keeps the root's postinstall (a dashboard build) out; better-sqlite3's own
# install step (a prebuilt binary, or a compile) is then run by name.
# Of better-sqlite3 only its addon is kept: its SQLite sources and object files are 26 MB.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @miniscope/server \
 && npm rebuild better-sqlite3 --workspace @miniscope/server \
 && cd packages/server/node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node . && rm -rf build deps src \
 && mkdir -p build/Release && mv better_sqlite3.node build/Release/ \
 && node -e "require('better-sqlite3')(':memory:').close()"

FROM ${BASE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MINISCOPE_DATA_DIR=/data \
    UV_THREADPOOL_SIZE=16
WORKDIR /app
RUN groupadd --system --gid 10001 miniscope \
 && useradd --system --uid 10001 --gid miniscope --home-dir /data --no-create-home --shell /usr/sbin/nologin miniscope \
 && mkdir /data && chown miniscope:miniscope /data \
 && ln -s /app/packages/server/bin/miniscope.mjs /usr/local/bin/miniscope
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/packages/server/node_modules packages/server/node_modules
COPY package.json ./
COPY packages/contract packages/contract
COPY packages/server packages/server
COPY --from=web /src/packages/web/dist packages/web/dist
COPY --from=web /src/packages/sdk/package.json packages/sdk/
COPY --from=web /src/packages/sdk/dist packages/sdk/dist
USER miniscope
VOLUME /data
EXPOSE 3000
# GET /health answers from the process alone (liveness); /health/ready also asks the event store.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) makes the server write queued events and close the store before it exits.
STOPSIGNAL SIGTERM
CMD ["node", "packages/server/bin/miniscope.mjs", "start"]
