#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse from the cache) nova's guest kernel.
#   tools/kernel.sh debug|plain
# The result is cached under $NOVA_CACHE/kernel/<flavour>-<key>, where the
# key covers the source package version, the config fragments, nova's
# Kconfig files and this script. The Kbuild tree stays in
# $NOVA_CACHE/kbuild/<flavour> so that external modules build against it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavour=${1:-debug}
[ -f "$NOVA_TOP/tools/kconfig/$flavour.config" ] || die "unknown flavour $flavour"
ver=$(nova_src_version)
[ -n "$ver" ] || die "linux-source-6.12 is not installed (run tools/deps.sh)"
out=$(nova_kernel_dir "$flavour")
if [ -f "$out/done" ]; then
	msg "kernel $flavour cached: $out"
	exit 0
fi

# The source tree is extracted once and carries tools/kernel-patches/
# (fixes nova needs that are not in Debian's kernel yet, in the form they
# are sent upstream). A tree patched with another series is extracted anew.
src=$(nova_src_dir)
series=$(nova_patches_key)
if [ ! -f "$src/.nova-extracted" ] || [ "$(cat "$src/.nova-patches" 2>/dev/null)" != "$series" ]; then
	msg "extracting linux-source-6.12 $ver"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf /usr/src/linux-source-6.12.tar.xz -C "$src.tmp" --strip-components=1
	for p in "$NOVA_TOP"/tools/kernel-patches/*.patch; do
		[ -f "$p" ] || continue
		msg "applying $(basename "$p")"
		patch -d "$src.tmp" -p1 -s --no-backup-if-mismatch < "$p" ||
			die "$(basename "$p") does not apply to linux-source-6.12 $ver"
	done
	echo "$series" > "$src.tmp/.nova-patches"
	touch "$src.tmp/.nova-extracted"
	mv "$src.tmp" "$src"
fi

# Kconfig overlay: nova's Kconfig files are sourced by the tree so that
# their "select"s turn on the hidden helpers (DRM_GPUVM, DRM_EXEC, ...).
# Only the Kconfig files are copied; the modules themselves are built
# out of tree against this build.
for d in nova-sim nova-core drm/nova; do
	mkdir -p "$src/drivers/gpu/$d"
	cmp -s "$NOVA_TOP/drivers/gpu/$d/Kconfig" "$src/drivers/gpu/$d/Kconfig" ||
		cp "$NOVA_TOP/drivers/gpu/$d/Kconfig" "$src/drivers/gpu/$d/Kconfig"
done
if ! grep -q 'nova overlay' "$src/drivers/gpu/drm/Kconfig"; then
	cat >> "$src/drivers/gpu/drm/Kconfig" <<'KEOF'

# nova overlay (added by nova's tools/kernel.sh)
source "drivers/gpu/nova-sim/Kconfig"
source "drivers/gpu/nova-core/Kconfig"
source "drivers/gpu/drm/nova/Kconfig"
KEOF
fi

kb=$(nova_kbuild_dir "$flavour")
mkdir -p "$kb" "$NOVA_CACHE/ccache"
export CCACHE_DIR=$NOVA_CACHE/ccache CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_BASEDIR=$NOVA_CACHE CCACHE_SLOPPINESS=time_macros,include_file_mtime
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=nova KBUILD_BUILD_HOST=nova
mk() { make -s -C "$src" O="$kb" CC="ccache gcc" -j"$NOVA_JOBS" "$@"; }

msg "configuring $flavour kernel"
mk defconfig >/dev/null
mk kvm_guest.config >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$kb" "$kb/.config" \
	"$NOVA_TOP/tools/kconfig/base.config" \
	"$NOVA_TOP/tools/kconfig/$flavour.config" >/dev/null
mk olddefconfig >/dev/null

# Every fragment line must have stuck, or the build is not what we asked for.
bad=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	sym=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$sym=" "$kb/.config" && { msg "config: $sym should be off"; bad=1; }
	else
		grep -qx "$sym=$val" "$kb/.config" || { msg "config: $line did not stick"; bad=1; }
	fi
done < <(cat "$NOVA_TOP/tools/kconfig/base.config" "$NOVA_TOP/tools/kconfig/$flavour.config")
for sym in DRM_GPUVM DRM_EXEC DRM_SCHED DRM_BUDDY GPU_BUDDY; do
	grep -q "^CONFIG_$sym=[ym]" "$kb/.config" || { msg "config: $sym not enabled"; bad=1; }
done
[ $bad = 0 ] || die "kernel config does not match the fragments"

msg "building $flavour kernel with -j$NOVA_JOBS (cold: 10-20 min; ccache warm: 2 min)"
start=$SECONDS
mk bzImage modules
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
mk modules_install INSTALL_MOD_PATH="$out.tmp/modroot" INSTALL_MOD_STRIP=1 >/dev/null
cp "$kb/arch/x86/boot/bzImage" "$kb/.config" "$out.tmp/"
cat "$kb/include/config/kernel.release" > "$out.tmp/release"
rm -rf "$out"
mv "$out.tmp" "$out"
touch "$out/done"
msg "kernel $flavour built in $((SECONDS - start)) s: $out"
