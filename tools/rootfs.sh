#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make (or reuse) the guest root: a Debian sid minbase with IGT's runner
# and tests. sid is the only suite packaging igt_runner, and IGT's binaries
# need a newer glibc than the host's. The tree is cached as a zstd tarball
# keyed by ROOTFS_VERSION (bump it by hand when the package list changes)
# and unpacked under $NOVA_CACHE/rootfs/.
# Prints the path of the unpacked root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOTFS_VERSION=2
# pciutils: lspci shows nova-sim's GPUs as PCI devices (make check logs it)
PACKAGES=igt-gpu-tools,igt-gpu-tools-tests,kmod,libdrm-tests,busybox,libdrm2,pciutils
MIRROR=${NOVA_DEBIAN_MIRROR:-http://deb.debian.org/debian}

dir=$NOVA_CACHE/rootfs
tarball=$dir/sid-v$ROOTFS_VERSION.tar.zst
root=$dir/sid-v$ROOTFS_VERSION

if [ ! -f "$tarball" ]; then
	msg "debootstrap sid (igt-gpu-tools) from $MIRROR, ~90 s"
	tmp=$dir/build-v$ROOTFS_VERSION
	rm -rf "$tmp"
	mkdir -p "$tmp"
	debootstrap --variant=minbase --include="$PACKAGES" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		sid "$tmp" "$MIRROR" > "$dir/debootstrap.log" 2>&1 ||
		{ tail -20 "$dir/debootstrap.log" >&2; die "debootstrap failed"; }
	chroot "$tmp" dpkg-query -W -f='${Package} ${Version}\n' \
		igt-gpu-tools igt-gpu-tools-tests libdrm2 libc6 > "$tmp/etc/nova-rootfs-versions"
	rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/cache/apt/* \
		"$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* "$tmp"/usr/share/locale/* \
		"$tmp"/usr/share/info/*
	mkdir -p "$tmp/usr/lib/modules" "$tmp/mnt/nova" "$tmp/mnt/share" "$tmp/mnt/results"
	echo "nova-guest" > "$tmp/etc/hostname"
	tar -C "$tmp" -cf - . | zstd -q -10 -T0 -o "$tarball.tmp"
	mv "$tarball.tmp" "$tarball"
	rm -rf "$tmp"
fi

if [ ! -f "$root/.nova-unpacked" ]; then
	rm -rf "$root"
	mkdir -p "$root"
	zstd -q -d -c "$tarball" | tar -C "$root" -xf -
	touch "$root/.nova-unpacked"
fi
# The PID 1 stub is not part of the cached tarball: keep it current.
cmp -s "$NOVA_TOP/tools/guest/nova-init" "$root/nova-init" ||
	install -m 755 "$NOVA_TOP/tools/guest/nova-init" "$root/nova-init"
# Subtest lists of IGT's generic tests, made here natively (a chroot run
# takes milliseconds; in the TCG guest each binary takes seconds to start).
# Where chroot is not allowed, the guest lists them itself.
lists=$root/var/lib/nova-igt-lists
mkdir -p "$lists"
for t in $(sed "s/#.*//" "$NOVA_TOP/tools/guest/igt-generic.txt" 2>/dev/null); do
	[ -f "$lists/$t.txt" ] && continue
	rc=0
	chroot "$root" /usr/libexec/igt-gpu-tools/"$t" --list-subtests \
		> "$lists/$t.txt.tmp" 2>/dev/null || rc=$?
	# 79: a test without subtests
	if [ $rc = 0 ] || [ $rc = 79 ]; then
		mv "$lists/$t.txt.tmp" "$lists/$t.txt"
	else
		rm -f "$lists/$t.txt.tmp"
	fi
done
echo "$root"
