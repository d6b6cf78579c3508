#!/usr/bin/env bash
# The Debian 12 base image every Periscope image is built FROM. No public image registry
# is reachable here, so it is made from Debian's packages with debootstrap and imported
# into podman. Skipped when the image already exists (about a minute otherwise);
# PERISCOPE_REBUILD_BASE=1 makes it again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"

if [ "${PERISCOPE_REBUILD_BASE:-}" != 1 ] && podman image exists "$base_image"; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "images: debootstrap needs root to make $base_image" >&2
  exit 1
fi

# The mirror apt already uses on this host (a deb822 .sources file or sources.list),
# so the image fetches from wherever this machine is allowed to.
mirror=$(
  {
    grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    awk '$1 == "deb" {print $2}' /etc/apt/sources.list 2>/dev/null
  } | grep -v -- '-security' | head -1 || true
)
mirror=${mirror:-http://deb.debian.org/debian}

rootfs=$(mktemp -d /var/tmp/periscope-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "images: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -20 "$rootfs.log" >&2
  echo "images: debootstrap failed (log: $rootfs.log)" >&2
  exit 1
}
rm -f "$rootfs.log"

# Smaller base: apt's downloaded packages and lists (an image that installs more runs
# apt-get update first), documentation, man pages and translations (~130 of 206 MB).
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
# ...and keep packages installed later from bringing them back.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/periscope-nodoc" <<'CFG'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
CFG
cat >"$rootfs/etc/apt/apt.conf.d/periscope-slim" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CFG

tar -C "$rootfs" -c . | podman import --quiet \
  --change 'CMD ["/bin/bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$base_image" >/dev/null
echo "images: made $base_image, $(podman image inspect --format "{{.Size}}" "$base_image" | numfmt --to=si --suffix=B)"
