# syntax=docker/dockerfile:1
# periscope-collector: gRPC ingest (4770) and HTTP API (8080).
# Build with the repository root as context:
#   docker build -f deploy/docker/collector.Dockerfile -t periscope-collector .

FROM node:20-bookworm-slim AS build
# pnpm from npm: corepack cannot verify the registry's signatures here (docs: STACK.md).
RUN npm install --global pnpm@10.34.9
# CI=true keeps pnpm non-interactive (it would otherwise ask before replacing node_modules).
ENV CI=true
WORKDIR /src
COPY . .
# The root project ("periscope") brings TypeScript; "@periscope/collector..." is the
# collector and the workspace packages it depends on (proto).
# `deploy --legacy --prod` then writes a self-contained copy with production dependencies
# only (pnpm 10 needs --legacy unless workspace packages are injected).
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile --filter periscope --filter "@periscope/collector..." \
 && pnpm --filter "@periscope/collector..." run build \
 && pnpm --filter @periscope/collector deploy --legacy --prod /deploy/collector

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PERISCOPE_HTTP_HOST=0.0.0.0 \
    PERISCOPE_HTTP_PORT=8080 \
    PERISCOPE_GRPC_ADDR=0.0.0.0:4770 \
    PERISCOPE_DATA_DIR=/var/lib/periscope
WORKDIR /app
# Same path as in the repository, so `node packages/collector/dist/server.js` works in
# both. Code stays root-owned: the service user can read it, not change it.
COPY --from=build /deploy/collector packages/collector
# Data directory of the embedded engine (used when PERISCOPE_STORAGE_URL is empty).
RUN mkdir -p /var/lib/periscope && chown node:node /var/lib/periscope
USER node
EXPOSE 4770 8080
CMD ["node", "packages/collector/dist/server.js"]
