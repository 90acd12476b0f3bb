/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-access interface between an NVIDIA GPU backend and
 * nova-core.
 *
 * nova-core reaches a GPU only through what a PCI device offers it:
 * 32-bit register accesses at BAR0 offsets, the firmware's static
 * information (what GSP reports on real hardware), and the CPU page that
 * backs a BAR1 offset. nova-core is a PCI driver for NVIDIA display
 * controllers; a backend (nova-sim today, a backend for real hardware
 * later) presents each GPU as a PCI device whose platform data is a
 * &struct nova_hw, found with nova_hw_from_pci().
 */
#ifndef __LINUX_NOVA_HW_H__
#define __LINUX_NOVA_HW_H__

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/types.h>

/**
 * struct nova_hw_static_info - what the firmware reports at boot
 * @fb_usable_start: start of the VRAM region the driver may allocate from
 * @fb_usable_end: end (exclusive) of that region
 * @vram_end: end of physical VRAM
 * @bar1_pdb: VRAM address of the BAR1 page directory base, set up by
 *	firmware in its reserved region
 * @bar1_size: size of the BAR1 aperture in bytes
 */
struct nova_hw_static_info {
	u64 fb_usable_start;
	u64 fb_usable_end;
	u64 vram_end;
	u64 bar1_pdb;
	u64 bar1_size;
};

struct nova_hw;

/*
 * Why a translation failed: nova's classification, shared by the backend
 * (&nova_hw_xlate.fault_reason) and nova-core, and the values of
 * &drm_nova_vm_fault.reason. Not a hardware encoding: the MMU reports
 * its own fault types.
 */
#define NOVA_FAULT_REASON_PDE			1 /* invalid PDE */
#define NOVA_FAULT_REASON_PTE			2 /* invalid PTE */
#define NOVA_FAULT_REASON_RO			3 /* write to read-only */
#define NOVA_FAULT_REASON_SPARSE		4 /* sparse entry */
#define NOVA_FAULT_REASON_RANGE		5 /* VA out of range */
#define NOVA_FAULT_REASON_APERTURE		6 /* bad aperture/addr */

/**
 * struct nova_hw_xlate - a translation as the GPU's MMU sees it now
 * @pa: VRAM address the VA maps to
 * @page_size: size of the page that maps it (4K, 64K, 2M, 512M)
 * @read_only: the mapping is read-only
 * @sparse: the VA is sparse (@pa is meaningless): engines read zeroes and
 *	drop writes without a fault (@fault_reason 0); the HUB/BAR1 path
 *	faults with NOVA_FAULT_REASON_SPARSE
 * @fault_reason: 0 when translated, else an NOVA_FAULT_REASON_*
 */
struct nova_hw_xlate {
	u64 pa;
	u64 page_size;
	bool read_only;
	bool sparse;
	u32 fault_reason;
};

/**
 * struct nova_hw_counters - event counters of a GPU
 * @tlb_invalidates: completed TLB invalidations
 * @tlb_invalidates_acked: those requested with ACK_GLOBALLY
 * @tlb_invalidates_hub_only: those restricted to the HUB TLB
 * @tlb_hits: translations served by a TLB
 * @tlb_misses: translations that walked the page tables
 * @faults: MMU faults ever recorded
 * @pramin_moves: writes that moved the PRAMIN window
 * @pramin_reads: 32-bit reads through the PRAMIN window
 * @pramin_writes: 32-bit writes through the PRAMIN window
 * @vram_backed: bytes of VRAM that have host memory behind them
 * @sparse_read_bytes: bytes engines read (as zeroes) through sparse entries
 * @sparse_write_bytes: bytes of engine writes dropped by sparse entries
 */
struct nova_hw_counters {
	u64 tlb_invalidates;
	u64 tlb_invalidates_acked;
	u64 tlb_invalidates_hub_only;
	u64 tlb_hits;
	u64 tlb_misses;
	u64 faults;
	u64 pramin_moves;
	u64 pramin_reads;
	u64 pramin_writes;
	u64 vram_backed;
	u64 sparse_read_bytes;
	u64 sparse_write_bytes;
};

/**
 * struct nova_hw_probe_ops - introspection only a simulated GPU offers
 * @translate: translate @va in the address space whose page directory
 *	base is @pdb, through the TLB, as the GPU's engines (@hub false) or
 *	the HUB/BAR1 path (@hub true) would now, for a read or a @write.
 *	Does not record a fault. Returns 0 (see @out->fault_reason).
 * @mem_access: read (@write false) or write @len bytes at @va in the
 *	address space @pdb through the engines' MMU path, as a GPU engine
 *	would; -EFAULT (and a recorded fault) when the MMU faults.
 * @counters: read the event counters
 *
 * Tests use these to check the driver against the GPU's own view.
 * Real hardware backends leave &nova_hw.probe NULL.
 */
struct nova_hw_probe_ops {
	int (*translate)(struct nova_hw *hw, u64 pdb, u64 va, bool write,
			 bool hub, struct nova_hw_xlate *out);
	int (*mem_access)(struct nova_hw *hw, u64 pdb, u64 va, void *buf,
			  size_t len, bool write);
	void (*counters)(struct nova_hw *hw, struct nova_hw_counters *out);
};

/**
 * struct nova_hw_channel_args - a GPFIFO channel, as the firmware creates it
 * @hclass: channel class: AMPERE_CHANNEL_GPFIFO_A on Ampere and Ada,
 *	HOPPER_CHANNEL_GPFIFO_A on Hopper (<linux/nova/regs.h>)
 * @pdb: VRAM address of the root page directory of the channel's address
 *	space; 4 KiB aligned
 * @gpfifo_va: GPU VA of the GPFIFO ring in that address space; 8-byte
 *	aligned
 * @gpfifo_entries: number of GP entries in the ring, a power of two, at
 *	least 2
 * @userd: VRAM address of the channel's USERD (NV_RAMUSERD_SIZE bytes);
 *	NV_RAMUSERD_SIZE aligned
 * @privileged: the channel runs at the kernel's privilege level: its copy
 *	engine may address physical memory (LAUNCH_DMA with a physical
 *	source or destination, SET_SRC/DST_PHYS_MODE). An unprivileged
 *	channel reaches memory only through its address space: a LAUNCH_DMA
 *	with a physical source or destination stops it with a channel error
 *	(NVSIM_CHAN_ERROR_PRIVILEGE) before it accesses anything.
 *
 * The channel's engine is a copy engine: subchannels 0 to 4 reach it.
 *
 * @privileged models the privilege level GSP-RM gives a channel: kernel
 * channels may use physical addressing, user channels may not. How
 * silicon enforces this, and what it reports, is not documented in the
 * sources nova uses: the rule nova-sim enforces, where it checks it and
 * its error code are simulator policy.
 */
struct nova_hw_channel_args {
	u32 hclass;
	u64 pdb;
	u64 gpfifo_va;
	u32 gpfifo_entries;
	u64 userd;
	bool privileged;
};

/**
 * struct nova_hw_ops - hardware access
 * @rd32: read the 32-bit register at BAR0 offset @offset; never sleeps,
 *	never allocates (may be called in the fence-signalling path)
 * @wr32: write a 32-bit register; same rules as @rd32
 * @get_static_info: fill @info, as GSP's static info does; may sleep
 * @bar1_pfn: the CPU page frame that backs BAR1 offset @offset for an
 *	access (@write or not), translated by the GPU through the BAR1
 *	address space; -EFAULT when the GPU MMU faults, -ENOMEM when a
 *	backend that allocates host memory for VRAM (a simulator) cannot
 *	back the page. May sleep; called from the driver's mmap fault
 *	handler.
 * @channel_alloc: ask the firmware for a channel described by @args (on
 *	real hardware one GSP-RM call). The firmware sets GP_GET and GP_PUT
 *	in USERD to 0 and returns in @token the value to write to
 *	NV_USERMODE_NOTIFY_CHANNEL_PENDING to make the host fetch the GP
 *	entries from GP_GET to GP_PUT. May sleep. Returns 0, -EINVAL for
 *	bad @args or a class the GPU lacks, -ENOSPC when no channel is free,
 *	-ENODEV when the GPU offers no channels, -ENOMEM.
 * @channel_free: ask the firmware to free the channel of @token; it waits
 *	for an execution of the channel in progress to end (nova-sim lets
 *	the methods being run finish; firmware preempts the channel), and
 *	when it returns the host never again
 *	accesses memory for this channel (its ring, USERD, and whatever its
 *	methods address), even when a semaphore it was waiting on is
 *	released later. The token may be handed out again by a later
 *	@channel_alloc. May sleep.
 * @set_irq: connect @handler, with its argument @data, to the GPU's
 *	interrupt line, or disconnect it (@handler NULL). The backend calls
 *	the handler from its own context, as an MSI would arrive (never from
 *	inside @rd32 or @wr32), whenever an enabled interrupt cause becomes
 *	pending: non-stall interrupts of the channels, MMU faults, channels
 *	stopped by an error (NVSIM_INTR_* in <linux/nova/nvsim-regs.h>). The
 *	handler reads the pending causes with @rd32 and acknowledges them by
 *	writing them back with @wr32; it must not sleep (a PCI backend calls
 *	it in hard-IRQ context). When disconnecting returns, the handler is
 *	not running and is not called again. May sleep. Returns 0, or
 *	-EBUSY when a handler is already connected.
 */
struct nova_hw_ops {
	u32 (*rd32)(struct nova_hw *hw, u32 offset);
	void (*wr32)(struct nova_hw *hw, u32 offset, u32 value);
	int (*get_static_info)(struct nova_hw *hw,
			       struct nova_hw_static_info *info);
	int (*bar1_pfn)(struct nova_hw *hw, u64 offset, bool write,
			unsigned long *pfn);
	int (*channel_alloc)(struct nova_hw *hw,
			     const struct nova_hw_channel_args *args,
			     u32 *token);
	void (*channel_free)(struct nova_hw *hw, u32 token);
	int (*set_irq)(struct nova_hw *hw, void (*handler)(void *data),
		       void *data);
};

/**
 * struct nova_hw - a GPU as a backend presents it
 * @owner: the backend's module; nova-core holds a reference on it (and on
 *	the device) from probe until the last user of the GPU is gone, so
 *	that @ops and @priv stay valid; after the device's removal nova-core
 *	makes no call of @ops
 * @ops: the access functions
 * @probe: introspection for tests, or NULL
 * @priv: backend private data
 */
struct nova_hw {
	struct module *owner;
	const struct nova_hw_ops *ops;
	const struct nova_hw_probe_ops *probe;
	void *priv;
};

/**
 * nova_hw_from_pci() - the hardware access of a GPU's PCI device
 * @pdev: a PCI device with NVIDIA's vendor id
 *
 * A backend attaches the &struct nova_hw of a GPU as the platform data of
 * its PCI device before any driver can bind to the device (nova-sim does
 * so when the PCI core adds a device of its host bridge).
 *
 * Context: any.
 * Return: the GPU's &struct nova_hw, or NULL when no backend presents the
 * device (a real GPU, which nova-core does not drive yet).
 */
static inline struct nova_hw *nova_hw_from_pci(struct pci_dev *pdev)
{
	return dev_get_platdata(&pdev->dev);
}

#endif /* __LINUX_NOVA_HW_H__ */
