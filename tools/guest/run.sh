#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: what the driver reports, then the libnova examples on each GPU:
# demo (BO, VM, bind, CPU mapping) and gpu-copy (a copy by the GPU's copy
# engine through EXEC; exit 77 when the GPU offers no user channels).
echo "== nova on simulated GPUs (nova-sim; no NVIDIA hardware is used)"
echo
echo "== novainfo"
novainfo
rc=$?
for node in /dev/dri/renderD*; do
	[ -e "$node" ] || continue
	drv=$(basename "$(readlink "/sys/class/drm/${node##*/}/device/driver")")
	case "$drv" in *nova*) ;; *) continue ;; esac
	echo
	echo "== libnova demo on $node"
	demo "$node" || rc=1
	echo
	echo "== libnova gpu-copy on $node"
	gpu-copy "$node"
	st=$?
	[ $st = 0 ] || [ $st = 77 ] || rc=1
done
exit $rc
