#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what nova's build, guest and tests need, with apt. Idempotent:
# does nothing when every package is already installed.
set -euo pipefail

pkgs=(
	# guest kernel build
	linux-source-6.12 bc bison flex libelf-dev libssl-dev cpio zstd kmod
	rsync ccache gcc make perl python3 patch
	# lint: sparse (checkpatch and kernel-doc come with the kernel source)
	sparse
	# guest
	qemu-system-x86 debootstrap debian-archive-keyring
	# libnova, novainfo and the IGT tests
	libdrm-dev pkg-config
	# stock-kernel out-of-tree build check
	linux-headers-6.12.117+deb12-amd64
)

missing=()
for p in "${pkgs[@]}"; do
	case "$p" in '#'*) continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "[nova] installing: ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
