#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Check a guest run's results directory for kernel splats: lockdep, KASAN,
# kmemleak, WARN, BUG, oopses, and the taint bits they leave.
#   tools/splats.sh RESULTDIR     exit 0 when clean; lists what it found
set -uo pipefail
r=${1:?results dir}
found=0
say() { printf 'splat: %s\n' "$*"; found=1; }

log=$r/dmesg
[ -s "$log" ] || log=$r/console.log
if [ -s "$log" ]; then
	pat='BUG:|WARNING:|KASAN|Oops|general protection fault|UBSAN:|'
	pat+='possible circular locking|possible recursive locking|'
	pat+='inconsistent lock state|suspicious RCU usage|'
	pat+='INFO: task .* blocked|unreferenced object|kernel BUG|'
	pat+='DEBUG_LOCKS_WARN_ON|ODEBUG:|list_add corruption|list_del corruption|'
	pat+='sleeping function called from invalid context|Kernel panic|'
	pat+='detected stalls|soft lockup|hung_task|blocked for more than'
	grep -E "$pat" "$log" | head -20 | while IFS= read -r l; do
		printf 'splat: %s\n' "$l"
	done
	grep -qE "$pat" "$log" && found=1
else
	say "no kernel log in $r"
fi
if [ -s "$r/kmemleak" ]; then
	say "kmemleak: $(grep -c 'unreferenced object' "$r/kmemleak") leaked objects"
	head -40 "$r/kmemleak" | sed 's/^/splat: /'
fi
if [ -f "$r/tainted" ]; then
	t=$(cat "$r/tainted")
	# W (512) warning, B (32) bad page, D (128) oops, L (16384) soft lockup
	bad=$((t & (512 | 32 | 128 | 16384)))
	[ $bad = 0 ] || say "kernel tainted: $t"
else
	say "no taint record in $r"
fi
# An empty file: a kernel without lockdep (the plain flavour).
if [ -s "$r/lockdep" ] && ! grep -q 'debug_locks:[[:space:]]*1' "$r/lockdep"; then
	say "lockdep turned itself off: $(cat "$r/lockdep")"
fi
[ -f "$r/unload-failed" ] && say "$(cat "$r/unload-failed")"
exit $found
