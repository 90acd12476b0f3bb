#!/bin/sh
# SPDX-License-Identifier: MIT
#
# symbols-check.sh SYMBOLS-FILE LIBRARY
#
# Checks that LIBRARY exports exactly the symbols listed in SYMBOLS-FILE
# (one a line; '#' starts a comment), as libdrm's *-symbols.txt checks do:
# a symbol exported but not listed is an unreviewed addition to the ABI,
# a listed symbol not exported is an ABI break. Exit status 0 when they
# match, 1 otherwise (the differences on stderr), 2 for a usage error.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 SYMBOLS-FILE LIBRARY" >&2; exit 2; }
list=$1 lib=$2
NM=${NM:-nm}
[ -r "$list" ] || { echo "$0: cannot read $list" >&2; exit 2; }
[ -r "$lib" ] || { echo "$0: cannot read $lib" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list" | LC_ALL=C sort -u > "$tmp/want"
# Defined dynamic symbols, less those every shared object has.
"$NM" -D --defined-only "$lib" |
	awk 'NF >= 3 { print $3 }' |
	sed -e 's/@.*//' |
	grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start |
	LC_ALL=C sort -u > "$tmp/have"
[ -s "$tmp/have" ] || { echo "$0: $lib exports no symbols" >&2; exit 1; }

rc=0
for s in $(LC_ALL=C comm -13 "$tmp/want" "$tmp/have"); do
	echo "$lib: exports $s, which $list does not list" >&2
	rc=1
done
for s in $(LC_ALL=C comm -23 "$tmp/want" "$tmp/have"); do
	echo "$lib: does not export $s, which $list lists" >&2
	rc=1
done
[ $rc = 0 ] && echo "$lib: $(wc -l < "$tmp/have") symbols, as $list lists"
exit $rc
