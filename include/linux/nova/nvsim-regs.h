/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulator-specific registers: NOT NVIDIA hardware.
 *
 * nova-sim models these registers where the reference sources nova uses
 * (NVIDIA's open-gpu-doc and open-gpu-kernel-modules, nouveau) give no
 * layout that nova could drive without GSP-RM. Everything in
 * <linux/nova/regs.h> is a documented hardware fact; everything here is
 * invented by nova-sim, at offsets in an unused BAR0 range, and a driver
 * for real hardware must not use it.
 *
 * What a PCI backend uses instead:
 *
 * - the interrupt line (NVSIM_INTR_*): the documented interrupt tree
 *   since Turing, NV_VIRTUAL_FUNCTION_PRIV_CPU_INTR_TOP and _LEAF
 *   (open-gpu-doc manuals/ampere/ga102/dev_vm.ref.txt), with the vectors
 *   GSP-RM reports for each unit;
 * - channel errors (NVSIM_CHAN_STOPPED, NVSIM_CHAN_ERROR): GSP-RM's
 *   robust-channel (RC) error notifications for the channel.
 *
 * MMU faults themselves are reported the documented way, through the
 * non-replayable fault buffer (NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_*
 * in <linux/nova/regs.h>); only their interrupt is NVSIM_INTR_MMU_FAULT
 * here (on hardware: the fault buffer's vector in the interrupt tree).
 */
#ifndef __LINUX_NOVA_NVSIM_REGS_H__
#define __LINUX_NOVA_NVSIM_REGS_H__

#include <linux/bits.h>

/*
 * The interrupt line. Real GPUs since Turing report interrupts through
 * the NV_CTRL / NV_VIRTUAL_FUNCTION_PRIV_CPU_INTR_TOP and _LEAF tree,
 * routed by GSP-RM, and channel errors through GSP-RM's robust-channel
 * notifications; nova drives no GSP-RM. nova-sim models
 * one cause register instead, with the same protocol: the backend raises
 * its interrupt line (&nova_hw_ops.set_irq) when a cause becomes pending
 * while enabled; the handler reads the pending causes and acknowledges
 * them by writing them back (write 1 to clear). Offsets are in an unused
 * BAR0 range.
 */
#define NVSIM_INTR_PENDING			0x00b83400 /* W1C */
#define NVSIM_INTR_ENABLE			0x00b83404
#define   NVSIM_INTR_NON_STALL			BIT(0) /* method or LAUNCH_DMA */
#define   NVSIM_INTR_MMU_FAULT			BIT(1) /* a fault packet */
#define   NVSIM_INTR_CHANNEL			BIT(2) /* a channel stopped */
#define   NVSIM_INTR_ALL			GENMASK(2, 0)
/* Channels stopped by an error: bit (CHID % 32) of word CHID / 32; W1C. */
#define NVSIM_CHAN_STOPPED(i)			(0x00b83410 + 4 * (i))
#define NVSIM_CHAN_STOPPED_WORDS		2
/* Why channel CHID stopped (read only); 0 while it runs. */
#define NVSIM_CHAN_ERROR(chid)			(0x00b83500 + 4 * (chid))
#define NVSIM_CHAN_ERROR_COUNT			64
#define   NVSIM_CHAN_ERROR_NONE			0
#define   NVSIM_CHAN_ERROR_MMU_FAULT		1
#define   NVSIM_CHAN_ERROR_BAD_METHOD		2
#define   NVSIM_CHAN_ERROR_UNSUPPORTED		3
#define   NVSIM_CHAN_ERROR_ILLEGAL_CLASS	4
#define   NVSIM_CHAN_ERROR_BAD_HEADER		5
#define   NVSIM_CHAN_ERROR_BAD_GP_ENTRY		6
#define   NVSIM_CHAN_ERROR_BAD_GP_PUT		7
#define   NVSIM_CHAN_ERROR_BAD_ARGUMENT		8
/* A physical transfer on an unprivileged channel (simulator policy). */
#define   NVSIM_CHAN_ERROR_PRIVILEGE		9

#endif /* __LINUX_NOVA_NVSIM_REGS_H__ */
