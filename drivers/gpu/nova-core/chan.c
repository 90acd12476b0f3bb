// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core channels: GPFIFO rings that nova-core feeds.
 */

#include <linux/bitfield.h>
#include <linux/dma-fence.h>
#include <linux/mm.h>
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
 * allocation that belongs to nova-core:
 *
 * ======== ============================================================
 * 0x0000   USERD (GP_GET, GP_PUT); reached only by its VRAM address
 * 0x1000   the fence semaphore: a 64-bit seqno the host releases
 * 0x2000   the GPFIFO ring, NOVA_CHAN_ENTRIES entries
 * 0x3000   fence segments, one of 32 bytes per GP slot
 * 0x5000   the kernel pushbuffer (nova-core's own commands)
 * ======== ============================================================
 *
 * Everything but USERD is mapped into the channel's VMM, read-write, at a
 * VA nova-core allocates there. Channels that nova-core creates for
 * itself live on its own VMM (&nova_ce.vmm), which no client can map into
 * or address: no pushbuffer of a user VM reaches their ring, USERD or
 * fence memory.
 *
 * The CPU writes this memory through a kernel BAR1 mapping: the
 * allocation is mapped into BAR1 (nova_bar1_map(), nova-core's first
 * kernel client of the BAR1 user interface) and the CPU pages behind its
 * BAR1 offsets (nova_bar1_pfn()) are mapped with vmap() once at
 * creation. nova-sim's BAR1 pages are host memory; a PCI backend would
 * ioremap the BAR1 range write-combined instead. BAR1 rather than PRAMIN:
 * the PRAMIN window is one per GPU, serialised by a mutex and moved by
 * register writes, while a submission (later from drm_sched's run_job,
 * in the fence-signalling path) should be plain stores.
 *
 * A submission (nova_chan_submit()) writes one GP entry per pushbuffer
 * range, then one for the channel's fence segment of that slot: host
 * methods SEM_ADDR/SEM_PAYLOAD/SEM_EXECUTE (RELEASE, 64-bit payload,
 * RELEASE_WFI) of the submission's seqno to the fence semaphore, then
 * NON_STALL_INTERRUPT. It then writes GP_PUT and rings the doorbell. The
 * fence is a &struct dma_fence allocated beforehand
 * (nova_chan_fence_alloc()), so submitting never allocates.
 *
 * The interrupt handler (nova_chan_irq(), connected with
 * &nova_hw_ops.set_irq) reads the pending causes and acknowledges them.
 * On a non-stall interrupt it reads each channel's fence semaphore and
 * signals the fences whose seqno the host has released. On a stopped
 * channel it reads why (NVSIM_CHAN_ERROR), puts the channel into its
 * error state (-EFAULT for an MMU fault, -EIO otherwise) and fails its
 * unsignalled fences with that error; the channel refuses further
 * submissions with it.
 */

#define NOVA_CHAN_MEM_SIZE	SZ_64K
#define NOVA_CHAN_USERD		0x0000
#define NOVA_CHAN_SEM		0x1000
#define NOVA_CHAN_RING		0x2000
#define NOVA_CHAN_ENTRIES	256
#define NOVA_CHAN_FSEG		0x3000
#define NOVA_CHAN_FSEG_SIZE	32
#define NOVA_CHAN_PB		0x5000
#define NOVA_CHAN_PB_SIZE	(NOVA_CHAN_MEM_SIZE - NOVA_CHAN_PB)
/* The part mapped into the channel's VMM: all but USERD's page. */
#define NOVA_CHAN_MAPPED	NOVA_CHAN_SEM

static_assert(NOVA_CHAN_RING + NOVA_CHAN_ENTRIES * NV_GP_ENTRY_SIZE <=
	      NOVA_CHAN_FSEG);
static_assert(NOVA_CHAN_FSEG + NOVA_CHAN_ENTRIES * NOVA_CHAN_FSEG_SIZE <=
	      NOVA_CHAN_PB);

/**
 * struct nova_chan - a channel
 * @core: the GPU; set at creation, never changes
 * @vmm: the address space; set at creation, never changes
 * @mem: the channel's VRAM (see DOC: channels); never changes
 * @bar1: @mem mapped into BAR1; never changes
 * @cpu: the CPU's view of @mem through BAR1; never changes
 * @va: GPU VA of @mem's offset NOVA_CHAN_MAPPED in @vmm; never changes
 * @userd: VRAM address of USERD; never changes
 * @token: the doorbell token; never changes
 * @chid: the channel id in @token; never changes
 * @context: the dma_fence context of its fences; never changes
 * @node: entry in &nova_chans.list; protected by &nova_chans.lock
 * @lock: protects the fields below; taken inside &nova_chans.lock, in any
 *	context (the interrupt handler)
 * @put: next GP slot to write (GP_PUT)
 * @seqno: seqno of the last submission
 * @pending: fences submitted and not yet signalled, in seqno order
 * @error: 0, or the error that stopped the channel
 */
struct nova_chan {
	struct nova_core *core;
	struct nova_vmm *vmm;
	struct nova_vram *mem;
	struct nova_bar1_map *bar1;
	void *cpu;
	u64 va;
	u64 userd;
	u32 token;
	u32 chid;
	u64 context;
	struct list_head node;

	spinlock_t lock; /* ring, fences, error */
	u32 put;
	u64 seqno;
	struct list_head pending;
	int error;
};

/**
 * struct nova_chan_fence - the fence of a submission
 * @base: the fence
 * @lock: the fence's own lock: it outlives the channel
 * @link: entry in &nova_chan.pending; protected by &nova_chan.lock
 */
struct nova_chan_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence */
	struct list_head link;
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

/*
 * The host writes the 64-bit semaphore while it is read: read the high
 * word, the low word and the high word again until the high word holds.
 */
static u64 nova_chan_sem(struct nova_chan *chan)
{
	u32 hi, lo, again;

	again = nova_chan_rd32(chan, NOVA_CHAN_SEM + 4);
	do {
		hi = again;
		/* The high word is read before the low word... */
		rmb();
		lo = nova_chan_rd32(chan, NOVA_CHAN_SEM);
		/* ...and again after it. */
		rmb();
		again = nova_chan_rd32(chan, NOVA_CHAN_SEM + 4);
	} while (hi != again);

	return (u64)hi << 32 | lo;
}

/* GPU VA of an offset of the channel's memory. */
static u64 nova_chan_va(struct nova_chan *chan, u32 off)
{
	return chan->va + off - NOVA_CHAN_MAPPED;
}

/*
 * Move the fences the host has released to @done; with chan->lock held.
 * They are signalled by nova_chan_signal() once every lock is dropped: a
 * fence callback may re-enter nova (submit on this channel, create or
 * destroy a channel) and take chan->lock or chans.lock.
 */
static void nova_chan_update_locked(struct nova_chan *chan,
				    struct list_head *done)
{
	struct nova_chan_fence *f, *tmp;
	u64 seqno;

	lockdep_assert_held(&chan->lock);
	if (list_empty(&chan->pending))
		return;
	seqno = nova_chan_sem(chan);
	list_for_each_entry_safe(f, tmp, &chan->pending, link) {
		if (f->base.seqno > seqno)
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
	if (chan->va) {
		nova_vmm_unmap(chan->vmm, chan->va,
			       NOVA_CHAN_MEM_SIZE - NOVA_CHAN_MAPPED);
		nova_vmm_va_free(chan->vmm, chan->va);
	}
	if (chan->cpu)
		vunmap(chan->cpu);
	if (chan->bar1)
		nova_bar1_unmap(chan->bar1);
	nova_vram_free(chan->mem);
}

/**
 * nova_chan_create() - create a channel on an address space
 * @core: the GPU
 * @vmm: the address space the channel's engines use; it must outlive the
 *	channel
 *
 * Allocates and maps the channel's memory (see DOC: channels) and asks
 * the firmware for the channel.
 *
 * Context: process; may sleep.
 * Return: the channel, or an ERR_PTR: -ENOMEM, -ENOSPC (VRAM, BAR1, VA
 * or the GPU's channels exhausted), -ENODEV when the GPU has no channels
 * or is gone.
 */
struct nova_chan *nova_chan_create(struct nova_core *core,
				   struct nova_vmm *vmm)
{
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
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->pending);
	INIT_LIST_HEAD(&chan->node);
	chan->context = dma_fence_context_alloc(1);

	chan->mem = nova_vram_alloc(core, NOVA_CHAN_MEM_SIZE,
				    NOVA_VRAM_CONTIGUOUS);
	if (IS_ERR(chan->mem)) {
		ret = PTR_ERR(chan->mem);
		kfree(chan);
		return ERR_PTR(ret);
	}
	ret = nova_vram_addr(chan->mem, NOVA_CHAN_USERD, &chan->userd, &contig);
	if (ret)
		goto err_mem;
	ret = nova_chan_map_cpu(chan);
	if (ret)
		goto err_mem;
	ret = nova_vmm_va_alloc(vmm, NOVA_CHAN_MEM_SIZE - NOVA_CHAN_MAPPED,
				SZ_64K, &chan->va);
	if (ret)
		goto err_mem;
	ret = nova_vmm_map(vmm, chan->va, NOVA_CHAN_MEM_SIZE - NOVA_CHAN_MAPPED,
			   chan->mem, NOVA_CHAN_MAPPED, 0);
	if (ret) {
		nova_vmm_va_free(vmm, chan->va);
		chan->va = 0;
		goto err_mem;
	}
	/* The seqno starts at 0; every slot's fence segment is written later. */
	nova_chan_wr32(chan, NOVA_CHAN_SEM, 0);
	nova_chan_wr32(chan, NOVA_CHAN_SEM + 4, 0);

	args.hclass = core->chip->chan_class;
	args.pdb = nova_vmm_pdb(vmm);
	args.gpfifo_va = nova_chan_va(chan, NOVA_CHAN_RING);
	args.gpfifo_entries = NOVA_CHAN_ENTRIES;
	args.userd = chan->userd;
	if (!nova_hw_enter(core, &idx)) {
		ret = -ENODEV;
		goto err_mem;
	}
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
	kfree(chan);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(nova_chan_create);

/**
 * nova_chan_destroy() - free a channel
 * @chan: the channel, or NULL
 *
 * The firmware frees the channel (the host stops using its memory); fences
 * still pending fail with -ECANCELED.
 *
 * Context: process; may sleep.
 */
void nova_chan_destroy(struct nova_chan *chan)
{
	struct nova_core *core;
	unsigned long flags;
	LIST_HEAD(done);
	int idx;

	if (!chan)
		return;
	core = chan->core;
	spin_lock_irqsave(&core->chans.lock, flags);
	list_del_init(&chan->node);
	spin_unlock_irqrestore(&core->chans.lock, flags);
	if (nova_hw_enter(core, &idx)) {
		core->hw->ops->channel_free(core->hw, chan->token);
		nova_hw_exit(core, idx);
	}
	spin_lock_irqsave(&chan->lock, flags);
	nova_chan_update_locked(chan, &done);
	nova_chan_fail_locked(chan, -ECANCELED, &done);
	spin_unlock_irqrestore(&chan->lock, flags);
	nova_chan_signal(&done);
	nova_chan_free_mem(chan);
	kfree(chan);
}
EXPORT_SYMBOL_GPL(nova_chan_destroy);

/**
 * nova_chan_error() - the error that stopped a channel
 * @chan: the channel
 *
 * Context: any.
 * Return: 0 while it works, else -EFAULT (an MMU fault) or -EIO.
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
	u32 get, space;

	spin_lock_irqsave(&chan->lock, flags);
	get = nova_chan_rd32(chan, NOVA_CHAN_USERD + NV_RAMUSERD_GP_GET);
	space = (get - chan->put - 1) & (NOVA_CHAN_ENTRIES - 1);
	spin_unlock_irqrestore(&chan->lock, flags);

	return space;
}
EXPORT_SYMBOL_GPL(nova_chan_space);

static void nova_chan_gp_write(struct nova_chan *chan, u64 va, u32 len,
			       bool sync)
{
	u32 slot = NOVA_CHAN_RING + chan->put * NV_GP_ENTRY_SIZE;

	nova_chan_wr32(chan, slot, lower_32_bits(va) & NV_GP_ENTRY0_GET);
	nova_chan_wr32(chan, slot + 4,
		       FIELD_PREP(NV_GP_ENTRY1_GET_HI, upper_32_bits(va)) |
		       FIELD_PREP(NV_GP_ENTRY1_LENGTH, len / 4) |
		       (sync ? NV_GP_ENTRY1_SYNC : 0));
	chan->put = (chan->put + 1) & (NOVA_CHAN_ENTRIES - 1);
}

static u32 nova_chan_mthd(u32 subc, u32 mthd, u32 count)
{
	return FIELD_PREP(NV_FIFO_DMA_SEC_OP, NV_FIFO_DMA_SEC_OP_INC_METHOD) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_COUNT, count) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_SUBCHANNEL, subc) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_ADDRESS, mthd >> 2);
}

/* The fence segment of the slot at chan->put: release @seqno, interrupt. */
static void nova_chan_fence_segment(struct nova_chan *chan, u64 seqno)
{
	u32 off = NOVA_CHAN_FSEG + chan->put * NOVA_CHAN_FSEG_SIZE;
	u64 sem = nova_chan_va(chan, NOVA_CHAN_SEM);
	u32 w[8], i;

	w[0] = nova_chan_mthd(0, NVC56F_SEM_ADDR_LO, 5);
	w[1] = lower_32_bits(sem);
	w[2] = upper_32_bits(sem);
	w[3] = lower_32_bits(seqno);
	w[4] = upper_32_bits(seqno);
	w[5] = FIELD_PREP(NVC56F_SEM_EXECUTE_OPERATION,
			  NVC56F_SEM_EXECUTE_OPERATION_RELEASE) |
	       NVC56F_SEM_EXECUTE_RELEASE_WFI |
	       NVC56F_SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	w[6] = nova_chan_mthd(0, NVC56F_NON_STALL_INTERRUPT, 1);
	w[7] = 0;
	for (i = 0; i < ARRAY_SIZE(w); i++)
		nova_chan_wr32(chan, off + i * 4, w[i]);
	nova_chan_gp_write(chan, nova_chan_va(chan, off), sizeof(w), false);
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
 * host has run everything submitted so far; or an ERR_PTR: -EINVAL for a
 * bad push (a VA of more than 40 bits, a length that is zero, not a
 * multiple of 4 or beyond the GP entry's length field, unknown flags) or
 * a @count of NOVA_CHAN_ENTRIES or more, -EBUSY when the ring has fewer
 * than @count + 1 free entries, the channel's error, -ENODEV when the GPU
 * is gone.
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
	u32 get, space;

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
	get = nova_chan_rd32(chan, NOVA_CHAN_USERD + NV_RAMUSERD_GP_GET);
	space = (get - chan->put - 1) & (NOVA_CHAN_ENTRIES - 1);
	if (chan->error)
		ret = chan->error;
	else if (count + 1 > space)
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
	chan->seqno++;
	nova_chan_fence_segment(chan, chan->seqno);

	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &nova_chan_fence_ops, &f->lock, chan->context,
		       chan->seqno);
	/* The list's reference and the caller's. */
	dma_fence_get(&f->base);
	list_add_tail(&f->link, &chan->pending);

	/* The GP entries and segments are visible before GP_PUT... */
	wmb();
	nova_chan_wr32(chan, NOVA_CHAN_USERD + NV_RAMUSERD_GP_PUT, chan->put);
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
 * Return: 0, -EINVAL for an unaligned @offset, or -E2BIG when @count
 * words do not fit from @offset.
 */
int nova_chan_kernel_push(struct nova_chan *chan, u32 offset, const u32 *words,
			  u32 count, struct nova_chan_push *push)
{
	u32 i;

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
