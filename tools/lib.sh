# SPDX-License-Identifier: GPL-2.0
# Shared settings for nova's platform scripts. Source it; do not run it.

NOVA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NOVA_CACHE=${NOVA_CACHE:-$HOME/.cache/nova}
NOVA_BUILD=${NOVA_BUILD:-$NOVA_TOP/build}
NOVA_JOBS=${NOVA_JOBS:-$(nproc)}
export NOVA_TOP NOVA_CACHE NOVA_BUILD

msg() { printf '[nova] %s\n' "$*" >&2; }
die() { printf '[nova] error: %s\n' "$*" >&2; exit 1; }

# Version of the Debian kernel source package the guest kernel is built from.
nova_src_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null
}

# Directory of the extracted kernel source (with nova's Kconfig overlay).
nova_src_dir() {
	echo "$NOVA_CACHE/src/linux-source-6.12-$(nova_src_version)"
}

# Key of the kernel patch series (tools/kernel-patches/*.patch).
nova_patches_key() {
	cat "$NOVA_TOP"/tools/kernel-patches/*.patch 2>/dev/null | sha256sum | cut -c1-16
}

# Cache key of a kernel flavour: source version, patch series, config
# fragments, the Kconfig overlay and this build recipe.
nova_kernel_key() {
	local flavour=$1
	{
		nova_src_version
		nova_patches_key
		cat "$NOVA_TOP/tools/kernel.sh" \
		    "$NOVA_TOP/tools/kconfig/base.config" \
		    "$NOVA_TOP/tools/kconfig/$flavour.config" \
		    "$NOVA_TOP/drivers/gpu/nova-sim/Kconfig" \
		    "$NOVA_TOP/drivers/gpu/nova-core/Kconfig" \
		    "$NOVA_TOP/drivers/gpu/drm/nova/Kconfig"
	} | sha256sum | cut -c1-16
}

# Where a built kernel flavour lives: bzImage, modroot/, config.
nova_kernel_dir() {
	echo "$NOVA_CACHE/kernel/$1-$(nova_kernel_key "$1")"
}

# Kbuild output directory of a flavour (for external module builds).
nova_kbuild_dir() {
	echo "$NOVA_CACHE/kbuild/$1"
}
