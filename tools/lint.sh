#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Style gates for nova's kernel code and uAPI header: checkpatch --strict,
# kernel-doc, and a W=1 + sparse build. Writes one result line per gate to
# $NOVA_BUILD/lint/results.txt ("build@lint@<gate> pass|fail") and exits
# non-zero when any gate fails.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

src=$(nova_src_dir)
[ -x "$src/scripts/checkpatch.pl" ] || die "kernel source not extracted (tools/kernel.sh debug)"
out=$NOVA_BUILD/lint
mkdir -p "$out"
: > "$out/results.txt"
cd "$NOVA_TOP"
files=$(git ls-files 'drivers/*.c' 'drivers/*.h' 'include/*.h' 2>/dev/null ||
	find drivers include -name '*.[ch]')
rc=0
gate() { # name status
	echo "build@lint@$1 $2" >> "$out/results.txt"
	[ "$2" = pass ] || rc=1
}

# checkpatch: our tree is not a kernel tree (--no-tree); the file-path and
# MAINTAINERS checks do not apply to files checked one by one.
# shellcheck disable=SC2086
"$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f $files > "$out/checkpatch.txt" 2>&1
if grep -qE ': (ERROR|WARNING|CHECK):' "$out/checkpatch.txt"; then
	grep -E ': (ERROR|WARNING|CHECK):' "$out/checkpatch.txt" | head -30 >&2
	gate checkpatch fail
else
	gate checkpatch pass
fi

# kernel-doc: every documented item well formed, exported functions documented.
# shellcheck disable=SC2086
"$src/scripts/kernel-doc" -none -Wall $files > "$out/kernel-doc.txt" 2>&1
if [ -s "$out/kernel-doc.txt" ]; then
	head -30 "$out/kernel-doc.txt" >&2
	gate kernel-doc fail
else
	gate kernel-doc pass
fi
missing=
for f in $files; do
	for sym in $(sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([a-z0-9_]*\).*/\1/p' "$f"); do
		grep -q "^ \* $sym() - " "$f" || missing+=" $f:$sym"
	done
done
if [ -n "$missing" ]; then
	echo "exported without kernel-doc:$missing" >&2
	gate kernel-doc-exports fail
else
	gate kernel-doc-exports pass
fi

# W=1 + sparse build of the modules.
if "$NOVA_TOP/tools/modules.sh" lint; then
	gate sparse-w1 pass
else
	gate sparse-w1 fail
fi
exit $rc
