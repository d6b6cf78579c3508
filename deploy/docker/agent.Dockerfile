# syntax=docker/dockerfile:1
# periscope-agent: loads the eBPF socket tracer and streams records to the collector.
# Runs as root: attaching eBPF programs needs CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN anyway
# (the DaemonSet and docker-compose.yml run it privileged with the host's pid namespace).
# Build with the repository root as context:
#   docker build -f deploy/docker/agent.Dockerfile -t periscope-agent .

FROM node:20-bookworm-slim AS build
# clang/llvm compile the BPF object; libbpf-dev, libelf-dev, zlib1g-dev, make, g++ and
# python3 (node-gyp) build the native addon that loads it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm libbpf-dev libelf-dev zlib1g-dev make g++ python3 \
 && rm -rf /var/lib/apt/lists/*
# pnpm from npm: corepack cannot verify the registry's signatures here (docs: STACK.md).
RUN npm install --global pnpm@10.34.9
ENV CI=true
WORKDIR /src
COPY . .
RUN make -C bpf
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile --filter periscope --filter "@periscope/agent..." \
 && pnpm --filter "@periscope/agent..." run build \
 && pnpm --filter @periscope/agent deploy --legacy --prod /deploy/agent
# Node's headers ship with the image under /usr/local; without --nodedir node-gyp would
# try to download them.
RUN cd packages/agent && pnpm exec node-gyp rebuild --nodedir=/usr/local

FROM node:20-bookworm-slim
# Run-time libraries of the addon (linked with -lbpf -lelf -lz).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 libelf1 zlib1g \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PERISCOPE_BPF_OBJECT=/app/bpf/build/socket_trace.bpf.o
WORKDIR /app
# The repository's layout: the addon is found at packages/agent/build/Release and the
# BPF object at bpf/build, relative to the agent's compiled modules.
COPY --from=build /deploy/agent packages/agent
COPY --from=build /src/packages/agent/build/Release/periscope_native.node packages/agent/build/Release/
COPY --from=build /src/bpf/build/socket_trace.bpf.o bpf/build/
CMD ["node", "packages/agent/dist/main.js"]
