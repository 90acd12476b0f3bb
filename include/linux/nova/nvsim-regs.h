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
 *   robust-channel (RC) error notifications for the channel;
 * - the fault log (NVSIM_FAULT_LOG_*): the MMU's non-replayable fault
 *   buffer.
 */
#ifndef __LINUX_NOVA_NVSIM_REGS_H__
#define __LINUX_NOVA_NVSIM_REGS_H__

#include <linux/bits.h>

/*
 * The fault log. Real GPUs report faults through the fault buffers and
 * NV_PFB_PRI_MMU_FAULT_* registers; nova-sim offers a small register
 * file with the same information (address, address space, access,
 * reason), read one entry at a time.
 */
#define NVSIM_FAULT_LOG_COUNT			0x00b83200 /* entries held */
#define NVSIM_FAULT_LOG_TOTAL			0x00b83204 /* faults ever */
#define NVSIM_FAULT_LOG_ADDR_LO		0x00b83208 /* of the head */
#define NVSIM_FAULT_LOG_ADDR_HI		0x00b8320c
#define NVSIM_FAULT_LOG_PDB_LO			0x00b83210
#define NVSIM_FAULT_LOG_PDB_HI			0x00b83214
#define NVSIM_FAULT_LOG_INFO			0x00b83218
#define   NVSIM_FAULT_INFO_ACCESS		GENMASK(3, 0)
#define   NVSIM_FAULT_INFO_REASON		GENMASK(11, 8)
#define   NVSIM_FAULT_INFO_CLIENT		GENMASK(19, 16)
#define   NVSIM_FAULT_INFO_CHID		GENMASK(30, 20) /* channel */
#define   NVSIM_FAULT_INFO_CHID_VALID		BIT(31) /* by a channel */
#define NVSIM_FAULT_LOG_POP			0x00b8321c /* write 1: drop head */
#define NVSIM_FAULT_LOG_CLEAR			0x00b83220 /* write 1: drop all */

#define NVSIM_FAULT_ACCESS_READ		0
#define NVSIM_FAULT_ACCESS_WRITE		1

#define NVSIM_FAULT_CLIENT_GPC			0 /* engines */
#define NVSIM_FAULT_CLIENT_HUB			1 /* BAR1 */

/*
 * The interrupt line. Real GPUs since Turing report interrupts through
 * the NV_CTRL / NV_VIRTUAL_FUNCTION_PRIV_CPU_INTR_TOP and _LEAF tree,
 * and channel errors through GSP-RM's robust-channel notifications;
 * the reference sources nova uses give neither layout. nova-sim models
 * one cause register instead, with the same protocol: the backend raises
 * its interrupt line (&nova_hw_ops.set_irq) when a cause becomes pending
 * while enabled; the handler reads the pending causes and acknowledges
 * them by writing them back (write 1 to clear). Offsets are in an unused
 * BAR0 range.
 */
#define NVSIM_INTR_PENDING			0x00b83400 /* W1C */
#define NVSIM_INTR_ENABLE			0x00b83404
#define   NVSIM_INTR_NON_STALL			BIT(0) /* method or LAUNCH_DMA */
#define   NVSIM_INTR_MMU_FAULT			BIT(1) /* see the fault log */
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
