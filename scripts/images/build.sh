#!/usr/bin/env bash
# `make images`: the Debian 12 base (debootstrap, once), the host-built artefacts staged,
# then periscope-{collector,ui,agent}:local built with podman from the repository root.
# podman keeps each step as a layer, so an unchanged component rebuilds in seconds.
# Prints each image's build time and size.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
cd "$repo_root"

command -v podman >/dev/null || {
  echo "images: podman is missing (apt-get install podman runc debootstrap)" >&2
  exit 1
}
bash "$images_dir/base.sh"
bash "$images_dir/stage.sh"

components=(${PERISCOPE_IMAGES:-collector ui agent})
for component in "${components[@]}"; do
  started=$(date +%s.%N)
  log=$(mktemp)
  if ! podman build --layers --build-arg "BASE_IMAGE=$base_image" \
    --ignorefile "deploy/docker/$component.Dockerfile.dockerignore" \
    -f "deploy/docker/$component.Dockerfile" -t "periscope-$component:$image_tag" . >"$log" 2>&1; then
    tail -30 "$log" >&2
    rm -f "$log"
    echo "images: building periscope-$component failed" >&2
    exit 1
  fi
  rm -f "$log"
  seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  size=$(podman image inspect --format '{{.Size}}' "periscope-$component:$image_tag" | numfmt --to=si --suffix=B)
  printf 'images: periscope-%s:%s built in %.1f s, %s\n' "$component" "$image_tag" "$seconds" "$size"
done
# Images a rebuild replaced (and a failed build's layers) are left untagged: removed, so
# repeated builds do not fill the disk. The layers the current images use stay cached.
podman image prune --force >/dev/null
