#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the plain (non-debug) guest kernel on a simulated GA102
# with 4 GiB of VRAM and a 1 GiB BAR1, plus an 80 GiB GH100 for the sparse
# VRAM figure, and run nova-bench (libnova/tools/nova-bench.c). Prints the
# table and the "name value unit" lines; the JSON goes to
# $NOVA_BUILD/bench/bench.json. Exit status non-zero when a figure misses
# its target, a step fails or the kernel log shows a splat.
#   NOVA_BENCH_ARGS="--quick --only tlb,async"   passed to nova-bench
set -euo pipefail
. "$(dirname "$0")/lib.sh"

B=$NOVA_BUILD/bench
"$NOVA_TOP/tools/deps.sh"
"$NOVA_TOP/tools/rootfs.sh" > /dev/null
"$NOVA_TOP/tools/progress.sh" kernel plain
"$NOVA_TOP/tools/modules.sh" plain
"$NOVA_TOP/tools/userspace.sh"
# The plain guest share: its own modules, the same userspace.
rsync -a --delete "$NOVA_BUILD/guest/libnova" "$NOVA_BUILD/guest/tools" \
	"$NOVA_BUILD/guest-plain/"

rc=0
NOVA_VM_MEM=${NOVA_VM_MEM:-4G} "$NOVA_TOP/tools/vm.sh" -k plain -r "$B" -t 1800 \
	-a "gpus=ga102:4G:1G,gh100:80G:2G" \
	sh /mnt/nova/tools/guest/bench.sh ${NOVA_BENCH_ARGS:-} || rc=$?
cat "$B/out.txt" 2>/dev/null || true
"$NOVA_TOP/tools/splats.sh" "$B" || rc=1
[ -f "$B/bench.json" ] && msg "JSON: $B/bench.json"
exit $rc
