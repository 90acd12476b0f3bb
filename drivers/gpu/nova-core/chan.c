// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core channels: GPFIFO rings that nova-core feeds.
 */

#include <linux/bitfield.h>
#include <linux/dma-fence.h>
#include <linux/mm.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "nova_core.h"

/**
 * DOC: channels
 *
 * A channel is a GPFIFO ring of the host (PBDMA) feeding a copy engine,
 * on an address space of nova-core (&struct nova_vmm). The firmware
 * creates it (&nova_hw_ops.channel_alloc) for the VMM's page directory,
 * a GPFIFO ring at a GPU VA of that VMM and a USERD in VRAM, and returns
 * the doorbell token.
 *
 * The channel's own memory is one physically contiguous 64 KiB VRAM
 * allocation that belongs to nova-core, seen by the channel's engines
 * through a window of NOVA_CHAN_VA_SIZE (64 KiB) of its VMM at the same
 * offsets:
 *
 * ======== ============================================================
 * 0x0000   USERD (GP_GET, GP_PUT); reached only by its VRAM address,
 *          never mapped in any VM
 * 0x1000   the GPFIFO ring, NOVA_CHAN_ENTRIES entries; mapped read-only
 * 0x2000   the fence segment (WFI, NON_STALL_INTERRUPT), written once
 *          at creation; mapped read-only
 * 0x3000   the kernel pushbuffer (nova-core's own commands); mapped
 *          read-only, for kernel channels only
 * ======== ============================================================
 *
 * The host only reads what is mapped: a copy-engine write aimed at the
 * window faults (an MMU fault, the channel stops with -EFAULT), whether
 * it comes from nova-core or from a user's pushbuffer.
 *
 * Kernel channels (nova_chan_create()) are privileged: their copy engine
 * may address physical VRAM (SET_*_PHYS_MODE LOCAL_FB), which nova-core
 * uses to scrub VRAM; their window is allocated in the VMM with
 * nova_vmm_va_alloc(). User channels (nova_chan_create_user()) are not:
 * the GPU stops one that launches a physical transfer (-EIO), so their
 * commands reach memory only through their VMM; the window is at a VA the
 * caller chose and reserved (see nova_chan_create_user()).
 *
 * The CPU writes this memory through a kernel BAR1 mapping: the
 * allocation is mapped into BAR1 (nova_bar1_map(), nova-core's first
 * kernel client of the BAR1 user interface) and the CPU pages behind its
 * BAR1 offsets (nova_bar1_pfn()) are mapped with vmap() once at
 * creation. nova-sim's BAR1 pages are host memory; a PCI backend would
 * ioremap the BAR1 range write-combined instead. BAR1 rather than PRAMIN:
 * the PRAMIN window is one per GPU, serialised by a mutex and moved by
 * register writes, while a submission (from drm_sched's run_job, in the
 * fence-signalling path) should be plain stores.
 *
 * A submission (nova_chan_submit()) writes one GP entry per pushbuffer
 * range, then one for the fence segment, then GP_PUT, and rings the
 * doorbell. The fence is a &struct dma_fence allocated beforehand
 * (nova_chan_fence_alloc()), so submitting never allocates.
 *
 * Completion comes from GP_GET, which only the host writes, in USERD,
 * which no VM maps: nothing a pushbuffer does can signal a fence early.
 * nova-core counts the GP entries the host consumed in 64 bits
 * (&nova_chan.get, advanced by the distance GP_GET moved; the ring never
 * holds more than NOVA_CHAN_ENTRIES - 1 entries, so the distance is
 * unambiguous across wrap-arounds). A submission's fence is complete
 * when that count reaches its last push's entry (&nova_chan_fence.done):
 * the host advances GP_GET past a segment only once its methods have
 * completed. The fence segment's NON_STALL_INTERRUPT comes after that
 * point, so it arrives once GP_GET has moved past the pushes; a
 * NON_STALL_INTERRUPT of a user's own pushbuffer only wakes the handler
 * up for nothing. (On silicon GP_GET tracks what the host fetched, not
 * what completed; a hardware backend needs a semaphore release to memory
 * no VM maps instead. nova-sim's host completes a segment's methods
 * before it advances GP_GET; its documentation says so.)
 *
 * The interrupt handler (nova_chan_irq(), connected with
 * &nova_hw_ops.set_irq) reads the pending causes and acknowledges them.
 * On a non-stall interrupt it reads each channel's GP_GET and signals the
 * fences whose pushes the host has run. On a stopped channel it reads why
 * (NVSIM_CHAN_ERROR), puts the channel into its error state (-EFAULT for
 * an MMU fault, -EIO otherwise) and fails its unsignalled fences with
 * that error; the channel refuses further submissions with it.
 *
 * nova_chan_stop() stops a channel for good: it sets the error, asks the
 * firmware to free the channel (&nova_hw_ops.channel_free returns once
 * the host no longer runs it and never will) and fails the fences left.
 * nova_chan_destroy() then only frees nova-core's side.
 */

#define NOVA_CHAN_MEM_SIZE	NOVA_CHAN_VA_SIZE
#define NOVA_CHAN_USERD		0x0000
#define NOVA_CHAN_RING		0x1000
#define NOVA_CHAN_ENTRIES	256
#define NOVA_CHAN_FSEG		0x2000
#define NOVA_CHAN_FSEG_WORDS	4
#define NOVA_CHAN_PB		0x3000
#define NOVA_CHAN_PB_SIZE	(NOVA_CHAN_MEM_SIZE - NOVA_CHAN_PB)
/* What the VMM maps: user channels, kernel channels (pushbuffer too). */
#define NOVA_CHAN_MAP_START	NOVA_CHAN_RING
#define NOVA_CHAN_MAP_USER	(NOVA_CHAN_PB - NOVA_CHAN_MAP_START)
#define NOVA_CHAN_MAP_KERNEL	(NOVA_CHAN_MEM_SIZE - NOVA_CHAN_MAP_START)

static_assert(NOVA_CHAN_RING + NOVA_CHAN_ENTRIES * NV_GP_ENTRY_SIZE <=
	      NOVA_CHAN_FSEG);
static_assert(NOVA_CHAN_FSEG + NOVA_CHAN_FSEG_WORDS * 4 <= NOVA_CHAN_PB);
static_assert(NOVA_CHAN_MEM_SIZE == SZ_64K);

/**
 * struct nova_chan - a channel
 * @core: the GPU; set at creation, never changes
 * @vmm: the address space; set at creation, never changes
 * @mem: the channel's VRAM (see DOC: channels); never changes
 * @bar1: @mem mapped into BAR1; never changes
 * @cpu: the CPU's view of @mem through BAR1; never changes
 * @va: GPU VA of @mem's offset 0 in @vmm (the window); never changes
 * @mapped: bytes mapped at @va + NOVA_CHAN_MAP_START, 0 when not mapped
 *	(creation failed); never changes after creation
 * @va_owned: @va was allocated with nova_vmm_va_alloc() (kernel
 *	channels); never changes
 * @user: a user channel (unprivileged); never changes
 * @userd: VRAM address of USERD; never changes
 * @token: the doorbell token; never changes
 * @chid: the channel id in @token; never changes
 * @context: the dma_fence context of its fences; never changes
 * @node: entry in &nova_chans.list while the GPU may run the channel;
 *	protected by &nova_chans.lock
 * @stop_lock: protects @freed; serialises nova_chan_stop() with itself
 *	and nova_chan_destroy(); taken outside nova_hw_enter() and every
 *	spinlock of nova-core
 * @freed: the firmware freed the channel (nova_chan_stop())
 * @lock: protects the fields below; taken inside &nova_chans.lock, in any
 *	context (the interrupt handler)
 * @put: GP entries written since creation; the slot of the next is
 *	@put modulo NOVA_CHAN_ENTRIES
 * @get: GP entries the host consumed since creation (GP_GET seen last)
 * @seqno: seqno of the last submission
 * @pending: fences submitted and not yet signalled, in seqno order
 * @error: 0, or the error that stopped the channel; the first one stays
 */
struct nova_chan {
	struct nova_core *core;
	struct nova_vmm *vmm;
	struct nova_vram *mem;
	struct nova_bar1_map *bar1;
	void *cpu;
	u64 va;
	u64 mapped;
	bool va_owned;
	bool user;
	u64 userd;
	u32 token;
	u32 chid;
	u64 context;
	struct list_head node;

	struct mutex stop_lock; /* firmware free */
	bool freed;

	spinlock_t lock; /* ring, fences, error */
	u64 put;
	u64 get;
	u64 seqno;
	struct list_head pending;
	int error;
};

/**
 * struct nova_chan_fence - the fence of a submission
 * @base: the fence
 * @lock: the fence's own lock: it outlives the channel
 * @link: entry in &nova_chan.pending; protected by &nova_chan.lock
 * @done: the fence is complete when &nova_chan.get reaches it (the count
 *	of GP entries after its last push); set at submission
 */
struct nova_chan_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence */
	struct list_head link;
	u64 done;
};

static const char *nova_chan_fence_driver_name(struct dma_fence *fence)
{
	return "nova-core";
}

static const char *nova_chan_fence_timeline_name(struct dma_fence *fence)
{
	return "channel";
}

static const struct dma_fence_ops nova_chan_fence_ops = {
	.get_driver_name = nova_chan_fence_driver_name,
	.get_timeline_name = nova_chan_fence_timeline_name,
};

static u32 nova_chan_rd32(struct nova_chan *chan, u32 off)
{
	return le32_to_cpu(READ_ONCE(*(__le32 *)(chan->cpu + off)));
}

static void nova_chan_wr32(struct nova_chan *chan, u32 off, u32 value)
{
	WRITE_ONCE(*(__le32 *)(chan->cpu + off), cpu_to_le32(value));
}

/* GPU VA of an offset of the channel's memory. */
static u64 nova_chan_va(struct nova_chan *chan, u32 off)
{
	return chan->va + off;
}

/*
 * Advance chan->get to the host's GP_GET; chan->lock held. GP_GET lies
 * between chan->get and chan->put (modulo the ring), which are less than
 * NOVA_CHAN_ENTRIES apart: the distance it moved is unambiguous.
 */
static void nova_chan_get_locked(struct nova_chan *chan)
{
	u32 gp_get = nova_chan_rd32(chan, NOVA_CHAN_USERD + NV_RAMUSERD_GP_GET);
	u64 moved = (gp_get - chan->get) & (NOVA_CHAN_ENTRIES - 1);

	lockdep_assert_held(&chan->lock);
	/* A GP_GET beyond GP_PUT is not the host's: ignore it. */
	if (moved <= chan->put - chan->get)
		chan->get += moved;
}

/*
 * Move the fences the host has completed to @done; with chan->lock held.
 * They are signalled by nova_chan_signal() once every lock is dropped: a
 * fence callback may re-enter nova (submit on this channel, create or
 * destroy a channel) and take chan->lock or chans.lock.
 */
static void nova_chan_update_locked(struct nova_chan *chan,
				    struct list_head *done)
{
	struct nova_chan_fence *f, *tmp;

	lockdep_assert_held(&chan->lock);
	if (list_empty(&chan->pending))
		return;
	/* GP_GET is read after the interrupt that made us look. */
	rmb();
	nova_chan_get_locked(chan);
	list_for_each_entry_safe(f, tmp, &chan->pending, link) {
		if (f->done > chan->get)
			break;
		list_move_tail(&f->link, done);
	}
}

/* Move every fence left to @done, failed with @error; chan->lock held. */
static void nova_chan_fail_locked(struct nova_chan *chan, int error,
				  struct list_head *done)
{
	struct nova_chan_fence *f, *tmp;

	lockdep_assert_held(&chan->lock);
	list_for_each_entry_safe(f, tmp, &chan->pending, link) {
		/* Not signalled yet: only this path signals it. */
		dma_fence_set_error(&f->base, error);
		list_move_tail(&f->link, done);
	}
}

/* Signal and put the fences of @done; with no nova lock held. */
static void nova_chan_signal(struct list_head *done)
{
	struct nova_chan_fence *f, *tmp;

	list_for_each_entry_safe(f, tmp, done, link) {
		list_del(&f->link);
		dma_fence_signal(&f->base);
		dma_fence_put(&f->base);
	}
}

/* Stop @chan with @error; its fences move to @done. chan->lock not held. */
static void nova_chan_kill(struct nova_chan *chan, int error,
			   struct list_head *done)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	/* What completed before the error completed. */
	nova_chan_update_locked(chan, done);
	if (!chan->error)
		chan->error = error;
	nova_chan_fail_locked(chan, chan->error, done);
	spin_unlock_irqrestore(&chan->lock, flags);
}

static int nova_chan_errno(u32 code)
{
	return code == NVSIM_CHAN_ERROR_MMU_FAULT ? -EFAULT : -EIO;
}

/**
 * nova_chan_irq() - the GPU's interrupt handler
 * @data: the &struct nova_core
 *
 * Reads and acknowledges the pending causes; signals completed fences on
 * a non-stall interrupt and puts stopped channels into their error
 * state.
 *
 * Context: any (the backend's interrupt context); does not sleep.
 */
static void nova_chan_irq(void *data)
{
	struct nova_core *core = data;
	struct nova_chan *chan;
	unsigned long flags;
	u32 pending, i;
	LIST_HEAD(done);
	int idx;

	if (!nova_hw_enter(core, &idx))
		return;
	pending = nova_rd32(core, NVSIM_INTR_PENDING);
	nova_wr32(core, NVSIM_INTR_PENDING, pending);

	spin_lock_irqsave(&core->chans.lock, flags);
	if (pending & NVSIM_INTR_NON_STALL) {
		list_for_each_entry(chan, &core->chans.list, node) {
			spin_lock(&chan->lock);
			nova_chan_update_locked(chan, &done);
			spin_unlock(&chan->lock);
		}
	}
	if (pending & NVSIM_INTR_CHANNEL) {
		for (i = 0; i < NVSIM_CHAN_STOPPED_WORDS; i++) {
			u32 stopped = nova_rd32(core, NVSIM_CHAN_STOPPED(i));

			if (!stopped)
				continue;
			nova_wr32(core, NVSIM_CHAN_STOPPED(i), stopped);
			list_for_each_entry(chan, &core->chans.list, node) {
				u32 code;

				if (chan->chid / 32 != i ||
				    !(stopped & BIT(chan->chid % 32)))
					continue;
				code = nova_rd32(core, NVSIM_CHAN_ERROR(chan->chid));
				nova_chan_kill(chan, nova_chan_errno(code),
					       &done);
			}
		}
	}
	spin_unlock_irqrestore(&core->chans.lock, flags);
	core->chans.irqs++;
	nova_hw_exit(core, idx);
	nova_chan_signal(&done);
}

/**
 * nova_chan_init() - connect the interrupt handler of a GPU
 * @core: the GPU
 *
 * Context: process; may sleep.
 * Return: 0, -ENODEV when the backend offers no channels or no interrupt
 * line, or the backend's error.
 */
int nova_chan_init(struct nova_core *core)
{
	int ret;

	spin_lock_init(&core->chans.lock);
	INIT_LIST_HEAD(&core->chans.list);
	if (!core->hw->ops->set_irq || !core->hw->ops->channel_alloc)
		return -ENODEV;
	ret = core->hw->ops->set_irq(core->hw, nova_chan_irq, core);
	if (ret)
		return ret;
	nova_wr32(core, NVSIM_INTR_ENABLE, NVSIM_INTR_ALL);
	core->chans.irq = true;

	return 0;
}

/**
 * nova_chan_fini() - disconnect the interrupt handler
 * @core: the GPU, with no channel left
 *
 * Context: process; may sleep.
 */
void nova_chan_fini(struct nova_core *core)
{
	int idx;

	if (!core->chans.irq)
		return;
	WARN_ON(!list_empty(&core->chans.list));
	if (nova_hw_enter(core, &idx)) {
		nova_wr32(core, NVSIM_INTR_ENABLE, 0);
		nova_hw_exit(core, idx);
	}
	core->hw->ops->set_irq(core->hw, NULL, NULL);
	core->chans.irq = false;
}

/* The CPU view of the channel's memory through a kernel BAR1 mapping. */
static int nova_chan_map_cpu(struct nova_chan *chan)
{
	unsigned int i, n = NOVA_CHAN_MEM_SIZE >> PAGE_SHIFT;
	struct page **pages;
	u64 off;
	int ret;

	chan->bar1 = nova_bar1_map(chan->core, chan->mem);
	if (IS_ERR(chan->bar1)) {
		ret = PTR_ERR(chan->bar1);
		chan->bar1 = NULL;
		return ret;
	}
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	off = nova_bar1_offset(chan->bar1);
	for (i = 0; i < n; i++) {
		unsigned long pfn;

		ret = nova_bar1_pfn(chan->core, off + ((u64)i << PAGE_SHIFT),
				    true, &pfn);
		if (ret)
			goto out;
		if (!pfn_valid(pfn)) {
			/* BAR1 of a PCI device: ioremap, not modelled yet. */
			ret = -ENODEV;
			goto out;
		}
		pages[i] = pfn_to_page(pfn);
	}
	chan->cpu = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	ret = chan->cpu ? 0 : -ENOMEM;
out:
	kfree(pages);
	return ret;
}

static void nova_chan_free_mem(struct nova_chan *chan)
{
	if (chan->mapped)
		nova_vmm_unmap(chan->vmm, chan->va + NOVA_CHAN_MAP_START,
			       chan->mapped);
	if (chan->va_owned)
		nova_vmm_va_free(chan->vmm, chan->va);
	if (chan->cpu)
		vunmap(chan->cpu);
	if (chan->bar1)
		nova_bar1_unmap(chan->bar1);
	nova_vram_free(chan->mem);
}

static u32 nova_chan_mthd(u32 subc, u32 mthd, u32 count)
{
	return FIELD_PREP(NV_FIFO_DMA_SEC_OP, NV_FIFO_DMA_SEC_OP_INC_METHOD) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_COUNT, count) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_SUBCHANNEL, subc) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_ADDRESS, mthd >> 2);
}

/* The fence segment, the same for every submission: WFI, then interrupt. */
static void nova_chan_write_fence_segment(struct nova_chan *chan)
{
	u32 w[NOVA_CHAN_FSEG_WORDS] = {
		nova_chan_mthd(0, NVC56F_WFI, 1), 0,
		nova_chan_mthd(0, NVC56F_NON_STALL_INTERRUPT, 1), 0,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(w); i++)
		nova_chan_wr32(chan, NOVA_CHAN_FSEG + i * 4, w[i]);
}

/* Create a channel whose window is at @va (kernel: allocated, @va 0). */
static struct nova_chan *nova_chan_new(struct nova_core *core,
				       struct nova_vmm *vmm, u64 va, bool user)
{
	u64 map_size = user ? NOVA_CHAN_MAP_USER : NOVA_CHAN_MAP_KERNEL;
	struct nova_hw_channel_args args = {};
	struct nova_chan *chan;
	unsigned long flags;
	u64 contig;
	int ret, idx;

	if (!core->chans.irq)
		return ERR_PTR(-ENODEV);
	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return ERR_PTR(-ENOMEM);
	chan->core = core;
	chan->vmm = vmm;
	chan->user = user;
	mutex_init(&chan->stop_lock);
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->pending);
	INIT_LIST_HEAD(&chan->node);
	chan->context = dma_fence_context_alloc(1);

	chan->mem = nova_vram_alloc(core, NOVA_CHAN_MEM_SIZE,
				    NOVA_VRAM_CONTIGUOUS);
	if (IS_ERR(chan->mem)) {
		ret = PTR_ERR(chan->mem);
		mutex_destroy(&chan->stop_lock);
		kfree(chan);
		return ERR_PTR(ret);
	}
	ret = nova_vram_addr(chan->mem, NOVA_CHAN_USERD, &chan->userd, &contig);
	if (ret)
		goto err_mem;
	ret = nova_chan_map_cpu(chan);
	if (ret)
		goto err_mem;
	if (user) {
		chan->va = va;
	} else {
		ret = nova_vmm_va_alloc(vmm, NOVA_CHAN_VA_SIZE, SZ_64K,
					&chan->va);
		if (ret)
			goto err_mem;
		chan->va_owned = true;
	}
	/* Read-only: the host only reads it, and no engine may write it. */
	ret = nova_vmm_map(vmm, chan->va + NOVA_CHAN_MAP_START, map_size,
			   chan->mem, NOVA_CHAN_MAP_START, NOVA_MAP_READ_ONLY);
	if (ret)
		goto err_mem;
	chan->mapped = map_size;
	nova_chan_write_fence_segment(chan);

	args.hclass = core->chip->chan_class;
	args.pdb = nova_vmm_pdb(vmm);
	args.gpfifo_va = nova_chan_va(chan, NOVA_CHAN_RING);
	args.gpfifo_entries = NOVA_CHAN_ENTRIES;
	args.userd = chan->userd;
	args.privileged = !user;
	if (!nova_hw_enter(core, &idx)) {
		ret = -ENODEV;
		goto err_mem;
	}
	/* The segment is in VRAM before the host can fetch it. */
	wmb();
	ret = core->hw->ops->channel_alloc(core->hw, &args, &chan->token);
	nova_hw_exit(core, idx);
	if (ret)
		goto err_mem;
	chan->chid = FIELD_GET(NV_USERMODE_NOTIFY_CHANNEL_PENDING_CHID,
			       chan->token);

	spin_lock_irqsave(&core->chans.lock, flags);
	list_add_tail(&chan->node, &core->chans.list);
	spin_unlock_irqrestore(&core->chans.lock, flags);

	return chan;

err_mem:
	nova_chan_free_mem(chan);
	mutex_destroy(&chan->stop_lock);
	kfree(chan);
	return ERR_PTR(ret);
}

/**
 * nova_chan_create() - create a kernel channel on an address space
 * @core: the GPU
 * @vmm: the address space the channel's engines use; it must outlive the
 *	channel
 *
 * Allocates and maps the channel's memory (see DOC: channels), at a VA
 * window it allocates in @vmm with nova_vmm_va_alloc(), and asks the
 * firmware for a privileged channel: its copy engine may address physical
 * VRAM. For nova-core's own work only; a channel whose pushbuffers a user
 * writes is created with nova_chan_create_user().
 *
 * Context: process; may sleep.
 * Return: the channel, or an ERR_PTR: -ENOMEM, -ENOSPC (VRAM, BAR1, VA
 * or the GPU's channels exhausted), -ENODEV when the GPU has no channels
 * or is gone.
 */
struct nova_chan *nova_chan_create(struct nova_core *core,
				   struct nova_vmm *vmm)
{
	return nova_chan_new(core, vmm, 0, false);
}
EXPORT_SYMBOL_GPL(nova_chan_create);

/**
 * nova_chan_create_user() - create a channel for a user's pushbuffers
 * @core: the GPU
 * @vmm: the user's address space; it must outlive the channel
 * @va: the channel's window in @vmm, NOVA_CHAN_VA_SIZE aligned
 *
 * Like nova_chan_create(), but the channel is unprivileged (the GPU stops
 * it, -EIO, when it launches a copy with a physical source or
 * destination, so its commands reach memory only through @vmm) and its
 * memory is mapped at @va. The ring and the fence segment are mapped
 * read-only in [@va + 4 KiB, @va + 12 KiB); USERD, from which completion
 * is read, is not mapped. The caller reserves [@va, @va +
 * NOVA_CHAN_VA_SIZE) for the channel until nova_chan_destroy() returns:
 * @vmm was created with a range that includes it (nova_vmm_create()'s
 * @va_start may be below the range the user binds in), and nothing else
 * maps, unmaps or allocates (nova_vmm_va_alloc()) there. The window may
 * lie below the range userspace binds in, so that no user bind or unmap
 * reaches it.
 *
 * Context: process; may sleep.
 * Return: the channel, or an ERR_PTR: -EINVAL for a misaligned @va or a
 * window outside @vmm's range, -ENOMEM, -ENOSPC (VRAM, BAR1, page tables
 * or the GPU's channels exhausted), -ENODEV when the GPU has no channels
 * or is gone. The window is not checked for other mappings: a mapping
 * there would be replaced, which is why the caller reserves it.
 */
struct nova_chan *nova_chan_create_user(struct nova_core *core,
					struct nova_vmm *vmm, u64 va)
{
	if (!IS_ALIGNED(va, NOVA_CHAN_VA_SIZE) ||
	    va + NOVA_CHAN_VA_SIZE < va)
		return ERR_PTR(-EINVAL);

	return nova_chan_new(core, vmm, va, true);
}
EXPORT_SYMBOL_GPL(nova_chan_create_user);

/*
 * Make the GPU stop using the channel for good: out of the interrupt
 * handler's list, then freed by the firmware, once.
 */
static void nova_chan_release_hw(struct nova_chan *chan)
{
	struct nova_core *core = chan->core;
	unsigned long flags;
	int idx;

	mutex_lock(&chan->stop_lock);
	if (!chan->freed) {
		/*
		 * Out of the list before its CHID can be reused: the handler
		 * never takes a new channel's stop for this one.
		 */
		spin_lock_irqsave(&core->chans.lock, flags);
		list_del_init(&chan->node);
		spin_unlock_irqrestore(&core->chans.lock, flags);
		/* A GPU that is gone runs nothing any more. */
		if (nova_hw_enter(core, &idx)) {
			core->hw->ops->channel_free(core->hw, chan->token);
			nova_hw_exit(core, idx);
		}
		chan->freed = true;
	}
	mutex_unlock(&chan->stop_lock);
}

/**
 * nova_chan_stop() - stop a channel for good
 * @chan: the channel
 * @error: the error to put it in, a negative errno (-ETIMEDOUT when a
 *	job timed out, for example)
 *
 * Puts the channel into its error state with @error, unless it has one
 * already (the first error stays), and has the firmware free the channel
 * on the GPU: when this returns, the host never again reads or writes
 * memory for this channel, so memory its work touched may be freed and
 * reused. Fences of work that completed before signal without an error;
 * the others fail with the channel's error. nova_chan_submit() fails with
 * it from now on. Idempotent; nova_chan_destroy() still frees the
 * channel.
 *
 * Context: process; may sleep: waits for the host to leave the channel,
 * and the firmware call may allocate (nova-sim's host allocates VRAM
 * backing while it runs), so not inside a dma_fence_begin_signalling()
 * section. drm_sched's timedout_job handler is not one. Takes
 * &nova_chan.stop_lock, with no other nova-core lock held.
 */
void nova_chan_stop(struct nova_chan *chan, int error)
{
	unsigned long flags;
	LIST_HEAD(done);

	might_sleep();
	if (WARN_ON(error >= 0))
		error = -EIO;
	/* No submission rings the doorbell after this. */
	spin_lock_irqsave(&chan->lock, flags);
	if (!chan->error)
		chan->error = error;
	spin_unlock_irqrestore(&chan->lock, flags);

	nova_chan_release_hw(chan);

	/* GP_GET is final: what completed before completed. */
	nova_chan_kill(chan, error, &done);
	nova_chan_signal(&done);
}
EXPORT_SYMBOL_GPL(nova_chan_stop);

/**
 * nova_chan_destroy() - free a channel
 * @chan: the channel, or NULL
 *
 * The firmware frees the channel (the host stops using its memory),
 * unless nova_chan_stop() did already; fences still pending fail with
 * -ECANCELED.
 *
 * Context: process; may sleep.
 */
void nova_chan_destroy(struct nova_chan *chan)
{
	unsigned long flags;
	LIST_HEAD(done);

	if (!chan)
		return;
	nova_chan_release_hw(chan);
	spin_lock_irqsave(&chan->lock, flags);
	nova_chan_update_locked(chan, &done);
	nova_chan_fail_locked(chan, -ECANCELED, &done);
	spin_unlock_irqrestore(&chan->lock, flags);
	nova_chan_signal(&done);
	nova_chan_free_mem(chan);
	mutex_destroy(&chan->stop_lock);
	kfree(chan);
}
EXPORT_SYMBOL_GPL(nova_chan_destroy);

/**
 * nova_chan_error() - the error that stopped a channel
 * @chan: the channel
 *
 * Context: any.
 * Return: 0 while it works, else -EFAULT (an MMU fault), -EIO (a bad
 * command, a physical transfer on a user channel) or the error given to
 * nova_chan_stop(), whichever came first.
 */
int nova_chan_error(struct nova_chan *chan)
{
	unsigned long flags;
	int error;

	spin_lock_irqsave(&chan->lock, flags);
	error = chan->error;
	spin_unlock_irqrestore(&chan->lock, flags);

	return error;
}
EXPORT_SYMBOL_GPL(nova_chan_error);

/**
 * nova_chan_fence_alloc() - allocate the fence of a later submission
 *
 * Context: process; may sleep.
 * Return: the fence, to pass to nova_chan_submit() or to free with
 * nova_chan_fence_free(); NULL when out of memory.
 */
struct nova_chan_fence *nova_chan_fence_alloc(void)
{
	return kzalloc(sizeof(struct nova_chan_fence), GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(nova_chan_fence_alloc);

/**
 * nova_chan_fence_free() - free a fence nova_chan_submit() did not take
 * @f: the fence, or NULL
 *
 * Context: any.
 */
void nova_chan_fence_free(struct nova_chan_fence *f)
{
	kfree(f);
}
EXPORT_SYMBOL_GPL(nova_chan_fence_free);

/* Free GP entries; chan->lock held. */
static u32 nova_chan_space_locked(struct nova_chan *chan)
{
	nova_chan_get_locked(chan);

	return NOVA_CHAN_ENTRIES - 1 - (chan->put - chan->get);
}

/**
 * nova_chan_space() - GP entries free for a submission
 * @chan: the channel
 *
 * A submission of n pushes needs n + 1 entries.
 *
 * Context: any.
 * Return: the free GP entries.
 */
u32 nova_chan_space(struct nova_chan *chan)
{
	unsigned long flags;
	u32 space;

	spin_lock_irqsave(&chan->lock, flags);
	space = nova_chan_space_locked(chan);
	spin_unlock_irqrestore(&chan->lock, flags);

	return space;
}
EXPORT_SYMBOL_GPL(nova_chan_space);

static void nova_chan_gp_write(struct nova_chan *chan, u64 va, u32 len,
			       bool sync)
{
	u32 slot = NOVA_CHAN_RING +
		   (chan->put & (NOVA_CHAN_ENTRIES - 1)) * NV_GP_ENTRY_SIZE;

	nova_chan_wr32(chan, slot, lower_32_bits(va) & NV_GP_ENTRY0_GET);
	nova_chan_wr32(chan, slot + 4,
		       FIELD_PREP(NV_GP_ENTRY1_GET_HI, upper_32_bits(va)) |
		       FIELD_PREP(NV_GP_ENTRY1_LENGTH, len / 4) |
		       (sync ? NV_GP_ENTRY1_SYNC : 0));
	chan->put++;
}

/**
 * nova_chan_submit() - submit pushbuffer ranges and a fence
 * @chan: the channel
 * @pushes: the ranges, GPU VAs in the channel's address space
 * @count: number of @pushes
 * @f: the fence, from nova_chan_fence_alloc(); taken in all cases
 *
 * Writes a GP entry per push and one for the fence segment, then GP_PUT,
 * and rings the doorbell. Never allocates and never sleeps: usable in
 * the fence-signalling path.
 *
 * Context: any.
 * Return: the fence (a reference for the caller), signalled when the
 * host has run everything submitted so far (see DOC: channels); or an
 * ERR_PTR: -EINVAL for a bad push (a VA of more than 40 bits, a length
 * that is zero, not a multiple of 4 or beyond the GP entry's length
 * field, unknown flags) or a @count of NOVA_CHAN_ENTRIES or more, -EBUSY
 * when the ring has fewer than @count + 1 free entries, the channel's
 * error, -ENODEV when the GPU is gone.
 */
struct dma_fence *nova_chan_submit(struct nova_chan *chan,
				   const struct nova_chan_push *pushes,
				   unsigned int count,
				   struct nova_chan_fence *f)
{
	struct nova_core *core = chan->core;
	unsigned long flags;
	unsigned int i;
	int ret = 0, idx;

	/* A ring never holds more: count + 1 below cannot wrap. */
	if (count >= NOVA_CHAN_ENTRIES)
		ret = -EINVAL;
	/* What a GP entry holds: a 40-bit VA, a length in words. */
	for (i = 0; !ret && i < count; i++)
		if (!pushes[i].len || pushes[i].len & 3 || pushes[i].va & 3 ||
		    pushes[i].va >> NOVA_CHAN_PUSH_VA_BITS ||
		    pushes[i].len / 4 > FIELD_MAX(NV_GP_ENTRY1_LENGTH) ||
		    pushes[i].flags & ~NOVA_CHAN_PUSH_SYNC)
			ret = -EINVAL;
	if (ret) {
		kfree(f);
		return ERR_PTR(ret);
	}
	if (!nova_hw_enter(core, &idx)) {
		kfree(f);
		return ERR_PTR(-ENODEV);
	}

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->error)
		ret = chan->error;
	else if (count + 1 > nova_chan_space_locked(chan))
		ret = -EBUSY;
	if (ret) {
		spin_unlock_irqrestore(&chan->lock, flags);
		nova_hw_exit(core, idx);
		kfree(f);
		return ERR_PTR(ret);
	}
	for (i = 0; i < count; i++)
		nova_chan_gp_write(chan, pushes[i].va, pushes[i].len,
				   pushes[i].flags & NOVA_CHAN_PUSH_SYNC);
	/* Complete once GP_GET has moved past the last push. */
	f->done = chan->put;
	nova_chan_gp_write(chan, nova_chan_va(chan, NOVA_CHAN_FSEG),
			   NOVA_CHAN_FSEG_WORDS * 4, false);
	chan->seqno++;

	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &nova_chan_fence_ops, &f->lock, chan->context,
		       chan->seqno);
	/* The list's reference and the caller's. */
	dma_fence_get(&f->base);
	list_add_tail(&f->link, &chan->pending);

	/* The GP entries are visible before GP_PUT... */
	wmb();
	nova_chan_wr32(chan, NOVA_CHAN_USERD + NV_RAMUSERD_GP_PUT,
		       chan->put & (NOVA_CHAN_ENTRIES - 1));
	/* ...and GP_PUT before the doorbell makes the host read it. */
	wmb();
	nova_wr32(core, NV_USERMODE_NOTIFY_CHANNEL_PENDING, chan->token);
	spin_unlock_irqrestore(&chan->lock, flags);
	nova_hw_exit(core, idx);

	return &f->base;
}
EXPORT_SYMBOL_GPL(nova_chan_submit);

/**
 * nova_chan_kernel_push() - write nova-core's own commands
 * @chan: a channel nova-core created for itself
 * @offset: byte offset in the kernel pushbuffer, a multiple of 4
 * @words: pushbuffer words (method headers and data)
 * @count: number of @words
 * @push: set to the range to submit
 *
 * The caller divides the kernel pushbuffer into pieces and writes a piece
 * again only once the fence of the submission that last used it has
 * signalled (see DOC: kernel channel).
 *
 * Context: any; does not sleep.
 * Return: 0, -EINVAL for an unaligned @offset or on a user channel, or
 * -E2BIG when @count words do not fit from @offset.
 */
int nova_chan_kernel_push(struct nova_chan *chan, u32 offset, const u32 *words,
			  u32 count, struct nova_chan_push *push)
{
	u32 i;

	/* A user channel has no kernel pushbuffer mapped. */
	if (WARN_ON(chan->user))
		return -EINVAL;
	if (offset & 3)
		return -EINVAL;
	if (!count || offset > NOVA_CHAN_PB_SIZE ||
	    count > (NOVA_CHAN_PB_SIZE - offset) / 4)
		return -E2BIG;
	for (i = 0; i < count; i++)
		nova_chan_wr32(chan, NOVA_CHAN_PB + offset + i * 4, words[i]);
	push->va = nova_chan_va(chan, NOVA_CHAN_PB + offset);
	push->len = count * 4;
	push->flags = 0;

	return 0;
}

/**
 * nova_chan_kernel_push_max() - bytes in the kernel pushbuffer
 *
 * Context: any.
 * Return: the size of the kernel pushbuffer in bytes.
 */
u32 nova_chan_kernel_push_max(void)
{
	return NOVA_CHAN_PB_SIZE;
}
