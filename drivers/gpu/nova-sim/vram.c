// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim VRAM: lazily backed by 2 MiB host chunks.
 *
 * A chunk is backed the first time something non-zero is written to it
 * (or when BAR1 maps one of its pages). Reads of an unbacked chunk return
 * zeroes. The chunk table is published with cmpxchg() so that readers
 * need no lock; chunks are freed only when the instance is destroyed.
 *
 * The register path (PRAMIN, engine accesses) must not sleep: it takes a
 * chunk from a small pool of pre-allocated chunks, falling back to a
 * GFP_NOWAIT allocation; a work item refills the pool with GFP_KERNEL.
 * When neither gives a chunk, the write is dropped and counted as a
 * backing failure.
 */

#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

static struct page *nsim_chunk_alloc(gfp_t gfp)
{
	return alloc_pages(gfp | __GFP_ZERO | __GFP_COMP | __GFP_NOWARN,
			   NSIM_CHUNK_ORDER);
}

static void nsim_chunk_free(struct page *page)
{
	__free_pages(page, NSIM_CHUNK_ORDER);
}

static struct page *nsim_pool_take(struct nsim *sim)
{
	struct page *page = NULL;
	unsigned long flags;

	spin_lock_irqsave(&sim->pool_lock, flags);
	if (sim->pool_count)
		page = sim->pool[--sim->pool_count];
	spin_unlock_irqrestore(&sim->pool_lock, flags);

	return page;
}

/* Returns true when @page went into the pool. */
static bool nsim_pool_put(struct nsim *sim, struct page *page)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&sim->pool_lock, flags);
	if (sim->pool_count < NSIM_POOL_SIZE) {
		sim->pool[sim->pool_count++] = page;
		ret = true;
	}
	spin_unlock_irqrestore(&sim->pool_lock, flags);

	return ret;
}

/**
 * nsim_pool_count() - chunks in the instance's pool
 * @sim: the instance
 *
 * Return: the number of pre-allocated chunks ready for the register path.
 */
unsigned int nsim_pool_count(struct nsim *sim)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&sim->pool_lock, flags);
	n = sim->pool_count;
	spin_unlock_irqrestore(&sim->pool_lock, flags);

	return n;
}

static void nsim_pool_fill(struct nsim *sim)
{
	struct page *page;

	while (nsim_pool_count(sim) < NSIM_POOL_SIZE) {
		page = nsim_chunk_alloc(GFP_KERNEL);
		if (!page)
			return;
		if (!nsim_pool_put(sim, page)) {
			nsim_chunk_free(page);
			return;
		}
	}
}

static void nsim_pool_refill_work(struct work_struct *work)
{
	nsim_pool_fill(container_of(work, struct nsim, refill_work));
}

/*
 * The chunk backing VRAM chunk @idx, backed now if needed. @may_sleep
 * selects GFP_KERNEL; otherwise the pool and GFP_NOWAIT are used.
 * Returns NULL (and counts a backing failure) when no memory can be had.
 */
static struct page *nsim_chunk_get(struct nsim *sim, unsigned long idx,
				   bool may_sleep)
{
	struct page *page, *old;

	page = READ_ONCE(sim->chunks[idx]);
	if (page)
		return page;

	if (may_sleep) {
		might_sleep();
		page = nsim_chunk_alloc(GFP_KERNEL);
		if (!page)
			page = nsim_pool_take(sim);
	} else {
		page = nsim_pool_take(sim);
		if (page)
			schedule_work(&sim->refill_work);
		else
			page = nsim_chunk_alloc(GFP_NOWAIT);
	}
	if (!page) {
		atomic_long_inc(&sim->backing_failures);
		return NULL;
	}

	/* Full barrier: the zeroed contents are visible before the pointer. */
	old = cmpxchg(&sim->chunks[idx], NULL, page);
	if (old) {
		/* Somebody else backed it first. */
		if (!nsim_pool_put(sim, page))
			nsim_chunk_free(page);
		return old;
	}
	atomic_long_inc(&sim->chunks_backed);

	return page;
}

/*
 * The piece of [@addr, @addr + @len) that lies in the chunk holding @addr:
 * sets the chunk's backing page (NULL if unbacked) and @off, the offset in
 * it, and returns the piece's length.
 */
static size_t nsim_vram_piece(struct nsim *sim, u64 addr, u64 len,
			      unsigned long *idx, struct page **page, size_t *off)
{
	*idx = addr >> NSIM_CHUNK_SHIFT;
	*off = addr & (NSIM_CHUNK_SIZE - 1);
	*page = READ_ONCE(sim->chunks[*idx]);
	return min_t(u64, len, NSIM_CHUNK_SIZE - *off);
}

/**
 * nsim_vram_read() - read VRAM
 * @sim: the instance
 * @addr: VRAM address
 * @buf: destination
 * @len: bytes; @addr + @len must not exceed the VRAM size
 *
 * Unbacked chunks read as zeroes and stay unbacked. Never sleeps.
 */
void nsim_vram_read(struct nsim *sim, u64 addr, void *buf, size_t len)
{
	struct page *page;
	unsigned long idx;
	size_t off, n;

	for (; len; buf += n, addr += n, len -= n) {
		n = nsim_vram_piece(sim, addr, len, &idx, &page, &off);
		if (page)
			memcpy(buf, page_address(page) + off, n);
		else
			memset(buf, 0, n);
	}
}

/**
 * nsim_vram_write() - write VRAM
 * @sim: the instance
 * @addr: VRAM address
 * @buf: source
 * @len: bytes; @addr + @len must not exceed the VRAM size
 * @may_sleep: the caller may sleep (backing uses GFP_KERNEL)
 *
 * Zeroes written to an unbacked chunk need no backing. Pieces that need
 * backing which cannot be had are dropped.
 *
 * Return: 0, or -ENOMEM when a part of the write was dropped.
 */
int nsim_vram_write(struct nsim *sim, u64 addr, const void *buf, size_t len,
		    bool may_sleep)
{
	struct page *page;
	unsigned long idx;
	size_t off, n;
	int ret = 0;

	for (; len; buf += n, addr += n, len -= n) {
		n = nsim_vram_piece(sim, addr, len, &idx, &page, &off);
		if (!page && memchr_inv(buf, 0, n))
			page = nsim_chunk_get(sim, idx, may_sleep);
		if (page)
			memcpy(page_address(page) + off, buf, n);
		else if (memchr_inv(buf, 0, n))
			ret = -ENOMEM;
	}

	return ret;
}

/**
 * nsim_vram_fill() - fill VRAM with a 32-bit pattern
 * @sim: the instance
 * @addr: 4-byte aligned VRAM address
 * @pattern: the pattern
 * @len: bytes, a multiple of 4; @addr + @len within VRAM
 *
 * A zero fill leaves unbacked chunks unbacked. Never sleeps.
 *
 * Return: 0, or -ENOMEM when a piece needing backing was dropped.
 */
int nsim_vram_fill(struct nsim *sim, u64 addr, u32 pattern, u64 len)
{
	struct page *page;
	unsigned long idx;
	size_t off, n;
	int ret = 0;

	for (; len; addr += n, len -= n) {
		n = nsim_vram_piece(sim, addr, len, &idx, &page, &off);
		if (!page && pattern)
			page = nsim_chunk_get(sim, idx, false);
		if (page && !pattern)
			memset(page_address(page) + off, 0, n);
		else if (page)
			memset32(page_address(page) + off, pattern, n / 4);
		else if (pattern)
			ret = -ENOMEM;
	}
	return ret;
}

/**
 * nsim_vram_rd64() - read a 64-bit little-endian word of VRAM
 * @sim: the instance
 * @addr: VRAM address, within VRAM
 *
 * Return: the word (page-table entries are little-endian).
 */
u64 nsim_vram_rd64(struct nsim *sim, u64 addr)
{
	__le64 v;

	nsim_vram_read(sim, addr, &v, sizeof(v));

	return le64_to_cpu(v);
}

/**
 * nsim_vram_page() - the host page backing a VRAM page, backing it
 * @sim: the instance
 * @addr: VRAM address, within VRAM
 * @may_sleep: the caller may sleep
 *
 * Return: the host page holding @addr, or NULL when no backing could be
 * allocated.
 */
struct page *nsim_vram_page(struct nsim *sim, u64 addr, bool may_sleep)
{
	struct page *page;

	page = nsim_chunk_get(sim, addr >> NSIM_CHUNK_SHIFT, may_sleep);
	if (!page)
		return NULL;

	return nth_page(page, (addr & (NSIM_CHUNK_SIZE - 1)) >> PAGE_SHIFT);
}

/**
 * nsim_vram_is_backed() - whether host memory backs a VRAM address
 * @sim: the instance
 * @addr: VRAM address, within VRAM
 *
 * Return: true when the chunk holding @addr is backed.
 */
bool nsim_vram_is_backed(struct nsim *sim, u64 addr)
{
	return READ_ONCE(sim->chunks[addr >> NSIM_CHUNK_SHIFT]);
}

/**
 * nsim_vram_backed_bytes() - bytes of VRAM backed by host memory
 * @sim: the instance
 *
 * Return: backed chunks times the chunk size (the pool is not counted).
 */
u64 nsim_vram_backed_bytes(struct nsim *sim)
{
	return (u64)atomic_long_read(&sim->chunks_backed) << NSIM_CHUNK_SHIFT;
}

/**
 * nsim_vram_init() - set up the VRAM of an instance
 * @sim: the instance, with @vram_size and @reserved_start set
 *
 * Allocates the chunk table, fills the pool and backs the chunk that
 * holds the firmware's BAR1 root page directory. May sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int nsim_vram_init(struct nsim *sim)
{
	spin_lock_init(&sim->pool_lock);
	INIT_WORK(&sim->refill_work, nsim_pool_refill_work);
	atomic_long_set(&sim->chunks_backed, 0);
	atomic_long_set(&sim->backing_failures, 0);

	sim->nchunks = sim->vram_size >> NSIM_CHUNK_SHIFT;
	sim->chunks = kvcalloc(sim->nchunks, sizeof(*sim->chunks), GFP_KERNEL);
	if (!sim->chunks)
		return -ENOMEM;

	nsim_pool_fill(sim);

	if (!nsim_chunk_get(sim, sim->bar1_pdb >> NSIM_CHUNK_SHIFT, true)) {
		nsim_vram_fini(sim);
		return -ENOMEM;
	}

	return 0;
}

/**
 * nsim_vram_fini() - free the VRAM of an instance
 * @sim: the instance; nothing may access it any more
 */
void nsim_vram_fini(struct nsim *sim)
{
	unsigned long i;

	cancel_work_sync(&sim->refill_work);
	while (sim->pool_count)
		nsim_chunk_free(sim->pool[--sim->pool_count]);
	if (!sim->chunks)
		return;
	for (i = 0; i < sim->nchunks; i++)
		if (sim->chunks[i])
			nsim_chunk_free(sim->chunks[i]);
	kvfree(sim->chunks);
	sim->chunks = NULL;
}
