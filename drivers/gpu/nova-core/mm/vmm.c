// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual memory manager: one GPU address space (identified by the VRAM
 * address of its root page directory, the PDB) with a two-phase mapping
 * API.
 *
 * Prepare (may sleep and allocate; vmm->lock): validates the range and
 * allocates, zeroes and stages every page-table page the operation can
 * need. Staged pages are keyed by the address of the PDE that will point
 * at them and shared by every pending operation of the VMM, so two
 * prepared maps that need the same table allocate it once.
 *
 * Execute (no allocation, no sleeping lock that is held around an
 * allocation; DMA-fence signalling safe): installs the staged tables an
 * operation needs, clears what the range mapped before (splitting 512 MiB
 * pages that straddle its ends into 2 MiB pages, and 2 MiB and 64 KiB
 * pages into 4 KiB pages), writes the new PTEs with the largest page size
 * that VA and VRAM contiguity allow, and flushes the TLB once for a batch
 * of operations.
 *
 * Page sizes and the levels that hold them come from the format
 * descriptor: the large pages of the directory levels (v3 PD1: 512 MiB;
 * PD0: 2 MiB), the big (64 KiB) and the small (4 KiB) page.
 *
 * Reclaim (outside the signalling path, when no operation is pending):
 * frees tables that became empty and staged tables nobody installed.
 *
 * A NULL (sparse) range is written in the largest units its alignment
 * allows: sparse directory entries for the aligned spans of the levels
 * above PD0, sparse PD0 entries for 2 MiB, sparse big PTEs for 64 KiB and
 * sparse small PTEs only at unaligned ends, so its cost follows the number
 * of directory entries, not the size of the range (see "NULL mappings" in
 * Documentation/gpu/nova/mm.rst). A sparse entry has no table below it:
 * splitting one (a map or unmap that covers part of its span) needs the
 * tables below, which the prepare phase stages like those for splitting a
 * large page and the execute phase fills with sparse entries.
 *
 * Every table has a CPU shadow: its entries as last written. Prepare and
 * execute walk and read the shadow only, never VRAM; VRAM is written
 * (through PRAMIN) along with the shadow. An unmap clears its range with
 * the range walker (nova_pt_walk_range()), which skips what is absent at
 * any level, so its cost follows what is mapped in its range.
 */
#include <linux/dma-fence.h>
#include <linux/maple_tree.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "../nova_core.h"

/**
 * struct nova_pt - one page-table page
 * @addr: its VRAM address (4 KiB aligned); set when the table is
 *	allocated, never changes
 * @blocks: its buddy block; set when the table is allocated, never changes
 *	(empty for a root made by firmware); freed under nova_mm.lock
 * @install_addr: VRAM address of the PDE (half) that points at it; set
 *	before the table is staged, never changes
 * @level: its level (see NOVA_LVL_*); set at allocation, never changes
 * @nr_used: non-zero entries (a dual PDE counts once); protected by
 *	nova_vmm.pt_lock
 * @installed: its PDE is written; protected by nova_vmm.pt_lock
 * @link: entry in nova_vmm.empty, nova_vmm.dead or a private list.
 *	Protected by nova_vmm.pt_lock, but for a table that a prepare is
 *	staging: from nova_vmm_stage() until the prepare returns, @link is
 *	on the prepare's own list and used under nova_vmm.lock only (no
 *	execute can reach such a table: no prepared operation needs it).
 *	nova_vmm_destroy() and tables freed after reclaim use it with no
 *	lock: nobody else sees them any more
 * @shadow: its entries as last written (the firmware's, for a root made
 *	by firmware), one u64 per 8 bytes of the table. The pointer is set
 *	at allocation and never changes; the contents are protected by
 *	nova_vmm.pt_lock (filled without it before the table is published)
 * @shadow_len: u64s in @shadow; set at allocation, never changes
 */
struct nova_pt {
	u64 addr;
	u64 *shadow;
	u32 shadow_len;
	struct list_head blocks;
	u64 install_addr;
	u32 level;
	u32 nr_used;
	bool installed;
	struct list_head link;
};

/**
 * struct nova_vmm - a GPU address space
 * @core: the GPU; set at creation, never changes
 * @fmt: its page-table format; set at creation, never changes
 * @va_start: first usable address; set at creation, never changes
 * @va_end: end of usable addresses; set at creation, never changes
 * @page_sizes: page sizes the VMM may map with; protected by @lock
 *	(prepares copy it into &nova_vmm_op.page_sizes)
 * @tlb_flags: NOVA_TLB_HUB_ONLY for BAR address spaces; set at creation,
 *	never changes
 * @lock: serialises prepares, reclaim and VA allocation; held around
 *	allocations, never taken in the signalling path. Outside @pt_lock,
 *	nova_mm.lock, nova_pramin.lock and nova_tlb.lock
 * @pt_lock: protects the page tables and their bookkeeping; taken in the
 *	signalling path, never held around an allocation. Outside
 *	nova_pramin.lock
 * @root: the root page directory; set at creation, never changes (its
 *	contents: see &struct nova_pt)
 * @own_root: @root was allocated by the VMM (not by firmware); set at
 *	creation, never changes
 * @pts: every table by VRAM address >> 12. Lookups under @pt_lock. Tables
 *	are added by prepares under @lock only (tables no prepared operation
 *	uses yet), removed by execute under @pt_lock, by reclaim under both
 *	and by a failed prepare under @lock; the xarray's own lock makes
 *	each update atomic
 * @staged: tables prepared but not installed, by install address >> 3;
 *	locked like @pts (execute erases what it installs under @pt_lock)
 * @empty: installed tables with no entry left; protected by @pt_lock
 * @dead: tables an execute unlinked, freed at the next reclaim; protected
 *	by @pt_lock
 * @dead_flush: the TLB flush after unlinking @dead failed; reclaim
 *	flushes before freeing them; protected by @pt_lock
 * @pending: operations being prepared, or prepared and not yet released;
 *	changed with both @lock and @pt_lock held, so read under either
 *	(execute reads it under @pt_lock, reclaim under both)
 * @va_mt: allocated VA ranges (nova_vmm_va_alloc()); protected by @lock
 * @mapped: bytes mapped; protected by @pt_lock (nova_vmm_destroy() reads
 *	it under @lock only, when no operation is pending)
 * @null_bytes: bytes mapped NULL (sparse entries); protected like @mapped
 * @had_null: a NULL operation was ever prepared: from then on the ends of
 *	every operation may fall inside a sparse directory entry, and their
 *	prepare stages the tables to split one; protected by @lock
 * @nr_pts: tables allocated, the root included; protected by @lock (not
 *	@pt_lock: staging, reclaim and nova_vmm_pt_bytes() hold @lock)
 * @visits: (KUnit only) callbacks the clear walks made; protected by
 *	@pt_lock
 *
 * nova_vmm_destroy() runs when no operation is pending and nothing else
 * uses the VMM: it tears down @pts, @dead and @va_mt under @lock or with
 * no lock at all.
 */
struct nova_vmm {
	struct nova_core *core;
	const struct nova_mmu_fmt *fmt;
	u64 va_start;
	u64 va_end;
	u64 page_sizes;
	u32 tlb_flags;
	struct mutex lock; /* prepares, reclaim, VA; around allocations */
	struct mutex pt_lock; /* page tables; in the signalling path */
	struct nova_pt *root;
	bool own_root;
	struct xarray pts;
	struct xarray staged;
	struct list_head empty;
	struct list_head dead;
	bool dead_flush;
	unsigned int pending;
	struct maple_tree va_mt;
	u64 mapped;
	u64 null_bytes;
	bool had_null;
	u64 nr_pts;
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
	u64 visits;
#endif
};

/**
 * struct nova_vmm_op - a prepared map or unmap
 * @vmm: its VMM
 * @va: start of the range
 * @size: bytes
 * @vram: for a map, the VRAM to map; NULL for an unmap or a NULL map
 * @offset: offset into @vram
 * @page_sizes: the VMM's page sizes when the operation was prepared (read
 *	under nova_vmm.lock)
 * @pte_flags: NOVA_PTE_* for the new entries
 * @null: a NULL map: the range is written with sparse entries
 * @executed: the operation has been executed; set under nova_vmm.pt_lock
 *	by nova_vmm_execute(), which also reads it there
 *
 * Owned by its caller, who must not use one operation from two threads at
 * once. All fields but @executed are set by the prepare and never change.
 */
struct nova_vmm_op {
	struct nova_vmm *vmm;
	u64 va;
	u64 size;
	struct nova_vram *vram;
	u64 offset;
	u64 page_sizes;
	u32 pte_flags;
	bool null;
	bool executed;
};

/* Count a callback of a clear walk, for the KUnit tests. */
static void nova_vmm_visit(struct nova_vmm *vmm)
{
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
	vmm->visits++;
#endif
}

static u64 nova_vmm_resolve(void *data, u64 install_addr)
{
	struct nova_vmm *vmm = data;
	struct nova_pt *pt = xa_load(&vmm->staged, install_addr >> 3);

	return pt ? pt->addr : 0;
}

static struct nova_pt *nova_vmm_pt_of(struct nova_vmm *vmm, u64 entry_addr)
{
	return xa_load(&vmm->pts, entry_addr >> 12);
}

/* The shadow word of the entry at VRAM address @addr, or NULL. */
static u64 *nova_vmm_shadow(struct nova_vmm *vmm, u64 addr)
{
	struct nova_pt *pt = nova_vmm_pt_of(vmm, addr);
	u64 i;

	if (WARN_ON_ONCE(!pt))
		return NULL;
	i = (addr - pt->addr) / sizeof(u64);
	if (WARN_ON_ONCE(i >= pt->shadow_len))
		return NULL;
	return &pt->shadow[i];
}

/* Read an entry from the shadow: a table the VMM does not know reads 0. */
static u64 nova_vmm_rd64(struct nova_vmm *vmm, u64 addr)
{
	u64 *s = nova_vmm_shadow(vmm, addr);

	return s ? *s : 0;
}

static u64 nova_vmm_walk_read(void *data, u64 addr)
{
	return nova_vmm_rd64(data, addr);
}

static void nova_vmm_walker(struct nova_vmm *vmm, struct nova_walker *w,
			    bool staged)
{
	w->core = vmm->core;
	w->fmt = vmm->fmt;
	w->pdb = vmm->root->addr;
	w->resolve = staged ? nova_vmm_resolve : NULL;
	w->read = nova_vmm_walk_read;
	w->data = vmm;
}

/*
 * Read both halves of the PD0 entry for @va in the PD0 table at @table
 * into @e (big half first, as &nova_mmu_fmt.dual_pde_decode takes them).
 *
 * Return: VRAM address of the entry's big half, where a 2 MiB page is
 * written too.
 */
static u64 nova_vmm_rd_dual(struct nova_vmm *vmm, u64 table, u64 va, u64 e[2])
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 big = nova_pt_dual_addr(fmt, table, va, NOVA_LVL_LPT(fmt));

	e[0] = nova_vmm_rd64(vmm, big);
	e[1] = nova_vmm_rd64(vmm, nova_pt_dual_addr(fmt, table, va, NOVA_LVL_SPT(fmt)));
	return big;
}

/* The other half of the dual PDE half at @addr of the PD0 table @pt. */
static u64 nova_vmm_dual_other(struct nova_vmm *vmm, struct nova_pt *pt, u64 addr)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 off = (addr - pt->addr) % fmt->pd[NOVA_LVL_PD0(fmt)].entry_size;

	return addr - off + (off == fmt->dual_small ? fmt->dual_big : fmt->dual_small);
}

/* Bytes of a table at @level, from the format descriptor. */
static u32 nova_pt_bytes(const struct nova_mmu_fmt *fmt, u32 level)
{
	const struct nova_pt_level *l = nova_fmt_level(fmt, level);

	return (1u << l->bits) * l->entry_size;
}

static int nova_pt_shadow_alloc(struct nova_pt *pt, const struct nova_mmu_fmt *fmt)
{
	pt->shadow_len = nova_pt_bytes(fmt, pt->level) / sizeof(u64);
	pt->shadow = kcalloc(pt->shadow_len, sizeof(u64), GFP_KERNEL);
	return pt->shadow ? 0 : -ENOMEM;
}

static void nova_pt_free(struct nova_pt *pt)
{
	kfree(pt->shadow);
	kfree(pt);
}

/*
 * Write a 64-bit entry so that the GPU never sees a half-written one:
 * the low word holds VALID/aperture, so it goes last when the entry is
 * enabled and first when it is disabled.
 */
static void nova_pt_wr64(struct nova_core *core, u64 addr, u64 val)
{
	if (lower_32_bits(val)) {
		nova_pramin_wr32(core, addr + 4, upper_32_bits(val));
		nova_pramin_wr32(core, addr, lower_32_bits(val));
	} else {
		nova_pramin_wr32(core, addr, 0);
		nova_pramin_wr32(core, addr + 4, upper_32_bits(val));
	}
}

/*
 * Write an entry to VRAM and to the shadow. A valid entry replaced by
 * another valid one whose upper word differs (a large page split into a
 * table, on a GPU with more than 4 GiB of VRAM) is disabled first: the
 * two 32-bit writes must never show the GPU a mix of the old and the new
 * entry, which would translate to the wrong memory. A walk that comes in
 * between faults instead; the TLB still holds the old translation until
 * the flush, so only a TLB miss can see the hole.
 */
static void nova_vmm_wr64(struct nova_vmm *vmm, u64 addr, u64 val)
{
	u64 *s = nova_vmm_shadow(vmm, addr);

	if (s && lower_32_bits(*s) && lower_32_bits(val) &&
	    upper_32_bits(*s) != upper_32_bits(val))
		nova_pramin_wr32(vmm->core, addr, 0);
	nova_pt_wr64(vmm->core, addr, val);
	if (s)
		*s = val;
}

static void nova_pt_used(struct nova_vmm *vmm, struct nova_pt *pt, int delta)
{
	if (WARN_ON(!pt) || WARN_ON(delta < 0 && pt->nr_used < -delta))
		return;
	pt->nr_used += delta;
	if (!pt->nr_used && pt != vmm->root)
		list_move_tail(&pt->link, &vmm->empty);
	else if (pt->nr_used && !list_empty(&pt->link))
		list_del_init(&pt->link);
}

static bool nova_pt_is_dual(struct nova_vmm *vmm, struct nova_pt *pt)
{
	return pt->level == NOVA_LVL_PD0(vmm->fmt);
}

/*
 * Write an entry of a table and keep its count of used entries. For a
 * PD0 (dual PDE) table, @addr is either half of a 16-byte entry and the
 * entry counts once whatever its halves hold.
 */
static void nova_vmm_set_entry(struct nova_vmm *vmm, u64 addr, u64 val)
{
	struct nova_pt *pt = nova_vmm_pt_of(vmm, addr);
	bool was, now;

	if (pt && nova_pt_is_dual(vmm, pt)) {
		u64 other = nova_vmm_rd64(vmm, nova_vmm_dual_other(vmm, pt, addr));

		was = other || nova_vmm_rd64(vmm, addr);
		now = other || val;
	} else {
		was = nova_vmm_rd64(vmm, addr);
		now = val;
	}
	nova_vmm_wr64(vmm, addr, val);
	if (was != now)
		nova_pt_used(vmm, pt, now ? 1 : -1);
}

static void nova_vmm_free_pts(struct nova_vmm *vmm, struct list_head *list)
{
	struct nova_core *core = vmm->core;
	struct nova_pt *pt, *tmp;

	mutex_lock(&core->mm.lock);
	list_for_each_entry_safe(pt, tmp, list, link) {
		nova_vram_free_locked(core, &pt->blocks);
		core->mm.pt_used -= SZ_4K;
		list_del(&pt->link);
		nova_pt_free(pt);
	}
	mutex_unlock(&core->mm.lock);
}

/* Allocate a zeroed table. Called without pt_lock and PRAMIN held. */
static struct nova_pt *nova_vmm_alloc_pt(struct nova_vmm *vmm, u32 level)
{
	struct nova_core *core = vmm->core;
	struct gpu_buddy_block *block;
	struct nova_pt *pt;
	bool clear = true;
	int ret;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&pt->blocks);
	INIT_LIST_HEAD(&pt->link);
	pt->level = level;
	if (nova_pt_shadow_alloc(pt, vmm->fmt)) {
		kfree(pt);
		return ERR_PTR(-ENOMEM);
	}

	mutex_lock(&core->mm.lock);
	ret = nova_vram_alloc_locked(core, SZ_4K, SZ_4K,
				     GPU_BUDDY_CLEAR_ALLOCATION, &pt->blocks);
	if (!ret)
		core->mm.pt_used += SZ_4K;
	mutex_unlock(&core->mm.lock);
	if (ret) {
		nova_pt_free(pt);
		return ERR_PTR(ret);
	}
	block = list_first_entry(&pt->blocks, struct gpu_buddy_block, link);
	pt->addr = gpu_buddy_block_offset(block);
	clear = gpu_buddy_block_is_clear(block);
	if (!clear) {
		nova_pramin_lock(core);
		nova_pramin_fill(core, pt->addr, 0, SZ_4K);
		nova_pramin_unlock(core);
	}
	return pt;
}

/* Stage @pt for @install_addr, tracking it in vmm->pts. */
static int nova_vmm_stage(struct nova_vmm *vmm, struct nova_pt *pt,
			  u64 install_addr)
{
	int ret;

	pt->install_addr = install_addr;
	ret = xa_insert(&vmm->pts, pt->addr >> 12, pt, GFP_KERNEL);
	if (ret)
		return ret;
	ret = xa_insert(&vmm->staged, install_addr >> 3, pt, GFP_KERNEL);
	if (ret) {
		xa_erase(&vmm->pts, pt->addr >> 12);
		return ret;
	}
	vmm->nr_pts++;
	return 0;
}

/*
 * Make sure the table at @level covering @va exists or is staged. Tables
 * staged here are added to @staged (through their link), so that a
 * failing prepare can take back exactly what it staged.
 * Called with vmm->lock held; takes pt_lock only to walk the shadow.
 */
static int nova_vmm_ensure(struct nova_vmm *vmm, u64 va, u32 level,
			   struct list_head *staged)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	struct nova_walk_result res;
	struct nova_walker w;
	struct nova_pt *pt;
	u64 install;
	u32 missing;
	int ret, i;

	nova_vmm_walker(vmm, &w, true);
	for (i = 0; i <= NOVA_LVL_LPT(fmt); i++) {
		mutex_lock(&vmm->pt_lock);
		ret = nova_walk_pd(&w, va, level, &res);
		mutex_unlock(&vmm->pt_lock);
		if (ret)
			return ret;

		switch (res.status) {
		case NOVA_WALK_OK:
			return 0;
		case NOVA_WALK_LARGE:
			if (res.level < NOVA_LVL_PD0(fmt)) {
				/*
				 * A large page above PD0 (512 MiB) covers @va:
				 * the table it is split into goes in its place.
				 */
				if (level <= res.level)
					return 0;
				install = res.install_addr;
				missing = res.level + 1;
				break;
			}
			/* A 2 MiB page covers @va: the table goes beside it. */
			if (level < NOVA_LVL_SPT(fmt))
				return 0;
			install = res.install_addr - fmt->dual_big +
				  (level == NOVA_LVL_SPT(fmt) ? fmt->dual_small : fmt->dual_big);
			if (xa_load(&vmm->staged, install >> 3))
				return 0;
			missing = level;
			break;
		default:
			install = res.install_addr;
			missing = res.level;
			break;
		}

		pt = nova_vmm_alloc_pt(vmm, missing);
		if (IS_ERR(pt))
			return PTR_ERR(pt);
		ret = nova_vmm_stage(vmm, pt, install);
		if (ret) {
			LIST_HEAD(list);

			/* nova_vmm_stage() counts a table only once staged. */
			list_add(&pt->link, &list);
			nova_vmm_free_pts(vmm, &list);
			return ret;
		}
		list_add_tail(&pt->link, staged);
		if (res.status == NOVA_WALK_LARGE && res.level == NOVA_LVL_PD0(fmt))
			return 0;
	}
	return -EIO;
}

static bool nova_vmm_fits(u64 s, u64 sizes, u64 va, u64 end, u64 pa,
			  u64 contig)
{
	return (sizes & s) && IS_ALIGNED(va, s) && IS_ALIGNED(pa, s) &&
	       end - va >= s && contig >= s;
}

/*
 * The largest page of @fmt in @sizes that fits at @va: the large pages of
 * the directory levels (largest first), then the big page; else a small
 * page.
 */
static u64 nova_vmm_pick(const struct nova_mmu_fmt *fmt, u64 sizes, u64 va,
			 u64 end, u64 pa, u64 contig)
{
	u32 i;

	for (i = 0; i < fmt->nr_pd; i++) {
		u64 s = BIT_ULL(fmt->pd[i].shift);

		if (fmt->pd[i].large && nova_vmm_fits(s, sizes, va, end, pa, contig))
			return s;
	}
	if (nova_vmm_fits(BIT_ULL(fmt->lpt.shift), sizes, va, end, pa, contig))
		return BIT_ULL(fmt->lpt.shift);
	return BIT_ULL(fmt->spt.shift);
}

/* Level of the table whose entries map pages of @page bytes. */
static u32 nova_vmm_level_for(const struct nova_mmu_fmt *fmt, u64 page)
{
	u32 i;

	for (i = 0; i < fmt->nr_pd; i++)
		if (fmt->pd[i].large && page == BIT_ULL(fmt->pd[i].shift))
			return i;
	return page == BIT_ULL(fmt->lpt.shift) ? NOVA_LVL_LPT(fmt) : NOVA_LVL_SPT(fmt);
}

static int nova_vmm_check_range(struct nova_vmm *vmm, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va, SZ_4K) || !IS_ALIGNED(size, SZ_4K))
		return -EINVAL;
	if (va + size < va || va < vmm->va_start || va + size > vmm->va_end)
		return -EINVAL;
	return 0;
}

/*
 * The table that splitting a large page at a range end @a needs: inside
 * the span of a PD0 entry, the small-page table; else the table below the
 * deepest level with large pages whose span @a is inside (v3: a PD0 table
 * in place of a 512 MiB page). 0: none.
 */
static u32 nova_vmm_split_level(const struct nova_mmu_fmt *fmt, u64 a)
{
	u32 i;

	for (i = NOVA_LVL_PD0(fmt) + 1; i-- > 0;) {
		if (!fmt->pd[i].large || IS_ALIGNED(a, BIT_ULL(fmt->pd[i].shift)))
			continue;
		return i == NOVA_LVL_PD0(fmt) ? NOVA_LVL_SPT(fmt) : i + 1;
	}
	return 0;
}

/*
 * The deepest table that splitting a sparse entry at a range end @a needs:
 * inside a PD0 entry's span, the small-page table (the rest of a sparse
 * 2 MiB or 64 KiB entry becomes sparse small PTEs); else the table below
 * the deepest directory level whose span @a is inside. Every table on the
 * way down to it is staged too (nova_vmm_ensure() stages what is missing,
 * and a sparse entry has no table below it). 0: none.
 */
static u32 nova_vmm_sparse_split_level(const struct nova_mmu_fmt *fmt, u64 a)
{
	u32 i;

	if (!IS_ALIGNED(a, BIT_ULL(fmt->pd[NOVA_LVL_PD0(fmt)].shift)))
		return NOVA_LVL_SPT(fmt);
	for (i = NOVA_LVL_PD0(fmt); i-- > 0;)
		if (!IS_ALIGNED(a, BIT_ULL(fmt->pd[i].shift)))
			return i + 1;
	return 0;
}

/*
 * Tables for the ends of [va, va + size) that may need splitting. Staged
 * whether or not a large page (or, once the VMM had a NULL operation, a
 * sparse entry) is there now: an operation prepared earlier may write one
 * before this one executes. Called with vmm->lock held.
 */
static int nova_vmm_prepare_ends(struct nova_vmm *vmm, u64 va, u64 size,
				 struct list_head *staged)
{
	u32 (*split)(const struct nova_mmu_fmt *fmt, u64 a) =
		vmm->had_null ? nova_vmm_sparse_split_level : nova_vmm_split_level;
	u32 level = split(vmm->fmt, va);
	int ret = 0;

	if (level)
		ret = nova_vmm_ensure(vmm, va, level, staged);
	level = split(vmm->fmt, va + size);
	if (!ret && level)
		ret = nova_vmm_ensure(vmm, va + size - 1, level, staged);
	return ret;
}

/*
 * Take back the tables a failed prepare staged. No other operation can
 * use them: prepares are serialised by vmm->lock, and a table is only
 * staged where no table was installed or staged before.
 */
static void nova_vmm_unstage(struct nova_vmm *vmm, struct list_head *staged)
{
	struct nova_pt *pt;

	list_for_each_entry(pt, staged, link) {
		xa_erase(&vmm->staged, pt->install_addr >> 3);
		xa_erase(&vmm->pts, pt->addr >> 12);
		vmm->nr_pts--;
	}
	nova_vmm_free_pts(vmm, staged);
}

/*
 * The largest sparse unit at @va for a NULL range ending at @end, at most
 * @max bytes: the span of an entry of a directory level (largest first),
 * a big page, else a small page. *@level: the level of the table holding
 * the entry.
 */
static u64 nova_vmm_null_unit(const struct nova_mmu_fmt *fmt, u64 va, u64 end,
			      u64 max, u32 *level)
{
	u64 s;
	u32 i;

	for (i = 0; i < fmt->nr_pd; i++) {
		s = BIT_ULL(fmt->pd[i].shift);
		if (s <= max && IS_ALIGNED(va, s) && end - va >= s) {
			*level = i;
			return s;
		}
	}
	s = BIT_ULL(fmt->lpt.shift);
	if (s <= max && IS_ALIGNED(va, s) && end - va >= s) {
		*level = NOVA_LVL_LPT(fmt);
		return s;
	}
	*level = NOVA_LVL_SPT(fmt);
	return BIT_ULL(fmt->spt.shift);
}

/*
 * Every table the sparse entries of a NULL range [@va, @end) go into, one
 * walk per table and unit size. Called with vmm->lock held.
 */
static int nova_vmm_stage_null(struct nova_vmm *vmm, u64 va, u64 end,
			       struct list_head *staged)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 addr = va;
	int ret = 0;

	while (!ret && addr < end) {
		const struct nova_pt_level *l;
		u64 unit, region_end;
		u32 level, next;

		cond_resched();
		unit = nova_vmm_null_unit(fmt, addr, end, U64_MAX, &level);
		/* The root is always there. */
		if (level)
			ret = nova_vmm_ensure(vmm, addr, level, staged);
		l = nova_fmt_level(fmt, level);
		region_end = min(round_up(addr + 1, BIT_ULL(l->shift + l->bits)), end);
		addr += unit;
		while (addr < region_end &&
		       nova_vmm_null_unit(fmt, addr, end, U64_MAX, &next) == unit)
			addr += unit;
	}
	return ret;
}

static struct nova_vmm_op *__nova_vmm_prepare(struct nova_vmm *vmm, u64 va,
					      u64 size, struct nova_vram *vram,
					      u64 offset, u32 flags, bool null)
{
	struct nova_vmm_op *op;
	u64 addr, end = va + size;
	struct nova_pt *pt, *tmp;
	LIST_HEAD(staged);
	int ret;

	ret = nova_vmm_check_range(vmm, va, size);
	if (ret)
		return ERR_PTR(ret);
	if (vram && (!IS_ALIGNED(offset, SZ_4K) || offset + size < offset ||
		     offset + size > nova_vram_size(vram)))
		return ERR_PTR(-EINVAL);
	if (flags & ~NOVA_MAP_READ_ONLY)
		return ERR_PTR(-EINVAL);

	op = kzalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return ERR_PTR(-ENOMEM);
	op->vmm = vmm;
	op->va = va;
	op->size = size;
	op->vram = vram;
	op->offset = offset;
	op->pte_flags = (flags & NOVA_MAP_READ_ONLY) ? NOVA_PTE_RO : 0;
	op->null = null;

	mutex_lock(&vmm->lock);
	/* Set for good: a failed prepare only stages a little more later. */
	if (null)
		vmm->had_null = true;
	/* Execute picks the page sizes this prepare made tables for. */
	op->page_sizes = vmm->page_sizes;
	/*
	 * Pending from now on: an execute running meanwhile must not unlink a
	 * table this prepare finds in place and counts on.
	 */
	mutex_lock(&vmm->pt_lock);
	vmm->pending++;
	mutex_unlock(&vmm->pt_lock);
	ret = nova_vmm_prepare_ends(vmm, va, size, &staged);
	if (!ret && null)
		ret = nova_vmm_stage_null(vmm, va, end, &staged);
	/* Every table the new pages need, one walk per table and kind. */
	for (addr = va; !ret && vram && addr < end;) {
		const struct nova_pt_level *l;
		u64 pa, contig, page, region_end;
		u32 level;

		cond_resched();
		ret = nova_vram_addr(vram, offset + (addr - va), &pa, &contig);
		if (ret)
			break;
		page = nova_vmm_pick(vmm->fmt, op->page_sizes, addr, end, pa, contig);
		level = nova_vmm_level_for(vmm->fmt, page);
		ret = nova_vmm_ensure(vmm, addr, level, &staged);
		if (ret)
			break;
		/* The rest of this table's span at this page size needs no other. */
		l = nova_fmt_level(vmm->fmt, level);
		region_end = min(round_up(addr + 1, BIT_ULL(l->shift + l->bits)), end);
		addr += page;
		while (addr < region_end) {
			ret = nova_vram_addr(vram, offset + (addr - va), &pa, &contig);
			if (ret || nova_vmm_pick(vmm->fmt, op->page_sizes, addr, end,
						 pa, contig) != page)
				break;
			addr += page;
		}
	}
	if (ret) {
		/* Leave the VMM as it was, pending operations or not. */
		nova_vmm_unstage(vmm, &staged);
		mutex_lock(&vmm->pt_lock);
		vmm->pending--;
		mutex_unlock(&vmm->pt_lock);
		mutex_unlock(&vmm->lock);
		kfree(op);
		return ERR_PTR(ret);
	}
	list_for_each_entry_safe(pt, tmp, &staged, link)
		list_del_init(&pt->link);
	mutex_unlock(&vmm->lock);
	return op;
}

/* Prepares read page tables: not on a GPU that is gone. */
static struct nova_vmm_op *nova_vmm_prepare(struct nova_vmm *vmm, u64 va,
					    u64 size, struct nova_vram *vram,
					    u64 offset, u32 flags, bool null)
{
	struct nova_vmm_op *op;
	int idx;

	if (!nova_hw_enter(vmm->core, &idx))
		return ERR_PTR(-ENODEV);
	op = __nova_vmm_prepare(vmm, va, size, vram, offset, flags, null);
	nova_hw_exit(vmm->core, idx);
	return op;
}

/**
 * nova_vmm_prepare_map() - prepare mapping VRAM into an address space
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes, a non-zero multiple of 4 KiB
 * @vram: the VRAM to map; must stay allocated until the operation is
 *	released
 * @offset: byte offset into @vram, 4 KiB aligned
 * @flags: NOVA_MAP_READ_ONLY
 *
 * Allocates every page table the mapping can need. The mapping replaces
 * whatever [@va, @va + @size) maps when it is executed. May sleep.
 *
 * Return: the operation, or an ERR_PTR: -EINVAL for a bad range,
 * -ENOSPC or -ENOMEM when page tables cannot be allocated, -ENODEV when
 * the GPU is gone. A failed prepare changes nothing.
 */
struct nova_vmm_op *nova_vmm_prepare_map(struct nova_vmm *vmm, u64 va,
					 u64 size, struct nova_vram *vram,
					 u64 offset, u32 flags)
{
	if (!vram)
		return ERR_PTR(-EINVAL);
	return nova_vmm_prepare(vmm, va, size, vram, offset, flags, false);
}
EXPORT_SYMBOL_GPL(nova_vmm_prepare_map);

/**
 * nova_vmm_prepare_unmap() - prepare unmapping a range of an address space
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * Allocates the tables needed to split large pages at the range's ends.
 * May sleep.
 *
 * Return: the operation, or an ERR_PTR as nova_vmm_prepare_map().
 */
struct nova_vmm_op *nova_vmm_prepare_unmap(struct nova_vmm *vmm, u64 va,
					   u64 size)
{
	return nova_vmm_prepare(vmm, va, size, NULL, 0, 0, false);
}
EXPORT_SYMBOL_GPL(nova_vmm_prepare_unmap);

/**
 * nova_vmm_prepare_null() - prepare a NULL (sparse) mapping
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * A NULL mapping has no memory behind it: the GPU's engines read zeroes
 * and their writes are dropped, without a fault. It replaces whatever
 * [@va, @va + @size) maps when executed, and is written in the largest
 * sparse units the range's alignment allows, so that its page tables
 * follow the number of directory entries, not the size. Allocates the
 * tables it needs, and those for splitting what its ends fall into. May
 * sleep.
 *
 * Context: process context.
 * Return: the operation, or an ERR_PTR as nova_vmm_prepare_map().
 */
struct nova_vmm_op *nova_vmm_prepare_null(struct nova_vmm *vmm, u64 va,
					  u64 size)
{
	return nova_vmm_prepare(vmm, va, size, NULL, 0, 0, true);
}
EXPORT_SYMBOL_GPL(nova_vmm_prepare_null);

/* Install the staged tables on the way to @level for @va. */
static int nova_vmm_install(struct nova_vmm *vmm, u64 va, u32 level,
			    u64 *table)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	struct nova_walk_result res;
	struct nova_walker w;
	struct nova_pt *pt;
	u64 val[2];
	int ret, i;

	nova_vmm_walker(vmm, &w, false);
	for (i = 0; i <= NOVA_LVL_LPT(fmt); i++) {
		ret = nova_walk_pd(&w, va, level, &res);
		if (ret)
			return ret;
		if (res.status == NOVA_WALK_OK) {
			*table = res.table;
			return 0;
		}
		if (res.status == NOVA_WALK_LARGE) {
			/*
			 * A 2 MiB page covers @va: its small-page table (made
			 * to split it) goes into the other half of the entry.
			 */
			u64 half = res.install_addr - fmt->dual_big + fmt->dual_small;

			if (level != NOVA_LVL_SPT(fmt) || res.level != NOVA_LVL_PD0(fmt))
				return -EEXIST;
			*table = fmt->pde_decode(nova_vmm_rd64(vmm, half));
			if (*table)
				return 0;
			res.install_addr = half;
			res.level = level;
		}
		pt = xa_erase(&vmm->staged, res.install_addr >> 3);
		if (WARN_ON_ONCE(!pt))
			return -EIO;
		if (res.level == NOVA_LVL_SPT(fmt)) {
			fmt->dual_pde(0, pt->addr, val);
			nova_vmm_set_entry(vmm, res.install_addr, val[1]);
		} else if (res.level == NOVA_LVL_LPT(fmt)) {
			fmt->dual_pde(pt->addr, 0, val);
			nova_vmm_set_entry(vmm, res.install_addr, val[0]);
		} else {
			nova_vmm_set_entry(vmm, res.install_addr, fmt->pde(pt->addr));
		}
		pt->installed = true;
		/* A new table is empty until entries are written into it. */
		list_move_tail(&pt->link, &vmm->empty);
	}
	return -EIO;
}

/*
 * Write small-page PTEs mapping [@va, @va + @len) to @pa.. (@sparse: sparse
 * PTEs, @pa and @flags unused) into the small-page tables, installing those
 * that are staged.
 */
static int nova_vmm_write_small(struct nova_vmm *vmm, u64 va, u64 pa, u64 len,
				u32 flags, bool sparse)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 page = BIT_ULL(fmt->spt.shift), end = va + len, table = 0;
	int ret;

	for (; va < end; va += page, pa += page) {
		if (!table || !nova_pt_index(&fmt->spt, va)) {
			ret = nova_vmm_install(vmm, va, NOVA_LVL_SPT(fmt), &table);
			if (ret)
				return ret;
		}
		nova_vmm_set_entry(vmm, nova_pt_entry_addr(&fmt->spt, table, va),
				   sparse ? fmt->sparse_pte : fmt->pte(pa, flags));
	}
	return 0;
}

/*
 * Where a large page of the directory level @level for @va goes in the
 * table at @table: the entry, or for PD0 the big half of the dual PDE.
 */
static u64 nova_vmm_large_addr(const struct nova_mmu_fmt *fmt, u32 level,
			       u64 table, u64 va)
{
	if (level == NOVA_LVL_PD0(fmt))
		return nova_pt_dual_addr(fmt, table, va, NOVA_LVL_LPT(fmt));
	return nova_pt_entry_addr(&fmt->pd[level], table, va);
}

/**
 * struct nova_vmm_clear - what a clear walk needs
 * @vmm: the VMM
 * @ack: set when a valid entry went (the TLB flush must be acknowledged)
 */
struct nova_vmm_clear {
	struct nova_vmm *vmm;
	bool *ack;
};

/*
 * Clear [@e->start, @e->end) of the sparse directory entry above PD0 at
 * @e. An entry the range covers whole goes. One it covers in part is
 * split: the table staged for it gets sparse entries for the spans outside
 * the range and for the one the range's end falls into (split in turn
 * when the walk gets there), and replaces the entry in one write.
 */
static int nova_vmm_clear_sparse_pd(struct nova_vmm *vmm,
				    const struct nova_pt_walk_entry *e)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	const struct nova_pt_level *cl = &fmt->pd[e->level + 1];
	u64 top = e->base + e->size, csize = BIT_ULL(cl->shift), a;
	struct nova_pt *pt;

	if (e->start == e->base && e->end == top) {
		vmm->null_bytes -= e->size;
		nova_vmm_set_entry(vmm, e->addr, 0);
		return NOVA_PT_WALK_CONTINUE;
	}
	pt = xa_erase(&vmm->staged, e->addr >> 3);
	if (WARN_ON_ONCE(!pt))
		return -EIO;
	for (a = e->base; a < top; a += csize) {
		if (a >= e->start && a + csize <= e->end) {
			vmm->null_bytes -= csize;
			continue;
		}
		nova_vmm_set_entry(vmm, nova_vmm_large_addr(fmt, e->level + 1, pt->addr, a),
				   nova_fmt_sparse(fmt, e->level + 1));
	}
	nova_vmm_set_entry(vmm, e->addr, fmt->pde(pt->addr));
	pt->installed = true;
	return NOVA_PT_WALK_AGAIN;
}

/*
 * Clear [@e->start, @e->end) of the large page above PD0 (v3: 512 MiB, in
 * PD1) at @e. A page the range covers whole goes. A page it covers in part
 * is split first: the table staged for its entry takes it as pages of the
 * next level (2 MiB), but for those the range covers whole, and replaces
 * it in one entry write, so that the GPU sees either the large page or the
 * same translations through the new table. The walk then goes on through
 * the new table (NOVA_PT_WALK_AGAIN).
 */
static int nova_vmm_clear_large(struct nova_vmm *vmm,
				const struct nova_pt_walk_entry *e, bool *ack)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	const struct nova_pt_level *cl = &fmt->pd[e->level + 1];
	u64 top = e->base + e->size, csize = BIT_ULL(cl->shift), pa, a;
	struct nova_pt *pt;
	u32 flags;

	*ack = true;
	if (e->val == fmt->sparse_pde)
		return nova_vmm_clear_sparse_pd(vmm, e);
	if (!fmt->pte_decode(e->val, &pa, &flags))
		return -EIO;
	if (e->start == e->base && e->end == top) {
		vmm->mapped -= e->size;
		nova_vmm_set_entry(vmm, e->addr, 0);
		return NOVA_PT_WALK_CONTINUE;
	}
	/* The next level must map large pages too (v3 PD0 under PD1). */
	if (WARN_ON_ONCE(!cl->large))
		return -EIO;
	pt = xa_erase(&vmm->staged, e->addr >> 3);
	if (WARN_ON_ONCE(!pt))
		return -EIO;
	for (a = e->base; a < top; a += csize) {
		if (a >= e->start && a + csize <= e->end) {
			vmm->mapped -= csize;
			continue;
		}
		nova_vmm_set_entry(vmm, nova_vmm_large_addr(fmt, e->level + 1, pt->addr, a),
				   fmt->pte(pa + (a - e->base), flags));
	}
	nova_vmm_set_entry(vmm, e->addr, fmt->pde(pt->addr));
	pt->installed = true;
	return NOVA_PT_WALK_AGAIN;
}

/*
 * Clear [@e->start, @e->end) of the page at @e, a PD0 (2 MiB) page or a
 * big (64 KiB) page: what lies outside the range is kept as small pages
 * first, in the small-page table staged for it.
 */
static int nova_vmm_clear_split(struct nova_vmm *vmm,
				const struct nova_pt_walk_entry *e, bool *ack)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 top = e->base + e->size, pa;
	u32 flags = 0;
	bool valid;
	int ret;

	*ack = true;
	/* Sparse: what lies outside the range stays sparse, as small PTEs. */
	if (e->val == nova_fmt_sparse(fmt, e->level)) {
		if (e->start > e->base) {
			ret = nova_vmm_write_small(vmm, e->base, 0, e->start - e->base,
						   0, true);
			if (ret)
				return ret;
		}
		if (e->end < top) {
			ret = nova_vmm_write_small(vmm, e->end, 0, top - e->end, 0,
						   true);
			if (ret)
				return ret;
		}
		vmm->null_bytes -= e->end - e->start;
		nova_vmm_set_entry(vmm, e->addr, 0);
		return NOVA_PT_WALK_CONTINUE;
	}
	valid = fmt->pte_decode(e->val, &pa, &flags);
	/* A 2 MiB entry is cleared even when not valid, a big PTE likewise. */
	if (valid || e->level == NOVA_LVL_PD0(fmt)) {
		if (!valid)
			pa = 0;
		if (e->start > e->base) {
			ret = nova_vmm_write_small(vmm, e->base, pa,
						   e->start - e->base, flags, false);
			if (ret)
				return ret;
		}
		if (e->end < top) {
			ret = nova_vmm_write_small(vmm, e->end, pa + (e->end - e->base),
						   top - e->end, flags, false);
			if (ret)
				return ret;
		}
		vmm->mapped -= e->end - e->start;
	}
	nova_vmm_set_entry(vmm, e->addr, 0);
	return NOVA_PT_WALK_CONTINUE;
}

static int nova_vmm_clear_pre(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nova_vmm_clear *c = priv;

	nova_vmm_visit(c->vmm);
	/* Large unmaps: let others run (no spinlock is held here). */
	cond_resched();
	return NOVA_PT_WALK_CONTINUE;
}

static int nova_vmm_clear_leaf(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nova_vmm_clear *c = priv;
	struct nova_vmm *vmm = c->vmm;
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 pa;
	u32 flags;

	nova_vmm_visit(vmm);
	if (e->level <= NOVA_LVL_PD0(fmt))
		cond_resched();
	if (e->level < NOVA_LVL_PD0(fmt))
		return nova_vmm_clear_large(vmm, e, c->ack);
	if (e->level != NOVA_LVL_SPT(fmt))
		return nova_vmm_clear_split(vmm, e, c->ack);
	*c->ack = true;
	if (e->val == fmt->sparse_pte)
		vmm->null_bytes -= e->size;
	else if (fmt->pte_decode(e->val, &pa, &flags))
		vmm->mapped -= e->size;
	nova_vmm_set_entry(vmm, e->addr, 0);
	return NOVA_PT_WALK_CONTINUE;
}

static const struct nova_pt_walk_ops nova_vmm_clear_ops = {
	.pre_descend = nova_vmm_clear_pre,
	.leaf = nova_vmm_clear_leaf,
};

/*
 * Clear [@start, @end) with the range walker: what the walker finds
 * present goes, pages that straddle the range's ends are split (512 MiB
 * pages into 2 MiB pages, 2 MiB and 64 KiB pages into 4 KiB pages; sparse
 * directory entries into tables of sparse entries, sparse 2 MiB and
 * 64 KiB entries into sparse 4 KiB PTEs) and
 * absent directory entries are skipped whole, so that the cost follows
 * what is mapped, not the size of the range. Sets *@ack when a valid entry
 * went. Called with pt_lock and PRAMIN held; never allocates.
 */
static int nova_vmm_clear(struct nova_vmm *vmm, u64 start, u64 end, bool *ack)
{
	struct nova_vmm_clear c = { .vmm = vmm, .ack = ack };
	struct nova_walker w;

	nova_vmm_walker(vmm, &w, false);
	return nova_pt_walk_range(&w, start, end, &nova_vmm_clear_ops, &c);
}

/*
 * The page sizes a 2 MiB page at @va of the PD0 table @table must fall
 * back to, or 0 when it may take the slot. A table hanging in the slot is
 * replaced by the 2 MiB page only when no other operation is pending: one
 * prepared earlier may have found it in place and count on it when it
 * executes. Otherwise the table stays and the range goes into it (64 KiB
 * pages into a big-page table, else 4 KiB pages into a small-page one),
 * as above PD0: execute never frees nor needs a table.
 */
static u64 nova_vmm_pd0_fallback(struct nova_vmm *vmm, u64 table, u64 va)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 e[2], big, small;

	if (vmm->pending <= 1)
		return 0;
	nova_vmm_rd_dual(vmm, table, va, e);
	if (fmt->pde_is_pte(e[0]))
		return 0;
	fmt->dual_pde_decode(e, &big, &small);
	if (big)
		return BIT_ULL(fmt->lpt.shift);
	if (small)
		return BIT_ULL(fmt->spt.shift);
	return 0;
}

/* The entry of the directory @table at @level for @va points at a table. */
static bool nova_vmm_holds_table(struct nova_vmm *vmm, u64 table, u32 level,
				 u64 va)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	const struct nova_pt_level *l = &fmt->pd[level];
	u64 e = nova_vmm_rd64(vmm, nova_pt_entry_addr(l, table, va));

	return !fmt->pde_is_pte(e) && fmt->pde_decode(e);
}

static int nova_vmm_write_range(struct nova_vmm_op *op)
{
	struct nova_vmm *vmm = op->vmm;
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 va = op->va, end = op->va + op->size;
	u64 pa, contig, page, table;
	u32 level;
	int ret;

	while (va < end) {
		u64 sizes = op->page_sizes;

		/* Large binds: let others run (no spinlock is held here). */
		cond_resched();
		ret = nova_vram_addr(op->vram, op->offset + (va - op->va), &pa, &contig);
		if (ret)
			return ret;
		for (;;) {
			page = nova_vmm_pick(fmt, sizes, va, end, pa, contig);
			level = nova_vmm_level_for(fmt, page);
			ret = nova_vmm_install(vmm, va, level, &table);
			if (ret)
				return ret;
			/*
			 * A large page above PD0 goes where no table hangs. A
			 * table that does (what it mapped in the range is
			 * cleared, but an operation prepared earlier may count
			 * on it) stays, and the range goes into it as smaller
			 * pages: execute never frees nor allocates a table.
			 */
			if (level > NOVA_LVL_PD0(fmt))
				break;
			if (level == NOVA_LVL_PD0(fmt)) {
				u64 keep = nova_vmm_pd0_fallback(vmm, table, va);

				if (!(sizes & keep))
					break;
				sizes &= keep;
				continue;
			}
			if (!nova_vmm_holds_table(vmm, table, level, va))
				break;
			sizes &= page - 1;
		}
		if (level < NOVA_LVL_PD0(fmt)) {
			const struct nova_pt_level *l = &fmt->pd[level];

			nova_vmm_set_entry(vmm, nova_pt_entry_addr(l, table, va),
					   fmt->pte(pa, op->pte_flags));
		} else if (level == NOVA_LVL_PD0(fmt)) {
			u64 e[2], big, small, slot;
			struct nova_pt *lpt;

			/* The (cleared) big-page table loses its PDE to the PTE. */
			slot = nova_vmm_rd_dual(vmm, table, va, e);
			e[1] = 0;
			fmt->dual_pde_decode(e, &big, &small);
			lpt = big ? nova_vmm_pt_of(vmm, big) : NULL;
			if (lpt)
				lpt->install_addr = 0;
			nova_vmm_set_entry(vmm, slot, fmt->pte(pa, op->pte_flags));
		} else {
			const struct nova_pt_level *l = nova_fmt_level(fmt, level);
			u64 region_end = min(round_up(va + 1, BIT_ULL(l->shift + l->bits)), end);

			/* Fill this table while the source stays contiguous. */
			do {
				nova_vmm_set_entry(vmm, nova_pt_entry_addr(l, table, va),
						   fmt->pte(pa, op->pte_flags));
				va += page;
				pa += page;
				contig -= page;
				vmm->mapped += page;
			} while (va < region_end && contig >= page &&
				 nova_vmm_pick(fmt, sizes, va, end, pa, contig) == page);
			continue;
		}
		va += page;
		vmm->mapped += page;
	}
	return 0;
}

/*
 * Write the sparse entries of a NULL operation over its (cleared) range,
 * in the largest units the alignment allows. An entry that still points
 * at a table (cleared, but an operation prepared earlier may count on it)
 * stays: its span is written as smaller units into the tables below it,
 * which exist, so execute never allocates nor frees a table here either.
 */
static int nova_vmm_write_null(struct nova_vmm_op *op)
{
	struct nova_vmm *vmm = op->vmm;
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 va = op->va, end = op->va + op->size, max = U64_MAX, max_end = 0;
	int ret;

	while (va < end) {
		u64 unit, table, addr, e[2], big, small;
		u32 level;

		cond_resched();
		if (va >= max_end)
			max = U64_MAX;
		unit = nova_vmm_null_unit(fmt, va, end, max, &level);
		table = vmm->root->addr;
		if (level) {
			ret = nova_vmm_install(vmm, va, level, &table);
			if (ret)
				return ret;
		}
		if (level < NOVA_LVL_PD0(fmt)) {
			addr = nova_pt_entry_addr(&fmt->pd[level], table, va);
			if (nova_vmm_holds_table(vmm, table, level, va)) {
				max = unit - 1;
				max_end = va + unit;
				continue;
			}
		} else if (level == NOVA_LVL_PD0(fmt)) {
			addr = nova_vmm_rd_dual(vmm, table, va, e);
			fmt->dual_pde_decode(e, &big, &small);
			if (big || small) {
				max = BIT_ULL(big ? fmt->lpt.shift : fmt->spt.shift);
				max_end = va + unit;
				continue;
			}
		} else {
			addr = nova_pt_entry_addr(nova_fmt_level(fmt, level), table, va);
		}
		nova_vmm_set_entry(vmm, addr, nova_fmt_sparse(fmt, level));
		vmm->null_bytes += unit;
		va += unit;
	}
	return 0;
}

/*
 * Unlink installed tables that have no entry left (their parents may
 * follow) and move them to @list. The caller flushes the TLB before the
 * tables are freed. Called with pt_lock and PRAMIN held; never allocates.
 */
static bool nova_vmm_unlink_empty(struct nova_vmm *vmm, struct list_head *list)
{
	struct nova_pt *pt;
	bool any = false;

	while (!list_empty(&vmm->empty)) {
		pt = list_first_entry(&vmm->empty, struct nova_pt, link);
		list_move(&pt->link, list);
		/* Clearing its PDE may make the parent empty in turn. */
		if (pt->install_addr)
			nova_vmm_set_entry(vmm, pt->install_addr, 0);
		xa_erase(&vmm->pts, pt->addr >> 12);
		any = true;
	}
	return any;
}

static int nova_vmm_execute_one(struct nova_vmm_op *op, bool *ack)
{
	int ret;

	ret = nova_vmm_clear(op->vmm, op->va, op->va + op->size, ack);
	if (ret)
		return ret;
	if (op->vram)
		return nova_vmm_write_range(op);
	if (op->null)
		return nova_vmm_write_null(op);
	return 0;
}

/**
 * nova_vmm_execute() - execute prepared operations
 * @ops: the operations, all of one VMM, applied in order
 * @count: how many
 *
 * Writes the page tables and flushes the TLB once (with a global
 * acknowledgment when a mapping was removed or replaced). When no other
 * operation of the VMM is pending, tables left empty are unlinked before
 * that flush, so that freeing them later needs no flush of its own. Does not
 * allocate memory and takes no lock that is held around an allocation:
 * callable in the DMA-fence signalling path. A VMM's operations must be
 * executed in the order they were prepared: a prepare stages the tables
 * that splitting a sparse entry needs only when an earlier prepare made
 * the VMM hold sparse entries (the DRM driver prepares and pushes binds
 * under one lock, in order).
 *
 * Return: 0, -ETIMEDOUT when the TLB flush times out, -EIO on page tables
 * that do not match the prepare phase (a driver bug), -ENODEV when the GPU
 * is gone (nothing was written).
 */
int nova_vmm_execute(struct nova_vmm_op **ops, unsigned int count)
{
	struct nova_vmm *vmm;
	bool ack = false, unlinked = false, cookie;
	unsigned int i;
	int ret = 0, idx;

	if (!count)
		return 0;
	vmm = ops[0]->vmm;
	cookie = dma_fence_begin_signalling();
	if (!nova_hw_enter(vmm->core, &idx)) {
		dma_fence_end_signalling(cookie);
		return -ENODEV;
	}
	mutex_lock(&vmm->pt_lock);
	nova_pramin_lock(vmm->core);
	for (i = 0; i < count && !ret; i++) {
		if (WARN_ON(ops[i]->vmm != vmm || ops[i]->executed)) {
			ret = -EINVAL;
			break;
		}
		ret = nova_vmm_execute_one(ops[i], &ack);
		ops[i]->executed = true;
	}
	/* No other prepared operation can count on the empty tables. */
	if (!ret && vmm->pending == count)
		unlinked = nova_vmm_unlink_empty(vmm, &vmm->dead);
	nova_pramin_unlock(vmm->core);
	mutex_unlock(&vmm->pt_lock);
	if (!ret)
		ret = nova_tlb_flush(vmm->core, vmm->root->addr, vmm->tlb_flags |
				     (ack || unlinked ? NOVA_TLB_ACK : 0));
	/* Reclaim waits for these operations' release: it sees this. */
	if (unlinked && ret) {
		mutex_lock(&vmm->pt_lock);
		vmm->dead_flush = true;
		mutex_unlock(&vmm->pt_lock);
	}
	nova_hw_exit(vmm->core, idx);
	dma_fence_end_signalling(cookie);
	return ret;
}
EXPORT_SYMBOL_GPL(nova_vmm_execute);

/*
 * Free tables that became empty and tables that were staged but never
 * installed. Called with vmm->lock held and no operation pending.
 */
static void nova_vmm_reclaim_locked(struct nova_vmm *vmm)
{
	struct nova_core *core = vmm->core;
	struct nova_pt *pt;
	unsigned long idx;
	LIST_HEAD(list);
	bool flush = false;

	lockdep_assert_held(&vmm->lock);
	mutex_lock(&vmm->pt_lock);
	if (vmm->pending) {
		mutex_unlock(&vmm->pt_lock);
		return;
	}
	xa_for_each(&vmm->staged, idx, pt) {
		xa_erase(&vmm->staged, idx);
		xa_erase(&vmm->pts, pt->addr >> 12);
		list_move(&pt->link, &list);
	}
	/* Unlinked by an execute, whose flush (unless it failed) covered them. */
	flush = vmm->dead_flush;
	vmm->dead_flush = false;
	list_splice_init(&vmm->dead, &list);
	nova_pramin_lock(core);
	if (nova_vmm_unlink_empty(vmm, &list))
		flush = true;
	nova_pramin_unlock(core);
	mutex_unlock(&vmm->pt_lock);
	if (list_empty(&list))
		return;
	/* No walker may still hold the freed tables in its caches. */
	if (flush)
		nova_tlb_flush(core, vmm->root->addr, vmm->tlb_flags | NOVA_TLB_ACK);
	list_for_each_entry(pt, &list, link)
		vmm->nr_pts--;
	nova_vmm_free_pts(vmm, &list);
}

/**
 * nova_vmm_op_release() - release a prepared or executed operation
 * @op: the operation
 *
 * When no operation of the VMM is pending any more, page tables left
 * empty and unused staged tables are freed. May sleep and allocate: not
 * for the signalling path.
 */
void nova_vmm_op_release(struct nova_vmm_op *op)
{
	struct nova_vmm *vmm = op->vmm;
	unsigned int pending;
	int idx;

	mutex_lock(&vmm->lock);
	mutex_lock(&vmm->pt_lock);
	pending = --vmm->pending;
	mutex_unlock(&vmm->pt_lock);
	/* On a GPU that is gone, nova_vmm_destroy() frees every table. */
	if (!pending && nova_hw_enter(vmm->core, &idx)) {
		nova_vmm_reclaim_locked(vmm);
		nova_hw_exit(vmm->core, idx);
	}
	mutex_unlock(&vmm->lock);
	kfree(op);
}
EXPORT_SYMBOL_GPL(nova_vmm_op_release);

/* Execute and release one prepared operation (or pass its error on). */
static int nova_vmm_run_one(struct nova_vmm_op *op)
{
	int ret;

	if (IS_ERR(op))
		return PTR_ERR(op);
	ret = nova_vmm_execute(&op, 1);
	nova_vmm_op_release(op);
	return ret;
}

/**
 * nova_vmm_map() - map VRAM now (prepare, execute and release)
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes
 * @vram: the VRAM
 * @offset: offset into @vram
 * @flags: NOVA_MAP_READ_ONLY
 *
 * For callers outside the signalling path.
 *
 * Return: 0 or a negative errno as nova_vmm_prepare_map().
 */
int nova_vmm_map(struct nova_vmm *vmm, u64 va, u64 size,
		 struct nova_vram *vram, u64 offset, u32 flags)
{
	return nova_vmm_run_one(nova_vmm_prepare_map(vmm, va, size, vram,
						     offset, flags));
}
EXPORT_SYMBOL_GPL(nova_vmm_map);

/**
 * nova_vmm_unmap() - unmap a range now
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes
 *
 * Return: 0 or a negative errno as nova_vmm_prepare_unmap().
 */
int nova_vmm_unmap(struct nova_vmm *vmm, u64 va, u64 size)
{
	return nova_vmm_run_one(nova_vmm_prepare_unmap(vmm, va, size));
}
EXPORT_SYMBOL_GPL(nova_vmm_unmap);

/**
 * nova_vmm_map_null() - map a range NULL now (prepare, execute, release)
 * @vmm: the address space
 * @va: start, 4 KiB aligned
 * @size: bytes
 *
 * Context: process context, outside the signalling path.
 * Return: 0 or a negative errno as nova_vmm_prepare_null().
 */
int nova_vmm_map_null(struct nova_vmm *vmm, u64 va, u64 size)
{
	return nova_vmm_run_one(nova_vmm_prepare_null(vmm, va, size));
}
EXPORT_SYMBOL_GPL(nova_vmm_map_null);

static struct nova_vmm *nova_vmm_new(struct nova_core *core, u64 va_start,
				     u64 va_end)
{
	struct nova_vmm *vmm;

	vmm = kzalloc(sizeof(*vmm), GFP_KERNEL);
	if (!vmm)
		return NULL;
	vmm->core = core;
	vmm->fmt = core->fmt;
	vmm->va_start = va_start;
	vmm->va_end = va_end;
	vmm->page_sizes = nova_mmu_page_sizes(vmm->fmt);
	mutex_init(&vmm->lock);
	mutex_init(&vmm->pt_lock);
	xa_init(&vmm->pts);
	xa_init(&vmm->staged);
	INIT_LIST_HEAD(&vmm->empty);
	INIT_LIST_HEAD(&vmm->dead);
	mt_init_flags(&vmm->va_mt, MT_FLAGS_ALLOC_RANGE);
	return vmm;
}

static struct nova_vmm *__nova_vmm_create(struct nova_core *core, u64 va_start,
					  u64 va_end)
{
	struct nova_vmm *vmm;
	struct nova_pt *root;
	int ret;

	if (va_start >= va_end || va_end > BIT_ULL(core->fmt->va_bits) ||
	    !IS_ALIGNED(va_start, SZ_4K) || !IS_ALIGNED(va_end, SZ_4K))
		return ERR_PTR(-EINVAL);
	vmm = nova_vmm_new(core, va_start, va_end);
	if (!vmm)
		return ERR_PTR(-ENOMEM);
	root = nova_vmm_alloc_pt(vmm, 0);
	if (IS_ERR(root)) {
		kfree(vmm);
		return ERR_CAST(root);
	}
	ret = xa_insert(&vmm->pts, root->addr >> 12, root, GFP_KERNEL);
	if (ret) {
		LIST_HEAD(list);

		list_add(&root->link, &list);
		nova_vmm_free_pts(vmm, &list);
		kfree(vmm);
		return ERR_PTR(ret);
	}
	root->installed = true;
	vmm->root = root;
	vmm->own_root = true;
	vmm->nr_pts = 1;
	return vmm;
}

/**
 * nova_vmm_create() - create an address space
 * @core: the GPU
 * @va_start: first usable address, 4 KiB aligned
 * @va_end: end of usable addresses, at most 2^va_bits
 *
 * Return: the VMM, or an ERR_PTR (-ENODEV when the GPU is gone).
 */
struct nova_vmm *nova_vmm_create(struct nova_core *core, u64 va_start,
				 u64 va_end)
{
	struct nova_vmm *vmm;
	int idx;

	if (!nova_hw_enter(core, &idx))
		return ERR_PTR(-ENODEV);
	vmm = __nova_vmm_create(core, va_start, va_end);
	nova_hw_exit(core, idx);
	return vmm;
}
EXPORT_SYMBOL_GPL(nova_vmm_create);

/**
 * nova_vmm_create_at() - address space over a firmware-made root directory
 * @core: the GPU
 * @pdb: VRAM address of the root directory (not freed by the VMM)
 * @va_end: size of the address space
 * @tlb_flags: NOVA_TLB_HUB_ONLY for a BAR address space
 *
 * Return: the VMM, or an ERR_PTR.
 */
struct nova_vmm *nova_vmm_create_at(struct nova_core *core, u64 pdb,
				    u64 va_end, u32 tlb_flags)
{
	struct nova_vmm *vmm;
	struct nova_pt *root;
	int ret;

	u32 i;

	vmm = nova_vmm_new(core, 0, va_end);
	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!vmm || !root || nova_pt_shadow_alloc(root, core->fmt)) {
		kfree(vmm);
		if (root)
			nova_pt_free(root);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&root->blocks);
	INIT_LIST_HEAD(&root->link);
	root->addr = pdb;
	root->installed = true;
	ret = xa_insert(&vmm->pts, pdb >> 12, root, GFP_KERNEL);
	if (ret) {
		nova_pt_free(root);
		kfree(vmm);
		return ERR_PTR(ret);
	}
	/* The one read of a table: the shadow starts as firmware left it. */
	nova_pramin_lock(core);
	for (i = 0; i < root->shadow_len; i++)
		root->shadow[i] = nova_pramin_rd64(core, pdb + i * sizeof(u64));
	nova_pramin_unlock(core);
	vmm->root = root;
	vmm->tlb_flags = tlb_flags;
	return vmm;
}

/**
 * nova_vmm_detach() - clear a firmware-made root directory on the GPU
 * @vmm: the address space (BAR1)
 *
 * For nova_core_remove(): from now on the GPU translates nothing through
 * the address space, while its tables stay allocated for the clients
 * that still hold mappings, until nova_vmm_destroy().
 *
 * Context: process context, the GPU still present; may sleep.
 */
void nova_vmm_detach(struct nova_vmm *vmm)
{
	struct nova_core *core = vmm->core;

	if (vmm->own_root)
		return;
	mutex_lock(&vmm->lock);
	mutex_lock(&vmm->pt_lock);
	nova_pramin_lock(core);
	nova_pramin_fill(core, vmm->root->addr, 0, SZ_4K);
	nova_pramin_unlock(core);
	memset(vmm->root->shadow, 0, vmm->root->shadow_len * sizeof(u64));
	mutex_unlock(&vmm->pt_lock);
	nova_tlb_flush(core, vmm->root->addr, vmm->tlb_flags | NOVA_TLB_ACK);
	mutex_unlock(&vmm->lock);
}

/**
 * nova_vmm_destroy() - destroy an address space
 * @vmm: the address space; no operation may be pending
 *
 * Frees every page table. A firmware-made root directory is cleared.
 */
void nova_vmm_destroy(struct nova_vmm *vmm)
{
	struct nova_core *core;
	struct nova_pt *pt;
	unsigned long i;
	LIST_HEAD(list);
	int idx;

	if (!vmm)
		return;
	core = vmm->core;
	WARN_ON(vmm->pending);
	mutex_lock(&vmm->lock);
	/* A GPU that is gone was left alone by nova_core_remove(). */
	if (nova_hw_enter(core, &idx)) {
		if (!vmm->own_root) {
			nova_pramin_lock(core);
			nova_pramin_fill(core, vmm->root->addr, 0, SZ_4K);
			nova_pramin_unlock(core);
		}
		/*
		 * The GPU may still cache translations and PDEs of the address
		 * space: they must go before its tables (and root) are reused.
		 */
		if (!vmm->own_root || vmm->nr_pts > 1 || vmm->mapped ||
		    vmm->null_bytes)
			nova_tlb_flush(core, vmm->root->addr,
				       vmm->tlb_flags | NOVA_TLB_ACK);
		nova_hw_exit(core, idx);
	}
	xa_for_each(&vmm->pts, i, pt) {
		xa_erase(&vmm->pts, i);
		if (pt == vmm->root && !vmm->own_root)
			nova_pt_free(pt);
		else
			list_move(&pt->link, &list);
	}
	list_splice_init(&vmm->dead, &list);
	mutex_unlock(&vmm->lock);
	nova_vmm_free_pts(vmm, &list);
	xa_destroy(&vmm->pts);
	xa_destroy(&vmm->staged);
	mtree_destroy(&vmm->va_mt);
	kfree(vmm);
}
EXPORT_SYMBOL_GPL(nova_vmm_destroy);

/**
 * nova_vmm_pdb() - the page directory base of an address space
 * @vmm: the address space
 *
 * Return: VRAM address of its root directory.
 */
u64 nova_vmm_pdb(const struct nova_vmm *vmm)
{
	return vmm->root->addr;
}
EXPORT_SYMBOL_GPL(nova_vmm_pdb);

/**
 * nova_vmm_set_page_sizes() - restrict the page sizes a VMM maps with
 * @vmm: the address space
 * @page_sizes: bit mask of SZ_4K, SZ_64K, SZ_2M and SZ_512M; sizes the
 *	GPU's page-table format lacks (512 MiB before MMU v3) are ignored,
 *	4 KiB is always used
 *
 * Operations prepared from now on use the new sizes.
 *
 * Context: process context; may sleep.
 */
void nova_vmm_set_page_sizes(struct nova_vmm *vmm, u64 page_sizes)
{
	const struct nova_mmu_fmt *fmt = vmm->fmt;
	u64 small = BIT_ULL(fmt->spt.shift);
	u64 pd0 = BIT_ULL(fmt->pd[NOVA_LVL_PD0(fmt)].shift);

	page_sizes &= nova_mmu_page_sizes(fmt);
	/*
	 * A large page above PD0 (512 MiB) over a table that must stay falls
	 * back to PD0 (2 MiB) pages into it, the only size no new table is
	 * needed for: without those, no larger page either.
	 */
	if (!(page_sizes & pd0))
		page_sizes &= pd0 | (pd0 - 1);
	mutex_lock(&vmm->lock);
	vmm->page_sizes = page_sizes | small;
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(nova_vmm_set_page_sizes);

/**
 * nova_vmm_mapped() - bytes mapped in an address space
 * @vmm: the address space
 *
 * Return: bytes.
 */
u64 nova_vmm_mapped(struct nova_vmm *vmm)
{
	u64 mapped;

	mutex_lock(&vmm->pt_lock);
	mapped = vmm->mapped;
	mutex_unlock(&vmm->pt_lock);
	return mapped;
}
EXPORT_SYMBOL_GPL(nova_vmm_mapped);

/**
 * nova_vmm_null_bytes() - bytes mapped NULL in an address space
 * @vmm: the address space
 *
 * Context: process context; takes nova_vmm.pt_lock.
 * Return: bytes of VA that NULL mappings cover.
 */
u64 nova_vmm_null_bytes(struct nova_vmm *vmm)
{
	u64 n;

	mutex_lock(&vmm->pt_lock);
	n = vmm->null_bytes;
	mutex_unlock(&vmm->pt_lock);
	return n;
}
EXPORT_SYMBOL_GPL(nova_vmm_null_bytes);

/**
 * nova_vmm_pt_bytes() - VRAM used by an address space's page tables
 * @vmm: the address space
 *
 * Return: bytes, the root directory included.
 */
u64 nova_vmm_pt_bytes(struct nova_vmm *vmm)
{
	u64 n;

	mutex_lock(&vmm->lock);
	n = vmm->nr_pts;
	mutex_unlock(&vmm->lock);
	return n * SZ_4K;
}
EXPORT_SYMBOL_GPL(nova_vmm_pt_bytes);

/**
 * nova_vmm_va_alloc() - allocate a free VA range
 * @vmm: the address space
 * @size: bytes, a multiple of 4 KiB
 * @align: alignment, a power of two of at least 4 KiB
 * @va: the range's start
 *
 * Return: 0, -ENOSPC when no range is free, -EINVAL, -ENOMEM.
 */
int nova_vmm_va_alloc(struct nova_vmm *vmm, u64 size, u64 align, u64 *va)
{
	unsigned long start, last, max, n, a;
	int ret;

	if (!size || !IS_ALIGNED(size, SZ_4K) || !is_power_of_2(align) ||
	    align < SZ_4K || size + align < size)
		return -EINVAL;
	/* The tree holds 4 KiB units. */
	n = size >> 12;
	a = align >> 12;
	max = (vmm->va_end >> 12) - 1;
	start = vmm->va_start >> 12;
	mutex_lock(&vmm->lock);
	/*
	 * First fit at the alignment: try the lowest aligned start, and past
	 * each range in the way. Only what is used is allocated, so aligned
	 * ranges leave no hole that the tree believes taken.
	 */
	for (;;) {
		unsigned long next;

		start = round_up(start, a);
		last = start + n - 1;
		if (last < start || last > max) {
			ret = -ENOSPC;
			break;
		}
		/* On a hit, @next becomes the end of that range + 1. */
		next = start;
		if (!mt_find(&vmm->va_mt, &next, last)) {
			ret = mtree_insert_range(&vmm->va_mt, start, last, vmm,
						 GFP_KERNEL);
			break;
		}
		start = next;
	}
	mutex_unlock(&vmm->lock);
	if (ret)
		return ret == -EEXIST ? -ENOSPC : ret;
	*va = (u64)start << 12;
	return 0;
}
EXPORT_SYMBOL_GPL(nova_vmm_va_alloc);

/**
 * nova_vmm_va_free() - free a range from nova_vmm_va_alloc()
 * @vmm: the address space
 * @va: the range's start
 */
void nova_vmm_va_free(struct nova_vmm *vmm, u64 va)
{
	mutex_lock(&vmm->lock);
	WARN_ON(!mtree_erase(&vmm->va_mt, va >> 12));
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(nova_vmm_va_free);

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_vmm_walk_visits() - callbacks the clear walks of a VMM made
 * @vmm: the address space
 *
 * Context: process context; takes nova_vmm.pt_lock.
 * Return: the pre_descend and leaf callbacks of every clear walk so far.
 */
u64 nova_vmm_walk_visits(struct nova_vmm *vmm)
{
	u64 n;

	mutex_lock(&vmm->pt_lock);
	n = vmm->visits;
	mutex_unlock(&vmm->pt_lock);
	return n;
}

/**
 * nova_vmm_walk_shadow() - run the range walker over a VMM's CPU shadow
 * @vmm: the address space
 * @start: first address of the range
 * @end: end of the range
 * @ops: the callbacks; they must not change the tables
 * @priv: passed to them
 *
 * Context: process context; takes nova_vmm.pt_lock.
 * Return: as nova_pt_walk_range().
 */
int nova_vmm_walk_shadow(struct nova_vmm *vmm, u64 start, u64 end,
			 const struct nova_pt_walk_ops *ops, void *priv)
{
	struct nova_walker w;
	int ret;

	mutex_lock(&vmm->pt_lock);
	nova_vmm_walker(vmm, &w, false);
	ret = nova_pt_walk_range(&w, start, end, ops, priv);
	mutex_unlock(&vmm->pt_lock);
	return ret;
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */
