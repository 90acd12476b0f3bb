// SPDX-License-Identifier: GPL-2.0
/*
 * VRAM allocation: a gpu_buddy allocator whose offsets are VRAM
 * addresses. It spans [0, end of the usable FB region) so that block
 * alignment is physical alignment (2 MiB blocks can be mapped with 2 MiB
 * pages); the memory below the usable region is allocated once at init
 * and never handed out.
 */
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../nova_core.h"

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

/**
 * nova_mm_fini() - tear down the VRAM allocator
 * @core: the GPU; every allocation must have been freed
 */
void nova_mm_fini(struct nova_core *core)
{
	struct nova_mm *mm = &core->mm;

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
 */
struct nova_vram {
	struct nova_core *core;
	struct list_head blocks;
	u64 size;
	bool withhold;
};

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

static int nova_vram_zero(struct nova_vram *vram, bool skip_clear);

/**
 * nova_vram_free() - free a VRAM allocation
 * @vram: the allocation; nothing may map it any more
 *
 * Scrubs the allocation, then gives its blocks back to the allocator:
 * marked clear when the scrub succeeded, as not cleared when it failed.
 * When a scrub of it timed out (here or in nova_vram_clear()), the copy
 * engine may still write it later: its blocks are then withheld, kept out
 * of the allocator until the GPU goes away, and an error says how much
 * VRAM is lost that way.
 *
 * Context: process; may sleep; waits for a fence.
 */
void nova_vram_free(struct nova_vram *vram)
{
	struct gpu_buddy_block *block;
	unsigned int flags = 0;
	struct nova_core *core;
	u64 withheld;

	if (!vram)
		return;
	core = vram->core;
	/*
	 * Scrubbed when freed, the VRAM is handed out again without another
	 * clear, and holds no data of its last owner in the meantime (a
	 * simulated GPU gives the memory behind zeroed VRAM back).
	 */
	if (!vram->withhold && !nova_vram_zero(vram, false))
		flags = GPU_BUDDY_CLEARED;
	mutex_lock(&core->mm.lock);
	list_for_each_entry(block, &vram->blocks, link)
		core->mm.used -= gpu_buddy_block_size(&core->mm.buddy, block);
	if (vram->withhold) {
		list_splice_tail_init(&vram->blocks, &core->mm.withheld);
		core->mm.withheld_size += vram->size;
		withheld = core->mm.withheld_size;
	} else {
		gpu_buddy_free_list(&core->mm.buddy, &vram->blocks, flags);
	}
	mutex_unlock(&core->mm.lock);
	if (vram->withhold)
		dev_err(core->dev,
			"VRAM scrub timed out, the copy engine may still write it: withholding %llu KiB (%llu KiB in all) until the GPU is removed\n",
			vram->size >> 10, withheld >> 10);
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
 * per submission.
 */
static int nova_vram_zero(struct nova_vram *vram, bool skip_clear)
{
	struct nova_ce_range r[NOVA_CE_FILL_RANGES];
	struct nova_core *core = vram->core;
	struct gpu_buddy_block *block;
	unsigned int n = 0;
	int ret;

	list_for_each_entry(block, &vram->blocks, link) {
		u64 addr = gpu_buddy_block_offset(block);
		u64 end = addr + gpu_buddy_block_size(&core->mm.buddy, block);

		if (skip_clear && gpu_buddy_block_is_clear(block))
			continue;
		for (; addr < end; addr += r[n++].len) {
			if (n == NOVA_CE_FILL_RANGES) {
				ret = nova_ce_fill(core, r, n, 0);
				if (ret)
					goto out;
				n = 0;
			}
			r[n].addr = addr;
			r[n].len = min_t(u64, end - addr, NOVA_CE_FILL_MAX);
		}
	}

	ret = n ? nova_ce_fill(core, r, n, 0) : 0;
out:
	/* The memsets stay queued: the engine may write @vram later. */
	if (ret == -ETIMEDOUT)
		vram->withhold = true;
	return ret;
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
	return nova_vram_zero(vram, true);
}
EXPORT_SYMBOL_GPL(nova_vram_clear);
