// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim GPU MMU: page-table walker for formats v2 and v3, two TLBs
 * (GPC for the engines, HUB for BAR1), the engine access path and BAR1.
 *
 * Formats: reference "Page-table layouts", "MMU v2 fields", "MMU v3
 * fields" (from open-gpu-kernel-modules dev_mmu.h and nouveau
 * vmmgp100.c/vmmgh100.c). All entries are little-endian 64-bit words.
 */

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/nova/regs.h>
#include <linux/string.h>

#include "sim.h"

#define NSIM_SHIFT_4K		12
#define NSIM_SHIFT_64K		16
#define NSIM_SHIFT_2M		21
#define NSIM_SHIFT_512M		29

/* v2 PDE bit 0 is 0 in a PDE; set, the entry is a PTE (nouveau gp100). */
#define NSIM_V2_PDE_IS_PTE	BIT_ULL(0)

/*
 * Address fields, turned into byte addresses:
 * v2 PTE/PDE ADDRESS_VID 32:8 holds phys >> 12: phys = field << 12;
 * v2 dual PDE big half, address 32:4 holds phys >> 8;
 * v3 PTE/PDE ADDRESS 51:12 holds phys >> 12, i.e. phys = word & mask;
 * v3 dual PDE big half, address 51:8 holds phys >> 8.
 */
static u64 nsim_v2_addr(u64 e)
{
	return FIELD_GET(NV_MMU_VER2_PDE_ADDRESS_VID, e) << 12;
}

static u64 nsim_v2_big_addr(u64 e)
{
	return FIELD_GET(NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG, e) << 8;
}

static u64 nsim_v3_addr(u64 e)
{
	return e & NV_MMU_VER3_PDE_ADDRESS;
}

static u64 nsim_v3_big_addr(u64 e)
{
	return e & NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG;
}

/* A level of page directory: VA bits [shift + bits - 1 : shift]. */
struct nsim_level {
	u8 shift;
	u8 bits;
};

static const struct nsim_level nsim_v2_levels[] = {
	{ 47, 2 }, { 38, 9 }, { 29, 9 },
};

static const struct nsim_level nsim_v3_levels[] = {
	{ 56, 1 }, { 47, 9 }, { 38, 9 }, { 29, 9 },
};

static void nsim_fault(struct nsim_xlate *x, u32 reason)
{
	x->reason = reason;
}

/*
 * A sparse entry covering 1 << @shift bytes: a mapping state, not a fault.
 * What an access does with it depends on the path (nsim_xlate_locked()).
 */
static void nsim_sparse(struct nsim_xlate *x, u64 va, unsigned int shift)
{
	x->sparse = true;
	x->reason = 0;
	x->shift = shift;
	x->va_base = va & ~(BIT_ULL(shift) - 1);
}

static bool nsim_in_vram(struct nsim *sim, u64 addr, u64 len)
{
	return addr < sim->vram_size && len <= sim->vram_size - addr;
}

/* Read entry @idx of size @size of the table at @table, or fault. */
static bool nsim_read_entry(struct nsim *sim, u64 table, u64 idx,
			    unsigned int size, u64 *lo, u64 *hi,
			    struct nsim_xlate *x)
{
	u64 addr = table + idx * size;

	if (!nsim_in_vram(sim, addr, size)) {
		nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
		return false;
	}
	*lo = nsim_vram_rd64(sim, addr);
	if (hi)
		*hi = nsim_vram_rd64(sim, addr + 8);

	return true;
}

/*
 * A valid PTE @pte mapping a page of 1 << @shift bytes. Aperture must be
 * VIDEO (0 in a PTE, both formats). Address bits below the page size are
 * ignored, as the hardware does.
 */
static void nsim_leaf(struct nsim *sim, u64 pte, u64 va, unsigned int shift,
		      struct nsim_xlate *x)
{
	u64 size = BIT_ULL(shift);
	bool v3 = sim->chip->mmu_ver == 3;
	u64 pa;

	if (FIELD_GET(NV_MMU_VER2_PTE_APERTURE, pte) != NV_MMU_APERTURE_VIDEO) {
		nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
		return;
	}
	if (v3) {
		pa = nsim_v3_addr(pte);
		x->ro = FIELD_GET(NV_MMU_VER3_PTE_PCF, pte) &
			NV_MMU_VER3_PTE_PCF_READ_ONLY;
	} else {
		pa = nsim_v2_addr(pte);
		x->ro = pte & NV_MMU_VER2_PTE_READ_ONLY;
	}
	pa &= ~(size - 1);
	if (!nsim_in_vram(sim, pa, size)) {
		nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
		return;
	}
	x->pa_base = pa;
	x->va_base = va & ~(size - 1);
	x->shift = shift;
	x->reason = 0;
}

/*
 * An invalid PTE (VALID 0) at a page table: sparse or a PTE fault.
 * v2: sparse = VOL; v3: PCF SPARSE (reference, "Sparse / invalid
 * encodings").
 */
static void nsim_invalid_pte(struct nsim *sim, u64 pte, u64 va,
			     unsigned int shift, struct nsim_xlate *x)
{
	bool sparse;

	if (sim->chip->mmu_ver == 3)
		sparse = FIELD_GET(NV_MMU_VER3_PTE_PCF, pte) ==
			 NV_MMU_VER3_PTE_PCF_SPARSE;
	else
		sparse = pte & NV_MMU_VER2_PTE_VOL;
	if (sparse)
		nsim_sparse(x, va, shift);
	else
		nsim_fault(x, NOVA_FAULT_REASON_PTE);
}

/*
 * Whether an invalid big-page PTE hands its range to the small PTEs.
 * nouveau (nvkm_vmm_ref_sptes/unref_sptes) and the reference: an
 * *unmapped* big PTE (all of VALID, VOL, PRIV clear on v2; PCF INVALID on
 * v3) lets the MMU look at the small PTEs; the "invalid" encoding (v2
 * VALID 0 + PRIV 1, v3 PCF NO_VALID_4KB_PAGE) tells it there is no valid
 * small PTE ("ignore the corresponding small PTEs"), and a sparse big PTE
 * makes the range sparse. MAPPING_NOWHERE and other values fault.
 */
static bool nsim_big_pte_defers(struct nsim *sim, u64 pte)
{
	if (sim->chip->mmu_ver == 3)
		return FIELD_GET(NV_MMU_VER3_PTE_PCF, pte) ==
		       NV_MMU_VER3_PTE_PCF_INVALID;

	return !(pte & (NV_MMU_VER2_PTE_VOL | NV_MMU_VER2_PTE_PRIVILEGE));
}

static bool nsim_big_pte_blocks(struct nsim *sim, u64 pte)
{
	if (sim->chip->mmu_ver == 3)
		return FIELD_GET(NV_MMU_VER3_PTE_PCF, pte) !=
		       NV_MMU_VER3_PTE_PCF_SPARSE;

	return !(pte & NV_MMU_VER2_PTE_VOL);
}

/* PDE aperture (bits 2:1 in both formats and in both dual PDE halves). */
static unsigned int nsim_pde_aperture(u64 e)
{
	return FIELD_GET(NV_MMU_VER2_PDE_APERTURE, e);
}

/* Sparse PDE: aperture INVALID and v2 VOL / v3 PCF bit 0 (SPARSE). */
static bool nsim_pde_sparse(struct nsim *sim, u64 e)
{
	if (sim->chip->mmu_ver == 3)
		return FIELD_GET(NV_MMU_VER3_PDE_PCF, e) &
		       NV_MMU_VER3_PDE_PCF_SPARSE;

	return e & NV_MMU_VER2_PDE_VOL;
}

/* PD0: the dual PDE (16 bytes, VA[28:21]), then the big or small PT. */
static void nsim_walk_pd0(struct nsim *sim, u64 table, u64 va,
			  struct nsim_xlate *x)
{
	bool v3 = sim->chip->mmu_ver == 3;
	unsigned int big_ap, small_ap;
	u64 lo, hi, pt, pte;

	if (!nsim_read_entry(sim, table, (va >> NSIM_SHIFT_2M) & 0xff,
			     NV_MMU_DUAL_PDE_SIZE, &lo, &hi, x))
		return;

	/*
	 * Bit 0 of the big half: v2 PTE VALID (a PDE writes 0), v3 IS_PTE.
	 * Either way the low word is a 2 MiB PTE.
	 */
	if (lo & NV_MMU_VER3_PDE_IS_PTE) {
		nsim_leaf(sim, lo, va, NSIM_SHIFT_2M, x);
		return;
	}

	big_ap = nsim_pde_aperture(lo);
	small_ap = nsim_pde_aperture(hi);
	if (big_ap == NV_MMU_APERTURE_INVALID &&
	    small_ap == NV_MMU_APERTURE_INVALID) {
		if (nsim_pde_sparse(sim, lo))
			nsim_sparse(x, va, NSIM_SHIFT_2M);
		else
			nsim_fault(x, NOVA_FAULT_REASON_PDE);
		return;
	}

	/* With both halves present the big-page table is consulted first. */
	if (big_ap != NV_MMU_APERTURE_INVALID) {
		if (big_ap != NV_MMU_PDE_APERTURE_VIDEO) {
			nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
			return;
		}
		pt = v3 ? nsim_v3_big_addr(lo) : nsim_v2_big_addr(lo);
		if (!nsim_read_entry(sim, pt, (va >> NSIM_SHIFT_64K) & 0x1f,
				     NV_MMU_PTE_SIZE, &pte, NULL, x))
			return;
		if (pte & NV_MMU_VER2_PTE_VALID) {
			nsim_leaf(sim, pte, va, NSIM_SHIFT_64K, x);
			return;
		}
		if (!nsim_big_pte_defers(sim, pte) ||
		    small_ap == NV_MMU_APERTURE_INVALID) {
			if (nsim_big_pte_blocks(sim, pte))
				nsim_fault(x, NOVA_FAULT_REASON_PTE);
			else
				nsim_sparse(x, va, NSIM_SHIFT_64K);
			return;
		}
	}

	if (small_ap != NV_MMU_PDE_APERTURE_VIDEO) {
		nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
		return;
	}
	pt = v3 ? nsim_v3_addr(hi) : nsim_v2_addr(hi);
	if (!nsim_read_entry(sim, pt, (va >> NSIM_SHIFT_4K) & 0x1ff,
			     NV_MMU_PTE_SIZE, &pte, NULL, x))
		return;
	if (pte & NV_MMU_VER2_PTE_VALID)
		nsim_leaf(sim, pte, va, NSIM_SHIFT_4K, x);
	else
		nsim_invalid_pte(sim, pte, va, NSIM_SHIFT_4K, x);
}

/**
 * nsim_walk() - walk the page tables, without TLB
 * @sim: the instance
 * @pdb: VRAM address of the root page directory
 * @va: virtual address
 * @x: result
 *
 * Never sleeps; reads VRAM only.
 */
void nsim_walk(struct nsim *sim, u64 pdb, u64 va, struct nsim_xlate *x)
{
	bool v3 = sim->chip->mmu_ver == 3;
	const struct nsim_level *levels = v3 ? nsim_v3_levels : nsim_v2_levels;
	unsigned int nlevels = v3 ? ARRAY_SIZE(nsim_v3_levels) :
				    ARRAY_SIZE(nsim_v2_levels);
	unsigned int va_bits = v3 ? 57 : 49;
	u64 table = pdb, pde;
	unsigned int i;

	memset(x, 0, sizeof(*x));
	if (va >> va_bits) {
		nsim_fault(x, NOVA_FAULT_REASON_RANGE);
		return;
	}

	for (i = 0; i < nlevels; i++) {
		const struct nsim_level *l = &levels[i];
		unsigned int ap;

		if (!nsim_read_entry(sim, table,
				     (va >> l->shift) & (BIT(l->bits) - 1),
				     NV_MMU_PDE_SIZE, &pde, NULL, x))
			return;

		/* v3 IS_PTE / v2 bit 0: only v3 PD1 maps (512 MiB) pages. */
		if (pde & NSIM_V2_PDE_IS_PTE) {
			if (v3 && l->shift == NSIM_SHIFT_512M)
				nsim_leaf(sim, pde, va, NSIM_SHIFT_512M, x);
			else
				nsim_fault(x, NOVA_FAULT_REASON_PDE);
			return;
		}
		ap = nsim_pde_aperture(pde);
		if (ap == NV_MMU_APERTURE_INVALID) {
			if (nsim_pde_sparse(sim, pde))
				nsim_sparse(x, va, l->shift);
			else
				nsim_fault(x, NOVA_FAULT_REASON_PDE);
			return;
		}
		if (ap != NV_MMU_PDE_APERTURE_VIDEO) {
			nsim_fault(x, NOVA_FAULT_REASON_APERTURE);
			return;
		}
		table = v3 ? nsim_v3_addr(pde) : nsim_v2_addr(pde);
	}

	nsim_walk_pd0(sim, table, va, x);
}

/* TLB */

static const u8 nsim_page_shifts[] = {
	NSIM_SHIFT_4K, NSIM_SHIFT_64K, NSIM_SHIFT_2M, NSIM_SHIFT_512M,
};

static unsigned int nsim_tlb_set(u64 pdb, u64 va, unsigned int shift)
{
	return hash_64(pdb ^ ((va >> shift) << 7) ^ shift, NSIM_TLB_SET_BITS);
}

static struct nsim_tlb_entry *nsim_tlb_lookup(struct nsim_tlb *tlb, u64 pdb,
					      u64 va)
{
	unsigned int i, w;

	for (i = 0; i < ARRAY_SIZE(nsim_page_shifts); i++) {
		unsigned int shift = nsim_page_shifts[i];
		u64 base = va & ~(BIT_ULL(shift) - 1);
		struct nsim_tlb_entry *set =
			tlb->set[nsim_tlb_set(pdb, va, shift)];

		for (w = 0; w < NSIM_TLB_WAYS; w++) {
			struct nsim_tlb_entry *e = &set[w];

			if (e->valid && e->shift == shift && e->pdb == pdb &&
			    e->va_base == base)
				return e;
		}
	}

	return NULL;
}

static void nsim_tlb_fill(struct nsim_tlb *tlb, u64 pdb,
			  const struct nsim_xlate *x)
{
	unsigned int s = nsim_tlb_set(pdb, x->va_base, x->shift);
	struct nsim_tlb_entry *e = NULL;
	unsigned int w;

	for (w = 0; w < NSIM_TLB_WAYS; w++) {
		if (!tlb->set[s][w].valid) {
			e = &tlb->set[s][w];
			break;
		}
	}
	if (!e) {
		e = &tlb->set[s][tlb->victim[s]];
		tlb->victim[s] = (tlb->victim[s] + 1) % NSIM_TLB_WAYS;
		tlb->evictions++;
	}
	e->pdb = pdb;
	e->va_base = x->va_base;
	e->pa_base = x->pa_base;
	e->shift = x->shift;
	e->ro = x->ro;
	e->sparse = x->sparse;
	e->valid = true;
}

/**
 * nsim_tlb_invalidate_locked() - drop TLB entries
 * @sim: the instance, locked
 * @tlb: the TLB
 * @all: drop the entries of all address spaces
 * @pdb: else those of this one
 */
void nsim_tlb_invalidate_locked(struct nsim *sim, struct nsim_tlb *tlb,
				bool all, u64 pdb)
{
	unsigned int s, w;

	lockdep_assert_held(&sim->lock);
	for (s = 0; s < NSIM_TLB_SETS; s++) {
		for (w = 0; w < NSIM_TLB_WAYS; w++) {
			struct nsim_tlb_entry *e = &tlb->set[s][w];

			if (e->valid && (all || e->pdb == pdb)) {
				e->valid = false;
				tlb->dropped++;
			}
		}
	}
}

/**
 * nsim_xlate_locked() - translate through a TLB
 * @sim: the instance, locked and polled
 * @hub: use the HUB TLB (BAR1), else the GPC TLB (engines)
 * @pdb: address space
 * @va: virtual address
 * @write: the access is a write (read-only pages fault)
 * @x: result; @x->reason is 0 or a fault reason, @x->sparse tells a
 *	sparse region
 *
 * Sparse is a mapping state: on the engine (GPC) path a sparse region
 * translates without fault (@x->sparse set, @x->reason 0) and the access
 * reads zeroes and drops writes. The HUB path (BAR1, a CPU access) has
 * no "no memory" to reach: a sparse region faults there with reason
 * SPARSE (@x->sparse also set). Successful and sparse translations are
 * cached; faults are not.
 */
void nsim_xlate_locked(struct nsim *sim, bool hub, u64 pdb, u64 va,
		       bool write, struct nsim_xlate *x)
{
	struct nsim_tlb *tlb = hub ? &sim->hub : &sim->gpc;
	struct nsim_tlb_entry *e;

	lockdep_assert_held(&sim->lock);
	e = nsim_tlb_lookup(tlb, pdb, va);
	if (e) {
		tlb->hits++;
		memset(x, 0, sizeof(*x));
		x->va_base = e->va_base;
		x->pa_base = e->pa_base;
		x->shift = e->shift;
		x->ro = e->ro;
		x->sparse = e->sparse;
	} else {
		tlb->misses++;
		nsim_walk(sim, pdb, va, x);
		if (!x->reason)
			nsim_tlb_fill(tlb, pdb, x);
	}

	if (x->sparse && hub)
		x->reason = NOVA_FAULT_REASON_SPARSE;

	if (!x->reason && write && x->ro)
		x->reason = NOVA_FAULT_REASON_RO;
}

/**
 * nsim_translate() - &nova_hw_probe_ops.translate
 * @hw: the GPU
 * @pdb: address space
 * @va: virtual address
 * @write: translate for a write
 * @hub: through the HUB TLB, else the GPC TLB
 * @out: result
 *
 * Translates as an access would, filling the TLB, but records no fault.
 * Never sleeps.
 *
 * Return: 0.
 */
int nsim_translate(struct nova_hw *hw, u64 pdb, u64 va, bool write,
		   bool hub, struct nova_hw_xlate *out)
{
	struct nsim *sim = nsim_from_hw(hw);
	struct nsim_xlate x;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	nsim_xlate_locked(sim, hub, pdb, va, write, &x);
	spin_unlock_irqrestore(&sim->lock, flags);

	memset(out, 0, sizeof(*out));
	out->fault_reason = x.reason;
	out->sparse = x.sparse;
	if (x.shift)
		out->page_size = BIT_ULL(x.shift);
	if (!x.sparse &&
	    (!x.reason || x.reason == NOVA_FAULT_REASON_RO)) {
		out->pa = x.pa_base + (va - x.va_base);
		out->read_only = x.ro;
	}

	return 0;
}

/**
 * nsim_engine_access() - an engine's access through the GPC path
 * @sim: the instance
 * @pdb: address space
 * @va: virtual address
 * @buf: data
 * @len: bytes
 * @write: write @buf, else read into @buf
 * @chid: the channel whose engine accesses, or NSIM_NO_CHID
 * @may_sleep: VRAM backing for a write may be allocated with GFP_KERNEL
 * @fault_va: if not NULL, set to the VA that faulted
 *
 * Sparse pages read zero and drop writes, without a fault; the bytes are
 * counted (&nsim.sparse_read_bytes, &nsim.sparse_write_bytes). A fault is
 * recorded (an engine's, channel @chid) and ends the access; the bytes
 * before it have been transferred.
 *
 * Context: any when !@may_sleep; takes &nsim.lock.
 * Return: 0, -EFAULT on an MMU fault, -ENOMEM when VRAM backing for a
 * write could not be allocated (the write was dropped).
 */
int nsim_engine_access(struct nsim *sim, u64 pdb, u64 va, void *buf,
		       size_t len, bool write, u16 chid, bool may_sleep,
		       u64 *fault_va)
{
	struct nsim_fault_pkt pkt;
	struct nsim_xlate x;
	unsigned long flags;
	int ret = 0;

	while (len) {
		size_t n;
		u64 pa;

		spin_lock_irqsave(&sim->lock, flags);
		nsim_poll_locked(sim);
		nsim_xlate_locked(sim, false, pdb, va, write, &x);
		if (x.reason)
			nsim_record_fault_locked(sim, va, pdb,
						 write ? NV_PFAULT_ACCESS_TYPE_VIRT_WRITE :
							 NV_PFAULT_ACCESS_TYPE_VIRT_READ,
						 x.reason, false, chid, &pkt);
		n = min_t(u64, len, x.va_base + BIT_ULL(x.shift) - va);
		if (!x.reason && x.sparse) {
			if (write)
				sim->sparse_write_bytes += n;
			else
				sim->sparse_read_bytes += n;
		}
		spin_unlock_irqrestore(&sim->lock, flags);
		if (x.reason) {
			nsim_fault_write(sim, &pkt);
			if (fault_va)
				*fault_va = va;
			return -EFAULT;
		}

		pa = x.pa_base + (va - x.va_base);
		if (x.sparse) {
			if (!write)
				memset(buf, 0, n);
		} else if (write) {
			if (nsim_vram_write(sim, pa, buf, n, may_sleep))
				ret = -ENOMEM;
		} else {
			nsim_vram_read(sim, pa, buf, n);
		}
		buf += n;
		va += n;
		len -= n;
	}

	return ret;
}

/**
 * nsim_mem_access() - &nova_hw_probe_ops.mem_access
 * @hw: the GPU
 * @pdb: address space
 * @va: virtual address
 * @buf: data
 * @len: bytes
 * @write: write @buf, else read into @buf
 *
 * An engine access through the GPC TLB, see nsim_engine_access(). Never
 * sleeps.
 *
 * Return: 0, -EFAULT on an MMU fault, -ENOMEM when VRAM backing for a
 * write could not be allocated (the write was dropped).
 */
int nsim_mem_access(struct nova_hw *hw, u64 pdb, u64 va, void *buf,
		    size_t len, bool write)
{
	return nsim_engine_access(nsim_from_hw(hw), pdb, va, buf, len, write,
				  NSIM_NO_CHID, false, NULL);
}

/**
 * nsim_counters() - &nova_hw_probe_ops.counters
 * @hw: the GPU
 * @out: counters
 */
void nsim_counters(struct nova_hw *hw, struct nova_hw_counters *out)
{
	struct nsim *sim = nsim_from_hw(hw);
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	out->tlb_invalidates = sim->invalidates;
	out->tlb_invalidates_acked = sim->invalidates_acked;
	out->tlb_invalidates_hub_only = sim->invalidates_hub_only;
	out->tlb_hits = sim->gpc.hits + sim->hub.hits;
	out->tlb_misses = sim->gpc.misses + sim->hub.misses;
	out->faults = sim->faults_total;
	out->pramin_moves = sim->pramin_moves;
	out->pramin_reads = sim->pramin_reads;
	out->pramin_writes = sim->pramin_writes;
	out->sparse_read_bytes = sim->sparse_read_bytes;
	out->sparse_write_bytes = sim->sparse_write_bytes;
	spin_unlock_irqrestore(&sim->lock, flags);
	out->vram_backed = nsim_vram_backed_bytes(sim);
}

/**
 * nsim_bar1_pfn() - &nova_hw_ops.bar1_pfn
 * @hw: the GPU
 * @offset: BAR1 offset
 * @write: the CPU access is a write
 * @pfn: the host page frame backing @offset
 *
 * Translates @offset through the BAR1 address space (root at the
 * firmware's BAR1 page directory) via the HUB TLB. A fault is recorded
 * (the BAR1 path's); a sparse offset has no page behind it and faults too
 * (reason SPARSE). Backs the VRAM page if needed; may sleep.
 *
 * Return: 0, -EINVAL for an offset beyond BAR1, -EFAULT on an MMU fault,
 * -ENOMEM when no backing could be allocated.
 */
int nsim_bar1_pfn(struct nova_hw *hw, u64 offset, bool write,
		  unsigned long *pfn)
{
	struct nsim *sim = nsim_from_hw(hw);
	struct nsim_fault_pkt pkt;
	struct nsim_xlate x;
	unsigned long flags;
	struct page *page;

	if (offset >= sim->bar1_size)
		return -EINVAL;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	nsim_xlate_locked(sim, true, sim->bar1_pdb, offset, write, &x);
	if (x.reason)
		nsim_record_fault_locked(sim, offset, sim->bar1_pdb,
					 write ? NV_PFAULT_ACCESS_TYPE_VIRT_WRITE :
						 NV_PFAULT_ACCESS_TYPE_VIRT_READ,
					 x.reason, true, NSIM_NO_CHID, &pkt);
	spin_unlock_irqrestore(&sim->lock, flags);
	if (x.reason) {
		nsim_fault_write(sim, &pkt);
		return -EFAULT;
	}

	page = nsim_vram_page(sim, x.pa_base + (offset - x.va_base), true);
	if (!page)
		return -ENOMEM;
	*pfn = page_to_pfn(page);

	return 0;
}
