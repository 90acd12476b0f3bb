// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim VRAM: lazily backed by 2 MiB host chunks.
 *
 * A chunk is backed the first time something non-zero is written to it
 * (or when BAR1 maps one of its pages). Reads of an unbacked chunk return
 * zeroes. Chunks are published in the chunk table with cmpxchg(), so that
 * readers need no lock, and they are accessed under rcu_read_lock().
 *
 * The register path (PRAMIN, engine accesses) must not sleep: it takes a
 * chunk from a small pool of pre-allocated chunks, falling back to a
 * GFP_NOWAIT allocation; a work item refills the pool with GFP_KERNEL.
 * When neither gives a chunk, the write is dropped and counted as a
 * backing failure.
 *
 * Giving backing back. Zeroes written over a whole chunk (a fill, or a
 * write of a chunk's worth of zeroes) make it equal to an unbacked chunk,
 * so its backing is released instead: under @chunk_lock the table entry
 * goes back to NULL, and the pages are freed after an RCU grace period, by
 * when no reader or writer that found them in the table still uses them.
 *
 * Pages handed out by nsim_vram_page() (the BAR1 pfns that the driver
 * maps into user processes with VM_PFNMAP, and that nova_bar1_rw() maps
 * with kmap_local_pfn()) are another matter: such mappings take no page
 * reference and no mapcount, so page_count()/page_mapcount() cannot tell
 * whether they still exist, and freeing the pages under them would be a
 * use-after-free by the CPU. A chunk with pages handed out is marked
 * exposed (@exposed, with @handouts counting hand-outs, both under
 * @chunk_lock). A whole-chunk zero of an exposed chunk releases it only
 * if no BAR1 offset translates into it any more, neither through the BAR1
 * page tables nor through a HUB TLB entry of the BAR1 address space, and
 * no page was handed out while that was being checked; otherwise the
 * chunk is zeroed in place and kept. CPU mappings of BAR1 pages exist only
 * while BAR1 maps them: the driver zaps them before it unmaps a BAR1 range
 * (nova_bar1_unmap(), nova_bo_bar1_unmap_locked()), as it must on real
 * hardware, where a stale CPU mapping would reach whatever BAR1 maps next.
 * So a chunk no BAR1 offset reaches has no CPU mapping left. A driver that
 * broke that rule would, in the simulator, reach freed memory; one that
 * zeroes VRAM it still maps through BAR1 just sees zeroes.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/nova/regs.h>
#include <linux/rcupdate.h>
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
 * Back VRAM chunk @idx if it is not backed. @may_sleep selects GFP_KERNEL;
 * otherwise the pool and GFP_NOWAIT are used. Returns false (and counts a
 * backing failure) when no memory can be had. The backing may be released
 * again at any time: callers look the chunk up afresh under RCU.
 */
static bool nsim_chunk_back(struct nsim *sim, unsigned long idx,
			    bool may_sleep)
{
	struct page *page;

	if (READ_ONCE(sim->chunks[idx]))
		return true;

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
		return false;
	}

	/*
	 * Counted before it is published, so that a release racing with us
	 * never takes the count below zero. Full barrier: the zeroed contents
	 * are visible before the pointer.
	 */
	atomic_long_inc(&sim->chunks_backed);
	if (cmpxchg(&sim->chunks[idx], NULL, page)) {
		/* Somebody else backed it first. */
		atomic_long_dec(&sim->chunks_backed);
		if (!nsim_pool_put(sim, page))
			nsim_chunk_free(page);
	}

	return true;
}

static void nsim_chunk_free_rcu(struct rcu_head *head)
{
	nsim_chunk_free(container_of(head, struct page, rcu_head));
}

/*
 * Take chunk @idx, backed by @page, out of the table and free @page after
 * a grace period. Only nsim_chunk_back() changes a NULL entry, and only
 * this (under @chunk_lock) a non-NULL one.
 */
static void nsim_chunk_release_locked(struct nsim *sim, unsigned long idx,
				      struct page *page)
{
	lockdep_assert_held(&sim->chunk_lock);
	WRITE_ONCE(sim->chunks[idx], NULL);
	__clear_bit(idx, sim->exposed);
	atomic_long_dec(&sim->chunks_backed);
	atomic_long_inc(&sim->chunks_released);
	call_rcu(&page->rcu_head, nsim_chunk_free_rcu);
}

static bool nsim_overlaps(u64 a, u64 a_len, u64 b, u64 b_len)
{
	return a < b + b_len && b < a + a_len;
}

/*
 * Translations the BAR1 walk looks at before it gives up (and reports the
 * chunk as reached): enough for a 256 MiB BAR1 mapped with 4 KiB pages.
 */
#define NSIM_BAR1_SCAN_MAX	65536

/*
 * Whether some BAR1 offset may translate into VRAM chunk @idx: a valid HUB
 * TLB entry of the BAR1 address space does, or the BAR1 page tables do for
 * an offset below the BAR1 size. The walk goes through the offsets in
 * steps of the page (or sparse region) found, of 2 MiB after a PDE fault
 * (the page directories above PD0 and the PD0 entry are the same for the
 * whole 2 MiB, so all of it faults), else of 4 KiB. Errs on the side of
 * true. Never sleeps.
 */
static bool nsim_bar1_reaches(struct nsim *sim, unsigned long idx)
{
	u64 base = (u64)idx << NSIM_CHUNK_SHIFT;
	unsigned int budget = NSIM_BAR1_SCAN_MAX;
	struct nsim_xlate x;
	unsigned long flags;
	unsigned int s, w;
	bool hit = false;
	u64 va, next;

	spin_lock_irqsave(&sim->lock, flags);
	for (s = 0; s < NSIM_TLB_SETS && !hit; s++) {
		for (w = 0; w < NSIM_TLB_WAYS; w++) {
			const struct nsim_tlb_entry *e = &sim->hub.set[s][w];

			if (e->valid && !e->sparse && e->pdb == sim->bar1_pdb &&
			    nsim_overlaps(e->pa_base, BIT_ULL(e->shift), base,
					  NSIM_CHUNK_SIZE))
				hit = true;
		}
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	if (hit)
		return true;

	for (va = 0; va < sim->bar1_size; va = next) {
		if (!budget--)
			return true;
		nsim_walk(sim, sim->bar1_pdb, va, &x);
		if (x.sparse) {
			next = x.va_base + BIT_ULL(x.shift);
		} else if (!x.reason) {
			if (nsim_overlaps(x.pa_base, BIT_ULL(x.shift), base,
					  NSIM_CHUNK_SIZE))
				return true;
			next = x.va_base + BIT_ULL(x.shift);
		} else if (x.reason == NOVA_FAULT_REASON_PDE) {
			next = round_down(va, SZ_2M) + SZ_2M;
		} else {
			next = round_down(va, SZ_4K) + SZ_4K;
		}
	}

	return false;
}

/*
 * Zero all of chunk @idx: release its backing when that is safe (see the
 * top of the file), else write zeroes. Never sleeps, never allocates;
 * @sim->lock must not be held.
 */
static void nsim_chunk_zero(struct nsim *sim, unsigned long idx)
{
	struct page *page, *now;
	unsigned long flags;
	bool exposed;
	u64 handouts;

	lockdep_assert_not_held(&sim->lock);
	spin_lock_irqsave(&sim->chunk_lock, flags);
	page = READ_ONCE(sim->chunks[idx]);
	exposed = test_bit(idx, sim->exposed);
	handouts = sim->handouts;
	if (page && !exposed)
		nsim_chunk_release_locked(sim, idx, page);
	spin_unlock_irqrestore(&sim->chunk_lock, flags);
	if (!page || !exposed)
		return;

	/*
	 * Exposed: released only if BAR1 reaches it no more, and nothing was
	 * handed out (of any chunk) since the state above was read, so that
	 * no hand-out can have slipped past the check.
	 */
	if (!nsim_bar1_reaches(sim, idx)) {
		bool released = false;

		spin_lock_irqsave(&sim->chunk_lock, flags);
		if (READ_ONCE(sim->chunks[idx]) == page &&
		    sim->handouts == handouts) {
			nsim_chunk_release_locked(sim, idx, page);
			released = true;
		}
		spin_unlock_irqrestore(&sim->chunk_lock, flags);
		if (released)
			return;
	}

	atomic_long_inc(&sim->chunks_kept);
	rcu_read_lock();
	now = READ_ONCE(sim->chunks[idx]);
	if (now)
		memset(page_address(now), 0, NSIM_CHUNK_SIZE);
	rcu_read_unlock();
}

/*
 * Store @n bytes at offset @off of chunk @idx: a copy of @buf, or @pattern
 * repeated when @buf is NULL (@off and @n multiples of 4). An unbacked
 * chunk is backed first if @back, else left alone (the bytes are zeroes).
 * Returns false when backing was needed and could not be had.
 */
static bool nsim_chunk_store(struct nsim *sim, unsigned long idx, size_t off,
			     size_t n, const void *buf, u32 pattern, bool back,
			     bool may_sleep)
{
	struct page *page;
	void *p;

	/* Again if a zero fill released the chunk since it was backed. */
	for (;;) {
		rcu_read_lock();
		page = READ_ONCE(sim->chunks[idx]);
		if (page) {
			p = page_address(page) + off;
			if (buf)
				memcpy(p, buf, n);
			else if (pattern)
				memset32(p, pattern, n / 4);
			else
				memset(p, 0, n);
		}
		rcu_read_unlock();
		if (page || !back)
			return true;
		if (!nsim_chunk_back(sim, idx, may_sleep))
			return false;
	}
}

/*
 * The piece of [@addr, @addr + @len) that lies in the chunk holding @addr:
 * sets the chunk's index @idx and @off, the offset in it, and returns the
 * piece's length.
 */
static size_t nsim_vram_piece(u64 addr, u64 len, unsigned long *idx,
			      size_t *off)
{
	*idx = addr >> NSIM_CHUNK_SHIFT;
	*off = addr & (NSIM_CHUNK_SIZE - 1);
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
		n = nsim_vram_piece(addr, len, &idx, &off);
		rcu_read_lock();
		page = READ_ONCE(sim->chunks[idx]);
		if (page)
			memcpy(buf, page_address(page) + off, n);
		else
			memset(buf, 0, n);
		rcu_read_unlock();
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
 * Zeroes written to an unbacked chunk need no backing; zeroes written over
 * a whole chunk release its backing, as nsim_vram_fill() does. Pieces that
 * need backing which cannot be had are dropped. @sim->lock must not be
 * held.
 *
 * Return: 0, or -ENOMEM when a part of the write was dropped.
 */
int nsim_vram_write(struct nsim *sim, u64 addr, const void *buf, size_t len,
		    bool may_sleep)
{
	unsigned long idx;
	size_t off, n;
	bool nonzero;
	int ret = 0;

	for (; len; buf += n, addr += n, len -= n) {
		n = nsim_vram_piece(addr, len, &idx, &off);
		nonzero = !!memchr_inv(buf, 0, n);
		if (!nonzero && n == NSIM_CHUNK_SIZE)
			nsim_chunk_zero(sim, idx);
		else if (!nsim_chunk_store(sim, idx, off, n, buf, 0, nonzero,
					   may_sleep))
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
 * A zero fill leaves unbacked chunks unbacked and releases the backing of
 * the chunks it covers entirely (those whose pages are still reachable
 * through BAR1 are zeroed instead). Never sleeps; @sim->lock must not be
 * held.
 *
 * Return: 0, or -ENOMEM when a piece needing backing was dropped.
 */
int nsim_vram_fill(struct nsim *sim, u64 addr, u32 pattern, u64 len)
{
	unsigned long idx;
	size_t off, n;
	int ret = 0;

	for (; len; addr += n, len -= n) {
		n = nsim_vram_piece(addr, len, &idx, &off);
		if (!pattern && n == NSIM_CHUNK_SIZE)
			nsim_chunk_zero(sim, idx);
		else if (!nsim_chunk_store(sim, idx, off, n, NULL, pattern,
					   pattern != 0, false))
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
 * nsim_vram_page() - hand out the host page backing a VRAM page
 * @sim: the instance
 * @addr: VRAM address, within VRAM
 * @may_sleep: the caller may sleep
 *
 * Backs the chunk holding @addr if needed and marks it exposed: from now
 * on its backing is released by a zero fill only once no BAR1 offset
 * translates into it (see the top of vram.c). The page is meant for a CPU
 * mapping of a BAR1 page; @sim->lock must not be held.
 *
 * Return: the host page holding @addr, or NULL when no backing could be
 * allocated.
 */
struct page *nsim_vram_page(struct nsim *sim, u64 addr, bool may_sleep)
{
	unsigned long idx = addr >> NSIM_CHUNK_SHIFT;
	unsigned long flags;
	struct page *page;

	/* Again if a zero fill released the chunk since it was backed. */
	do {
		if (!nsim_chunk_back(sim, idx, may_sleep))
			return NULL;
		spin_lock_irqsave(&sim->chunk_lock, flags);
		page = READ_ONCE(sim->chunks[idx]);
		if (page) {
			__set_bit(idx, sim->exposed);
			sim->handouts++;
		}
		spin_unlock_irqrestore(&sim->chunk_lock, flags);
	} while (!page);

	return nth_page(page, (addr & (NSIM_CHUNK_SIZE - 1)) >> PAGE_SHIFT);
}

#if IS_ENABLED(CONFIG_NOVA_SIM_KUNIT_TEST)
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
#endif /* CONFIG_NOVA_SIM_KUNIT_TEST */

/**
 * nsim_vram_exposed_chunks() - chunks with pages handed out for CPU mappings
 * @sim: the instance
 *
 * Return: the number of chunks whose backing a zero fill gives back only
 * once BAR1 no longer reaches them.
 */
unsigned long nsim_vram_exposed_chunks(struct nsim *sim)
{
	unsigned long flags, n;

	spin_lock_irqsave(&sim->chunk_lock, flags);
	n = bitmap_weight(sim->exposed, sim->nchunks);
	spin_unlock_irqrestore(&sim->chunk_lock, flags);

	return n;
}

/**
 * nsim_vram_backed_bytes() - bytes of VRAM backed by host memory
 * @sim: the instance
 *
 * Return: backed chunks times the chunk size (the pool is not counted,
 * nor are released chunks waiting for their grace period).
 */
u64 nsim_vram_backed_bytes(struct nsim *sim)
{
	return (u64)atomic_long_read(&sim->chunks_backed) << NSIM_CHUNK_SHIFT;
}

/**
 * nsim_vram_init() - set up the VRAM of an instance
 * @sim: the instance, with @vram_size, @bar1_size and @bar1_pdb set
 *
 * Allocates the chunk table, fills the pool and backs the chunk that
 * holds the firmware's BAR1 root page directory. May sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int nsim_vram_init(struct nsim *sim)
{
	spin_lock_init(&sim->pool_lock);
	spin_lock_init(&sim->chunk_lock);
	INIT_WORK(&sim->refill_work, nsim_pool_refill_work);
	atomic_long_set(&sim->chunks_backed, 0);
	atomic_long_set(&sim->chunks_released, 0);
	atomic_long_set(&sim->chunks_kept, 0);
	atomic_long_set(&sim->backing_failures, 0);
	sim->handouts = 0;

	sim->nchunks = sim->vram_size >> NSIM_CHUNK_SHIFT;
	sim->chunks = kvcalloc(sim->nchunks, sizeof(*sim->chunks), GFP_KERNEL);
	sim->exposed = kvcalloc(BITS_TO_LONGS(sim->nchunks),
				sizeof(*sim->exposed), GFP_KERNEL);
	if (!sim->chunks || !sim->exposed) {
		nsim_vram_fini(sim);
		return -ENOMEM;
	}

	nsim_pool_fill(sim);

	if (!nsim_chunk_back(sim, sim->bar1_pdb >> NSIM_CHUNK_SHIFT, true)) {
		nsim_vram_fini(sim);
		return -ENOMEM;
	}

	return 0;
}

/**
 * nsim_vram_fini() - free the VRAM of an instance
 * @sim: the instance; nothing may access it any more
 *
 * Waits for released chunks to be freed. May sleep.
 */
void nsim_vram_fini(struct nsim *sim)
{
	unsigned long i;

	cancel_work_sync(&sim->refill_work);
	/* The RCU callbacks of released chunks are module code. */
	if (atomic_long_read(&sim->chunks_released))
		rcu_barrier();
	while (sim->pool_count)
		nsim_chunk_free(sim->pool[--sim->pool_count]);
	kvfree(sim->exposed);
	sim->exposed = NULL;
	if (!sim->chunks)
		return;
	for (i = 0; i < sim->nchunks; i++)
		if (sim->chunks[i])
			nsim_chunk_free(sim->chunks[i]);
	kvfree(sim->chunks);
	sim->chunks = NULL;
}
