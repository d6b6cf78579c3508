#!/bin/sh
# Regenerates the pinned vmlinux.h for this machine's architecture from the
# running kernel's BTF. The output is committed and never edited by hand:
# CO-RE relocations make it valid on other kernels, so it only needs
# regenerating when a newly used kernel type is missing from it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
btf=${BTF:-/sys/kernel/btf/vmlinux}

case "$(uname -m)" in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "gen-vmlinux.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

if [ ! -r "$btf" ]; then
	echo "gen-vmlinux.sh: $btf not readable (kernel built without CONFIG_DEBUG_INFO_BTF?)" >&2
	exit 1
fi

mkdir -p "$here/$arch"
tmp=$(mktemp)
bpftool btf dump file "$btf" format c >"$tmp"
mv "$tmp" "$here/$arch/vmlinux.h"
echo "wrote $here/$arch/vmlinux.h from $btf ($(uname -r))"
