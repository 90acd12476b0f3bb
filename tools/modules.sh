#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build nova's kernel modules out of tree.
#   tools/modules.sh debug   against the guest kernel, W=1; stages the
#                            modules in $NOVA_BUILD/guest/kmod
#   tools/modules.sh plain   same, against the plain (benchmark) kernel
#   tools/modules.sh lint    against the guest kernel, W=1 C=2 (sparse)
#   tools/modules.sh stock   against Debian's stock linux-headers-6.12
# Warnings fail the build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:-debug}
extra=(W=1)
case $what in
debug|plain) kdir=$(nova_kbuild_dir "$what") ;;
lint) kdir=$(nova_kbuild_dir debug); extra=(W=1 C=2 CHECK=sparse) ;;
stock)
	kdir=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$kdir" ] || die "no linux-headers-6.12.*-amd64 installed (tools/deps.sh)"
	;;
*) die "usage: tools/modules.sh debug|plain|lint|stock" ;;
esac
[ -f "$kdir/Makefile" ] || die "no kernel build tree at $kdir"

out=$NOVA_BUILD/kmod-$what
mkdir -p "$out"
# Build in a copy so that builds for different kernels do not collide.
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
	--filter='P *.o' --filter='P *.ko' --filter='P .*.cmd' --filter='P *.mod*' \
	"$NOVA_TOP/Kbuild" "$NOVA_TOP/drivers" "$NOVA_TOP/include" "$out/"
log=$out/build.log
set +e
make -C "$kdir" M="$out" -j"$NOVA_JOBS" "${extra[@]}" modules > "$log" 2>&1
rc=$?
set -e
if [ $rc != 0 ] || grep -qE 'warning:|error:' "$log"; then
	grep -E 'warning:|error:' "$log" | head -40 >&2 || tail -30 "$log" >&2
	die "module build ($what) failed or warned: $log"
fi
kos=("$out/drivers/gpu/nova-sim/nova-sim.ko" "$out/drivers/gpu/nova-core/nova-core.ko"
     "$out/drivers/gpu/drm/nova/nova.ko")
for ko in "${kos[@]}"; do [ -f "$ko" ] || die "missing $ko"; done
msg "modules ($what) built against $kdir"

if [ "$what" = stock ]; then
	# DKMS builds for the kernels dkms.conf's pattern admits: these
	# headers, not 6.1 (no drm_gpuvm) or 6.15+ (mainline's own nova).
	pat=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$NOVA_TOP/dkms.conf")
	kver=${kdir#/usr/src/linux-headers-}
	[ -n "$pat" ] || die "dkms.conf: no BUILD_EXCLUSIVE_KERNEL"
	[[ $kver =~ $pat ]] || die "dkms.conf: BUILD_EXCLUSIVE_KERNEL refuses $kver"
	for v in 6.1.0-28-amd64 6.15.2-amd64 5.12.0 6.120.0; do
		[[ $v =~ $pat ]] && die "dkms.conf: BUILD_EXCLUSIVE_KERNEL admits $v"
	done
	msg "dkms.conf admits $kver"
fi

if [ "$what" = debug ] || [ "$what" = plain ]; then
	g=$NOVA_BUILD/guest
	[ "$what" = plain ] && g=$NOVA_BUILD/guest-plain
	mkdir -p "$g/kmod" "$g/tools"
	cp "${kos[@]}" "$g/kmod/"
	# Kernel modules ours depend on, loaded with modprobe in the guest.
	for ko in "${kos[@]}"; do
		/sbin/modinfo -F depends "$ko" | tr ',' '\n'
	done | { grep -vxE 'nova-sim|nova_sim|nova-core|nova_core|nova|' || true; } |
		sort -u > "$g/kmod/deps.txt"
	rsync -a --delete "$NOVA_TOP/tools/guest" "$g/tools/"
fi
