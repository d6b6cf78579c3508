#!/bin/sh
# Regenerates the pinned include/<arch>/vmlinux.h (x86, arm64, or both when
# no argument is given). The output is committed and never edited by hand:
# CO-RE relocations make it valid on other kernels, so it only needs
# regenerating when a newly used kernel type is missing from it.
#
# This machine's architecture: from the running kernel's BTF
# (BTF=<file> overrides /sys/kernel/btf/vmlinux). arm64 on another machine:
# from Debian's arm64 kernel package (fetch-kernel-btf.sh). Each header's
# include/<arch>/SOURCE says which kernel it came from; for a Debian kernel it
# also pins the BTF's sha256, which the CO-RE check (bpf-portability.test.ts)
# fetches again and compares.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

case "$(uname -m)" in
x86_64) host=x86 ;;
aarch64) host=arm64 ;;
*) host=unknown ;;
esac

generate() {
	arch=$1
	mkdir -p "$here/$arch"
	if [ "$arch" = "$host" ]; then
		btf=${BTF:-/sys/kernel/btf/vmlinux}
		if [ ! -r "$btf" ]; then
			echo "gen-vmlinux.sh: $btf not readable (kernel built without CONFIG_DEBUG_INFO_BTF?)" >&2
			exit 1
		fi
		source="kernel=$(uname -r)\nbtf=$btf\n"
	else
		btf=$("$here/fetch-kernel-btf.sh" "$arch" | tail -1)
		source="$(cat "$(dirname "$btf")/$arch.source")\n"
	fi
	tmp=$(mktemp)
	bpftool btf dump file "$btf" format c >"$tmp"
	chmod 644 "$tmp"
	mv "$tmp" "$here/$arch/vmlinux.h"
	printf "%b" "$source" >"$here/$arch/SOURCE"
	echo "btf_sha256=$(sha256sum "$btf" | cut -d' ' -f1)" >>"$here/$arch/SOURCE"
	echo "wrote $here/$arch/vmlinux.h from $btf"
}

for arch in ${*:-x86 arm64}; do
	case "$arch" in
	x86 | arm64) generate "$arch" ;;
	*) echo "gen-vmlinux.sh: unknown architecture $arch (x86, arm64)" >&2; exit 1 ;;
	esac
done
