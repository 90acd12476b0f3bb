// SPDX-License-Identifier: GPL-2.0
/*
 * VRAM allocation: a gpu_buddy allocator whose offsets are VRAM
 * addresses. It spans [0, end of the usable FB region) so that block
 * alignment is physical alignment (2 MiB blocks can be mapped with 2 MiB
 * pages); the memory below the usable region is allocated once at init
 * and never handed out.
 */
#include <linux/dma-fence.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../nova_core.h"

/**
 * DOC: VRAM scrubs
 *
 * nova_vram_free() scrubs VRAM before it is handed out again, so that no
 * data of its last owner is ever seen by the next one, and gives it back
 * marked clear, so that nova_vram_clear() of a new allocation skips it.
 * A block is marked clear only by a scrub of it that completed: at probe
 * every block is not clear (nova_mm_init(); a rebind or a driver reload
 * finds the last owner's data), and so is every block whose scrub failed
 * or was cancelled, so the first user of such a block has it cleared
 * (nova_vram_clear() for objects, PRAMIN zeroing for page tables).
 *
 * With a kernel channel the scrub is asynchronous, as the delayed frees
 * of xe and amdgpu: nova_vram_free() submits the memsets
 * (nova_ce_fill_async(), several submissions for an allocation of more
 * than NOVA_CE_FILL_RANGES pieces, in order on the one channel), puts the
 * allocation on &nova_mm.scrubs with the fence of its last submission and
 * returns. Its bytes leave &nova_mm.used at once; its blocks stay out of
 * the allocator until that fence signals. The fence's callback (in the
 * signalling path, maybe in an interrupt handler) only queues
 * &nova_mm.reap, which takes &nova_mm.lock in process context and returns
 * the blocks of every scrub whose fence signalled: marked clear when the
 * fence carries no error, as not cleared when it does (the channel
 * stopped or was destroyed). A scrub that could not be submitted returns
 * the blocks as not cleared at once.
 *
 * A scrub whose fence has not signalled &nova_ce.timeout (30 s) after it
 * was submitted (its deadline), or that is still pending when the kernel
 * channel was marked broken, has its blocks withheld (&nova_mm.withheld)
 * until nova_mm_fini(), with an error that says how much VRAM is lost that
 * way: its memsets may still run. The channel is then broken: later frees
 * give their blocks back as not cleared at once, later clears fail.
 * &nova_mm.reap doubles as the watchdog for this: while scrubs are pending
 * it is queued for the deadline of the oldest.
 *
 * An allocation that finds VRAM exhausted while scrubs are pending waits
 * for them (nova_mm_scrub_wait_locked(), with &nova_mm.lock held: the
 * fences depend on nothing that takes it), reaps them and tries again
 * before it fails with -ENOSPC. At most NOVA_CE_SLOTS submissions are in
 * flight (see DOC: kernel channel); a free that finds them all in use
 * waits for the oldest.
 *
 * Teardown (removal, with clients' objects maybe still to be freed):
 * nova_ce_fini() waits for the scrubs in flight and destroys the channel,
 * which fails what is left with -ECANCELED, so every scrub fence has
 * signalled when it returns. The firmware has then freed the channel, so
 * a scrub cancelled that way comes back as not cleared, not withheld;
 * what the reaper withheld before stays withheld. Frees after it find no
 * channel and give their blocks back as not cleared at once.
 * nova_mm_fini(), when the last reference to the GPU goes, cancels
 * &nova_mm.reap, reaps what is left itself and frees the withheld blocks
 * with the allocator.
 *
 * Without a kernel channel (Turing, backends without channels) the scrub
 * writes through the PRAMIN window, synchronously, as do
 * nova_vram_clear() and page-table zeroing everywhere.
 */

static void nova_mm_reap_work(struct work_struct *work);

/**
 * nova_mm_init() - set up the VRAM allocator of a GPU
 * @core: the GPU, with its static info read
 *
 * Return: 0 or a negative errno.
 */
int nova_mm_init(struct nova_core *core)
{
	struct nova_mm *mm = &core->mm;
	int ret;

	mutex_init(&mm->lock);
	INIT_LIST_HEAD(&mm->reserved);
	INIT_LIST_HEAD(&mm->withheld);
	mm->withheld_size = 0;
	INIT_LIST_HEAD(&mm->scrubs);
	mm->scrub_size = 0;
	INIT_DELAYED_WORK(&mm->reap, nova_mm_reap_work);
	mm->start = round_up(core->sinfo.fb_usable_start, SZ_4K);
	mm->end = round_down(core->sinfo.fb_usable_end, SZ_4K);
	ret = gpu_buddy_init(&mm->buddy, mm->end, SZ_4K);
	if (ret)
		return ret;
	/*
	 * Nothing is known clear at probe: a driver reload or a rebind
	 * (unbind leaves what the scrubs of the teardown could not reach)
	 * finds the previous owner's data in VRAM. Blocks become clear when
	 * a scrub of them succeeds; until then every allocation clears.
	 */
	gpu_buddy_reset_clear(&mm->buddy, false);
	if (mm->start) {
		ret = gpu_buddy_alloc_blocks(&mm->buddy, 0, mm->start, mm->start,
					     SZ_4K, &mm->reserved,
					     GPU_BUDDY_RANGE_ALLOCATION);
		if (ret) {
			gpu_buddy_fini(&mm->buddy);
			return ret;
		}
	}
	return 0;
}

static void nova_mm_reap_locked(struct nova_core *core, bool all);
static void nova_mm_scrub_wait_locked(struct nova_core *core);

/**
 * nova_mm_fini() - tear down the VRAM allocator
 * @core: the GPU; every allocation must have been freed, and the kernel
 *	channel destroyed (nova_ce_fini()): every scrub fence has signalled
 *
 * Context: process; may sleep.
 */
void nova_mm_fini(struct nova_core *core)
{
	struct nova_mm *mm = &core->mm;

	/* No fence callback queues it any more: they have all run. */
	cancel_delayed_work_sync(&mm->reap);
	mutex_lock(&mm->lock);
	/* Nothing is left in flight: withhold what a bug would leave. */
	nova_mm_reap_locked(core, true);
	WARN_ON(!list_empty(&mm->scrubs));
	mutex_unlock(&mm->lock);
	WARN(mm->used, "nova: %llu bytes of VRAM still allocated\n", mm->used);
	/* The kernel channel is gone: no late scrub can write them now. */
	gpu_buddy_free_list(&mm->buddy, &mm->withheld, 0);
	gpu_buddy_free_list(&mm->buddy, &mm->reserved, 0);
	gpu_buddy_fini(&mm->buddy);
}

/**
 * nova_vram_alloc_locked() - allocate VRAM
 * @core: the GPU, with its mm lock held
 * @size: bytes, a multiple of 4 KiB
 * @min_block: smallest block to use (alignment of every block)
 * @flags: GPU_BUDDY_* flags
 * @blocks: list the blocks are added to
 *
 * When VRAM is exhausted while freed allocations are being scrubbed,
 * waits for those scrubs (nova_mm_scrub_wait_locked()) and tries again.
 *
 * Context: process; may sleep; may wait for scrub fences with @core's
 * mm lock held.
 * Return: 0, -ENOSPC when VRAM is exhausted, -ENOMEM.
 */
int nova_vram_alloc_locked(struct nova_core *core, u64 size, u64 min_block,
			   unsigned long flags, struct list_head *blocks)
{
	struct nova_mm *mm = &core->mm;
	int ret;

	lockdep_assert_held(&mm->lock);
	ret = gpu_buddy_alloc_blocks(&mm->buddy, mm->start, mm->end, size,
				     min_block, blocks, flags);
	/* VRAM being scrubbed comes back soon: wait for it, try again. */
	while (ret == -ENOSPC && !list_empty(&mm->scrubs)) {
		nova_mm_scrub_wait_locked(core);
		ret = gpu_buddy_alloc_blocks(&mm->buddy, mm->start, mm->end,
					     size, min_block, blocks, flags);
	}
	if (ret)
		return ret;
	mm->used += size;
	return 0;
}

/**
 * nova_vram_free_locked() - free VRAM blocks
 * @core: the GPU, with its mm lock held
 * @blocks: the blocks; the list is emptied
 */
void nova_vram_free_locked(struct nova_core *core, struct list_head *blocks)
{
	struct nova_mm *mm = &core->mm;
	struct gpu_buddy_block *block;

	lockdep_assert_held(&mm->lock);
	list_for_each_entry(block, blocks, link)
		mm->used -= gpu_buddy_block_size(&mm->buddy, block);
	gpu_buddy_free_list(&mm->buddy, blocks, 0);
}

/**
 * struct nova_vram - a VRAM allocation
 * @core: the GPU; set at allocation, never changes
 * @blocks: its buddy blocks, in the order of the allocation's offsets; set
 *	at allocation (under nova_mm.lock), never changes until
 *	nova_vram_free() gives them back under nova_mm.lock; read without the
 *	lock (nova_vram_addr(), clearing)
 * @size: bytes; set at allocation, never changes
 * @withhold: a scrub of it timed out, the copy engine may still write it:
 *	nova_vram_free() keeps its blocks out of the allocator; set by its
 *	owner's clear or free, never cleared
 * @scrub: once freed, the fence of its scrub's last submission; set by
 *	nova_vram_free() before it is put on &nova_mm.scrubs, then owned by
 *	the reaper (under &nova_mm.lock)
 * @scrub_cb: @scrub's callback, which queues &nova_mm.reap; the reaper
 *	removes it (dma_fence_remove_callback()) before freeing the
 *	structure, which also waits for a callback being run
 * @scrub_link: entry in &nova_mm.scrubs; protected by &nova_mm.lock
 * @scrub_deadline: jiffies when the scrub is late: submitted plus
 *	&nova_ce.timeout; set before it is put on &nova_mm.scrubs, never
 *	changes
 */
struct nova_vram {
	struct nova_core *core;
	struct list_head blocks;
	u64 size;
	bool withhold;
	struct dma_fence *scrub;
	struct dma_fence_cb scrub_cb;
	struct list_head scrub_link;
	unsigned long scrub_deadline;
};

/* Jiffies from now until @deadline, 0 once it passed. */
static unsigned long nova_mm_until(unsigned long deadline)
{
	unsigned long now = jiffies;

	return time_after(deadline, now) ? deadline - now : 0;
}

/* Withhold @vram's blocks; with mm.lock held, @vram's bytes not in used. */
static void nova_vram_withhold_locked(struct nova_vram *vram)
{
	struct nova_core *core = vram->core;

	lockdep_assert_held(&core->mm.lock);
	list_splice_tail_init(&vram->blocks, &core->mm.withheld);
	core->mm.withheld_size += vram->size;
	dev_err(core->dev,
		"VRAM scrub timed out, the copy engine may still write it: withholding %llu KiB (%llu KiB in all) until the GPU is removed\n",
		vram->size >> 10, core->mm.withheld_size >> 10);
}

/*
 * Return the blocks of every scrub whose fence signalled; withhold those of
 * scrubs past their deadline, pending on a broken channel, or (@all) any
 * still pending. With mm.lock held.
 */
static void nova_mm_reap_locked(struct nova_core *core, bool all)
{
	struct nova_mm *mm = &core->mm;
	struct nova_vram *vram, *tmp;
	unsigned int flags;

	lockdep_assert_held(&mm->lock);
	list_for_each_entry_safe(vram, tmp, &mm->scrubs, scrub_link) {
		bool late = all || READ_ONCE(core->ce.error) ||
			    time_after_eq(jiffies, vram->scrub_deadline);

		/*
		 * Removing the callback also waits for one being run: the
		 * signaller holds the fence's lock around the callbacks.
		 */
		if (!dma_fence_is_signaled(vram->scrub)) {
			if (!late)
				continue;
			if (dma_fence_remove_callback(vram->scrub,
						      &vram->scrub_cb) ||
			    !dma_fence_is_signaled(vram->scrub)) {
				nova_ce_broken(core);
				list_del(&vram->scrub_link);
				mm->scrub_size -= vram->size;
				nova_vram_withhold_locked(vram);
				dma_fence_put(vram->scrub);
				kfree(vram);
				continue;
			}
		} else {
			dma_fence_remove_callback(vram->scrub, &vram->scrub_cb);
		}
		list_del(&vram->scrub_link);
		mm->scrub_size -= vram->size;
		flags = vram->scrub->error ? 0 : GPU_BUDDY_CLEARED;
		gpu_buddy_free_list(&mm->buddy, &vram->blocks, flags);
		dma_fence_put(vram->scrub);
		kfree(vram);
	}
}

static void nova_mm_reap_work(struct work_struct *work)
{
	struct nova_mm *mm = container_of(to_delayed_work(work),
					  struct nova_mm, reap);
	struct nova_core *core = container_of(mm, struct nova_core, mm);
	struct nova_vram *oldest;

	mutex_lock(&mm->lock);
	nova_mm_reap_locked(core, false);
	/* Come back at the oldest one's deadline, unless its fence is first. */
	oldest = list_first_entry_or_null(&mm->scrubs, struct nova_vram,
					  scrub_link);
	if (oldest)
		queue_delayed_work(system_wq, &mm->reap,
				   nova_mm_until(oldest->scrub_deadline));
	mutex_unlock(&mm->lock);
}

/* A scrub's fence signalled: reap it in process context. */
static void nova_vram_scrubbed(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct nova_vram *vram = container_of(cb, struct nova_vram, scrub_cb);

	mod_delayed_work(system_wq, &vram->core->mm.reap, 0);
}

/**
 * nova_mm_scrub_wait_locked() - wait for the scrubs in flight
 * @core: the GPU, with its mm lock held
 *
 * Waits for the fence of the newest scrub on &nova_mm.scrubs (the kernel
 * channel runs them in order), up to its deadline, then reaps: the blocks
 * of completed scrubs are back in the allocator, those of timed-out ones
 * withheld. Scrubs whose fence had not signalled yet and which are not
 * late stay on the list (the fences of one channel signal in order, so
 * that is rare); the caller loops.
 *
 * Context: process; may sleep; waits for a fence with &nova_mm.lock held
 * (the scrub fences depend on nothing that takes it).
 */
static void nova_mm_scrub_wait_locked(struct nova_core *core)
{
	struct nova_mm *mm = &core->mm;
	struct dma_fence *fence = NULL;
	struct nova_vram *newest;
	unsigned long deadline;

	lockdep_assert_held(&mm->lock);
	if (list_empty(&mm->scrubs))
		return;
	newest = list_last_entry(&mm->scrubs, struct nova_vram, scrub_link);
	deadline = newest->scrub_deadline;
	fence = dma_fence_get(newest->scrub);
	if (nova_mm_until(deadline))
		dma_fence_wait_timeout(fence, false, nova_mm_until(deadline));
	dma_fence_put(fence);
	/* Past the newest deadline, every scrub left is late. */
	nova_mm_reap_locked(core, !time_after(deadline, jiffies));
}

/**
 * nova_mm_scrub_wait() - wait until no freed VRAM is being scrubbed
 * @core: the GPU
 *
 * When this returns, the blocks of every allocation freed before it are
 * back in the allocator, or withheld when their scrub timed out.
 *
 * Context: process; may sleep; waits for fences. Takes &nova_mm.lock.
 */
void nova_mm_scrub_wait(struct nova_core *core)
{
	mutex_lock(&core->mm.lock);
	while (!list_empty(&core->mm.scrubs))
		nova_mm_scrub_wait_locked(core);
	mutex_unlock(&core->mm.lock);
}

static int nova_vram_alloc_part(struct nova_core *core, u64 size, u64 min,
				unsigned long flags, struct list_head *blocks)
{
	int ret;

	if (!size)
		return 0;
	ret = nova_vram_alloc_locked(core, size, min, flags, blocks);
	if (ret == -ENOSPC && min > SZ_4K)
		ret = nova_vram_alloc_locked(core, size, SZ_4K, flags, blocks);
	return ret;
}

/**
 * nova_vram_alloc() - allocate VRAM
 * @core: the GPU
 * @size: bytes, a non-zero multiple of 4 KiB
 * @flags: NOVA_VRAM_CONTIGUOUS for one contiguous range
 *
 * Allocations are made of 2 MiB-aligned 2 MiB blocks where the size and
 * VRAM allow, then 64 KiB blocks, so that they can be mapped with large
 * pages. The contents are not defined: see nova_vram_clear().
 *
 * Return: the allocation, ERR_PTR(-ENOSPC) when VRAM is exhausted,
 * ERR_PTR(-EINVAL) or ERR_PTR(-ENOMEM).
 */
struct nova_vram *nova_vram_alloc(struct nova_core *core, u64 size, u32 flags)
{
	unsigned long bflags = GPU_BUDDY_CLEAR_ALLOCATION;
	struct nova_vram *vram;
	u64 big, mid;
	int ret;

	if (!size || !IS_ALIGNED(size, SZ_4K) || (flags & ~NOVA_VRAM_CONTIGUOUS))
		return ERR_PTR(-EINVAL);
	vram = kzalloc(sizeof(*vram), GFP_KERNEL);
	if (!vram)
		return ERR_PTR(-ENOMEM);
	vram->core = core;
	vram->size = size;
	INIT_LIST_HEAD(&vram->blocks);

	mutex_lock(&core->mm.lock);
	if (flags & NOVA_VRAM_CONTIGUOUS) {
		ret = nova_vram_alloc_locked(core, size, SZ_4K,
					     bflags | GPU_BUDDY_CONTIGUOUS_ALLOCATION,
					     &vram->blocks);
	} else {
		big = round_down(size, SZ_2M);
		mid = round_down(size - big, SZ_64K);
		ret = nova_vram_alloc_part(core, big, SZ_2M, bflags, &vram->blocks);
		if (!ret)
			ret = nova_vram_alloc_part(core, mid, SZ_64K, bflags,
						   &vram->blocks);
		if (!ret)
			ret = nova_vram_alloc_part(core, size - big - mid, SZ_4K,
						   bflags, &vram->blocks);
		if (ret)
			nova_vram_free_locked(core, &vram->blocks);
	}
	mutex_unlock(&core->mm.lock);
	if (ret) {
		kfree(vram);
		return ERR_PTR(ret);
	}
	return vram;
}
EXPORT_SYMBOL_GPL(nova_vram_alloc);

static struct dma_fence *nova_vram_zero(struct nova_vram *vram,
					bool skip_clear);

/* Queue @vram's scrub of @fence: its blocks come back when it signals. */
static void nova_vram_scrub_queue(struct nova_vram *vram,
				  struct dma_fence *fence)
{
	struct nova_core *core = vram->core;
	struct nova_mm *mm = &core->mm;
	struct gpu_buddy_block *block;
	unsigned long delay;
	bool oldest;
	int ret;

	vram->scrub = fence;
	vram->scrub_deadline = jiffies + READ_ONCE(core->ce.timeout);
	delay = nova_mm_until(vram->scrub_deadline);
	mutex_lock(&mm->lock);
	list_for_each_entry(block, &vram->blocks, link)
		mm->used -= gpu_buddy_block_size(&mm->buddy, block);
	mm->scrub_size += vram->size;
	oldest = list_empty(&mm->scrubs);
	list_add_tail(&vram->scrub_link, &mm->scrubs);
	/* Under the lock: the reaper removes the callback before freeing. */
	ret = dma_fence_add_callback(fence, &vram->scrub_cb, nova_vram_scrubbed);
	/*
	 * Now if done already (-ENOENT), else as the watchdog of the oldest
	 * deadline: this one's when it is the only scrub (a reap still queued
	 * has nothing to do), else the one queued for an older scrub stays.
	 */
	if (ret)
		mod_delayed_work(system_wq, &mm->reap, 0);
	else if (oldest)
		mod_delayed_work(system_wq, &mm->reap, delay);
	else
		queue_delayed_work(system_wq, &mm->reap, delay);
	mutex_unlock(&mm->lock);
}

/**
 * nova_vram_free() - free a VRAM allocation
 * @vram: the allocation; nothing may map it any more
 *
 * Scrubs the allocation, then gives its blocks back to the allocator:
 * marked clear when the scrub succeeded, as not cleared when it failed.
 * With a kernel channel the scrub is asynchronous (see DOC: VRAM scrubs):
 * this returns once it is submitted, and the blocks come back when its
 * fence signals. When a scrub of it timed out (here, later, or in
 * nova_vram_clear()), the copy engine may still write it: its blocks are
 * then withheld, kept out of the allocator until the GPU goes away, and an
 * error says how much VRAM is lost that way.
 *
 * Context: process; may sleep: waits for the oldest scrub in flight when
 * NOVA_CE_SLOTS are, and for the scrub itself without a kernel channel
 * (PRAMIN).
 */
void nova_vram_free(struct nova_vram *vram)
{
	struct gpu_buddy_block *block;
	unsigned int flags = 0;
	struct dma_fence *fence;
	struct nova_core *core;

	if (!vram)
		return;
	core = vram->core;
	/*
	 * Scrubbed when freed, the VRAM is handed out again without another
	 * clear, and holds no data of its last owner in the meantime (a
	 * simulated GPU gives the memory behind zeroed VRAM back).
	 */
	if (!vram->withhold) {
		fence = nova_vram_zero(vram, false);
		if (!IS_ERR_OR_NULL(fence)) {
			nova_vram_scrub_queue(vram, fence);
			return;
		}
		if (!fence)
			flags = GPU_BUDDY_CLEARED;
	}
	mutex_lock(&core->mm.lock);
	list_for_each_entry(block, &vram->blocks, link)
		core->mm.used -= gpu_buddy_block_size(&core->mm.buddy, block);
	if (vram->withhold)
		nova_vram_withhold_locked(vram);
	else
		gpu_buddy_free_list(&core->mm.buddy, &vram->blocks, flags);
	mutex_unlock(&core->mm.lock);
	kfree(vram);
}
EXPORT_SYMBOL_GPL(nova_vram_free);

/**
 * nova_vram_size() - size of a VRAM allocation
 * @vram: the allocation
 *
 * Return: bytes.
 */
u64 nova_vram_size(const struct nova_vram *vram)
{
	return vram->size;
}
EXPORT_SYMBOL_GPL(nova_vram_size);

/**
 * nova_vram_addr() - VRAM address at an offset of an allocation
 * @vram: the allocation
 * @offset: byte offset, below the allocation's size
 * @addr: the VRAM address
 * @contig: bytes from @addr that are physically contiguous in @vram
 *
 * Return: 0, or -EINVAL when @offset is outside the allocation.
 */
int nova_vram_addr(const struct nova_vram *vram, u64 offset, u64 *addr,
		   u64 *contig)
{
	struct gpu_buddy *buddy = &vram->core->mm.buddy;
	struct gpu_buddy_block *block;

	list_for_each_entry(block, &vram->blocks, link) {
		u64 size = gpu_buddy_block_size(buddy, block);
		u64 end;

		if (offset >= size) {
			offset -= size;
			continue;
		}
		*addr = gpu_buddy_block_offset(block) + offset;
		end = gpu_buddy_block_offset(block) + size;
		/* Blocks that follow each other in VRAM too are one range. */
		list_for_each_entry_continue(block, &vram->blocks, link) {
			if (gpu_buddy_block_offset(block) != end)
				break;
			end += gpu_buddy_block_size(buddy, block);
		}
		*contig = end - *addr;
		return 0;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(nova_vram_addr);

/*
 * Zero an allocation's blocks, but those known clear if @skip_clear, with
 * copy-engine memsets on the kernel channel, NOVA_CE_FILL_RANGES ranges
 * per submission; or through PRAMIN without one. Returns the fence of the
 * last submission (the channel runs them in order), NULL when done (PRAMIN,
 * or nothing to zero) or an ERR_PTR. When a later submission fails, waits
 * for the earlier ones; sets @vram->withhold when one timed out.
 */
static struct dma_fence *nova_vram_zero(struct nova_vram *vram,
					bool skip_clear)
{
	struct nova_ce_range r[NOVA_CE_FILL_RANGES];
	struct nova_core *core = vram->core;
	struct dma_fence *last = NULL, *fence;
	struct gpu_buddy_block *block;
	unsigned int n = 0;
	int ret = 0;

	list_for_each_entry(block, &vram->blocks, link) {
		u64 addr = gpu_buddy_block_offset(block);
		u64 end = addr + gpu_buddy_block_size(&core->mm.buddy, block);

		if (skip_clear && gpu_buddy_block_is_clear(block))
			continue;
		for (; addr < end; addr += r[n++].len) {
			if (n == NOVA_CE_FILL_RANGES) {
				if (core->ce.pramin) {
					ret = nova_ce_fill(core, r, n, 0);
					if (ret)
						goto out;
				} else {
					fence = nova_ce_fill_async(core, r, n, 0);
					if (IS_ERR(fence)) {
						ret = PTR_ERR(fence);
						goto out;
					}
					dma_fence_put(last);
					last = fence;
				}
				n = 0;
			}
			r[n].addr = addr;
			r[n].len = min_t(u64, end - addr, NOVA_CE_FILL_MAX);
		}
	}
	if (!n)
		return last;
	if (core->ce.pramin) {
		ret = nova_ce_fill(core, r, n, 0);
		return ret ? ERR_PTR(ret) : NULL;
	}
	fence = nova_ce_fill_async(core, r, n, 0);
	if (!IS_ERR(fence)) {
		dma_fence_put(last);
		return fence;
	}
	ret = PTR_ERR(fence);
out:
	/*
	 * Memsets of @vram submitted before the error: wait for them, unless
	 * the channel is broken (they may never run, or run late).
	 */
	if (last) {
		if (!dma_fence_is_signaled(last) && READ_ONCE(core->ce.error))
			vram->withhold = true;
		else if (nova_ce_wait(core, last) == -ETIMEDOUT)
			vram->withhold = true;
		dma_fence_put(last);
	}
	return ERR_PTR(ret);
}

/**
 * nova_vram_clear() - zero a VRAM allocation
 * @vram: the allocation
 *
 * Blocks the allocator knows to be clear (never written since they were
 * last zeroed) are skipped; the others are zeroed by the copy engine on
 * nova-core's kernel channel (nova_ce_fill()), which this waits for.
 *
 * Context: process; may sleep; waits for a fence.
 * Return: 0, -ENOMEM, -ENODEV when the GPU is gone, -ETIMEDOUT, -EFAULT
 * or -EIO when the GPU fails the fill. After -ETIMEDOUT the copy engine
 * may still write the allocation: nova_vram_free() withholds its VRAM.
 */
int nova_vram_clear(struct nova_vram *vram)
{
	struct dma_fence *fence;
	int ret;

	fence = nova_vram_zero(vram, true);
	if (IS_ERR_OR_NULL(fence))
		return PTR_ERR_OR_ZERO(fence);
	ret = nova_ce_wait(vram->core, fence);
	/* The memsets stay queued: the engine may write @vram later. */
	if (ret == -ETIMEDOUT)
		vram->withhold = true;
	dma_fence_put(fence);
	return ret;
}
EXPORT_SYMBOL_GPL(nova_vram_clear);
