#!/bin/sh
# Fetches a Debian kernel package and extracts the kernel's BTF from its
# image into build/btf/<arch>.btf (git-ignored cache): the raw blob is ~5 MB,
# too big to commit, and it is what `bpftool gen min_core_btf` checks the
# objects' CO-RE relocations against.
#
#   fetch-kernel-btf.sh <arch>             newest kernel of Debian's linux-image-<debian arch>
#   fetch-kernel-btf.sh <arch> --pinned    the package, version and BTF sha256 in include/<arch>/SOURCE
#   fetch-kernel-btf.sh <arch> <pin file>  the same, from another file (x86's second kernel)
#
# Needs root (dpkg --add-architecture, apt-get update) and Debian's apt
# mirrors. Prints the path of the BTF file on its last line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bpf=$(dirname "$here")
arch=${1:?usage: fetch-kernel-btf.sh <arch> [--pinned]}
case "$arch" in
arm64) debarch=arm64 ;;
x86) debarch=amd64 ;;
*) echo "fetch-kernel-btf.sh: no Debian kernel for $arch" >&2; exit 1 ;;
esac
pin=""
case "${2:-}" in
"") ;;
--pinned) pin="$here/$arch/SOURCE" ;;
*) pin=$2 ;;
esac

cache="$bpf/build/btf"
out="$cache/$arch.btf"
mkdir -p "$cache"

if [ -n "$pin" ]; then
	# shellcheck disable=SC1090 # package= version= btf_sha256=
	. "$pin"
	if [ -r "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$btf_sha256" ]; then
		echo "$out"
		exit 0
	fi
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "fetch-kernel-btf.sh: needs root to add the $debarch architecture to apt and download its kernel" >&2
	exit 1
fi
if [ ! -e "$cache/.apt-updated-$debarch" ]; then
	[ "$(dpkg --print-architecture)" = "$debarch" ] || dpkg --add-architecture "$debarch"
	apt-get update -qq
	touch "$cache/.apt-updated-$debarch"
fi

if [ -z "$pin" ]; then
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
image=$(echo "$work"/boot/vmlinuz-*)
# arm64's Image is uncompressed; x86's bzImage wraps an xz-compressed vmlinux
# (Debian: CONFIG_KERNEL_XZ=y): decompress from the xz magic on.
if ! grep -q "$(printf '\237\353\001')" "$image" 2>/dev/null || [ "$debarch" = amd64 ]; then
	offset=$(grep -abo "$(printf '\3757zXZ\000')" "$image" | head -1 | cut -d: -f1)
	if [ -n "$offset" ]; then
		tail -c +"$((offset + 1))" "$image" | xz -dc 2>/dev/null >"$work/vmlinux" || true
		image="$work/vmlinux"
	fi
fi
node "$here/extract-btf.mjs" "$image" "$out" >&2
if [ -n "$pin" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" != "$btf_sha256" ]; then
	echo "fetch-kernel-btf.sh: $package=$version gave BTF that differs from $pin" >&2
	exit 1
fi
printf 'package=%s\nversion=%s\n' "$package" "$version" >"$cache/$arch.source"
echo "$out"
