#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: nova-bench on the first nova device, with vgem
# loaded as the reference for GEM object creation.
export LD_LIBRARY_PATH=/mnt/nova/libnova
modprobe vgem || echo "bench: modprobe vgem failed"
udevadm settle 2>/dev/null
/mnt/nova/libnova/nova-bench --json /mnt/results/bench.json "$@"
