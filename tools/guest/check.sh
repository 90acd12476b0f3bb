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

# Checks run as plain programs: "name status" lines the host's summary reads.
: > $R/programs.txt

# IGT generic tests that apply to a render-only GEM driver ('#' comments).
GENERIC=$(sed 's/#.*//' $N/tools/guest/igt-generic.txt 2>/dev/null)

listtests() { # dir binaries...
	dir=$1; shift
	for t in "$@"; do
		[ -x "$dir/$t" ] || { echo "check: missing test $dir/$t" >&2; continue; }
		# lists of IGT's tests made on the host (tools/rootfs.sh)
		if [ "$dir" = "$IGT" ] && [ -f "/var/lib/nova-igt-lists/$t.txt" ]; then
			subs=$(cat "/var/lib/nova-igt-lists/$t.txt")
		else
			subs=$("$dir/$t" --list-subtests 2>/dev/null)
		fi
		if [ -n "$subs" ]; then
			for s in $subs; do echo "igt@$t@$s"; done
		else
			echo "igt@$t"
		fi
	done
}

# nova's suites enabled in make check (the driver features they cover exist).
ours=$(cat $N/tools/guest/igt-ours.txt 2>/dev/null)

# The nova render nodes: "node chip card" lines.
nova_devices() {
for node in /dev/dri/renderD*; do
	[ -e "$node" ] || continue
	minor=${node#/dev/dri/renderD}
	drv=$(basename "$(readlink "/sys/class/drm/renderD$minor/device/driver")")
	case "$drv" in *nova*) ;; *) continue ;; esac
	chip=$(cat "/sys/class/drm/renderD$minor/device/nova_chip" 2>/dev/null)
	[ -n "$chip" ] || chip=render$minor
	# IGT's device filter finds nova's devices by their card node.
	card=
	for c in "/sys/class/drm/renderD$minor/device/drm"/card*; do
		[ -e "$c" ] && { card=${c##*/}; break; }
	done
	echo "$node $chip $card"
done
}
nova_devices > /tmp/nova-devices
[ -s /tmp/nova-devices ] || exit 0
while read -r node chip card; do
	echo "check: $node is nova on $chip"
	echo "$chip" >> $R/chips
done < /tmp/nova-devices

# libnova's own checks (enumeration, wrap, versions, syncs). There are
# nova devices, all simulated (-s): api-test finding none (77) is a failure.
if $N/libnova/api-test -v -s > $R/api-test.log 2>&1; then st=pass; else st=fail; fi
echo "prog@libnova@api-test $st" >> $R/programs.txt

# The GPUs as PCI devices (nova-sim's host bridge), and novainfo naming
# each one's PCI address, the DRM device's parent.
lspci -nn > $R/lspci.txt 2>&1
st=pass
$N/libnova/novainfo > $R/novainfo.log 2>&1 || st=fail
while read -r node chip card; do
	addr=$(basename "$(readlink -f "/sys/class/drm/$card/device")")
	grep -q "PCI address: *$addr\$" $R/novainfo.log ||
		{ echo "check: novainfo does not show $addr for $card" >&2; st=fail; }
done < /tmp/nova-devices
echo "prog@novainfo@bus-id $st" >> $R/programs.txt

# igt_runner over one chip: name, test root, test list, device, options.
# Results go to tmpfs first (igt_runner syncs every write, slow on 9p) and
# are copied to the share when the run ends. Its stdin is /dev/null: the
# callers loop over device lists on stdin, which a test must not eat.
runigt() {
	name=$1 root=$2 list=$3 dev=$4
	shift 4
	[ -s "$list" ] || return 0
	mkdir -p /tmp/igt
	echo "$name" > /tmp/igt-current
	igt_runner -o -s -m "$@" \
		-e IGT_DEVICE="$dev" -e IGT_FORCE_DRIVER=nova \
		-e LD_LIBRARY_PATH="$LD_LIBRARY_PATH" \
		--test-list "$list" "$root" "/tmp/igt/$name" > "/tmp/igt/$name.log" 2>&1 \
		< /dev/null
	cp -a "/tmp/igt/$name" "/tmp/igt/$name.log" $R/
}

# The test lists are the same for every chip: list the subtests once
# (starting an IGT binary takes seconds under TCG).
# shellcheck disable=SC2086
[ -n "$ours" ] && listtests $N/igt $ours > /tmp/list-ours
# shellcheck disable=SC2086
[ -n "$GENERIC" ] && listtests $IGT $GENERIC > /tmp/list-generic
listtests $N/igt nova_unplug > /tmp/list-unplug

# Progress for the host (tools/progress.sh): "DONE TOTAL RUNNER" in
# $R/progress every 30 s. igt_runner (-m) makes a directory per binary it
# starts. Our tests print their subtests, so its journal.txt gets a line
# per subtest begun, then "exit:...". IGT's own tests talk to the runner
# over a socket instead: their journal stays empty until the end, and
# each finished subtest shows up in the binary "comms" file as a record
# whose NUL-separated fields hold the result word.
total=$(( $(cat /tmp/list-ours /tmp/list-generic /tmp/list-unplug 2>/dev/null | wc -l) *
	  $(wc -l < /tmp/nova-devices) ))
(
	while sleep 30; do
		a=$(cat /tmp/igt/igt-*/[0-9]*/journal.txt 2>/dev/null |
			grep -cvE '^(exit|timeout|abort):')
		b=$(cat /tmp/igt/igt-*/[0-9]*/comms 2>/dev/null | tr '\0' '\n' |
			grep -caE '^(SUCCESS|FAIL|SKIP|CRASH|TIMEOUT|ABORT)$')
		echo "$((a + b)) $total $(cat /tmp/igt-current 2>/dev/null)" > $R/progress
	done
) &
progress_pid=$!

# Chip by chip: igt_runner attributes kernel messages (and the subtest
# markers tests write to the kernel log) to whatever test it runs, so two
# runners at once would mix their results up.
while read -r node chip card; do
	dev=drm:/dev/dri/$card
	runigt "igt-ours-$chip" $N/igt /tmp/list-ours "$dev" --per-test-timeout 300
	# The *-snapshot subtests of syncobj_wait/syncobj_timeline start a
	# thread that waits with a short timeout, sleep a fifth of it and
	# assume the thread is inside the wait ioctl by then: under TCG it
	# often is not, and they fail at random (seen on either chip). The
	# *delayed* ones arm a timer that signals after SHORT_TIME_NSEC and
	# wait with a deadline of twice that: a TCG stall longer than the
	# margin fails them (seen on gh100: wait-delayed-signal). Both kinds
	# exercise only DRM core syncobj code, and a failure there also makes
	# IGT dump its log to stderr, which igt_runner turns into "warn" for
	# every subtest named in the dump.
	runigt "igt-generic-$chip" $IGT /tmp/list-generic "$dev" --per-test-timeout 120 \
		-x 'igt@syncobj_(wait|timeline)@(.*-snapshot|.*delayed.*)'
done < /tmp/nova-devices

# Last: the unplug suite unbinds and rebinds each GPU's drivers (nothing
# may run on a GPU after it). Devices are looked up again by chip, since
# core_hotunplug rebinding them gave them new node numbers.
nova_devices > /tmp/nova-devices-now
while read -r node chip card; do
	runigt "igt-unplug-$chip" $N/igt /tmp/list-unplug "drm:/dev/dri/$card" \
		--per-test-timeout 300
done < /tmp/nova-devices-now
kill $progress_pid 2>/dev/null
exit 0
