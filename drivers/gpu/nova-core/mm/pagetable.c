// SPDX-License-Identifier: GPL-2.0
/*
 * GPU MMU page-table formats as descriptors: the levels and the entry
 * encodings of MMU v2 (Pascal..Ada; nova uses it on Turing, Ampere, Ada)
 * and v3 (Hopper and later). Sources: NVIDIA open-gpu-kernel-modules
 * pascal/gp100/dev_mmu.h and hopper/gh100/dev_mmu.h.
 *
 * Large pages: a PD0 entry maps 2 MiB (both formats), a v3 PD1 entry with
 * IS_PTE maps 512 MiB; both are written as PTEs of the format.
 *
 * Invalid entries are written as 0. For a big-page (64 KiB) PTE, 0 means
 * "use the small-page PTEs"; nova never writes the "ignore small PTEs"
 * encodings.
 *
 * Sparse entries (NULL mappings: engines read zeroes, writes are dropped)
 * exist at every level. MMU v2 (gp100 MMU format): a PTE with VALID 0 and
 * VOL 1; a PDE with aperture INVALID and VOL 1; a dual PDE with both
 * apertures INVALID and the big half's VOL 1. MMU v3 (gh100 dev_mmu.h,
 * nouveau vmmgh100.c): a PTE with VALID 0 and PCF SPARSE (1); a PDE with
 * aperture INVALID and PCF bit 0 (SPARSE_ATS_ALLOWED); a dual PDE with
 * PCF_BIG SPARSE_ATS_ALLOWED. All of these happen to be bit 3 alone.
 */
#include <linux/bitfield.h>
#include <linux/nova/regs.h>

#include "../nova_core.h"

/* v2: addresses are stored as (pa >> 12) from bit 8, i.e. pa >> 4. */
static u64 v2_pde(u64 pa)
{
	return FIELD_PREP(NV_MMU_VER2_PDE_APERTURE, NV_MMU_PDE_APERTURE_VIDEO) |
	       FIELD_PREP(NV_MMU_VER2_PDE_ADDRESS_VID, pa >> 12);
}

static u64 v2_pde_decode(u64 pde)
{
	if (FIELD_GET(NV_MMU_VER2_PDE_APERTURE, pde) != NV_MMU_PDE_APERTURE_VIDEO)
		return 0;
	return FIELD_GET(NV_MMU_VER2_PDE_ADDRESS_VID, pde) << 12;
}

static bool v2_pde_is_pte(u64 pde)
{
	return pde & NV_MMU_VER2_PTE_VALID;
}

static void v2_dual_pde(u64 big, u64 small, u64 out[2])
{
	out[0] = big ? FIELD_PREP(NV_MMU_VER2_PDE_APERTURE, NV_MMU_PDE_APERTURE_VIDEO) |
		       FIELD_PREP(NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG, big >> 8) : 0;
	out[1] = small ? v2_pde(small) : 0;
}

static void v2_dual_pde_decode(const u64 in[2], u64 *big, u64 *small)
{
	*big = 0;
	if (FIELD_GET(NV_MMU_VER2_PDE_APERTURE, in[0]) == NV_MMU_PDE_APERTURE_VIDEO &&
	    !(in[0] & NV_MMU_VER2_PTE_VALID))
		*big = FIELD_GET(NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG, in[0]) << 8;
	*small = v2_pde_decode(in[1]);
}

static u64 v2_pte(u64 pa, u32 flags)
{
	u64 pte = NV_MMU_VER2_PTE_VALID |
		  FIELD_PREP(NV_MMU_VER2_PTE_APERTURE, NV_MMU_APERTURE_VIDEO) |
		  FIELD_PREP(NV_MMU_VER2_PTE_ADDRESS_VID, pa >> 12);

	if (flags & NOVA_PTE_RO)
		pte |= NV_MMU_VER2_PTE_READ_ONLY;
	return pte;
}

static bool v2_pte_decode(u64 pte, u64 *pa, u32 *flags)
{
	if (!(pte & NV_MMU_VER2_PTE_VALID))
		return false;
	*pa = FIELD_GET(NV_MMU_VER2_PTE_ADDRESS_VID, pte) << 12;
	*flags = (pte & NV_MMU_VER2_PTE_READ_ONLY) ? NOVA_PTE_RO : 0;
	return true;
}

/* v3: addresses are stored in place (bits 51:12; 51:8 for the big half). */
static u64 v3_pde(u64 pa)
{
	return FIELD_PREP(NV_MMU_VER3_PDE_APERTURE, NV_MMU_PDE_APERTURE_VIDEO) |
	       (pa & NV_MMU_VER3_PDE_ADDRESS);
}

static u64 v3_pde_decode(u64 pde)
{
	if (FIELD_GET(NV_MMU_VER3_PDE_APERTURE, pde) != NV_MMU_PDE_APERTURE_VIDEO)
		return 0;
	return pde & NV_MMU_VER3_PDE_ADDRESS;
}

static bool v3_pde_is_pte(u64 pde)
{
	return pde & NV_MMU_VER3_PDE_IS_PTE;
}

static void v3_dual_pde(u64 big, u64 small, u64 out[2])
{
	out[0] = big ? FIELD_PREP(NV_MMU_VER3_PDE_APERTURE, NV_MMU_PDE_APERTURE_VIDEO) |
		       (big & NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG) : 0;
	out[1] = small ? v3_pde(small) : 0;
}

static void v3_dual_pde_decode(const u64 in[2], u64 *big, u64 *small)
{
	*big = 0;
	if (FIELD_GET(NV_MMU_VER3_PDE_APERTURE, in[0]) == NV_MMU_PDE_APERTURE_VIDEO &&
	    !(in[0] & NV_MMU_VER3_PDE_IS_PTE))
		*big = in[0] & NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG;
	*small = v3_pde_decode(in[1]);
}

static u64 v3_pte(u64 pa, u32 flags)
{
	u32 pcf = NV_MMU_VER3_PTE_PCF_NO_ATOMIC;

	if (flags & NOVA_PTE_RO)
		pcf |= NV_MMU_VER3_PTE_PCF_READ_ONLY;
	return NV_MMU_VER3_PTE_VALID |
	       FIELD_PREP(NV_MMU_VER3_PTE_APERTURE, NV_MMU_APERTURE_VIDEO) |
	       FIELD_PREP(NV_MMU_VER3_PTE_PCF, pcf) |
	       (pa & NV_MMU_VER3_PTE_ADDRESS);
}

static bool v3_pte_decode(u64 pte, u64 *pa, u32 *flags)
{
	if (!(pte & NV_MMU_VER3_PTE_VALID))
		return false;
	*pa = pte & NV_MMU_VER3_PTE_ADDRESS;
	*flags = (FIELD_GET(NV_MMU_VER3_PTE_PCF, pte) & NV_MMU_VER3_PTE_PCF_READ_ONLY) ?
		 NOVA_PTE_RO : 0;
	return true;
}

/**
 * nova_mmu_page_sizes() - the page sizes a format can map
 * @fmt: the page-table format
 *
 * Context: any.
 * Return: bit mask of page sizes (bit n: 2^n bytes): the small and big
 * pages and the large pages of every directory level that has them.
 */
u64 nova_mmu_page_sizes(const struct nova_mmu_fmt *fmt)
{
	u64 sizes = BIT_ULL(fmt->spt.shift) | BIT_ULL(fmt->lpt.shift);
	u32 i;

	for (i = 0; i < fmt->nr_pd; i++)
		if (fmt->pd[i].large)
			sizes |= BIT_ULL(fmt->pd[i].shift);
	return sizes;
}

const struct nova_mmu_fmt nova_mmu_v2 = {
	.version = 2,
	.va_bits = 49,
	.nr_pd = 4,
	.pd = {
		{ .shift = 47, .bits = 2, .entry_size = 8 },	/* PD3 */
		{ .shift = 38, .bits = 9, .entry_size = 8 },	/* PD2 */
		{ .shift = 29, .bits = 9, .entry_size = 8 },	/* PD1 */
		{ .shift = 21, .bits = 8, .entry_size = 16, .large = true }, /* PD0 */
	},
	.spt = { .shift = 12, .bits = 9, .entry_size = 8 },
	.lpt = { .shift = 16, .bits = 5, .entry_size = 8 },
	/* A dual PDE: the big half first, then the small half. */
	.dual_big = 0,
	.dual_small = 8,
	.pde = v2_pde,
	.pde_decode = v2_pde_decode,
	.pde_is_pte = v2_pde_is_pte,
	.dual_pde = v2_dual_pde,
	.dual_pde_decode = v2_dual_pde_decode,
	.pte = v2_pte,
	.pte_decode = v2_pte_decode,
	.sparse_pde = NV_MMU_VER2_PDE_VOL,
	.sparse_dual = NV_MMU_VER2_PDE_VOL,
	.sparse_pte = NV_MMU_VER2_PTE_VOL,
};

const struct nova_mmu_fmt nova_mmu_v3 = {
	.version = 3,
	.va_bits = 57,
	.nr_pd = 5,
	.pd = {
		{ .shift = 56, .bits = 1, .entry_size = 8 },	/* PD4 */
		{ .shift = 47, .bits = 9, .entry_size = 8 },	/* PD3 */
		{ .shift = 38, .bits = 9, .entry_size = 8 },	/* PD2 */
		/* A PD1 entry with IS_PTE maps 512 MiB. */
		{ .shift = 29, .bits = 9, .entry_size = 8, .large = true }, /* PD1 */
		{ .shift = 21, .bits = 8, .entry_size = 16, .large = true }, /* PD0 */
	},
	.spt = { .shift = 12, .bits = 9, .entry_size = 8 },
	.lpt = { .shift = 16, .bits = 5, .entry_size = 8 },
	/* A dual PDE: the big half first, then the small half. */
	.dual_big = 0,
	.dual_small = 8,
	.pde = v3_pde,
	.pde_decode = v3_pde_decode,
	.pde_is_pte = v3_pde_is_pte,
	.dual_pde = v3_dual_pde,
	.dual_pde_decode = v3_dual_pde_decode,
	.pte = v3_pte,
	.pte_decode = v3_pte_decode,
	.sparse_pde = FIELD_PREP_CONST(NV_MMU_VER3_PDE_PCF, NV_MMU_VER3_PDE_PCF_SPARSE),
	.sparse_dual = FIELD_PREP_CONST(NV_MMU_VER3_PDE_PCF, NV_MMU_VER3_PDE_PCF_SPARSE),
	.sparse_pte = FIELD_PREP_CONST(NV_MMU_VER3_PTE_PCF, NV_MMU_VER3_PTE_PCF_SPARSE),
};

/**
 * nova_mmu_fmt_get() - the page-table format of an MMU version
 * @version: the chip's MMU version
 *
 * Context: any.
 * Return: the format descriptor, or NULL when nova has none for @version.
 */
const struct nova_mmu_fmt *nova_mmu_fmt_get(u32 version)
{
	static const struct nova_mmu_fmt *const fmts[] = {
		&nova_mmu_v2, &nova_mmu_v3,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++)
		if (fmts[i]->version == version)
			return fmts[i];
	return NULL;
}
