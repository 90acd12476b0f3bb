// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table walker: follows the PDEs of an address space from the root
 * towards a table or a PTE. The VMM walks its CPU shadow of the tables
 * (&nova_walker.read); without that hook the walk reads VRAM through
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
