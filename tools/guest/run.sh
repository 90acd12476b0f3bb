#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: what the driver reports, then the libnova demo on each GPU.
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
done
exit $rc
