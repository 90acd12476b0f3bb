#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build libnova, novainfo, the examples and the IGT tests into
# $NOVA_BUILD/guest (which the guest sees at /mnt/nova).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

g=$NOVA_BUILD/guest
mkdir -p "$g"
if [ -f "$NOVA_TOP/libnova/Makefile" ]; then
	# warnings are errors here (make check), not for users' builds
	make -s -C "$NOVA_TOP/libnova" O="$g/libnova" WERROR=-Werror -j"$NOVA_JOBS"
fi
if [ -f "$NOVA_TOP/igt-tests/Makefile" ]; then
	make -s -C "$NOVA_TOP/igt-tests" O="$g/igt" -j"$NOVA_JOBS"
fi
mkdir -p "$g/tools"
rsync -a --delete "$NOVA_TOP/tools/guest" "$g/tools/"
