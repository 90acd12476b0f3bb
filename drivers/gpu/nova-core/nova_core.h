/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core internal definitions.
 */
#ifndef __NOVA_CORE_INTERNAL_H__
#define __NOVA_CORE_INTERNAL_H__

#include <linux/auxiliary_bus.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/nova/core.h>
#include <linux/nova/hw.h>
#include <linux/srcu.h>

#include "mm/mm.h"

struct dma_fence;

/**
 * struct nova_chip - per-chip facts
 * @name: lower-case name
 * @chipset: chipset id
 * @mmu_version: page-table format version
 * @pramin_window_reg: BAR0 offset of the PRAMIN window register
 * @pramin_window_mask: mask of its BASE field
 * @chan_class: GPFIFO channel class nova drives, 0 for none
 * @ce_class: copy-engine class of its channels
 */
struct nova_chip {
	const char *name;
	u32 chipset;
	u32 mmu_version;
	u32 pramin_window_reg;
	u32 pramin_window_mask;
	u32 chan_class;
	u32 ce_class;
};

/**
 * struct nova_chans - the channels of a GPU and its interrupt line
 * @lock: protects @list; taken by the interrupt handler, outside each
 *	&nova_chan.lock; never held around an allocation or a sleep
 * @list: the channels (&nova_chan.node)
 * @irq: the interrupt handler is connected; set and cleared by
 *	nova_chan_init() and nova_chan_fini() with no handler running
 * @irqs: interrupts handled; written by the handler only (the backend
 *	calls it once at a time), read for debugging
 */
struct nova_chans {
	spinlock_t lock; /* the list */
	struct list_head list;
	bool irq;
	u64 irqs;
};

#define NOVA_CE_SLOTS		32
#define NOVA_CE_TIMEOUT		(30 * HZ)

/**
 * struct nova_ce - nova-core's kernel channel (see DOC: kernel channel)
 * @lock: protects @vmm, @chan, @slot and @next and serialises
 *	submissions; held around the wait for the oldest slot's fence when
 *	every slot is in use, taken with no other nova-core lock held,
 *	outside nova_hw_enter() and &nova_chan.lock
 * @vmm: nova-core's own address space, or NULL
 * @chan: the kernel channel on @vmm, or NULL (none, or torn down)
 * @slot: the fence of the last submission from each of the
 *	NOVA_CE_SLOTS pieces of the kernel pushbuffer, or NULL; a slot is
 *	written again only once its fence signalled
 * @next: the slot of the next submission (the oldest one in use)
 * @error: set (to -EIO) when a scrub timed out: the channel is not used
 *	any more. Set once with WRITE_ONCE() by whoever sees the timeout (under
 *	@lock or &nova_mm.lock), read with READ_ONCE()
 * @timeout: how long a scrub may take before the channel is broken and its
 *	VRAM withheld, in jiffies: NOVA_CE_TIMEOUT, set by nova_ce_init();
 *	the KUnit tests shorten it (WRITE_ONCE()) so that a stalled channel
 *	times out quickly; read with READ_ONCE(), no lock
 * @pramin: no channel (Turing, or a backend without channels or an
 *	interrupt line): scrubs write through the PRAMIN window; set at init,
 *	never changes
 */
struct nova_ce {
	struct mutex lock; /* the kernel channel, submissions */
	struct nova_vmm *vmm;
	struct nova_chan *chan;
	struct dma_fence *slot[NOVA_CE_SLOTS];
	unsigned int next;
	int error;
	long timeout;
	bool pramin;
};

#define NOVA_CE_FILL_RANGES	16
#define NOVA_CE_FILL_MAX	SZ_1G

/**
 * struct nova_ce_range - a VRAM range to fill
 * @addr: VRAM address
 * @len: bytes
 */
struct nova_ce_range {
	u64 addr;
	u64 len;
};

#define NOVA_FAULT_RING 256

/* Packets of the GPU's non-replayable fault buffer nova-core sets up. */
#define NOVA_FAULT_BUF_ENTRIES 256

/**
 * struct nova_fault_ring - recent GPU MMU faults
 * @lock: protects the ring (every other field); taken with no other
 *	nova-core lock held, outside nova_hw_enter() and nova_pramin.lock
 *	(draining reads the fault buffer under it); never in the signalling
 *	path
 * @entries: the faults; protected by @lock
 * @head: index of the oldest; protected by @lock
 * @count: faults held; protected by @lock
 * @next_seq: sequence number of the next fault drained; protected by @lock
 * @buf_blocks: VRAM of the fault buffer (one contiguous block); set at
 *	probe, freed by nova_fault_fini()
 * @buf_addr: VRAM address of the fault buffer; set at probe
 * @buf_on: the GPU writes the buffer (enabled at probe, off at removal);
 *	protected by @lock
 * @overflows: times the buffer was found overflowed (faults lost);
 *	protected by @lock
 */
struct nova_fault_ring {
	struct mutex lock; /* protects the ring */
	struct nova_fault entries[NOVA_FAULT_RING];
	u32 head;
	u32 count;
	u64 next_seq;
	struct list_head buf_blocks;
	u64 buf_addr;
	bool buf_on;
	u64 overflows;
};

/**
 * struct nova_core - one GPU bound by nova-core
 * @dev: the GPU's PCI device; set at probe, never changes
 * @hw: hardware access; set at probe, never changes
 * @chip: chip facts; set at probe, never changes
 * @boot0: BOOT_0 as read at probe; never changes
 * @sinfo: the firmware's static info; read at probe, never changes
 * @info: what clients see; set at probe, never changes
 * @adev: auxiliary device for the DRM driver; its reference count decides
 *	the structure's lifetime (see below)
 * @node: entry in the list of bound GPUs; protected by the global
 *	nova_core_list_lock in driver.c
 * @fmt: the MMU page-table format; set at probe, never changes
 * @pramin: the PRAMIN window; see &struct nova_pramin
 * @tlb: TLB invalidation; see &struct nova_tlb
 * @mm: the VRAM allocator; see &struct nova_mm
 * @bar1: the BAR1 address space; see &struct nova_bar1
 * @faults: recent MMU faults; see &struct nova_fault_ring
 * @chans: the channels and the interrupt line; see &struct nova_chans
 * @ce: the kernel channel; see &struct nova_ce
 * @hw_srcu: read side held by every sequence of hardware accesses
 *	(nova_hw_enter()); nova_core_remove() waits for them after setting
 *	@gone, holding no nova-core lock. A read section, entered in the
 *	signalling path, inside nova_fault_ring.lock and nova_ce.lock,
 *	outside nova_vmm.pt_lock and nova_chans.lock, and on either side of
 *	nova_vmm.lock (see mm/mm.h)
 * @gone: the backend's device was removed: no hardware access any more;
 *	set once (WRITE_ONCE()) under no lock, read with READ_ONCE() (inside
 *	@hw_srcu by nova_hw_enter(), without it by nova_hw_gone())
 *
 * Lifetime: the structure embeds @adev, whose device reference count
 * decides when it is freed. The DRM device of a GPU (whose parent is the
 * PCI device) holds a reference on @adev, so everything here - the VRAM allocator, BAR1 and
 * the VMMs that clients still hold - lives until the last DRM file and
 * dma-buf of the GPU are gone, also after the backend's device was
 * unbound. From then on (@gone) the GPU is never touched again; the core
 * holds a reference on the GPU's PCI device (@dev) and on the backend's
 * module (@hw->owner).
 * See Documentation/gpu/nova/locking.rst.
 */
struct nova_core {
	struct device *dev;
	struct nova_hw *hw;
	const struct nova_chip *chip;
	u32 boot0;
	struct nova_hw_static_info sinfo;
	struct nova_core_info info;
	struct auxiliary_device adev;
	struct list_head node;
	const struct nova_mmu_fmt *fmt;
	struct nova_pramin pramin;
	struct nova_tlb tlb;
	struct nova_mm mm;
	struct nova_bar1 bar1;
	struct nova_fault_ring faults;
	struct nova_chans chans;
	struct nova_ce ce;
	struct srcu_struct hw_srcu;
	bool gone;
};

/**
 * nova_hw_enter() - start a sequence of hardware accesses
 * @core: the GPU
 * @idx: cookie for nova_hw_exit()
 *
 * Context: any context that may use SRCU read sections, including the
 * fence-signalling path; does not sleep.
 * Return: true if the GPU is still there; then nova_hw_exit() must follow.
 * False once its device was removed (nothing to exit then).
 */
static inline bool nova_hw_enter(struct nova_core *core, int *idx)
{
	*idx = srcu_read_lock(&core->hw_srcu);
	if (likely(!READ_ONCE(core->gone)))
		return true;
	srcu_read_unlock(&core->hw_srcu, *idx);
	return false;
}

/**
 * nova_hw_exit() - end a sequence begun by nova_hw_enter()
 * @core: the GPU
 * @idx: the cookie
 */
static inline void nova_hw_exit(struct nova_core *core, int idx)
{
	srcu_read_unlock(&core->hw_srcu, idx);
}

/**
 * nova_hw_gone() - whether the GPU's device was removed
 * @core: the GPU
 *
 * For teardown paths that skip the hardware once it is gone.
 *
 * Return: true once nova_core_remove() started.
 */
static inline bool nova_hw_gone(struct nova_core *core)
{
	return READ_ONCE(core->gone);
}

/* Callers are inside nova_hw_enter()/nova_hw_exit(). */
static inline u32 nova_rd32(struct nova_core *core, u32 offset)
{
	return core->hw->ops->rd32(core->hw, offset);
}

static inline void nova_wr32(struct nova_core *core, u32 offset, u32 value)
{
	core->hw->ops->wr32(core->hw, offset, value);
}

const struct nova_chip *nova_chip_lookup(u32 chipset);
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */
struct nova_core *nova_core_get(unsigned int n);
#endif
void nova_fault_init(struct nova_core *core);
int nova_fault_buf_init(struct nova_core *core);
void nova_fault_buf_stop(struct nova_core *core);
void nova_fault_fini(struct nova_core *core);
bool nova_fault_decode(const u32 *w, struct nova_fault *f);

/* chan.c */
int nova_chan_init(struct nova_core *core);
void nova_chan_fini(struct nova_core *core);
int nova_chan_kernel_push(struct nova_chan *chan, u32 offset, const u32 *words,
			  u32 count, struct nova_chan_push *push);
u32 nova_chan_kernel_push_max(void);

/* ce.c */
int nova_ce_init(struct nova_core *core);
void nova_ce_fini(struct nova_core *core);
int nova_ce_fill(struct nova_core *core, const struct nova_ce_range *ranges,
		 unsigned int count, u32 value);
struct dma_fence *nova_ce_fill_async(struct nova_core *core,
				     const struct nova_ce_range *ranges,
				     unsigned int count, u32 value);
int nova_ce_wait(struct nova_core *core, struct dma_fence *fence);
void nova_ce_broken(struct nova_core *core);
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */
struct dma_fence *nova_ce_stall(struct nova_core *core);
#endif

#endif /* __NOVA_CORE_INTERNAL_H__ */
