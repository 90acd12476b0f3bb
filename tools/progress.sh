#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a long step and say how it is going once a minute.
#   tools/progress.sh kernel FLAVOUR   build (or reuse) a guest kernel
#   tools/progress.sh guest DIR -- CMD...
#                                      run CMD (a guest), reading the
#                                      guest's DIR/progress file
# The lines go to the file descriptor in $NOVA_PROGRESS_FD (make check
# points it at the terminal while a stage's output goes to its log), or to
# standard error. A step that ends within the first minute prints nothing.
#
# This script is deliberately not part of the kernel's cache key (that key
# covers tools/kernel.sh): what is printed can change without a rebuild.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=${NOVA_PROGRESS_FD:-2}
say() { printf '[nova] %s\n' "$*" >&"$out"; }

# Kernel: objects built since the start against the count of the last
# complete build of the flavour (or an estimate on a fresh machine).
kernel_probe() {
	local kb=$1 stamp=$2 total=$3 n
	n=$(find "$kb" -name '*.o' -newer "$stamp" 2>/dev/null | wc -l)
	[ "$n" -gt "$total" ] && total=$n
	echo "$n of about $total objects compiled ($((n * 100 / total))%)"
}

# Guest: the guest's check writes "DONE TOTAL WHAT" to DIR/progress.
guest_probe() {
	local f=$1/progress ran total what
	if [ -s "$f" ] && read -r ran total what < "$f"; then
		echo "$what: $ran of $total tests run"
	else
		echo "booting and loading modules"
	fi
}

# watched PROBE ARGS... -- CMD...: run CMD, calling PROBE once a minute.
watched() {
	local probe=() pid t0=$SECONDS next=60
	while [ "$1" != -- ]; do probe+=("$1"); shift; done
	shift
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		if [ $((SECONDS - t0)) -ge $next ] && kill -0 "$pid" 2>/dev/null; then
			say "$label: $("${probe[@]}"), $(((SECONDS - t0) / 60)) min"
			next=$((next + 60))
		fi
	done
	wait "$pid"
}

case ${1:-} in
kernel)
	flavour=${2:?flavour}
	label="kernel $flavour"
	kb=$(nova_kbuild_dir "$flavour")
	count=$NOVA_CACHE/kbuild/$flavour.objects
	mkdir -p "$NOVA_CACHE/kbuild"
	stamp=$(mktemp "$NOVA_CACHE/kbuild/.progress.XXXXXX")
	total=$(cat "$count" 2>/dev/null || echo 2500)
	watched kernel_probe "$kb" "$stamp" "$total" -- "$NOVA_TOP/tools/kernel.sh" "$flavour"
	rc=$?
	rm -f "$stamp"
	if [ $rc = 0 ] && [ -d "$kb" ]; then
		find "$kb" -name '*.o' | wc -l > "$count.tmp" && mv "$count.tmp" "$count"
	fi
	exit $rc
	;;
guest)
	dir=${2:?dir}
	[ "${3:-}" = -- ] || die "usage: tools/progress.sh guest DIR -- CMD..."
	shift 3
	label=guest
	watched guest_probe "$dir" -- "$@"
	;;
*)
	die "usage: tools/progress.sh kernel FLAVOUR | guest DIR -- CMD..."
	;;
esac
