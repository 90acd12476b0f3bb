#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: what the driver reports, then the libnova demo.
export LD_LIBRARY_PATH=/mnt/nova/libnova
echo "== novainfo"
/mnt/nova/libnova/novainfo
echo
echo "== libnova demo"
/mnt/nova/libnova/demo
rc=$?
echo
echo "== DRM devices"
for f in /sys/kernel/debug/dri/*/name; do cat "$f"; done
exit $rc
