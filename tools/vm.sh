#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the nova guest under QEMU (TCG) and run a command in it.
#   tools/vm.sh [-k debug|plain] [-s SHAREDIR] [-r RESULTDIR] [-t TIMEOUT]
#               [-a NOVA_SIM_ARGS] [-i] [CMD...]
# The guest root (Debian sid) is shared read-only over virtio-9p, the
# build outputs ($NOVA_BUILD/guest) likewise, the kernel's modules too, and
# RESULTDIR read-write. CMD runs in RESULTDIR. -i gives an interactive
# shell instead. The exit status is CMD's; 124 on timeout, 125 when the
# guest broke before reporting. The kernel log lands in RESULTDIR/dmesg and
# RESULTDIR/console.log; tools/splats.sh checks them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavour=debug share= results=$NOVA_BUILD/vm timeout=900 interactive=0
simargs=${NOVA_SIM_ARGS:-}
while getopts k:s:r:t:a:i opt; do
	case $opt in
	k) flavour=$OPTARG ;;
	s) share=$OPTARG ;;
	r) results=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) simargs=$OPTARG ;;
	i) interactive=1 ;;
	*) die "usage: tools/vm.sh [-k flavour] [-s share] [-r results] [-t timeout] [-a simargs] [-i] [CMD...]" ;;
	esac
done
shift $((OPTIND - 1))

kdir=$(nova_kernel_dir "$flavour")
[ -f "$kdir/done" ] || die "kernel $flavour not built (tools/kernel.sh $flavour)"
root=$("$NOVA_TOP/tools/rootfs.sh")
# The plain flavour has its own staging (tools/bench.sh fills it).
guest=$NOVA_BUILD/guest
[ "$flavour" = plain ] && guest=$NOVA_BUILD/guest-plain
[ -d "$guest/kmod" ] || die "no modules staged in $guest (make modules)"

rm -rf "$results"
mkdir -p "$results"
printf '%s\n' "$*" > "$results/cmd.sh"

append="console=ttyS0 root=/dev/root rootfstype=9p ro"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000"
append+=" init=/nova-init panic=-1 oops=panic loglevel=4 nokaslr acpi=noirq"
append+=" kmemleak=on"
[ $interactive = 1 ] && append+=" NOVA_MODE=shell"
[ -n "$share" ] && append+=" NOVA_SHARE=1"
[ -n "$simargs" ] && append+=" NOVA_SIM_ARGS=\"$simargs\""

fs() { # id path ro|rw
	local ro=
	[ "$3" = ro ] && ro=,readonly=on
	echo "-fsdev local,id=$1,path=$2,security_model=none$ro -device virtio-9p-pci,fsdev=$1,mount_tag=$4"
}
args=(-accel tcg -m "${NOVA_VM_MEM:-2G}" -smp 2 -nographic -no-reboot -nic none
      -kernel "$kdir/bzImage" -append "$append")
# shellcheck disable=SC2207
args+=($(fs r "$root" ro /dev/root) $(fs n "$guest" ro nova)
       $(fs k "$kdir/modroot/lib/modules" ro kmods) $(fs o "$results" rw results))
[ -n "$share" ] && args+=($(fs s "$(realpath "$share")" ro share))

if [ $interactive = 1 ]; then
	qemu-system-x86_64 "${args[@]}" -serial mon:stdio
	exit 0
fi

rc=0
timeout --foreground -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" \
	-serial "file:$results/console.log" -monitor none </dev/null || rc=$?
if [ $rc = 124 ]; then
	msg "guest timed out after $timeout s"
	exit 124
fi
[ -f "$results/rc" ] || { msg "guest died before reporting (see $results/console.log)"; tail -30 "$results/console.log" >&2; exit 125; }
exit "$(cat "$results/rc")"
