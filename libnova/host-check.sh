#!/bin/sh
# SPDX-License-Identifier: MIT
#
# host-check.sh BUILD-DIR
#
# Host-side checks of a libnova build (make check's "libnova" stage; no
# GPU needed, takes a second): the library exports exactly
# libnova-symbols.txt; novainfo, demo, gpu-copy and nova-bench answer --help and
# --version; novainfo --json prints valid JSON whatever devices the host
# has ("[]" and exit status 0 when it has no nova device); api-test passes
# or skips.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
b=${1:?usage: host-check.sh BUILD-DIR}
fail() { echo "host-check: $*" >&2; exit 1; }

"$here/symbols-check.sh" "$here/libnova-symbols.txt" "$b/libnova.so.0"

for p in novainfo demo gpu-copy nova-bench; do
	"$b/$p" --help > /dev/null || fail "$p --help failed"
	v=$("$b/$p" --version) || fail "$p --version failed"
	case "$v" in *"$(sed -n 's/^VERSION := //p' "$here/Makefile")"*) ;;
	*) fail "$p --version: '$v' does not name the library version" ;; esac
	rc=0; "$b/$p" --no-such-option > /dev/null 2>&1 || rc=$?
	[ $rc = 2 ] || fail "$p: an unknown option exits $rc, expected 2"
done

rc=0; out=$("$b/novainfo" --json 2>/dev/null) || rc=$?
printf '%s\n' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); assert isinstance(d, list)' ||
	fail "novainfo --json is not a JSON array: $out"
if [ "$out" = "[]" ] && [ $rc != 0 ]; then
	fail "novainfo --json without a nova device exits $rc, expected 0"
fi
echo "host-check: novainfo --json: exit $rc, $(printf "%s" "$out" | wc -c) bytes of JSON"
# api-test's checks that need no device, and its skip when there is none
rc=0; "$b/api-test" > /dev/null || rc=$?
[ $rc = 0 ] || [ $rc = 77 ] || fail "api-test exits $rc"
echo "host-check: ok"
