/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVIDIA GPU register offsets and fields used by nova.
 *
 * Hardware facts only: this header is shared by nova-core (which drives
 * the registers) and nova-sim (which models them), and describes neither
 * side's implementation. Sources: NVIDIA open-gpu-kernel-modules
 * dev_boot.h, dev_bus.h, dev_ram.h, dev_vm.h, dev_mmu.h; nouveau
 * vmmtu102.c / vmmgp100.c / vmmgh100.c.
 */
#ifndef __LINUX_NOVA_REGS_H__
#define __LINUX_NOVA_REGS_H__

#include <linux/bits.h>

/* NV_PMC_BOOT_0: chip identification. */
#define NV_PMC_BOOT_0				0x00000000
#define   NV_PMC_BOOT_0_CHIPSET			GENMASK(28, 20)
#define   NV_PMC_BOOT_0_REVISION		GENMASK(7, 0)
#define   NV_CHIPSET_ARCH(chipset)		((chipset) >> 4)

#define NV_CHIPSET_TU102			0x162
#define NV_CHIPSET_GA100			0x170
#define NV_CHIPSET_GA102			0x172
#define NV_CHIPSET_GH100			0x180
#define NV_CHIPSET_AD102			0x192

#define NV_ARCH_TURING				0x16
#define NV_ARCH_AMPERE				0x17
#define NV_ARCH_HOPPER				0x18
#define NV_ARCH_ADA				0x19

/* PRAMIN: 1 MiB aperture in BAR0 onto VRAM at the window base. */
#define NV_PRAMIN				0x00700000
#define NV_PRAMIN_SIZE				0x00100000
#define NV_PRAMIN_WINDOW_SHIFT			16

/* Turing, Ampere, Ada: NV_PBUS_BAR0_WINDOW. */
#define NV_PBUS_BAR0_WINDOW			0x00001700
#define   NV_PBUS_BAR0_WINDOW_BASE		GENMASK(23, 0)
#define   NV_PBUS_BAR0_WINDOW_TARGET		GENMASK(25, 24)
#define   NV_PBUS_BAR0_WINDOW_TARGET_VIDMEM	0

/* Hopper: NV_XAL_EP_ZB_BAR0_WINDOW. */
#define NV_XAL_EP_ZB_BAR0_WINDOW		0x0010fd40
#define   NV_XAL_EP_ZB_BAR0_WINDOW_BASE		GENMASK(21, 0)

/* TLB invalidation (NV_VIRTUAL_FUNCTION_PRIV_MMU_*), Turing and later. */
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB		0x00b830a0
#define   NV_MMU_INVALIDATE_PDB_APERTURE			BIT(1)
#define   NV_MMU_INVALIDATE_PDB_APERTURE_VIDMEM			0
#define   NV_MMU_INVALIDATE_PDB_ADDR				GENMASK(31, 4)
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB	0x00b830a4
#define   NV_MMU_INVALIDATE_UPPER_PDB_ADDR			GENMASK(19, 0)
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE			0x00b830b0
#define   NV_MMU_INVALIDATE_ALL_VA				BIT(0)
#define   NV_MMU_INVALIDATE_ALL_PDB				BIT(1)
#define   NV_MMU_INVALIDATE_HUBTLB_ONLY				BIT(2)
#define   NV_MMU_INVALIDATE_REPLAY				GENMASK(5, 3)
#define   NV_MMU_INVALIDATE_SYS_MEMBAR				BIT(6)
#define   NV_MMU_INVALIDATE_ACK					GENMASK(8, 7)
#define   NV_MMU_INVALIDATE_ACK_NONE				0
#define   NV_MMU_INVALIDATE_ACK_GLOBALLY			1
#define   NV_MMU_INVALIDATE_ACK_INTRANODE			2
#define   NV_MMU_INVALIDATE_CACHE_LEVEL				GENMASK(26, 24)
#define   NV_MMU_INVALIDATE_TRIGGER				BIT(31)

/*
 * MMU fault reporting. Real GPUs report faults through the fault buffers
 * and NV_PFB_PRI_MMU_FAULT_* registers; nova uses a small register file
 * with the same information (address, address space, access, reason),
 * read one entry at a time. Offsets are in an unused BAR0 range.
 */
#define NV_MMU_FAULT_LOG_COUNT			0x00b83200 /* entries held */
#define NV_MMU_FAULT_LOG_TOTAL			0x00b83204 /* faults ever */
#define NV_MMU_FAULT_LOG_ADDR_LO		0x00b83208 /* of the head */
#define NV_MMU_FAULT_LOG_ADDR_HI		0x00b8320c
#define NV_MMU_FAULT_LOG_PDB_LO			0x00b83210
#define NV_MMU_FAULT_LOG_PDB_HI			0x00b83214
#define NV_MMU_FAULT_LOG_INFO			0x00b83218
#define   NV_MMU_FAULT_INFO_ACCESS		GENMASK(3, 0)
#define   NV_MMU_FAULT_INFO_REASON		GENMASK(11, 8)
#define   NV_MMU_FAULT_INFO_CLIENT		GENMASK(19, 16)
#define   NV_MMU_FAULT_INFO_CHID		GENMASK(30, 20) /* channel */
#define   NV_MMU_FAULT_INFO_CHID_VALID		BIT(31) /* by a channel */
#define NV_MMU_FAULT_LOG_POP			0x00b8321c /* write 1: drop head */
#define NV_MMU_FAULT_LOG_CLEAR			0x00b83220 /* write 1: drop all */

#define NV_MMU_FAULT_ACCESS_READ		0
#define NV_MMU_FAULT_ACCESS_WRITE		1

#define NV_MMU_FAULT_REASON_PDE			1 /* invalid PDE */
#define NV_MMU_FAULT_REASON_PTE			2 /* invalid PTE */
#define NV_MMU_FAULT_REASON_RO			3 /* write to read-only */
#define NV_MMU_FAULT_REASON_SPARSE		4 /* sparse entry */
#define NV_MMU_FAULT_REASON_RANGE		5 /* VA out of range */
#define NV_MMU_FAULT_REASON_APERTURE		6 /* bad aperture/addr */

#define NV_MMU_FAULT_CLIENT_GPC			0 /* engines */
#define NV_MMU_FAULT_CLIENT_HUB			1 /* BAR1 */

/*
 * Channels and the host (PBDMA). Sources: open-gpu-doc classes/host/
 * clc56f.h, manuals/ampere/ga100/dev_pbdma.ref.txt and dev_ram.ref.txt;
 * open-gpu-kernel-modules class/clc86f.h and class/clc361.h.
 */
#define AMPERE_CHANNEL_GPFIFO_A			0x0000c56f
#define HOPPER_CHANNEL_GPFIFO_A			0x0000c86f

/* VOLTA_USERMODE_A (BAR0 0x810000): the doorbell. */
#define NV_USERMODE_NOTIFY_CHANNEL_PENDING	0x00810090
#define   NV_USERMODE_NOTIFY_CHANNEL_PENDING_CHID	GENMASK(11, 0)
#define   NV_USERMODE_NOTIFY_CHANNEL_PENDING_RUNLIST	GENMASK(22, 16)

/* NV_RAMUSERD: 512 bytes per channel; byte offsets. */
#define NV_RAMUSERD_SIZE			512
#define NV_RAMUSERD_REF				0x48
#define NV_RAMUSERD_GP_GET			0x88
#define NV_RAMUSERD_GP_PUT			0x8c

/* GP entry: two 32-bit words. */
#define NV_GP_ENTRY_SIZE			8
#define NV_GP_ENTRY0_FETCH			BIT(0)
#define NV_GP_ENTRY0_GET			GENMASK(31, 2)
#define NV_GP_ENTRY1_GET_HI			GENMASK(7, 0)
#define NV_GP_ENTRY1_LEVEL			BIT(9)
#define NV_GP_ENTRY1_LENGTH			GENMASK(30, 10)
#define NV_GP_ENTRY1_SYNC			BIT(31)
/* LENGTH 0: a control entry, ENTRY0 is its operand. */
#define NV_GP_ENTRY1_OPCODE			GENMASK(7, 0)
#define   NV_GP_ENTRY1_OPCODE_NOP		0
#define   NV_GP_ENTRY1_OPCODE_ILLEGAL		1
#define   NV_GP_ENTRY1_OPCODE_GP_CRC		2
#define   NV_GP_ENTRY1_OPCODE_PB_CRC		3

/* Pushbuffer method header (NV_FIFO_DMA_*); a zero word is a NOP. */
#define NV_FIFO_DMA_METHOD_ADDRESS		GENMASK(11, 0) /* byte >> 2 */
#define NV_FIFO_DMA_METHOD_SUBCHANNEL		GENMASK(15, 13)
#define NV_FIFO_DMA_METHOD_COUNT		GENMASK(28, 16)
#define NV_FIFO_DMA_IMMD_DATA			GENMASK(28, 16)
#define NV_FIFO_DMA_TERT_OP			GENMASK(17, 16)
#define NV_FIFO_DMA_SEC_OP			GENMASK(31, 29)
#define   NV_FIFO_DMA_SEC_OP_GRP0_USE_TERT	0
#define   NV_FIFO_DMA_SEC_OP_INC_METHOD		1
#define   NV_FIFO_DMA_SEC_OP_NON_INC_METHOD	3
#define   NV_FIFO_DMA_SEC_OP_IMMD_DATA_METHOD	4
#define   NV_FIFO_DMA_SEC_OP_ONE_INC		5
#define   NV_FIFO_DMA_SEC_OP_END_PB_SEGMENT	7

/* Host methods (NV_UDMA, byte offsets 0x000..0x0ff, any subchannel). */
#define NVC56F_SET_OBJECT			0x0000
#define   NVC56F_SET_OBJECT_NVCLASS		GENMASK(15, 0)
#define   NVC56F_SET_OBJECT_ENGINE		GENMASK(20, 16)
#define NVC56F_NOP				0x0008
#define NVC56F_NON_STALL_INTERRUPT		0x0020
#define NVC56F_SET_REFERENCE			0x0050
#define NVC56F_SEM_ADDR_LO			0x005c
#define   NVC56F_SEM_ADDR_LO_OFFSET		GENMASK(31, 2)
#define NVC56F_SEM_ADDR_HI			0x0060
#define   NVC56F_SEM_ADDR_HI_OFFSET		GENMASK(7, 0)
#define   NVC86F_SEM_ADDR_HI_OFFSET		GENMASK(24, 0)
#define NVC56F_SEM_PAYLOAD_LO			0x0064
#define NVC56F_SEM_PAYLOAD_HI			0x0068
#define NVC56F_SEM_EXECUTE			0x006c
#define   NVC56F_SEM_EXECUTE_OPERATION		GENMASK(2, 0)
#define     NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE	0
#define     NVC56F_SEM_EXECUTE_OPERATION_RELEASE	1
#define     NVC56F_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ	2
#define     NVC56F_SEM_EXECUTE_OPERATION_ACQ_CIRC_GEQ	3
#define     NVC56F_SEM_EXECUTE_OPERATION_ACQ_AND	4
#define     NVC56F_SEM_EXECUTE_OPERATION_ACQ_NOR	5
#define     NVC56F_SEM_EXECUTE_OPERATION_REDUCTION	6
#define   NVC56F_SEM_EXECUTE_ACQUIRE_SWITCH_TSG	BIT(12)
#define   NVC56F_SEM_EXECUTE_RELEASE_WFI	BIT(20)
#define   NVC56F_SEM_EXECUTE_PAYLOAD_SIZE_64BIT	BIT(24)
#define   NVC56F_SEM_EXECUTE_RELEASE_TIMESTAMP	BIT(25)
#define   NVC56F_SEM_EXECUTE_REDUCTION		GENMASK(30, 27)
#define   NVC56F_SEM_EXECUTE_REDUCTION_FORMAT	BIT(31)
#define NVC56F_WFI				0x0078
#define NVC56F_HOST_METHODS_END			0x0100

/*
 * Copy engine: AMPERE_DMA_COPY_B and HOPPER_DMA_COPY_A (open-gpu-doc
 * classes/dma-copy/clc7b5.h, clc8b5.h), byte offsets. Mesa puts the copy
 * class on subchannel 4.
 */
#define AMPERE_DMA_COPY_B			0x0000c7b5
#define HOPPER_DMA_COPY_A			0x0000c8b5
#define NV_CE_SUBCHANNEL			4

#define NVC7B5_NOP				0x0100
#define NVC7B5_SET_SEMAPHORE_A			0x0240
#define   NVC7B5_SET_SEMAPHORE_A_UPPER		GENMASK(16, 0)
#define   NVC8B5_SET_SEMAPHORE_A_UPPER		GENMASK(24, 0)
#define NVC7B5_SET_SEMAPHORE_B			0x0244
#define NVC7B5_SET_SEMAPHORE_PAYLOAD		0x0248
#define NVC7B5_SET_SEMAPHORE_PAYLOAD_UPPER	0x024c
#define NVC7B5_SET_SRC_PHYS_MODE		0x0260
#define NVC7B5_SET_DST_PHYS_MODE		0x0264
#define   NVC7B5_PHYS_MODE_TARGET		GENMASK(1, 0)
#define     NVC7B5_PHYS_MODE_TARGET_LOCAL_FB	0
#define NVC7B5_LAUNCH_DMA			0x0300
#define   NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE	GENMASK(1, 0)
#define     NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE_NONE	0
#define     NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE_NON_PIPELINED	2
#define   NVC7B5_LAUNCH_DMA_FLUSH_ENABLE	BIT(2)
#define   NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE	GENMASK(4, 3)
#define     NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_NONE		0
#define     NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_RELEASE_ONE_WORD	1
#define     NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_RELEASE_FOUR_WORD	2
#define   NVC7B5_LAUNCH_DMA_INTERRUPT_TYPE	GENMASK(6, 5)
#define   NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT	BIT(7) /* 1: PITCH */
#define   NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT	BIT(8) /* 1: PITCH */
#define   NVC7B5_LAUNCH_DMA_MULTI_LINE_ENABLE	BIT(9)
#define   NVC7B5_LAUNCH_DMA_REMAP_ENABLE	BIT(10)
#define   NVC7B5_LAUNCH_DMA_SRC_TYPE		BIT(12) /* 1: PHYSICAL */
#define   NVC7B5_LAUNCH_DMA_DST_TYPE		BIT(13) /* 1: PHYSICAL */
#define   NVC7B5_LAUNCH_DMA_REDUCTION_ENABLE	BIT(19)
#define   NVC7B5_LAUNCH_DMA_FLUSH_TYPE		BIT(25)
#define   NVC7B5_LAUNCH_DMA_SEMAPHORE_PAYLOAD_SIZE	BIT(27) /* 1: TWO_WORD */
#define NVC7B5_OFFSET_IN_UPPER			0x0400
#define   NVC7B5_OFFSET_UPPER			GENMASK(16, 0)
#define   NVC8B5_OFFSET_UPPER			GENMASK(24, 0)
#define NVC7B5_OFFSET_IN_LOWER			0x0404
#define NVC7B5_OFFSET_OUT_UPPER			0x0408
#define NVC7B5_OFFSET_OUT_LOWER			0x040c
#define NVC7B5_PITCH_IN				0x0410
#define NVC7B5_PITCH_OUT			0x0414
#define NVC7B5_LINE_LENGTH_IN			0x0418
#define NVC7B5_LINE_COUNT			0x041c
#define NVC7B5_SET_REMAP_CONST_A		0x0700
#define NVC7B5_SET_REMAP_CONST_B		0x0704
#define NVC7B5_SET_REMAP_COMPONENTS		0x0708
#define   NVC7B5_REMAP_DST_X			GENMASK(2, 0)
#define   NVC7B5_REMAP_DST_Y			GENMASK(6, 4)
#define   NVC7B5_REMAP_DST_Z			GENMASK(10, 8)
#define   NVC7B5_REMAP_DST_W			GENMASK(14, 12)
#define     NVC7B5_REMAP_SRC_X			0
#define     NVC7B5_REMAP_SRC_W			3
#define     NVC7B5_REMAP_CONST_A		4
#define     NVC7B5_REMAP_CONST_B		5
#define     NVC7B5_REMAP_NO_WRITE		6
#define   NVC7B5_REMAP_COMPONENT_SIZE		GENMASK(17, 16) /* n - 1 bytes */
#define   NVC7B5_REMAP_NUM_SRC_COMPONENTS	GENMASK(21, 20) /* n - 1 */
#define   NVC7B5_REMAP_NUM_DST_COMPONENTS	GENMASK(25, 24) /* n - 1 */

/* Page-table formats: MMU v2 (Pascal..Ada) and v3 (Hopper+). */
#define NV_MMU_PTE_SIZE				8
#define NV_MMU_PDE_SIZE				8
#define NV_MMU_DUAL_PDE_SIZE			16

/* v2 PTE */
#define NV_MMU_VER2_PTE_VALID			BIT_ULL(0)
#define NV_MMU_VER2_PTE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER2_PTE_VOL			BIT_ULL(3)
#define NV_MMU_VER2_PTE_ENCRYPTED		BIT_ULL(4)
#define NV_MMU_VER2_PTE_PRIVILEGE		BIT_ULL(5)
#define NV_MMU_VER2_PTE_READ_ONLY		BIT_ULL(6)
#define NV_MMU_VER2_PTE_ATOMIC_DISABLE		BIT_ULL(7)
#define NV_MMU_VER2_PTE_ADDRESS_VID		GENMASK_ULL(32, 8)
#define NV_MMU_VER2_PTE_KIND			GENMASK_ULL(63, 56)
/* v2 PDE (also each half of the dual PDE) */
#define NV_MMU_VER2_PDE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER2_PDE_VOL			BIT_ULL(3)
#define NV_MMU_VER2_PDE_ADDRESS_VID		GENMASK_ULL(32, 8)
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG	GENMASK_ULL(32, 4) /* >> 8 */
/* v2 and v3 apertures */
#define NV_MMU_APERTURE_INVALID			0 /* PDE */
#define NV_MMU_APERTURE_VIDEO			0 /* PTE */
#define NV_MMU_PDE_APERTURE_VIDEO		1
#define NV_MMU_APERTURE_SYS_COH			2
#define NV_MMU_APERTURE_SYS_NONCOH		3

/* v3 PTE */
#define NV_MMU_VER3_PTE_VALID			BIT_ULL(0)
#define NV_MMU_VER3_PTE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER3_PTE_PCF			GENMASK_ULL(7, 3)
#define NV_MMU_VER3_PTE_KIND			GENMASK_ULL(11, 8)
#define NV_MMU_VER3_PTE_ADDRESS			GENMASK_ULL(51, 12)
#define NV_MMU_VER3_PTE_PEER_ID			GENMASK_ULL(63, 61)
/* PCF when VALID=0: an enumeration */
#define NV_MMU_VER3_PTE_PCF_INVALID		0
#define NV_MMU_VER3_PTE_PCF_SPARSE		1
#define NV_MMU_VER3_PTE_PCF_MAPPING_NOWHERE	2
#define NV_MMU_VER3_PTE_PCF_NO_VALID_4KB_PAGE	3
/* PCF when VALID=1: a bit set */
#define NV_MMU_VER3_PTE_PCF_UNCACHED		BIT(0)
#define NV_MMU_VER3_PTE_PCF_PRIVILEGED		BIT(1)
#define NV_MMU_VER3_PTE_PCF_READ_ONLY		BIT(2)
#define NV_MMU_VER3_PTE_PCF_NO_ATOMIC		BIT(3)
#define NV_MMU_VER3_PTE_PCF_ACD			BIT(4)
/* v3 PDE */
#define NV_MMU_VER3_PDE_IS_PTE			BIT_ULL(0)
#define NV_MMU_VER3_PDE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER3_PDE_PCF			GENMASK_ULL(5, 3)
#define   NV_MMU_VER3_PDE_PCF_SPARSE		BIT(0)
#define   NV_MMU_VER3_PDE_PCF_ATS_NOT_ALLOWED	BIT(1)
#define NV_MMU_VER3_PDE_ADDRESS			GENMASK_ULL(51, 12)
#define NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG	GENMASK_ULL(51, 8) /* >> 8 */
/* the small half of a dual PDE, as bits of its upper 64-bit word */
#define NV_MMU_VER3_DUAL_PDE_SMALL_ADDRESS	GENMASK_ULL(51, 12)

/*
 * ---------------------------------------------------------------------
 * Simulator-specific registers: NOT NVIDIA hardware.
 *
 * The interrupt line. Real GPUs since Turing report interrupts through
 * the NV_CTRL / NV_VIRTUAL_FUNCTION_PRIV_CPU_INTR_TOP and _LEAF tree,
 * and channel errors through GSP-RM's robust-channel notifications;
 * the reference sources nova uses give neither layout. nova-sim models
 * one cause register instead, with the same protocol: the backend raises
 * its interrupt line (&nova_hw_ops.set_irq) when a cause becomes pending
 * while enabled; the handler reads the pending causes and acknowledges
 * them by writing them back (write 1 to clear). Offsets are in an unused
 * BAR0 range.
 * ---------------------------------------------------------------------
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

#endif /* __LINUX_NOVA_REGS_H__ */
