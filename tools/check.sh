#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, lint, boot the debug guest once and run
# KUnit, nova's IGT tests and IGT's generic tests on every simulated chip,
# check the guest's kernel log for splats, and summarise. The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero on any
# failure or splat. Every result: $NOVA_BUILD/check/results.txt.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

C=$NOVA_BUILD/check
rm -rf "$C"
mkdir -p "$C"
: > "$C/stages.txt"
timings=()
failed=0

stage() { # name command...
	local name=$1 t0=$SECONDS rc
	shift
	msg "stage $name"
	"$@" > "$C/$name.log" 2>&1
	rc=$?
	timings+=("$(printf '%-10s %5ds %s' "$name" $((SECONDS - t0)) \
		"$([ $rc = 0 ] && echo ok || echo FAILED)")")
	if [ $rc = 0 ]; then
		echo "build@stage@$name pass" >> "$C/stages.txt"
	else
		echo "build@stage@$name fail" >> "$C/stages.txt"
		tail -25 "$C/$name.log" >&2
		failed=1
	fi
	return $rc
}

# The GH100 gets 4 GiB of VRAM (backed only where written) so that the
# 512 MiB-page cases of KUnit nova_core_vmm have an aligned 1 GiB to map.
guest() {
	"$NOVA_TOP/tools/progress.sh" guest "$C/vm" -- "$NOVA_TOP/tools/vm.sh" -r "$C/vm" -t "${NOVA_CHECK_TIMEOUT:-2700}" \
		-a "${NOVA_SIM_ARGS:-gpus=ga102:512M:256M,gh100:4G:256M}" \
		sh /mnt/nova/tools/guest/check.sh
}

splats() {
	"$NOVA_TOP/tools/splats.sh" "$C/vm"
}

# Stages log to files; tools/progress.sh reports long ones here.
exec {progress_fd}>&2
export NOVA_PROGRESS_FD=$progress_fd
start=$SECONDS
stage deps "$NOVA_TOP/tools/deps.sh"
stage rootfs "$NOVA_TOP/tools/rootfs.sh"
if stage kernel "$NOVA_TOP/tools/progress.sh" kernel debug &&
   stage modules "$NOVA_TOP/tools/modules.sh" debug; then
	have_modules=1
else
	have_modules=0
fi
stage stock "$NOVA_TOP/tools/modules.sh" stock
stage userspace "$NOVA_TOP/tools/userspace.sh" && have_user=1 || have_user=0
[ $have_user = 1 ] && stage libnova "$NOVA_TOP/libnova/host-check.sh" "$NOVA_BUILD/guest/libnova"
stage lint "$NOVA_TOP/tools/lint.sh"
stage selftest python3 "$NOVA_TOP/tools/summarize.py" --selftest
cp "$NOVA_BUILD/lint/results.txt" "$C/lint-results.txt" 2>/dev/null
mkdir -p "$C/lint" && cp "$NOVA_BUILD/lint/results.txt" "$C/lint/" 2>/dev/null
if [ $have_modules = 1 ] && [ $have_user = 1 ]; then
	stage guest guest
	stage splats splats
	cat "$C/splats.log" >&2
else
	echo "build@stage@guest fail" >> "$C/stages.txt"
fi

echo
msg "stage timings:"
for t in "${timings[@]}"; do printf '  %s\n' "$t"; done
printf '  %-10s %5ds\n' total $((SECONDS - start))
echo
python3 "$NOVA_TOP/tools/summarize.py" "$C" > "$C/summary.txt"
rc=$?
head -n -1 "$C/summary.txt" | tail -n 40
[ $failed = 0 ] || rc=1
summary=$(tail -n1 "$C/summary.txt")
# The summary line must be the last line printed.
[ $rc = 0 ] || msg "make check FAILED (logs in $C)"
echo "$summary"
exit $rc
