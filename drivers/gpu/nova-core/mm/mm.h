/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core memory management: internal interfaces.
 *
 * Locks of nova-core, outermost first (see Documentation/gpu/nova/locking.rst
 * and Documentation/gpu/nova/mm.rst):
 *   nova_ce.lock -> nova_fault_ring.lock -> nova_vmm.lock -> nova_mm.lock
 *   -> nova_vmm.pt_lock -> nova_pramin.lock -> nova_tlb.lock
 *   -> nova_bar1.lock -> nova_core_list_lock -> nova_chan.stop_lock
 *   -> nova_chans.lock -> nova_chan.lock (spinlocks)
 *
 * The nestings that exist: nova_vmm.lock is held when nova_mm.lock (table
 * allocation and freeing), nova_vmm.pt_lock, nova_pramin.lock and
 * nova_tlb.lock are taken; nova_vmm.pt_lock is held when nova_pramin.lock
 * is taken. nova_mm.lock and nova_tlb.lock are taken with neither
 * nova_vmm.pt_lock nor nova_pramin.lock held. nova_ce.lock (held around
 * the wait for the oldest pushbuffer slot's fence; only nova_chan.lock
 * and the PRAMIN lock of the Turing fallback are taken inside it),
 * nova_fault_ring.lock (only nova_pramin.lock is taken inside it,
 * draining the fault buffer), nova_bar1.lock, nova_core_list_lock and
 * nova_chan.stop_lock (around the firmware's channel_free) nest with no
 * other nova-core mutex (the DRM driver's nova_device.bar1_lock is held
 * around nova_bar1.lock); their place in the list is only one that is
 * consistent with the rest.
 *
 * nova_core.hw_srcu is a read section, not a lock that waits for another
 * reader: nova_hw_enter() is called inside nova_fault_ring.lock (fault
 * draining), before nova_vmm.lock (prepare, create), nova_vmm.pt_lock
 * (execute), and inside nova_ce.lock (scrub), nova_vmm.lock (reclaim on
 * release, destroy) and around nova_chans.lock (the interrupt handler). nova_core_remove() calls
 * synchronize_srcu() holding none of these locks.
 *
 * nova_vmm.pt_lock, nova_pramin.lock and nova_tlb.lock are taken in the
 * DMA-fence signalling path: nothing allocates memory or waits for a
 * fence while holding them. nova_mm.lock and nova_vmm.lock are held
 * around allocations and are never taken in the signalling path.
 * nova_mm.lock is also held around the wait for the kernel channel's scrub
 * fences when VRAM is exhausted (see DOC: VRAM scrubs): their callbacks
 * only queue nova_mm.reap, which takes it in process context.
 */
#ifndef __NOVA_MM_H__
#define __NOVA_MM_H__

#include <linux/gpu_buddy.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct nova_core;

/**
 * struct nova_pramin - the BAR0 window onto VRAM, one per GPU
 * @lock: held while the window is positioned and used (nova_pramin_lock());
 *	taken in the signalling path
 * @base: VRAM address the window shows now; protected by @lock (written
 *	without it only by nova_pramin_init(), before any other user)
 * @reg: BAR0 offset of the window register; set at init, never changes
 * @mask: mask of the register's BASE field; set at init, never changes
 */
struct nova_pramin {
	struct mutex lock; /* the window; in the signalling path */
	u64 base;
	u32 reg;
	u32 mask;
};

/**
 * struct nova_tlb - TLB invalidation state
 * @lock: serialises the invalidate register sequence; taken in the
 *	signalling path, never held around an allocation
 * @flushes: invalidations issued; protected by @lock (nova_tlb_flush()
 *	updates it, nova_core_usage() reads it under @lock)
 */
struct nova_tlb {
	struct mutex lock; /* the invalidate sequence; in the signalling path */
	u64 flushes;
};

/**
 * struct nova_mm - VRAM allocator over the usable FB region
 * @lock: protects @buddy, @used and @pt_used; held around allocations (the
 *	buddy allocator allocates its block structures) and around waits for
 *	scrub fences when VRAM is exhausted, never taken in the signalling
 *	path
 * @buddy: the buddy allocator; offsets are VRAM addresses. Its state is
 *	protected by @lock; the blocks of an allocation belong to its owner,
 *	which reads their offset, size and clear bit without @lock
 * @start: first usable VRAM address; set at init, never changes
 * @end: end of usable VRAM; set at init, never changes
 * @used: bytes allocated, including page tables; protected by @lock (read
 *	without it by nova_mm_fini(), when nothing else uses the allocator)
 * @pt_used: bytes of VRAM in page tables; protected by @lock
 * @reserved: blocks covering [0, @start), never handed out; set at init,
 *	freed by nova_mm_fini()
 * @withheld: blocks of freed allocations whose scrub timed out (the copy
 *	engine may still write them), kept out of the allocator until
 *	nova_mm_fini(); protected by @lock
 * @withheld_size: bytes in @withheld; protected by @lock
 * @scrubs: freed allocations whose scrub is in flight (&nova_vram's
 *	scrub_link), oldest first; their blocks go back to the allocator
 *	when the scrub's fence has signalled (see DOC: VRAM scrubs);
 *	protected by @lock
 * @scrub_size: bytes in @scrubs; protected by @lock
 * @reap: returns the blocks of @scrubs whose fence signalled and
 *	withholds those whose scrub timed out; queued by the fences'
 *	callbacks and as a timeout watchdog; takes @lock; cancelled by
 *	nova_mm_fini()
 */
struct nova_mm {
	struct mutex lock; /* held around allocations */
	struct gpu_buddy buddy;
	u64 start;
	u64 end;
	u64 used;
	u64 pt_used;
	struct list_head reserved;
	struct list_head withheld;
	u64 withheld_size;
	struct list_head scrubs;
	u64 scrub_size;
	struct delayed_work reap;
};

/* Page-table entry flags for nova_mmu_fmt.pte(). */
#define NOVA_PTE_RO		BIT(0)

/**
 * struct nova_pt_level - one level of a page-table format
 * @shift: VA bit of the index's lowest bit
 * @bits: width of the index
 * @entry_size: bytes per entry
 * @large: entries may map a page of 1 << @shift bytes themselves (a PTE
 *	of the format in the entry, or in the big half of a dual PDE)
 */
struct nova_pt_level {
	u8 shift;
	u8 bits;
	u8 entry_size;
	bool large;
};

#define NOVA_PT_MAX_PD		5

/**
 * struct nova_mmu_fmt - a GPU MMU page-table format (v2 or v3)
 * @version: 2 or 3
 * @va_bits: width of a virtual address
 * @nr_pd: page-directory levels, the root first and PD0 (dual PDEs) last
 * @pd: the page-directory levels
 * @spt: the small-page (4 KiB) table
 * @lpt: the big-page (64 KiB) table
 * @dual_big: byte offset of the big half within a PD0 (dual PDE) entry;
 *	a large page of PD0 is written there too
 * @dual_small: byte offset of the small half within a PD0 entry
 * @pde: encode a PDE pointing at a table at VRAM address @pa
 * @pde_decode: the table a PDE points at, or 0 when not present
 * @pde_is_pte: a PD entry that maps a large page itself
 * @dual_pde: encode a dual PDE for a big table at @big and a small one at
 *	@small (0: absent) into @out[0] (big half) and @out[1] (small half)
 * @dual_pde_decode: the reverse of @dual_pde
 * @pte: encode a valid PTE (any page size) for VRAM at @pa with NOVA_PTE_*
 * @pte_decode: VRAM address and flags of a PTE; false if not valid
 * @sparse_pde: a sparse entry of a directory above PD0 (no table below)
 * @sparse_dual: the big half of a sparse PD0 entry (the small half is 0)
 * @sparse_pte: a sparse PTE of a big- or small-page table
 */
struct nova_mmu_fmt {
	u32 version;
	u32 va_bits;
	u32 nr_pd;
	struct nova_pt_level pd[NOVA_PT_MAX_PD];
	struct nova_pt_level spt;
	struct nova_pt_level lpt;
	u8 dual_big;
	u8 dual_small;
	u64 (*pde)(u64 pa);
	u64 (*pde_decode)(u64 pde);
	bool (*pde_is_pte)(u64 pde);
	void (*dual_pde)(u64 big, u64 small, u64 out[2]);
	void (*dual_pde_decode)(const u64 in[2], u64 *big, u64 *small);
	u64 (*pte)(u64 pa, u32 flags);
	bool (*pte_decode)(u64 pte, u64 *pa, u32 *flags);
	u64 sparse_pde;
	u64 sparse_dual;
	u64 sparse_pte;
};

/* The sparse entry of a table at @level (see NOVA_LVL_*) of @fmt. */
static inline u64 nova_fmt_sparse(const struct nova_mmu_fmt *fmt, u32 level)
{
	if (level < fmt->nr_pd - 1)
		return fmt->sparse_pde;
	if (level == fmt->nr_pd - 1)
		return fmt->sparse_dual;
	return fmt->sparse_pte;
}

extern const struct nova_mmu_fmt nova_mmu_v2;
extern const struct nova_mmu_fmt nova_mmu_v3;

u64 nova_mmu_page_sizes(const struct nova_mmu_fmt *fmt);
const struct nova_mmu_fmt *nova_mmu_fmt_get(u32 version);

static inline u32 nova_pt_index(const struct nova_pt_level *l, u64 va)
{
	return (va >> l->shift) & ((1u << l->bits) - 1);
}

/* VRAM address of the entry for @va in the table at @table of level @l. */
static inline u64 nova_pt_entry_addr(const struct nova_pt_level *l, u64 table,
				     u64 va)
{
	return table + (u64)nova_pt_index(l, va) * l->entry_size;
}

/* mm.c */
int nova_mm_init(struct nova_core *core);
void nova_mm_fini(struct nova_core *core);
int nova_vram_alloc_locked(struct nova_core *core, u64 size, u64 min_block,
			   unsigned long flags, struct list_head *blocks);
void nova_vram_free_locked(struct nova_core *core, struct list_head *blocks);
void nova_mm_scrub_wait(struct nova_core *core);

/* pramin.c */
void nova_pramin_init(struct nova_core *core);
void nova_pramin_lock(struct nova_core *core);
void nova_pramin_unlock(struct nova_core *core);
u32 nova_pramin_rd32(struct nova_core *core, u64 addr);
void nova_pramin_wr32(struct nova_core *core, u64 addr, u32 val);
u64 nova_pramin_rd64(struct nova_core *core, u64 addr);
void nova_pramin_fill(struct nova_core *core, u64 addr, u32 val, u64 len);
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */
void nova_pramin_wr64(struct nova_core *core, u64 addr, u64 val);
void nova_pramin_write(struct nova_core *core, u64 addr, const void *buf,
		       size_t len);
void nova_pramin_read(struct nova_core *core, u64 addr, void *buf, size_t len);
#endif

/* tlb.c */
#define NOVA_TLB_HUB_ONLY	BIT(0)
#define NOVA_TLB_ACK		BIT(1)
void nova_tlb_init(struct nova_core *core);
int nova_tlb_flush(struct nova_core *core, u64 pdb, u32 flags);

/* walk.c */

/*
 * Levels are numbered from the root: 0 .. fmt->nr_pd - 1 are page
 * directories (the last is PD0 with its dual PDEs), NOVA_LVL_SPT(fmt) is
 * the small-page table and NOVA_LVL_LPT(fmt) the big-page table under a
 * PD0 entry.
 */
#define NOVA_LVL_PD0(fmt)	((fmt)->nr_pd - 1)
#define NOVA_LVL_SPT(fmt)	((fmt)->nr_pd)
#define NOVA_LVL_LPT(fmt)	((fmt)->nr_pd + 1)

/* The descriptor of the tables at @level. */
static inline const struct nova_pt_level *
nova_fmt_level(const struct nova_mmu_fmt *fmt, u32 level)
{
	if (level == NOVA_LVL_SPT(fmt))
		return &fmt->spt;
	if (level == NOVA_LVL_LPT(fmt))
		return &fmt->lpt;
	return &fmt->pd[level];
}

/*
 * VRAM address of the half of the PD0 entry for @va in the PD0 table at
 * @table that points at the table of level @child (NOVA_LVL_SPT: the small
 * half; else the big half, which also holds a large page of PD0).
 */
static inline u64 nova_pt_dual_addr(const struct nova_mmu_fmt *fmt, u64 table,
				    u64 va, u32 child)
{
	return nova_pt_entry_addr(&fmt->pd[NOVA_LVL_PD0(fmt)], table, va) +
	       (child == NOVA_LVL_SPT(fmt) ? fmt->dual_small : fmt->dual_big);
}

/**
 * struct nova_walker - how to walk one address space
 * @core: the GPU
 * @fmt: the page-table format
 * @pdb: VRAM address of the root page directory
 * @resolve: for a missing PDE at @install_addr (or a large page there,
 *	above PD0), the VRAM address of a prepared but not yet installed
 *	table that will go there, or 0
 * @read: the entry at VRAM address @addr as last written; NULL to read it
 *	from VRAM through PRAMIN (what the GPU sees)
 * @data: passed to @resolve and @read
 */
struct nova_walker {
	struct nova_core *core;
	const struct nova_mmu_fmt *fmt;
	u64 pdb;
	u64 (*resolve)(void *data, u64 install_addr);
	u64 (*read)(void *data, u64 addr);
	void *data;
};

enum nova_walk_status {
	NOVA_WALK_OK,		/* reached the table at the target level */
	NOVA_WALK_MISSING,	/* a table on the way is missing */
	NOVA_WALK_LARGE,	/* a large page covers the address */
};

/**
 * struct nova_walk_result - where a walk stopped
 * @status: see &enum nova_walk_status
 * @table: OK: VRAM address of the table at the target level
 * @install_addr: MISSING: VRAM address of the PDE that must point at the
 *	missing table; LARGE: address of the large PTE
 * @level: MISSING: level of the missing table; LARGE: level of the PD
 *	whose entry maps the large page
 */
struct nova_walk_result {
	enum nova_walk_status status;
	u64 table;
	u64 install_addr;
	u32 level;
};

int nova_walk_pd(const struct nova_walker *w, u64 va, u32 target,
		 struct nova_walk_result *res);
u64 nova_walk_install_addr(const struct nova_mmu_fmt *fmt, u64 parent_table,
			   u32 level, u64 va);

/**
 * enum nova_pt_walk_action - what a range walk does after a callback
 * @NOVA_PT_WALK_CONTINUE: go on (into the table, for @pre_descend)
 * @NOVA_PT_WALK_SKIP: (@pre_descend) do not visit the table's entries
 * @NOVA_PT_WALK_AGAIN: (@leaf of a directory level) the callback replaced
 *	the large page by a table: look at the entry again
 */
enum nova_pt_walk_action {
	NOVA_PT_WALK_CONTINUE,
	NOVA_PT_WALK_SKIP,
	NOVA_PT_WALK_AGAIN,
};

/**
 * struct nova_pt_walk_entry - an entry visited by nova_pt_walk_range()
 * @level: level of the table holding the entry (see NOVA_LVL_*)
 * @addr: VRAM address of the entry; for a PD0 entry, of the half that
 *	points at @child (a 2 MiB page: the big half)
 * @val: the entry (that half) as read
 * @child: the table the entry points at; 0 for a leaf
 * @child_level: level of @child
 * @base: first address the entry spans (aligned to its span)
 * @size: bytes the entry spans: for a leaf, its page size
 * @start: first address of the walk's range inside the entry's span
 * @end: end of the walk's range inside the entry's span
 */
struct nova_pt_walk_entry {
	u32 level;
	u64 addr;
	u64 val;
	u64 child;
	u32 child_level;
	u64 base;
	u64 size;
	u64 start;
	u64 end;
};

/**
 * struct nova_pt_walk_ops - callbacks of nova_pt_walk_range()
 * @pre_descend: an entry that points at a table, before the walk visits
 *	the table's entries; optional. Returns NOVA_PT_WALK_CONTINUE,
 *	NOVA_PT_WALK_SKIP or a negative errno
 * @leaf: a non-zero entry that maps a page: a PTE of a small- or big-page
 *	table, or a large page of a directory level. Returns
 *	NOVA_PT_WALK_CONTINUE, NOVA_PT_WALK_AGAIN (directory levels only) or
 *	a negative errno
 * @post_ascend: an entry that points at a table, after the walk visited
 *	the table's entries (or skipped them); optional. Returns
 *	NOVA_PT_WALK_CONTINUE or a negative errno
 */
struct nova_pt_walk_ops {
	int (*pre_descend)(void *priv, const struct nova_pt_walk_entry *e);
	int (*leaf)(void *priv, const struct nova_pt_walk_entry *e);
	int (*post_ascend)(void *priv, const struct nova_pt_walk_entry *e);
};

int nova_pt_walk_range(const struct nova_walker *w, u64 start, u64 end,
		       const struct nova_pt_walk_ops *ops, void *priv);

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */

/**
 * struct nova_walk_pte - a leaf mapping found by nova_walk_to_pte()
 * @pte_addr: VRAM address of the PTE (or large PDE entry)
 * @pte: its value
 * @page_size: bytes the entry maps
 * @pa: VRAM address mapped (when @valid)
 * @flags: NOVA_PTE_* (when @valid)
 * @valid: the entry maps @va
 */
struct nova_walk_pte {
	u64 pte_addr;
	u64 pte;
	u64 page_size;
	u64 pa;
	u32 flags;
	bool valid;
};

int nova_walk_to_pte(const struct nova_walker *w, u64 va,
		     struct nova_walk_pte *out);
#endif

/* vmm.c */
struct nova_vmm *nova_vmm_create_at(struct nova_core *core, u64 pdb,
				    u64 va_end, u32 tlb_flags);
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */
u64 nova_vmm_walk_visits(struct nova_vmm *vmm);
int nova_vmm_walk_shadow(struct nova_vmm *vmm, u64 start, u64 end,
			 const struct nova_pt_walk_ops *ops, void *priv);
#endif

/* bar1.c */

/**
 * struct nova_bar1 - the BAR1 address space of a GPU
 * @vmm: its VMM, over the firmware's root directory; set by
 *	nova_bar1_init(), never changes until nova_bar1_fini() (its own
 *	locks protect what is inside)
 * @lock: protects @used; taken with no other nova-core lock held (the DRM
 *	driver's nova_device.bar1_lock may be held), never in the signalling
 *	path
 * @used: bytes mapped; protected by @lock (read without it by
 *	nova_bar1_fini(), when nothing is mapped any more)
 */
struct nova_bar1 {
	struct nova_vmm *vmm;
	struct mutex lock; /* protects @used */
	u64 used;
};

int nova_bar1_init(struct nova_core *core);
void nova_bar1_fini(struct nova_core *core);
void nova_vmm_detach(struct nova_vmm *vmm);
#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/* For the KUnit tests only. */
int nova_bar1_rw(struct nova_core *core, u64 offset, void *buf, size_t len,
		 bool write);
#endif

#endif /* __NOVA_MM_H__ */
