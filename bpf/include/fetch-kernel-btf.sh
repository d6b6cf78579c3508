#!/bin/sh
# Fetches a Debian kernel package for another architecture and extracts the
# kernel's BTF from its image into build/btf/<arch>.btf (git-ignored cache):
# the raw blob is ~5 MB, too big to commit, and it is what
# `bpftool gen min_core_btf` checks the objects' CO-RE relocations against.
#
#   fetch-kernel-btf.sh <arch>           newest kernel of Debian's linux-image-<arch>
#   fetch-kernel-btf.sh <arch> --pinned  the package and version in include/<arch>/SOURCE
#
# Needs root (dpkg --add-architecture, apt-get update) and Debian's apt
# mirrors. Prints the path of the BTF file on its last line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bpf=$(dirname "$here")
arch=${1:?usage: fetch-kernel-btf.sh <arch> [--pinned]}
case "$arch" in
arm64) debarch=arm64 ;;
*) echo "fetch-kernel-btf.sh: no Debian image recipe for $arch (x86 comes from the running kernel)" >&2; exit 1 ;;
esac

cache="$bpf/build/btf"
out="$cache/$arch.btf"
mkdir -p "$cache"

if [ "${2:-}" = "--pinned" ]; then
	# shellcheck disable=SC1090 # package= version= btf_sha256=
	. "$here/$arch/SOURCE"
	if [ -r "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$btf_sha256" ]; then
		echo "$out"
		exit 0
	fi
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "fetch-kernel-btf.sh: needs root to add the $debarch architecture to apt and download its kernel" >&2
	exit 1
fi
if ! dpkg --print-foreign-architectures | grep -qx "$debarch" || [ ! -e "$cache/.apt-updated-$debarch" ]; then
	dpkg --add-architecture "$debarch"
	apt-get update -qq
	touch "$cache/.apt-updated-$debarch"
fi

if [ "${2:-}" != "--pinned" ]; then
	# linux-image-arm64 depends on linux-image-<abi>-arm64; the -unsigned
	# variant holds the same image without the secure-boot wrapper.
	signed=$(apt-cache depends "linux-image-$debarch:$debarch" | sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
	package="$signed-unsigned"
	version=$(apt-cache show "$package:$debarch" | sed -n 's/^Version: //p' | head -1)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "$package:$debarch=$version" 2>/dev/null) || {
	echo "fetch-kernel-btf.sh: cannot download $package=$version for $debarch from apt (gone from the mirror? regenerate: make -C bpf vmlinux)" >&2
	exit 1
}
dpkg-deb --fsys-tarfile "$work"/*.deb | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
node "$here/extract-btf.mjs" "$work"/boot/vmlinuz-* "$out" >&2
if [ "${2:-}" = "--pinned" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" != "$btf_sha256" ]; then
	echo "fetch-kernel-btf.sh: $package=$version gave BTF that differs from include/$arch/SOURCE" >&2
	exit 1
fi
printf 'package=%s\nversion=%s\n' "$package" "$version" >"$cache/$arch.source"
echo "$out"
