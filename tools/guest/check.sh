#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (make check): collects KUnit results, then runs
# nova's IGT tests and IGT's own generic tests through igt_runner on every
# nova render node. Results go to /mnt/results; the host summarises them.
R=/mnt/results
N=/mnt/nova
IGT=/usr/libexec/igt-gpu-tools
export LD_LIBRARY_PATH=$N/libnova

# KUnit suites of nova's modules ran when the modules loaded.
mkdir -p $R/kunit
for d in /sys/kernel/debug/kunit/nova*; do
	[ -f "$d/results" ] && cp "$d/results" "$R/kunit/$(basename "$d").ktap"
done

# IGT generic tests that apply to a render-only GEM driver.
GENERIC=$(cat $N/tools/guest/igt-generic.txt 2>/dev/null)

listtests() { # dir binaries...
	dir=$1; shift
	for t in "$@"; do
		[ -x "$dir/$t" ] || { echo "check: missing test $dir/$t" >&2; continue; }
		subs=$("$dir/$t" --list-subtests 2>/dev/null)
		if [ -n "$subs" ]; then
			for s in $subs; do echo "igt@$t@$s"; done
		else
			echo "igt@$t"
		fi
	done
}

# nova's suites enabled in make check (the driver features they cover exist).
ours=$(cat $N/tools/guest/igt-ours.txt 2>/dev/null)
for node in /dev/dri/renderD*; do
	[ -e "$node" ] || continue
	minor=${node#/dev/dri/renderD}
	drv=$(basename "$(readlink /sys/class/drm/renderD$minor/device/driver)")
	case "$drv" in *nova*) ;; *) continue ;; esac
	chip=$(cat /sys/class/drm/renderD$minor/device/nova_chip 2>/dev/null)
	[ -n "$chip" ] || chip=render$minor
	# IGT's device filter finds nova's devices by their card node.
	card=$(ls /sys/class/drm/renderD$minor/device/drm | grep '^card' | head -n1)
	dev=drm:/dev/dri/$card
	echo "check: $node is nova on $chip"
	echo "$chip" >> $R/chips
	if [ -n "$ours" ]; then
		listtests $N/igt $ours > /tmp/list-ours
		igt_runner -o -s -m --per-test-timeout 300 \
			-e IGT_DEVICE=$dev -e IGT_FORCE_DRIVER=nova \
			-e LD_LIBRARY_PATH=$LD_LIBRARY_PATH \
			--test-list /tmp/list-ours $N/igt $R/igt-ours-$chip \
			> $R/igt-ours-$chip.log 2>&1
	fi
	if [ -n "$GENERIC" ]; then
		# shellcheck disable=SC2086
		listtests $IGT $GENERIC > /tmp/list-generic
		# The *-snapshot subtests of syncobj_wait/syncobj_timeline start
		# a thread that waits with a short timeout, sleep a fifth of it
		# and assume the thread is inside the wait ioctl by then: under
		# TCG it often is not, and they fail at random (seen on either
		# chip). They exercise only DRM core syncobj code.
		igt_runner -o -s -m --per-test-timeout 120 \
			-x 'igt@syncobj_(wait|timeline)@.*-snapshot' \
			-e IGT_DEVICE=$dev -e IGT_FORCE_DRIVER=nova \
			--test-list /tmp/list-generic $IGT $R/igt-generic-$chip \
			> $R/igt-generic-$chip.log 2>&1
	fi
done
exit 0
