#!/usr/bin/env bash
# Installs what Periscope needs from Debian and npm when it is missing; a no-op
# (a few dpkg look-ups) when everything is there, so `make` stays fast.
set -euo pipefail

# clang/llvm/libbpf/libelf/zlib/bpftool: the eBPF objects and the addon;
# g++/python3/make: node-gyp; chromium: the browser tests; curl: kernel tests;
# nftables: the TCP health test drops packets on a veth pair (no netem here);
# openssl: the TLS tests make a self-signed certificate.
# docker-compose: the chart tests validate docker-compose.yml with `docker-compose config`.
apt_packages=(clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool pkg-config make g++ python3 curl chromium iproute2 nftables openssl docker-compose)
pnpm_version=10.34.9

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}; run make as root or install them with apt-get" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version"
  npm install -g --silent "pnpm@$pnpm_version"
fi
