// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table walkers: nova_walk_pd() follows the PDEs of an address space
 * from the root towards one table or PTE; nova_pt_walk_range() visits
 * everything present in a range, with callbacks per level (see the DOC
 * section below). The VMM walks its CPU shadow of the tables
 * (&nova_walker.read); without that hook the walks read VRAM through
 * PRAMIN, as the GPU would, and the caller holds the PRAMIN lock.
 *
 * A hook resolves PDEs that are not installed yet but whose table has
 * been prepared (the prepare phase of a mapping allocates tables that the
 * execute phase installs), so that preparing several mappings before
 * executing any of them allocates each table once. Above PD0 the hook
 * also resolves a large page for which a table has been prepared: the
 * table that will replace the page when execute splits it.
 */
#include "../nova_core.h"

static u64 nova_walk_rd64(const struct nova_walker *w, u64 addr)
{
	if (w->read)
		return w->read(w->data, addr);
	return nova_pramin_rd64(w->core, addr);
}

/**
 * nova_walk_install_addr() - where the PDE of a table lives
 * @fmt: page-table format
 * @parent_table: VRAM address of the parent table
 * @level: level of the child table
 * @va: an address the child table covers
 *
 * Return: VRAM address of the PDE (for a dual PDE, of its half).
 */
u64 nova_walk_install_addr(const struct nova_mmu_fmt *fmt, u64 parent_table,
			   u32 level, u64 va)
{
	if (level >= fmt->nr_pd)
		return nova_pt_dual_addr(fmt, parent_table, va, level);
	return nova_pt_entry_addr(&fmt->pd[level - 1], parent_table, va);
}

/**
 * nova_walk_pd() - walk the page directories towards a table
 * @w: the walker
 * @va: the virtual address
 * @target: level of the table wanted (1 .. NOVA_LVL_LPT(fmt))
 * @res: where the walk stopped
 *
 * Return: 0, or a negative errno on a malformed page table.
 */
int nova_walk_pd(const struct nova_walker *w, u64 va, u32 target,
		 struct nova_walk_result *res)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	u64 table = w->pdb;
	u32 level;

	for (level = 1; level <= NOVA_LVL_PD0(fmt) + 1; level++) {
		u32 child = level <= NOVA_LVL_PD0(fmt) ? level : target;
		u32 parent = level - 1;
		u64 install = nova_walk_install_addr(fmt, table, child, va);
		u64 next;

		if (parent == NOVA_LVL_PD0(fmt)) {
			u64 big_addr = nova_pt_dual_addr(fmt, table, va, NOVA_LVL_LPT(fmt));
			u64 small_addr = nova_pt_dual_addr(fmt, table, va, NOVA_LVL_SPT(fmt));
			u64 e[2];

			e[0] = nova_walk_rd64(w, big_addr);
			e[1] = nova_walk_rd64(w, small_addr);
			if (fmt->pde_is_pte(e[0])) {
				res->status = NOVA_WALK_LARGE;
				res->install_addr = big_addr;
				res->level = parent;
				return 0;
			}
			if (child == NOVA_LVL_SPT(fmt)) {
				u64 big;

				fmt->dual_pde_decode(e, &big, &next);
				install = small_addr;
			} else {
				u64 small;

				fmt->dual_pde_decode(e, &next, &small);
			}
		} else {
			u64 e = nova_walk_rd64(w, install);

			if (fmt->pd[parent].large && fmt->pde_is_pte(e)) {
				/* A table prepared to split the page takes its place. */
				next = w->resolve ? w->resolve(w->data, install) : 0;
				if (!next) {
					res->status = NOVA_WALK_LARGE;
					res->install_addr = install;
					res->level = parent;
					return 0;
				}
			} else {
				next = fmt->pde_decode(e);
			}
		}
		if (!next && w->resolve)
			next = w->resolve(w->data, install);
		if (!next) {
			res->status = NOVA_WALK_MISSING;
			res->install_addr = install;
			res->level = child;
			return 0;
		}
		table = next;
		if (child == target) {
			res->status = NOVA_WALK_OK;
			res->table = table;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * DOC: Range walker
 *
 * nova_pt_walk_range() visits what an address space maps in a range
 * [start, end), depth first and in address order, and calls back for
 * each entry on the way, in the manner of xe's page-table walker:
 *
 * - @pre_descend for an entry that points at a table, before the walk
 *   goes into the table (the callback may skip it);
 * - @leaf for a non-zero entry that maps a page: a PTE of a small- or
 *   big-page table, or a large page of a directory level (2 MiB in PD0;
 *   512 MiB in the v3 PD1); a sparse directory entry (a NULL mapping of
 *   its whole span, &nova_mmu_fmt.sparse_pde; in PD0 the big half,
 *   &nova_mmu_fmt.sparse_dual) is handed to @leaf like a large page, at
 *   any directory level;
 * - @post_ascend for the same entry as @pre_descend, once the walk is
 *   back from the table.
 *
 * The geometry of every level (the span and the size of an entry, which
 * levels map large pages, where the halves of a dual PDE are) comes from
 * the format descriptor, &struct nova_mmu_fmt; the walker has no size of
 * its own. Each callback is told the entry's VRAM address and value, its
 * span and the part of the range inside that span (&struct
 * nova_pt_walk_entry).
 *
 * A directory entry that is absent (no table, no large page) is skipped
 * with the whole span it covers, and so is a zero PTE: the callbacks run
 * for what exists in the range only, and a walk over a mostly empty range
 * costs what is mapped there, not the range's size. Reading the entries
 * still looks at every entry of the range in each table it enters, at
 * most one table's worth per table.
 *
 * Callbacks may change the tables as the walk goes: the walker reads an
 * entry when it gets to it, and reads the halves of a PD0 entry again
 * after the big-page table under it was walked, so a small-page table
 * that a callback installed there (splitting a big page) is walked too.
 * A @leaf callback on a directory level that replaces the large page by
 * a table returns NOVA_PT_WALK_AGAIN, and the walk goes into that table.
 * Tables must not be freed while a walk runs: callbacks only unlink them,
 * the VMM frees them later (see Documentation/gpu/nova/mm.rst).
 *
 * The walker reads entries through &nova_walker.read (the VMM's CPU
 * shadow of its tables) or, without it, through PRAMIN; it allocates
 * nothing, takes no lock and does not sleep, so the DMA-fence signalling
 * path may walk, provided its callbacks neither allocate nor wait for a
 * fence either (the VMM's call cond_resched(), which is allowed there).
 */

static int nova_pt_walk_table(const struct nova_walker *w,
			      const struct nova_pt_walk_ops *ops, void *priv,
			      u32 level, u64 table, u64 start, u64 end);

/* Call @ops->leaf; the result as the walk takes it: < 0, 0 or AGAIN. */
static int nova_pt_walk_leaf(const struct nova_pt_walk_ops *ops, void *priv,
			     const struct nova_pt_walk_entry *e)
{
	int ret = ops->leaf(priv, e);

	if (ret < 0 || ret == NOVA_PT_WALK_AGAIN)
		return ret;
	return 0;
}

/* Visit the table @e points at: pre_descend, its entries, post_ascend. */
static int nova_pt_walk_child(const struct nova_walker *w,
			      const struct nova_pt_walk_ops *ops, void *priv,
			      const struct nova_pt_walk_entry *e)
{
	int ret = NOVA_PT_WALK_CONTINUE;

	if (ops->pre_descend) {
		ret = ops->pre_descend(priv, e);
		if (ret < 0)
			return ret;
	}
	if (ret != NOVA_PT_WALK_SKIP) {
		ret = nova_pt_walk_table(w, ops, priv, e->child_level, e->child,
					 e->start, e->end);
		if (ret)
			return ret;
	}
	if (ops->post_ascend) {
		ret = ops->post_ascend(priv, e);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Read the entry at @e->addr; when it maps a large page or is sparse, hand
 * it to the leaf callback (*@page true, its result returned). A callback that
 * puts a table in the page's place (NOVA_PT_WALK_AGAIN) has the entry
 * read again, once. Otherwise *@page is false and @e->val holds the entry.
 */
static int nova_pt_walk_large(const struct nova_walker *w,
			      const struct nova_pt_walk_ops *ops, void *priv,
			      struct nova_pt_walk_entry *e, bool *page)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	bool again = false;
	int ret;

	*page = true;
	for (;;) {
		e->val = nova_walk_rd64(w, e->addr);
		e->child = 0;
		if (e->val != nova_fmt_sparse(fmt, e->level) &&
		    (!fmt->pd[e->level].large || !fmt->pde_is_pte(e->val)))
			break;
		ret = nova_pt_walk_leaf(ops, priv, e);
		if (ret != NOVA_PT_WALK_AGAIN)
			return ret;
		/* The callback put a table in the page's place, once. */
		if (WARN_ON_ONCE(again))
			return -EIO;
		again = true;
	}
	*page = false;
	return 0;
}

/* An entry of a directory above PD0, at @e->addr. */
static int nova_pt_walk_pde(const struct nova_walker *w,
			    const struct nova_pt_walk_ops *ops, void *priv,
			    struct nova_pt_walk_entry *e)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	bool page;
	int ret;

	ret = nova_pt_walk_large(w, ops, priv, e, &page);
	if (page)
		return ret;
	e->child = fmt->pde_decode(e->val);
	if (!e->child)
		return 0;
	e->child_level = e->level + 1;
	return nova_pt_walk_child(w, ops, priv, e);
}

/* A PD0 entry of the table at @table: a 2 MiB page, or up to two tables. */
static int nova_pt_walk_dual(const struct nova_walker *w,
			     const struct nova_pt_walk_ops *ops, void *priv,
			     u64 table, struct nova_pt_walk_entry *e)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	u64 big_addr = nova_pt_dual_addr(fmt, table, e->start, NOVA_LVL_LPT(fmt));
	u64 small_addr = nova_pt_dual_addr(fmt, table, e->start, NOVA_LVL_SPT(fmt));
	u64 v[2], big, small;
	bool page;
	int ret;

	e->addr = big_addr;
	ret = nova_pt_walk_large(w, ops, priv, e, &page);
	if (page)
		return ret;
	v[0] = e->val;
	v[1] = nova_walk_rd64(w, small_addr);
	fmt->dual_pde_decode(v, &big, &small);
	if (big) {
		e->child = big;
		e->child_level = NOVA_LVL_LPT(fmt);
		ret = nova_pt_walk_child(w, ops, priv, e);
		if (ret)
			return ret;
		/* Splitting big pages may have installed the small table. */
		v[0] = nova_walk_rd64(w, big_addr);
		v[1] = nova_walk_rd64(w, small_addr);
		fmt->dual_pde_decode(v, &big, &small);
	}
	if (!small)
		return 0;
	e->addr = small_addr;
	e->val = v[1];
	e->child = small;
	e->child_level = NOVA_LVL_SPT(fmt);
	return nova_pt_walk_child(w, ops, priv, e);
}

/* The entries of the table at @table of @level inside [@start, @end). */
static int nova_pt_walk_table(const struct nova_walker *w,
			      const struct nova_pt_walk_ops *ops, void *priv,
			      u32 level, u64 table, u64 start, u64 end)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	const struct nova_pt_level *l = nova_fmt_level(fmt, level);
	u64 size = BIT_ULL(l->shift);
	u64 va = start;
	int ret;

	while (va < end) {
		struct nova_pt_walk_entry e = {
			.level = level,
			.base = round_down(va, size),
			.size = size,
			.start = va,
		};

		e.end = min(e.base + size, end);
		if (level == NOVA_LVL_PD0(fmt)) {
			ret = nova_pt_walk_dual(w, ops, priv, table, &e);
		} else if (level < NOVA_LVL_PD0(fmt)) {
			e.addr = nova_pt_entry_addr(l, table, va);
			ret = nova_pt_walk_pde(w, ops, priv, &e);
		} else {
			e.addr = nova_pt_entry_addr(l, table, va);
			e.val = nova_walk_rd64(w, e.addr);
			ret = e.val ? nova_pt_walk_leaf(ops, priv, &e) : 0;
			/* A PTE has no table to go into. */
			if (WARN_ON_ONCE(ret == NOVA_PT_WALK_AGAIN))
				ret = -EINVAL;
		}
		if (ret)
			return ret;
		va = e.end;
	}
	return 0;
}

/**
 * nova_pt_walk_range() - visit what an address space maps in a range
 * @w: the address space: format, root directory and how to read entries
 *	(&nova_walker.resolve is not used)
 * @start: first address of the range
 * @end: end of the range, at most 2^va_bits
 * @ops: the callbacks; @ops->leaf is required
 * @priv: passed to the callbacks
 *
 * Walks [@start, @end) from the root as described in the DOC section
 * "Range walker" of walk.c: present entries only, in address order, with
 * @ops->pre_descend and @ops->post_ascend around each table and
 * @ops->leaf for each page. The first callback that returns a negative
 * errno ends the walk.
 *
 * Context: any context in which the callbacks may run; the walker itself
 * neither allocates nor sleeps. The caller keeps the tables from being
 * freed or changed by others during the walk (the VMM: nova_vmm.pt_lock).
 * Return: 0, the first negative errno a callback returned, -EINVAL for a
 * range beyond the format's VA space or a PTE callback that asked to
 * walk again, -EIO for a large page still in place after its callback
 * asked to walk it again.
 */
int nova_pt_walk_range(const struct nova_walker *w, u64 start, u64 end,
		       const struct nova_pt_walk_ops *ops, void *priv)
{
	if (end > BIT_ULL(w->fmt->va_bits))
		return -EINVAL;
	if (start >= end)
		return 0;
	return nova_pt_walk_table(w, ops, priv, 0, w->pdb, start, end);
}

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_walk_to_pte() - find the entry that maps a virtual address
 * @w: the walker
 * @va: the virtual address
 * @out: the entry; @out->valid is false when nothing maps @va
 *
 * Looks, like the GPU, at a large page first, then at the big-page table
 * (a zero big-page entry defers to the small-page table).
 *
 * Return: 0, or -ENOENT when no table covers @va.
 */
int nova_walk_to_pte(const struct nova_walker *w, u64 va,
		     struct nova_walk_pte *out)
{
	const struct nova_mmu_fmt *fmt = w->fmt;
	struct nova_walk_result res;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = nova_walk_pd(w, va, NOVA_LVL_LPT(fmt), &res);
	if (ret)
		return ret;
	if (res.status == NOVA_WALK_LARGE) {
		out->pte_addr = res.install_addr;
		out->page_size = 1ull << fmt->pd[res.level].shift;
		goto decode;
	}
	if (res.status == NOVA_WALK_OK) {
		out->pte_addr = nova_pt_entry_addr(&fmt->lpt, res.table, va);
		out->pte = nova_pramin_rd64(w->core, out->pte_addr);
		out->page_size = 1ull << fmt->lpt.shift;
		if (out->pte)
			goto decode_read;
	}
	ret = nova_walk_pd(w, va, NOVA_LVL_SPT(fmt), &res);
	if (ret)
		return ret;
	if (res.status != NOVA_WALK_OK)
		return -ENOENT;
	out->pte_addr = nova_pt_entry_addr(&fmt->spt, res.table, va);
	out->page_size = 1ull << fmt->spt.shift;
decode:
	out->pte = nova_pramin_rd64(w->core, out->pte_addr);
decode_read:
	out->valid = fmt->pte_decode(out->pte, &out->pa, &out->flags);
	if (out->valid)
		out->pa += va & (out->page_size - 1);
	return 0;
}
#endif /* CONFIG_NOVA_CORE_KUNIT_TEST */
