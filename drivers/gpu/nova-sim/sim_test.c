// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of nova-sim.
 *
 * Every case runs on a private instance per chip ("ga102": MMU v2,
 * "gh100": MMU v3) that registers no device. Page tables are written by
 * hand as raw 64-bit words, encoded here from the reference
 * (nvidia-hw-facts.md, "MMU v2 fields" / "MMU v3 fields"), independently
 * of the walker in mmu.c.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>
#include <linux/string.h>

#include "sim.h"

#define T_VRAM		SZ_512M
#define T_BAR1		SZ_256M
#define T_PT_BASE	SZ_16M		/* page tables are allocated from here */
#define T_DATA		SZ_256M		/* data pages */

struct nsim_test_param {
	const char *name;
	u32 chipset;
};

static const struct nsim_test_param nsim_test_params[] = {
	{ "ga102", 0x172 },
	{ "gh100", 0x180 },
};

KUNIT_ARRAY_PARAM_DESC(nsim_chip, nsim_test_params, name);

struct t {
	struct kunit *test;
	const struct nsim_test_param *param;
	struct nsim *sim;
	struct nova_hw *hw;
	bool v3;
	bool pramin;
	u64 next;
	u64 f_pdb;
	u32 f_token;
	u32 f_put;
};

static int nsim_test_init(struct kunit *test)
{
	const struct nsim_test_param *p = test->param_value;
	struct t *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t || !p)
		return -ENOMEM;
	t->sim = nsim_create(p->name, T_VRAM, T_BAR1, -1);
	if (IS_ERR(t->sim))
		return PTR_ERR(t->sim);
	t->sim->tlb_delay_us = 0;
	t->test = test;
	t->param = p;
	t->hw = &t->sim->hw;
	t->v3 = t->sim->chip->mmu_ver == 3;
	t->next = T_PT_BASE;
	test->priv = t;

	return 0;
}

static void nsim_test_exit(struct kunit *test)
{
	struct t *t = test->priv;

	nsim_destroy(t->sim);
}

/* Register and VRAM access. */

static u32 t_rd32(struct t *t, u32 off)
{
	return t->hw->ops->rd32(t->hw, off);
}

static void t_wr32(struct t *t, u32 off, u32 v)
{
	t->hw->ops->wr32(t->hw, off, v);
}

static void t_window(struct t *t, u64 addr)
{
	t_wr32(t, t->sim->chip->window_reg, (u32)(addr >> 16));
}

/* Page-table words go through PRAMIN (as a driver writes them) or not. */
static void t_wr64(struct t *t, u64 addr, u64 v)
{
	__le64 le = cpu_to_le64(v);

	if (t->pramin) {
		t_window(t, addr);
		t_wr32(t, NV_PRAMIN + (addr & 0xfff8), lower_32_bits(v));
		t_wr32(t, NV_PRAMIN + (addr & 0xfff8) + 4, upper_32_bits(v));
		return;
	}
	KUNIT_ASSERT_EQ(t->test, nsim_vram_write(t->sim, addr, &le, 8, true),
			0);
}

static u64 t_rd64(struct t *t, u64 addr)
{
	__le64 le;

	if (t->pramin) {
		t_window(t, addr);
		return t_rd32(t, NV_PRAMIN + (addr & 0xfff8)) |
		       (u64)t_rd32(t, NV_PRAMIN + (addr & 0xfff8) + 4) << 32;
	}
	nsim_vram_read(t->sim, addr, &le, 8);

	return le64_to_cpu(le);
}

static u64 t_alloc(struct t *t)
{
	u64 a = t->next;

	t->next += SZ_4K;

	return a;
}

/*
 * Encoders, from the reference. v2: PDE APERTURE 2:1 (VIDEO = 1), address
 * 32:8 = pa >> 12; dual PDE big half address 32:4 = pa >> 8; PTE VALID 0,
 * APERTURE 2:1 (VIDEO = 0), VOL 3, PRIV 5, READ_ONLY 6, address 32:8.
 * v3: PDE IS_PTE 0, APERTURE 2:1 (VIDEO = 1), PCF 5:3, address 51:12 =
 * pa >> 12; big half address 51:8 = pa >> 8; PTE VALID 0, APERTURE 2:1,
 * PCF 7:3 (valid: 0x8 RW, 0xc RO; invalid: 0 INVALID, 1 SPARSE,
 * 3 NO_VALID_4KB_PAGE), address 51:12.
 */
static u64 t_pde(struct t *t, u64 pa)
{
	if (t->v3)
		return (pa & 0x000ffffffffff000ull) | (1ull << 1);
	return ((pa >> 12) << 8) | (1ull << 1);
}

static u64 t_big_pde(struct t *t, u64 pa)
{
	if (t->v3)
		return (pa & 0x000fffffffffff00ull) | (1ull << 1);
	return ((pa >> 8) << 4) | (1ull << 1);
}

static u64 t_pde_addr(struct t *t, u64 e)
{
	if (t->v3)
		return e & 0x000ffffffffff000ull;
	return ((e >> 8) & 0x1ffffffull) << 12;
}

static u64 t_big_pde_addr(struct t *t, u64 e)
{
	if (t->v3)
		return e & 0x000fffffffffff00ull;
	return ((e >> 4) & 0x1fffffffull) << 8;
}

static u64 t_pte(struct t *t, u64 pa, bool ro)
{
	if (t->v3)
		return (pa & 0x000ffffffffff000ull) | 1 |
		       ((ro ? 0xcull : 0x8ull) << 3);
	return ((pa >> 12) << 8) | 1 | (ro ? 1ull << 6 : 0);
}

static u64 t_pte_sysmem(struct t *t, u64 pa)
{
	return t_pte(t, pa, false) | (2ull << 1);
}

static u64 t_pte_sparse(struct t *t)
{
	if (t->v3)
		return 1ull << 3;	/* PCF SPARSE */
	return 1ull << 3;		/* VOL */
}

static u64 t_big_pte_blocking(struct t *t)
{
	if (t->v3)
		return 3ull << 3;	/* PCF NO_VALID_4KB_PAGE */
	return 1ull << 5;		/* PRIV */
}

static u64 t_pde_sparse(struct t *t)
{
	if (t->v3)
		return 1ull << 3;	/* PCF bit 0, aperture INVALID */
	return 1ull << 3;		/* VOL, aperture INVALID */
}

/* Address of the PD entry at the level indexing VA bits from @stop_shift. */
static u64 t_pd_slot(struct t *t, u64 pdb, u64 va, unsigned int stop_shift)
{
	static const u8 v2[] = { 47, 38, 29, 21 };
	static const u8 v3[] = { 56, 47, 38, 29, 21 };
	const u8 *s = t->v3 ? v3 : v2;
	unsigned int n = t->v3 ? ARRAY_SIZE(v3) : ARRAY_SIZE(v2);
	u64 table = pdb;
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 slot, e;

		if (s[i] == 21)
			return table + ((va >> 21) & 0xff) * 16;
		slot = table + ((va >> s[i]) & 0x1ff) * 8;
		if (s[i] == stop_shift)
			return slot;
		e = t_rd64(t, slot);
		if (!e) {
			e = t_pde(t, t_alloc(t));
			t_wr64(t, slot, e);
		}
		table = t_pde_addr(t, e);
	}

	return 0;
}

static u64 t_pd0(struct t *t, u64 pdb, u64 va)
{
	return t_pd_slot(t, pdb, va, 21);
}

static u64 t_spte(struct t *t, u64 pdb, u64 va)
{
	u64 pd0 = t_pd0(t, pdb, va);
	u64 hi = t_rd64(t, pd0 + 8);

	if (!hi) {
		hi = t_pde(t, t_alloc(t));
		t_wr64(t, pd0 + 8, hi);
	}

	return t_pde_addr(t, hi) + ((va >> 12) & 0x1ff) * 8;
}

static u64 t_lpte(struct t *t, u64 pdb, u64 va)
{
	u64 pd0 = t_pd0(t, pdb, va);
	u64 lo = t_rd64(t, pd0);

	if (!lo) {
		lo = t_big_pde(t, t_alloc(t));
		t_wr64(t, pd0, lo);
	}

	return t_big_pde_addr(t, lo) + ((va >> 16) & 0x1f) * 8;
}

static void t_map4k(struct t *t, u64 pdb, u64 va, u64 pa, bool ro)
{
	t_wr64(t, t_spte(t, pdb, va), t_pte(t, pa, ro));
}

static void t_map64k(struct t *t, u64 pdb, u64 va, u64 pa, bool ro)
{
	t_wr64(t, t_lpte(t, pdb, va), t_pte(t, pa, ro));
}

static void t_map2m(struct t *t, u64 pdb, u64 va, u64 pa, bool ro)
{
	u64 pd0 = t_pd0(t, pdb, va);

	t_wr64(t, pd0, t_pte(t, pa, ro));
	t_wr64(t, pd0 + 8, 0);
}

static struct nova_hw_xlate t_xlate(struct t *t, u64 pdb, u64 va, bool write,
				    bool hub)
{
	struct nova_hw_xlate x;

	KUNIT_EXPECT_EQ(t->test,
			t->hw->probe->translate(t->hw, pdb, va, write, hub, &x),
			0);

	return x;
}

static u32 t_reason(struct t *t, u64 pdb, u64 va, bool write)
{
	return t_xlate(t, pdb, va, write, false).fault_reason;
}

static u64 t_pa(struct t *t, u64 pdb, u64 va, bool hub)
{
	struct nova_hw_xlate x = t_xlate(t, pdb, va, false, hub);

	KUNIT_EXPECT_EQ(t->test, x.fault_reason, 0u);

	return x.pa;
}

static int t_access(struct t *t, u64 pdb, u64 va, void *buf, size_t len,
		    bool write)
{
	return t->hw->probe->mem_access(t->hw, pdb, va, buf, len, write);
}

static struct nova_hw_counters t_counters(struct t *t)
{
	struct nova_hw_counters c;

	t->hw->probe->counters(t->hw, &c);

	return c;
}

/* Invalidate through the registers and wait for TRIGGER to clear. */
static void t_invalidate(struct t *t, u64 pdb, u32 flags)
{
	unsigned int i;

	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB,
	       (u32)((pdb >> 12) << 4));
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB,
	       (u32)(pdb >> 40));
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE,
	       NV_MMU_INVALIDATE_TRIGGER | flags);
	for (i = 0; i < 1000; i++) {
		if (!(t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE) &
		      NV_MMU_INVALIDATE_TRIGGER))
			return;
		usleep_range(100, 200);
	}
	KUNIT_FAIL(t->test, "invalidation did not complete");
}

/* A VA using non-zero indices at every level. */
static u64 t_high_va(struct t *t)
{
	if (t->v3)
		return BIT_ULL(56) | (0x1a5ull << 47) | (0x0c3ull << 38) |
		       (0x111ull << 29) | (0x5aull << 21);
	return (3ull << 47) | (0x0c3ull << 38) | (0x111ull << 29) |
	       (0x5aull << 21);
}

static void t_fill(struct t *t, u64 pa, u32 seed, size_t len)
{
	u32 buf[64];
	size_t i, n;

	while (len) {
		n = min_t(size_t, len, sizeof(buf));
		for (i = 0; i < ARRAY_SIZE(buf); i++)
			buf[i] = seed + (u32)(pa / 4) + i;
		KUNIT_ASSERT_EQ(t->test,
				nsim_vram_write(t->sim, pa, buf, n, true), 0);
		pa += n;
		len -= n;
	}
}

static u32 t_expect32(u64 pa, u32 seed)
{
	return seed + (u32)(pa / 4);
}

static u32 t_read32_va(struct t *t, u64 pdb, u64 va)
{
	u32 v = 0xdeadbeef;

	KUNIT_EXPECT_EQ(t->test, t_access(t, pdb, va, &v, 4, false), 0);

	return v;
}

/*
 * VRAM fills as the driver scrubs: a copy-engine memset of physical
 * LOCAL_FB addresses on a channel whose ring, USERD and pushbuffer sit in
 * their own 2 MiB chunk at F_BASE (backed by t_ce_fill_init(), before a
 * test counts backed chunks).
 */
#define F_BASE		SZ_128M
#define F_RING_VA	0x100000ull
#define F_PB_VA		0x200000ull
#define F_ENTRIES	8

static void t_vram_wr32(struct t *t, u64 pa, u32 v)
{
	__le32 le = cpu_to_le32(v);

	KUNIT_ASSERT_EQ(t->test, nsim_vram_write(t->sim, pa, &le, 4, true), 0);
}

static void t_ce_fill_init(struct t *t)
{
	struct nova_hw_channel_args a = {};

	/* A non-zero word backs the chunk now (zeroes back nothing). */
	t_vram_wr32(t, F_BASE + SZ_4K, 1);
	t->f_pdb = t_alloc(t);
	t_map4k(t, t->f_pdb, F_RING_VA, F_BASE, false);
	t_map4k(t, t->f_pdb, F_PB_VA, F_BASE + SZ_4K, false);
	a.hclass = t->sim->chip->chan_class;
	a.pdb = t->f_pdb;
	a.gpfifo_va = F_RING_VA;
	a.gpfifo_entries = F_ENTRIES;
	a.userd = F_BASE + 2 * SZ_4K;
	a.privileged = true;	/* a VRAM scrub, as the kernel's channel */
	KUNIT_ASSERT_EQ(t->test,
			t->hw->ops->channel_alloc(t->hw, &a, &t->f_token), 0);
	t->f_put = 0;
}

/* Fill [@addr, @addr + @len) with @pattern; 0 when the channel is fine. */
static int t_ce_fill(struct t *t, u64 addr, u64 len, u32 pattern)
{
	u32 w[] = {
		(1u << 29) | (1 << 16) | (4 << 13) | (0x264 >> 2), 0,
		(1u << 29) | (1 << 16) | (4 << 13) | (0x700 >> 2), pattern,
		(1u << 29) | (1 << 16) | (4 << 13) | (0x708 >> 2),
		0x4 | (3 << 16),	/* DST_X = CONST_A, 4-byte component */
		(1u << 29) | (2 << 16) | (4 << 13) | (0x408 >> 2),
		upper_32_bits(addr), lower_32_bits(addr),
		(1u << 29) | (2 << 16) | (4 << 13) | (0x418 >> 2),
		len / 4, 1,
		(1u << 29) | (1 << 16) | (4 << 13) | (0x300 >> 2),
		/* NON_PIPELINED, FLUSH, PITCH/PITCH, REMAP, DST PHYSICAL */
		2 | BIT(2) | BIT(7) | BIT(8) | BIT(10) | BIT(13),
	};
	u64 slot = F_BASE + t->f_put * 8ull;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w); i++)
		t_vram_wr32(t, F_BASE + SZ_4K + i * 4, w[i]);
	t_vram_wr32(t, slot, lower_32_bits(F_PB_VA));
	t_vram_wr32(t, slot + 4, upper_32_bits(F_PB_VA) |
		    (ARRAY_SIZE(w) << 10));
	t->f_put = (t->f_put + 1) % F_ENTRIES;
	t_vram_wr32(t, F_BASE + 2 * SZ_4K + 0x8c, t->f_put);
	t_wr32(t, 0x810090, t->f_token);
	nsim_host_flush(t->sim);

	if (nsim_chan_status(t->sim, t->f_token, NULL, NULL) != NSIM_CHAN_IDLE)
		return -EIO;
	return 0;
}

static long t_released(struct t *t)
{
	return atomic_long_read(&t->sim->chunks_released);
}

static long t_kept(struct t *t)
{
	return atomic_long_read(&t->sim->chunks_kept);
}

/* nova_sim_regs */

static void regs_boot0(struct kunit *test)
{
	struct t *t = test->priv;
	u32 v = t_rd32(t, NV_PMC_BOOT_0);

	KUNIT_EXPECT_EQ(test, (v >> 20) & 0x1ff, t->param->chipset);
	KUNIT_EXPECT_EQ(test, v & 0xff, 0xa1u);
	t_wr32(t, NV_PMC_BOOT_0, 0);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PMC_BOOT_0), v);
}

static void regs_unknown(struct kunit *test)
{
	struct t *t = test->priv;
	u32 other = t->v3 ? NV_PBUS_BAR0_WINDOW : NV_XAL_EP_ZB_BAR0_WINDOW;

	KUNIT_EXPECT_EQ(test, t_rd32(t, 0x123450), 0u);
	t_wr32(t, 0x123450, 0x55);
	KUNIT_EXPECT_EQ(test, t_rd32(t, 0x123450), 0u);
	t_wr32(t, other, 0x12);
	KUNIT_EXPECT_EQ(test, t_rd32(t, other), 0u);
	KUNIT_EXPECT_EQ(test, t->sim->unknown_reads, 3ull);
	KUNIT_EXPECT_EQ(test, t->sim->unknown_writes, 2ull);
	KUNIT_EXPECT_EQ(test, t->sim->unknown_n, 2u);
}

static void regs_invalidate_pending(struct kunit *test)
{
	struct t *t = test->priv;
	u32 flags = NV_MMU_INVALIDATE_ALL_VA | NV_MMU_INVALIDATE_ALL_PDB;
	u32 v;

	t->sim->tlb_delay_us = 20000;
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE,
	       NV_MMU_INVALIDATE_TRIGGER | flags);
	v = t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE);
	KUNIT_EXPECT_EQ(test, v, NV_MMU_INVALIDATE_TRIGGER | flags);
	KUNIT_EXPECT_EQ(test, t_counters(t).tlb_invalidates, 0ull);
	msleep(40);
	v = t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE);
	KUNIT_EXPECT_EQ(test, v, flags);
	KUNIT_EXPECT_EQ(test, t_counters(t).tlb_invalidates, 1ull);

	/* Writes without TRIGGER start nothing. */
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE, flags);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE),
			flags);
	KUNIT_EXPECT_EQ(test, t_counters(t).tlb_invalidates, 1ull);
}

static void regs_invalidate_counters(struct kunit *test)
{
	struct t *t = test->priv;
	struct nova_hw_counters c;

	t_invalidate(t, 0, NV_MMU_INVALIDATE_ALL_VA | NV_MMU_INVALIDATE_ALL_PDB |
		     (NV_MMU_INVALIDATE_ACK_GLOBALLY << 7));
	t_invalidate(t, t->sim->bar1_pdb, NV_MMU_INVALIDATE_ALL_VA |
		     NV_MMU_INVALIDATE_HUBTLB_ONLY);
	t_invalidate(t, t->sim->bar1_pdb, NV_MMU_INVALIDATE_ALL_PDB); /* no ALL_VA */
	c = t_counters(t);
	KUNIT_EXPECT_EQ(test, c.tlb_invalidates, 2ull);
	KUNIT_EXPECT_EQ(test, c.tlb_invalidates_acked, 1ull);
	KUNIT_EXPECT_EQ(test, c.tlb_invalidates_hub_only, 1ull);
	KUNIT_EXPECT_EQ(test, t->sim->invalidates_unsupported, 1ull);
	KUNIT_EXPECT_EQ(test,
			t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB),
			(u32)((t->sim->bar1_pdb >> 12) << 4));
}

/*
 * The non-replayable fault buffer, from the reference: LO/HI/GET/PUT/SIZE
 * of buffer 0 at 0xb83000, 32-byte packets (MMU_FAULT_BUFFER). Tests that
 * look at faults place a buffer of @entries packets at T_FBUF.
 */
#define T_FBUF		SZ_8M
#define T_FB(r)		(0x00b83000 + (r))	/* buffer 0 */
#define T_FB_LO		T_FB(0x00)
#define T_FB_HI		T_FB(0x04)
#define T_FB_GET	T_FB(0x08)
#define T_FB_PUT	T_FB(0x0c)
#define T_FB_SIZE	T_FB(0x10)

static void t_fbuf(struct t *t, u32 entries)
{
	t_wr32(t, T_FB_SIZE, 0);		/* off: GET = PUT = 0 */
	t_wr32(t, T_FB_HI, 0);
	t_wr32(t, T_FB_LO, T_FBUF | BIT(0));	/* PHYSICAL, LOCAL */
	t_wr32(t, T_FB_SIZE, entries | BIT(31));	/* ENABLE */
}

/* Packets between GET and PUT. */
static u32 t_fcount(struct t *t)
{
	u32 n = t_rd32(t, T_FB_SIZE) & 0xfffff;
	u32 get = t_rd32(t, T_FB_GET) & 0xfffff;
	u32 put = t_rd32(t, T_FB_PUT) & 0xfffff;

	return n ? (put + n - get) % n : 0;
}

/* A packet, decoded from its words as the reference lays them out. */
struct t_fpkt {
	u32 w[8];
	u64 inst;
	u64 addr;
	u32 engine;
	u32 type;
	u32 client;
	u32 access;
	u32 hub;
	bool valid;
};

static struct t_fpkt t_fpkt_at(struct t *t, u32 idx)
{
	struct t_fpkt p;
	__le32 le[8];
	unsigned int i;

	nsim_vram_read(t->sim, T_FBUF + idx * 32ull, le, sizeof(le));
	for (i = 0; i < 8; i++)
		p.w[i] = le32_to_cpu(le[i]);
	p.inst = (p.w[0] & 0xfffff000) | (u64)p.w[1] << 32;
	p.addr = (p.w[2] & 0xfffff000) | (u64)p.w[3] << 32;
	p.engine = p.w[6] & 0x1ff;
	p.type = p.w[7] & 0x1f;
	p.client = (p.w[7] >> 8) & 0x7f;
	p.access = (p.w[7] >> 16) & 0xf;
	p.hub = (p.w[7] >> 20) & 1;
	p.valid = p.w[7] >> 31;
	return p;
}

/* The packet at GET. */
static struct t_fpkt t_fpeek(struct t *t)
{
	return t_fpkt_at(t, t_rd32(t, T_FB_GET) & 0xfffff);
}

/* Consume the packet at GET. */
static void t_fpop(struct t *t)
{
	u32 n = t_rd32(t, T_FB_SIZE) & 0xfffff;

	t_wr32(t, T_FB_GET, ((t_rd32(t, T_FB_GET) & 0xfffff) + 1) % n);
}

/* The documented fault type (dev_fault.h) nova-sim reports for @reason. */
static u32 t_ftype(u32 reason)
{
	switch (reason) {
	case NOVA_FAULT_REASON_PDE:
		return 0x00;	/* FAULT_TYPE_PDE */
	case NOVA_FAULT_REASON_RANGE:
		return 0x03;	/* VA_LIMIT_VIOLATION */
	case NOVA_FAULT_REASON_RO:
		return 0x06;	/* RO_VIOLATION */
	case NOVA_FAULT_REASON_APERTURE:
		return 0x0a;	/* UNSUPPORTED_APERTURE */
	default:
		return 0x02;	/* PTE */
	}
}

/* Engine ids of CE0 and BAR1 (dev_fault.h: Turing..Ada, Hopper). */
static u32 t_eng_ce0(struct t *t)
{
	return t->v3 ? 43 : 15;
}

static u32 t_eng_bar1(struct t *t)
{
	return t->v3 ? 256 : 128;
}

/* Every field of the packets, in order; GET and PUT. */
static void fault_buf_packets(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	struct t_fpkt p;
	u32 v = 0;

	t_fbuf(t, 8);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_LO), (u32)T_FBUF | BIT(0));
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_SIZE), 8u | BIT(31));
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, 0x1234, &v, 4, false), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, 0x2000, &v, 4, true), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, BIT_ULL(t->v3 ? 57 : 49) + SZ_8K,
				       &v, 4, false), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 3u);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 3u);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 3ull);

	p = t_fpeek(t);
	KUNIT_EXPECT_TRUE(test, p.valid);
	KUNIT_EXPECT_EQ(test, p.w[0] & 0x3ff, 0u);	/* INST_APERTURE VID_MEM */
	KUNIT_EXPECT_EQ(test, p.inst, pdb);
	KUNIT_EXPECT_EQ(test, p.w[2] & 0xfff, 0u);	/* 4 KiB aligned */
	KUNIT_EXPECT_EQ(test, p.addr, 0x1000ull);
	KUNIT_EXPECT_NE(test, p.w[4] | p.w[5], 0u);	/* TIMESTAMP */
	KUNIT_EXPECT_EQ(test, p.engine, t_eng_ce0(t));
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_PDE));
	KUNIT_EXPECT_EQ(test, p.w[7] & BIT(7), 0u);	/* not replayable */
	KUNIT_EXPECT_EQ(test, p.client, 1u);		/* HUB_CE0 */
	KUNIT_EXPECT_EQ(test, p.access, 0u);		/* VIRT_READ */
	KUNIT_EXPECT_EQ(test, p.hub, 1u);		/* HUB */
	t_fpop(t);

	p = t_fpeek(t);
	KUNIT_EXPECT_TRUE(test, p.valid);
	KUNIT_EXPECT_EQ(test, p.addr, 0x2000ull);
	KUNIT_EXPECT_EQ(test, p.access, 1u);		/* VIRT_WRITE */
	t_fpop(t);

	p = t_fpeek(t);
	KUNIT_EXPECT_EQ(test, p.addr, BIT_ULL(t->v3 ? 57 : 49) + SZ_8K);
	KUNIT_EXPECT_EQ(test, p.w[3], upper_32_bits(p.addr));
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_RANGE));
	t_fpop(t);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), 3u);
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 0ull);
}

/* PUT wraps at the end of the buffer; a bad GET is refused. */
static void fault_buf_wrap(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	unsigned int i;
	u32 v = 0;

	t_fbuf(t, 4);
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_EQ(test, t_access(t, pdb, (i + 1) * 0x1000ull, &v,
					       4, false), -EFAULT);
		KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), (i + 1) % 4);
		KUNIT_EXPECT_EQ(test, t_fpeek(t).addr, (i + 1) * 0x1000ull);
		t_fpop(t);
		KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), (i + 1) % 4);
	}
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 0ull);

	t_wr32(t, T_FB_GET, 4);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), (10u % 4) | BIT(30));
	t_wr32(t, T_FB_GET, (10u % 4) | BIT(30));	/* clears CORRUPTED */
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), 10u % 4);

	/* Disabled: faults are lost, GET and PUT go back to 0. */
	t_wr32(t, T_FB_SIZE, 4);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 0u);
	t_access(t, pdb, 0x1000, &v, 4, false);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 0u);
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 1ull);
	/* SET_DEFAULT picks the size. */
	t_wr32(t, T_FB_SIZE, BIT(30) | BIT(31));
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_SIZE),
			(u32)NSIM_FAULT_BUF_DEFAULT | BIT(31));
}

/*
 * A full buffer (one slot free) overflows: OVERFLOW in GET and PUT, every
 * later fault dropped until GET is written with OVERFLOW.
 */
static void fault_buf_overflow(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	unsigned int i;
	u32 v = 0;

	t_fbuf(t, 4);
	for (i = 0; i < 3; i++)
		t_access(t, pdb, (i + 1) * 0x1000ull, &v, 4, false);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 3u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET) & BIT(31), 0u);
	t_access(t, pdb, 0x4000, &v, 4, false);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 3u | BIT(31));
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), BIT(31));
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 1ull);

	/* Room again, but still overflowed: dropped. */
	t_fpop(t);
	t_access(t, pdb, 0x5000, &v, 4, false);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT) & 0xfffff, 3u);
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 2ull);

	/* Cleared: the next fault lands at PUT, which wraps. */
	t_wr32(t, T_FB_GET, 1 | BIT(31));
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_GET), 1u);
	t_access(t, pdb, 0x6000, &v, 4, true);
	KUNIT_EXPECT_EQ(test, t_rd32(t, T_FB_PUT), 0u);
	KUNIT_EXPECT_EQ(test, t_fpkt_at(t, 3).addr, 0x6000ull);
	KUNIT_EXPECT_EQ(test, t_fpkt_at(t, 3).access, 1u);
	/* The packets before the overflow are intact, in order. */
	for (i = 1; i < 3; i++)
		KUNIT_EXPECT_EQ(test, t_fpkt_at(t, i).addr, (i + 1) * 0x1000ull);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 6ull);

	/* A buffer in virtual mode (BAR2) is not modelled: lost. */
	t_wr32(t, T_FB_LO, T_FBUF);
	t_access(t, pdb, 0x7000, &v, 4, false);
	KUNIT_EXPECT_EQ(test, t->sim->faults_lost, 3ull);
}

/* nova_sim_mmu */

static void mmu_walk_4k(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va[] = { 0x12345000, t_high_va(t) + 0x1ff000 };
	u64 pa[] = { T_DATA + 0x7000, T_DATA + 0x3000 };
	struct nova_hw_xlate x;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(va); i++) {
		t_map4k(t, pdb, va[i], pa[i], false);
		t_fill(t, pa[i], i * 0x1000, SZ_4K);
	}
	for (i = 0; i < ARRAY_SIZE(va); i++) {
		x = t_xlate(t, pdb, va[i] + 0x123, true, false);
		KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
		KUNIT_EXPECT_EQ(test, x.pa, pa[i] + 0x123);
		KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_4K);
		KUNIT_EXPECT_FALSE(test, x.read_only);
		KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va[i] + 0x120),
				t_expect32(pa[i] + 0x120, i * 0x1000));
		/* The neighbour pages are unmapped. */
		KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va[i] ^ 0x1000, false),
				(u32)NOVA_FAULT_REASON_PTE);
	}
}

static void mmu_walk_64k(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = t_high_va(t) + 0x1f0000, pa = T_DATA + 0x50000;
	struct nova_hw_xlate x;

	t_map64k(t, pdb, va, pa, false);
	t_fill(t, pa, 7, SZ_64K);
	x = t_xlate(t, pdb, va + 0xabcd, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, x.pa, pa + 0xabcd);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va + 0xfffc),
			t_expect32(pa + 0xfffc, 7));
	/* The other big PTEs of the table are unmapped, no small PT. */
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va - SZ_64K, false),
			(u32)NOVA_FAULT_REASON_PTE);
}

static void mmu_walk_2m(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = t_high_va(t), pa = T_DATA + SZ_4M;
	struct nova_hw_xlate x;

	t_map2m(t, pdb, va, pa, false);
	t_fill(t, pa + 0x12000, 9, SZ_4K);
	x = t_xlate(t, pdb, va + 0x12345, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, x.pa, pa + 0x12345);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va + 0x12344),
			t_expect32(pa + 0x12344, 9));
	/* The next 2 MiB has an empty dual PDE. */
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_2M, false),
			(u32)NOVA_FAULT_REASON_PDE);
}

static void mmu_walk_512m(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x3ull << 29, slot;
	struct nova_hw_xlate x;

	if (!t->v3)
		kunit_skip(test, "512 MiB pages are MMU v3 only");

	slot = t_pd_slot(t, pdb, va, 29);
	t_wr64(t, slot, t_pte(t, 0, false));	/* IS_PTE = VALID = 1 */
	t_fill(t, 0x1234000, 3, SZ_4K);
	x = t_xlate(t, pdb, va + 0x1234567, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, x.pa, 0x1234567ull);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_512M);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va + 0x1234568),
			t_expect32(0x1234568, 3));
	/* A 512 MiB page at 512 MiB lies beyond VRAM. */
	t_wr64(t, slot + 8, t_pte(t, SZ_512M, false));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_512M, false),
			(u32)NOVA_FAULT_REASON_APERTURE);
}

static void mmu_sparse(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = t_high_va(t), lpte, pa = T_DATA;
	u8 buf[32];
	struct nova_hw_xlate x;

	t_fill(t, pa, 1, SZ_64K);

	/* A sparse small PTE. */
	t_map4k(t, pdb, va, pa, false);
	t_wr64(t, t_spte(t, pdb, va + 0x1000), t_pte_sparse(t));
	x = t_xlate(t, pdb, va + 0x1000, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_TRUE(test, x.sparse);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_4K);
	memset(buf, 0xff, sizeof(buf));
	/* Crosses from the mapped page into the sparse one. */
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x1000 - 16, buf, 32, false),
			0);
	KUNIT_EXPECT_EQ(test, *(u32 *)buf, t_expect32(pa + 0x1000 - 16, 1));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(buf + 16, 0, 16));
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x1000, buf, 32, true), 0);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 0ull);

	/* A sparse dual PDE. */
	t_wr64(t, t_pd0(t, pdb, va + SZ_2M), t_pde_sparse(t));
	x = t_xlate(t, pdb, va + SZ_2M + 0x5000, true, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_TRUE(test, x.sparse);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_2M);

	/* A sparse PDE at PD1 (VA[37:29]). */
	t_wr64(t, t_pd_slot(t, pdb, va + SZ_512M, 29), t_pde_sparse(t));
	x = t_xlate(t, pdb, va + SZ_512M, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_TRUE(test, x.sparse);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_512M);
	memset(buf, 0xff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + SZ_512M, buf, 8, false), 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(buf, 0, 8));

	/* A sparse big PTE hides valid small PTEs. */
	lpte = t_lpte(t, pdb, va + SZ_4M);
	t_map4k(t, pdb, va + SZ_4M, pa, false);
	t_wr64(t, lpte, t_pte_sparse(t));
	x = t_xlate(t, pdb, va + SZ_4M, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_TRUE(test, x.sparse);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 0ull);
}

/*
 * Engines read zeroes and drop writes through a sparse entry at each level,
 * without a fault, and the simulator counts the bytes; the HUB path faults.
 * Each level gets its own address space so that the entry written sparse
 * is the one the walk stops at.
 */
static void mmu_sparse_levels(struct kunit *test)
{
	static const u8 v2_shifts[] = { 12, 16, 21, 29, 38, 47 };
	static const u8 v3_shifts[] = { 12, 16, 21, 29, 38, 47, 56 };
	struct t *t = test->priv;
	const u8 *shifts = t->v3 ? v3_shifts : v2_shifts;
	unsigned int i, n = t->v3 ? ARRAY_SIZE(v3_shifts) :
				    ARRAY_SIZE(v2_shifts);
	u64 va = t_high_va(t) + SZ_64K + 0x1230;

	for (i = 0; i < n; i++) {
		unsigned int shift = shifts[i];
		struct nova_hw_counters before, after;
		struct nova_hw_xlate x;
		u64 pdb = t_alloc(t);
		u8 buf[24];

		switch (shift) {
		case 12:
			t_wr64(t, t_spte(t, pdb, va), t_pte_sparse(t));
			break;
		case 16:
			t_wr64(t, t_lpte(t, pdb, va), t_pte_sparse(t));
			break;
		case 21:
			t_wr64(t, t_pd0(t, pdb, va), t_pde_sparse(t));
			t_wr64(t, t_pd0(t, pdb, va) + 8, 0);
			break;
		default:
			t_wr64(t, t_pd_slot(t, pdb, va, shift),
			       t_pde_sparse(t));
			break;
		}

		x = t_xlate(t, pdb, va, false, false);
		KUNIT_EXPECT_EQ_MSG(test, x.fault_reason, 0u, "shift %u", shift);
		KUNIT_EXPECT_TRUE_MSG(test, x.sparse, "shift %u", shift);
		KUNIT_EXPECT_EQ_MSG(test, x.page_size, BIT_ULL(shift),
				    "shift %u", shift);
		x = t_xlate(t, pdb, va, true, true);
		KUNIT_EXPECT_EQ_MSG(test, x.fault_reason,
				    (u32)NOVA_FAULT_REASON_SPARSE,
				    "shift %u", shift);

		before = t_counters(t);
		memset(buf, 0xa5, sizeof(buf));
		KUNIT_EXPECT_EQ(test, t_access(t, pdb, va, buf, sizeof(buf),
					       true), 0);
		memset(buf, 0xff, sizeof(buf));
		KUNIT_EXPECT_EQ(test, t_access(t, pdb, va, buf, sizeof(buf),
					       false), 0);
		KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(buf, 0, sizeof(buf)),
				      "shift %u", shift);
		after = t_counters(t);
		KUNIT_EXPECT_EQ(test, after.sparse_read_bytes -
				before.sparse_read_bytes, (u64)sizeof(buf));
		KUNIT_EXPECT_EQ(test, after.sparse_write_bytes -
				before.sparse_write_bytes, (u64)sizeof(buf));
		/* The dropped write backed no VRAM, and nothing faulted. */
		KUNIT_EXPECT_EQ(test, after.vram_backed, before.vram_backed);
		KUNIT_EXPECT_EQ(test, after.faults, 0ull);
	}
}

static void mmu_invalid(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x40000000;
	u32 v;

	t_fbuf(t, 8);
	t_map4k(t, pdb, va, T_DATA, false);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + 0x3000, false),
			(u32)NOVA_FAULT_REASON_PTE);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_2M, false),
			(u32)NOVA_FAULT_REASON_PDE);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_1G, false),
			(u32)NOVA_FAULT_REASON_PDE);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 0ull);	/* probes */

	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x3000, &v, 4, false),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 1u);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).type, t_ftype(NOVA_FAULT_REASON_PTE));

	/* Bit 0 set in a PD2 entry: not a PDE (no large pages there). */
	t_wr64(t, t_pd_slot(t, pdb, SZ_1T, 38), t_pte(t, 0, false));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, SZ_1T, false),
			(u32)NOVA_FAULT_REASON_PDE);
}

static void mmu_big_small(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x7fe00000, lpte;
	struct nova_hw_xlate x;

	/* Both page tables; the big PTE is unmapped: small PTEs apply. */
	lpte = t_lpte(t, pdb, va);
	t_map4k(t, pdb, va + 0x1000, T_DATA + 0x9000, false);
	x = t_xlate(t, pdb, va + 0x1004, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, x.pa, T_DATA + 0x9004);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_4K);

	/* A big PTE marked invalid blocks the small ones. */
	t_map4k(t, pdb, va + SZ_64K, T_DATA + 0xa000, false);
	t_wr64(t, lpte + 8, t_big_pte_blocking(t));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_64K, false),
			(u32)NOVA_FAULT_REASON_PTE);

	/* A valid big PTE wins over a valid small PTE. */
	t_map4k(t, pdb, va + 2 * SZ_64K, T_DATA + 0xb000, false);
	t_wr64(t, lpte + 16, t_pte(t, T_DATA + SZ_1M, false));
	x = t_xlate(t, pdb, va + 2 * SZ_64K + 4, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, x.pa, T_DATA + SZ_1M + 4);
	KUNIT_EXPECT_EQ(test, x.page_size, (u64)SZ_64K);
}

static void mmu_read_only(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x100000, pa = T_DATA + 0x2000;
	struct nova_hw_xlate x;
	u32 v = 0x12345678;
	struct t_fpkt p;

	t_fbuf(t, 8);
	t_map4k(t, pdb, va, pa, true);
	t_map2m(t, pdb, SZ_1G, T_DATA + SZ_2M, true);
	t_fill(t, pa, 5, SZ_4K);
	x = t_xlate(t, pdb, va, false, false);
	KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
	KUNIT_EXPECT_TRUE(test, x.read_only);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va, true),
			(u32)NOVA_FAULT_REASON_RO);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, SZ_1G + 8, true),
			(u32)NOVA_FAULT_REASON_RO);
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 8, &v, 4, true), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va + 8),
			t_expect32(pa + 8, 5));
	p = t_fpeek(t);
	KUNIT_EXPECT_EQ(test, p.access, 1u);	/* VIRT_WRITE */
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_RO));
}

static void mmu_range(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	unsigned int bits = t->v3 ? 57 : 49;
	u32 v;

	t_fbuf(t, 8);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, BIT_ULL(bits), false),
			(u32)NOVA_FAULT_REASON_RANGE);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, U64_MAX & ~0xfffull, false),
			(u32)NOVA_FAULT_REASON_RANGE);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, BIT_ULL(bits) - SZ_4K, false),
			(u32)NOVA_FAULT_REASON_PDE);
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, BIT_ULL(bits), &v, 4, false),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).type, t_ftype(NOVA_FAULT_REASON_RANGE));
}

static void mmu_aperture(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x200000;

	/* A PTE to system memory. */
	t_wr64(t, t_spte(t, pdb, va), t_pte_sysmem(t, T_DATA));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va, false),
			(u32)NOVA_FAULT_REASON_APERTURE);
	/* A PTE beyond the end of VRAM, and the last page of VRAM. */
	t_map4k(t, pdb, va + 0x1000, T_VRAM, false);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + 0x1000, false),
			(u32)NOVA_FAULT_REASON_APERTURE);
	t_map4k(t, pdb, va + 0x2000, T_VRAM - SZ_4K, false);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va + 0x2000, false),
			(u64)T_VRAM - SZ_4K);
	/* A PDE to system memory (aperture SYS_NONCOH = 3). */
	t_wr64(t, t_pd_slot(t, pdb, SZ_1T, 38), t_pde(t, 0) | (3ull << 1));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, SZ_1T, false),
			(u32)NOVA_FAULT_REASON_APERTURE);
	/* A page table beyond VRAM. */
	t_wr64(t, t_pd0(t, pdb, va + SZ_2M) + 8, t_pde(t, SZ_1G));
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va + SZ_2M, false),
			(u32)NOVA_FAULT_REASON_APERTURE);
}

static void mmu_page_crossing(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x3000000, pa1 = T_DATA + 0x11000, pa2 = T_DATA + 0x5000;
	u8 in[32], out[32];
	unsigned int i;

	t_fbuf(t, 8);
	t_map4k(t, pdb, va, pa1, false);
	t_map4k(t, pdb, va + 0x1000, pa2, false);
	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x1000 - 16, in, 32, true),
			0);
	nsim_vram_read(t->sim, pa1 + 0x1000 - 16, out, 16);
	nsim_vram_read(t->sim, pa2, out + 16, 16);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 32), 0);
	memset(out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x1000 - 16, out, 32, false),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, 32), 0);
	/* Faults at the first unmapped byte. */
	KUNIT_EXPECT_EQ(test, t_access(t, pdb, va + 0x2000 - 4, out, 8, false),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).addr, va + 0x2000);
}

/* nova_sim_tlb */

static void tlb_stale_until_invalidate(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x10000000, pa1 = T_DATA, pa2 = T_DATA + 0x8000;
	struct nova_hw_counters c;

	t_fill(t, pa1, 100, SZ_4K);
	t_fill(t, pa2, 200, SZ_4K);
	t_map4k(t, pdb, va, pa1, false);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va), t_expect32(pa1, 100));
	c = t_counters(t);
	KUNIT_EXPECT_EQ(test, c.tlb_misses, 1ull);
	KUNIT_EXPECT_EQ(test, c.tlb_hits, 0ull);

	t_map4k(t, pdb, va, pa2, false);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va), t_expect32(pa1, 100));
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), pa1);
	c = t_counters(t);
	KUNIT_EXPECT_EQ(test, c.tlb_hits, 2ull);

	/* Unmapped but still cached. */
	t_wr64(t, t_spte(t, pdb, va), 0);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), pa1);

	t_map4k(t, pdb, va, pa2, false);
	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA);
	KUNIT_EXPECT_EQ(test, t_read32_va(t, pdb, va), t_expect32(pa2, 200));

	t_wr64(t, t_spte(t, pdb, va), 0);
	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va, false),
			(u32)NOVA_FAULT_REASON_PTE);
}

static void tlb_all_pdb(struct kunit *test)
{
	struct t *t = test->priv;
	u64 a = t_alloc(t), b = t_alloc(t);
	u64 va = 0x10000000;

	t_map4k(t, a, va, T_DATA, false);
	t_map4k(t, b, va, T_DATA + 0x1000, false);
	KUNIT_EXPECT_EQ(test, t_pa(t, a, va, false), (u64)T_DATA);
	KUNIT_EXPECT_EQ(test, t_pa(t, b, va, false), (u64)T_DATA + 0x1000);
	t_map4k(t, a, va, T_DATA + 0x2000, false);
	t_map4k(t, b, va, T_DATA + 0x3000, false);

	t_invalidate(t, a, NV_MMU_INVALIDATE_ALL_VA);
	KUNIT_EXPECT_EQ(test, t_pa(t, a, va, false), (u64)T_DATA + 0x2000);
	KUNIT_EXPECT_EQ(test, t_pa(t, b, va, false), (u64)T_DATA + 0x1000);

	/* ALL_PDB ignores the PDB registers. */
	t_invalidate(t, a, NV_MMU_INVALIDATE_ALL_VA |
		     NV_MMU_INVALIDATE_ALL_PDB);
	KUNIT_EXPECT_EQ(test, t_pa(t, b, va, false), (u64)T_DATA + 0x3000);
}

static void tlb_hub_only(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x20000, pa1 = T_DATA, pa2 = T_DATA + SZ_64K;

	t_map64k(t, pdb, va, pa1, false);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, true), pa1);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), pa1);
	t_map64k(t, pdb, va, pa2, false);

	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA |
		     NV_MMU_INVALIDATE_HUBTLB_ONLY);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, true), pa2);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), pa1);

	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), pa2);
}

static void tlb_pending(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x10000000;

	t_map4k(t, pdb, va, T_DATA, false);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA);
	t_map4k(t, pdb, va, T_DATA + 0x1000, false);

	t->sim->tlb_delay_us = 20000;
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB,
	       (u32)((pdb >> 12) << 4));
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB, 0);
	t_wr32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE,
	       NV_MMU_INVALIDATE_TRIGGER | NV_MMU_INVALIDATE_ALL_VA);
	/* Not done yet: the old translation is still used. */
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA);
	KUNIT_EXPECT_TRUE(test, t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE) &
			  NV_MMU_INVALIDATE_TRIGGER);
	msleep(40);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA + 0x1000);
	KUNIT_EXPECT_FALSE(test, t_rd32(t, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE) &
			   NV_MMU_INVALIDATE_TRIGGER);
}

static void tlb_no_all_va(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x10000000;

	t_map4k(t, pdb, va, T_DATA, false);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA);
	t_map4k(t, pdb, va, T_DATA + 0x1000, false);
	t_invalidate(t, pdb, 0);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA);
	KUNIT_EXPECT_EQ(test, t->sim->invalidates_unsupported, 1ull);
	KUNIT_EXPECT_EQ(test, t_counters(t).tlb_invalidates, 0ull);
}

static void tlb_sparse_cached(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	u64 va = 0x10000000;

	t_map4k(t, pdb, va + 0x1000, T_DATA, false);
	t_wr64(t, t_spte(t, pdb, va), t_pte_sparse(t));
	KUNIT_EXPECT_TRUE(test, t_xlate(t, pdb, va, false, false).sparse);
	t_map4k(t, pdb, va, T_DATA, false);
	KUNIT_EXPECT_TRUE(test, t_xlate(t, pdb, va, false, false).sparse);
	KUNIT_EXPECT_EQ(test, t_reason(t, pdb, va, false), 0u);
	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA);
	KUNIT_EXPECT_EQ(test, t_pa(t, pdb, va, false), (u64)T_DATA);
}

static void tlb_many_entries(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t_alloc(t);
	unsigned int i, n = 256, stale = 0;

	/* A few hundred translations cached: eviction must stay rare. */
	for (i = 0; i < n; i++)
		t_map4k(t, pdb, i * 0x1000ull, T_DATA + i * 0x1000ull, false);
	for (i = 0; i < n; i++)
		t_pa(t, pdb, i * 0x1000ull, false);
	for (i = 0; i < n; i++)
		t_map4k(t, pdb, i * 0x1000ull, T_DATA + SZ_1M + i * 0x1000ull,
			false);
	for (i = 0; i < n; i++)
		stale += t_pa(t, pdb, i * 0x1000ull, false) ==
			 T_DATA + i * 0x1000ull;
	KUNIT_EXPECT_GE(test, stale, n - n / 16);
}

/* nova_sim_pramin */

static void pramin_boundaries(struct kunit *test)
{
	struct t *t = test->priv;
	u64 moves = t_counters(t).pramin_moves;

	/* Window at 0x1f0000: covers 0x1f0000..0x2effff, across 2 MiB. */
	t_window(t, 0x1f0000);
	t_wr32(t, NV_PRAMIN + 0xfffc, 0x11111111);	/* 0x1ffffc */
	t_wr32(t, NV_PRAMIN + 0x10000, 0x22222222);	/* 0x200000 */
	t_wr32(t, NV_PRAMIN + 0xffffc, 0x33333333);	/* 0x2efffc */
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0x10000), 0x22222222u);

	t_window(t, 0x200000);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN), 0x22222222u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0xefffc), 0x33333333u);
	t_window(t, 0x2e0000);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0xfffc), 0x33333333u);
	/* 1 MiB aligned window: the last word is 0x1ffffc. */
	t_window(t, 0x100000);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0xffffc), 0x11111111u);
	KUNIT_EXPECT_EQ(test, t_counters(t).pramin_moves, moves + 4);

	/* Not moving the base is not a move. */
	t_window(t, 0x100000);
	KUNIT_EXPECT_EQ(test, t_counters(t).pramin_moves, moves + 4);
	KUNIT_EXPECT_EQ(test, t_rd32(t, t->sim->chip->window_reg), 0x10u);

	KUNIT_EXPECT_EQ(test, t_rd64(t, 0x1ffffc) & 0xffffffff, 0x11111111ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, 0x200000) & 0xffffffff, 0x22222222ull);
}

static void pramin_window_reg(struct kunit *test)
{
	struct t *t = test->priv;
	u32 reg = t->sim->chip->window_reg;

	t_wr32(t, reg, 0xffffffff);
	KUNIT_EXPECT_EQ(test, t_rd32(t, reg), t->v3 ? 0x3fffffu : 0x3ffffffu);
	if (t->v3)
		return;
	/* TARGET not VIDMEM: PRAMIN does not reach VRAM. */
	t_wr32(t, reg, (2u << 24) | 0x10);
	t_wr32(t, NV_PRAMIN, 0x5555);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN), (u32)NSIM_BAD_READ);
	t_wr32(t, reg, 0x10);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN), 0u);
}

static void pramin_beyond_vram(struct kunit *test)
{
	struct t *t = test->priv;
	u64 backed = nsim_vram_backed_bytes(t->sim);

	t_window(t, T_VRAM - SZ_64K);
	t_wr32(t, NV_PRAMIN + 0xfffc, 0xabcdef01);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0xfffc), 0xabcdef01u);
	t_wr32(t, NV_PRAMIN + 0x10000, 0x12345678);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0x10000), (u32)NSIM_BAD_READ);
	KUNIT_EXPECT_EQ(test, t->sim->pramin_bad, 2ull);
	/* Only the last chunk got backed. */
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
}

static void pramin_lazy(struct kunit *test)
{
	struct t *t = test->priv;
	u64 backed = nsim_vram_backed_bytes(t->sim);

	t_window(t, SZ_128M);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0x100), 0u);
	t_wr32(t, NV_PRAMIN + 0x100, 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, SZ_128M));
	t_wr32(t, NV_PRAMIN + 0x100, 1);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN + 0x100), 1u);
}

/* nova_sim_bar1 */

static int t_bar1(struct t *t, u64 off, bool write, unsigned long *pfn)
{
	return t->hw->ops->bar1_pfn(t->hw, off, write, pfn);
}

static void bar1_static_info(struct kunit *test)
{
	struct t *t = test->priv;
	struct nova_hw_static_info info;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t->hw->ops->get_static_info(t->hw, &info), 0);
	KUNIT_EXPECT_EQ(test, info.fb_usable_start, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, info.vram_end, (u64)T_VRAM);
	KUNIT_EXPECT_EQ(test, info.fb_usable_end, (u64)T_VRAM - SZ_16M);
	KUNIT_EXPECT_GE(test, info.bar1_pdb, info.fb_usable_end);
	KUNIT_EXPECT_LT(test, info.bar1_pdb, info.vram_end);
	KUNIT_EXPECT_EQ(test, info.bar1_pdb & 0xfff, 0ull);
	KUNIT_EXPECT_EQ(test, info.bar1_size, (u64)T_BAR1);
	KUNIT_EXPECT_TRUE(test, nsim_vram_is_backed(t->sim, info.bar1_pdb));
	for (i = 0; i < 512; i++)
		KUNIT_EXPECT_EQ(test, t_rd64(t, info.bar1_pdb + i * 8), 0ull);
}

static void bar1_unmapped(struct kunit *test)
{
	struct t *t = test->priv;
	unsigned long pfn;
	struct t_fpkt p;

	t_fbuf(t, 8);
	KUNIT_EXPECT_EQ(test, t_bar1(t, 0x10000, false, &pfn), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 1u);
	p = t_fpeek(t);
	KUNIT_EXPECT_EQ(test, p.addr, 0x10000ull);
	KUNIT_EXPECT_EQ(test, p.inst, t->sim->bar1_pdb);
	KUNIT_EXPECT_EQ(test, p.engine, t_eng_bar1(t));
	KUNIT_EXPECT_EQ(test, p.client, 7u);	/* HUB_HOST_CPU */
	KUNIT_EXPECT_EQ(test, p.hub, 1u);
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_PDE));

	KUNIT_EXPECT_EQ(test, t_bar1(t, T_BAR1, false, &pfn), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 1ull);
}

/* A CPU access through BAR1 has no "no memory": sparse faults (HUB). */
static void bar1_sparse(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t->sim->bar1_pdb;
	unsigned long pfn;
	struct t_fpkt p;

	t_fbuf(t, 8);
	t_wr64(t, t_spte(t, pdb, 0x10000), t_pte_sparse(t));
	t_wr64(t, t_pd0(t, pdb, SZ_2M), t_pde_sparse(t));
	KUNIT_EXPECT_EQ(test, t_bar1(t, 0x10000, false, &pfn), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_bar1(t, SZ_2M + 0x3000, true, &pfn), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 2u);
	p = t_fpeek(t);
	KUNIT_EXPECT_EQ(test, p.addr, 0x10000ull);
	KUNIT_EXPECT_EQ(test, p.engine, t_eng_bar1(t));
	/* No documented type for sparse: nova-sim reports an invalid PTE. */
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_SPARSE));
	t_fpop(t);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).addr, SZ_2M + 0x3000ull);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).access, 1u);
	KUNIT_EXPECT_EQ(test, t_counters(t).sparse_read_bytes, 0ull);
}

static void bar1_map(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t->sim->bar1_pdb;
	u64 pa = T_DATA + 0x5000, pa64 = T_DATA + SZ_8M;
	unsigned long pfn = 0;
	u32 *p;

	t_map4k(t, pdb, 0x20000, pa, false);
	t_map64k(t, pdb, 0x100000, pa64, false);
	t_fill(t, pa, 77, SZ_4K);

	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x20123, false, &pfn), 0);
	KUNIT_EXPECT_EQ(test, pfn, page_to_pfn(nsim_vram_page(t->sim, pa, true)));
	p = page_address(pfn_to_page(pfn));
	KUNIT_EXPECT_EQ(test, p[0x40], t_expect32(pa + 0x100, 77));

	/* A write through the CPU mapping lands in VRAM. */
	p[1] = 0xcafe;
	KUNIT_EXPECT_EQ(test, t_rd64(t, pa) >> 32, 0xcafeull);

	/* Backing on demand, with a sleeping allocation. */
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, pa64));
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x105000, true, &pfn), 0);
	KUNIT_EXPECT_TRUE(test, nsim_vram_is_backed(t->sim, pa64));
	KUNIT_EXPECT_EQ(test, pfn,
			page_to_pfn(nsim_vram_page(t->sim, pa64 + 0x5000, true)));
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 0ull);
}

static void bar1_stale_and_ro(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t->sim->bar1_pdb;
	unsigned long pfn1, pfn2, pfn;

	t_fbuf(t, 8);
	t_map4k(t, pdb, 0x3000, T_DATA, false);
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x3000, false, &pfn1), 0);
	t_map4k(t, pdb, 0x3000, T_DATA + 0x1000, true);
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x3000, true, &pfn), 0);
	KUNIT_EXPECT_EQ(test, pfn, pfn1);

	/* The GPC TLB is not the BAR1 path. */
	t_invalidate(t, pdb, NV_MMU_INVALIDATE_ALL_VA | NV_MMU_INVALIDATE_ALL_PDB |
		     NV_MMU_INVALIDATE_HUBTLB_ONLY);
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x3000, false, &pfn2), 0);
	KUNIT_EXPECT_EQ(test, pfn2, pfn1 + 1);
	KUNIT_EXPECT_EQ(test, t_bar1(t, 0x3000, true, &pfn), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).type, t_ftype(NOVA_FAULT_REASON_RO));
}

static void bar1_pramin_tables(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t->sim->bar1_pdb;
	unsigned long pfn;

	/* Page tables written through the PRAMIN window, as a driver does. */
	t->pramin = true;
	t_map4k(t, pdb, 0x7000, T_DATA + 0x3000, false);
	t_map2m(t, pdb, SZ_64M, T_DATA + SZ_32M, false);
	t->pramin = false;
	KUNIT_EXPECT_NE(test, t_rd64(t, pdb), 0ull);

	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x7000, false, &pfn), 0);
	KUNIT_EXPECT_EQ(test, pfn,
			page_to_pfn(nsim_vram_page(t->sim, T_DATA + 0x3000, true)));
	KUNIT_ASSERT_EQ(test, t_bar1(t, SZ_64M + 0x1ff000, true, &pfn), 0);
	KUNIT_EXPECT_EQ(test, pfn,
			page_to_pfn(nsim_vram_page(t->sim, T_DATA + SZ_32M + 0x1ff000,
						   true)));
	KUNIT_EXPECT_EQ(test, t_bar1(t, 0x8000, false, &pfn), -EFAULT);
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 1ull);
}

/*
 * A zero fill of a chunk whose pages were handed out through BAR1 keeps
 * the backing (zeroed, the handed-out page still the chunk's) as long as
 * a BAR1 PTE or a HUB TLB entry reaches the chunk, and releases it after.
 */
static void bar1_zero_fill_mapped(struct kunit *test)
{
	struct t *t = test->priv;
	u64 pdb = t->sim->bar1_pdb;
	u64 pa = T_DATA + 0x5000, pa2m = T_DATA + SZ_32M;
	u32 flags = NV_MMU_INVALIDATE_ALL_VA | NV_MMU_INVALIDATE_ALL_PDB |
		    NV_MMU_INVALIDATE_HUBTLB_ONLY;
	unsigned long pfn, pfn2;
	u64 backed;
	u32 *p;

	t_ce_fill_init(t);
	t_map4k(t, pdb, 0x20000, pa, false);
	t_fill(t, pa, 77, SZ_4K);
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x20000, true, &pfn), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_exposed_chunks(t->sim), 1ul);
	backed = nsim_vram_backed_bytes(t->sim);
	p = page_address(pfn_to_page(pfn));
	KUNIT_EXPECT_EQ(test, p[0], t_expect32(pa, 77));

	/* The BAR1 page tables map it (the HUB TLB is empty): kept. */
	t_invalidate(t, pdb, flags);
	KUNIT_EXPECT_EQ(test, t_ce_fill(t, T_DATA, NSIM_CHUNK_SIZE, 0),
			0);
	KUNIT_EXPECT_EQ(test, t_kept(t), 1l);
	KUNIT_EXPECT_EQ(test, t_released(t), 0l);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	KUNIT_EXPECT_EQ(test, p[0], 0u);
	KUNIT_EXPECT_EQ(test, p[1023], 0u);
	KUNIT_EXPECT_EQ(test, t_rd64(t, pa), 0ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, T_DATA), 0ull);
	/* The CPU page still is the VRAM page. */
	p[2] = 0x1234;
	KUNIT_EXPECT_EQ(test, t_rd64(t, pa + 8), 0x1234ull);
	KUNIT_EXPECT_EQ(test, page_to_pfn(nsim_vram_page(t->sim, pa, true)),
			pfn);

	/* PTE gone, but the HUB TLB still translates the offset: kept. */
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x20000, false, &pfn2), 0);
	KUNIT_EXPECT_EQ(test, pfn2, pfn);
	t_wr64(t, t_spte(t, pdb, 0x20000), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_fill(t->sim, T_DATA, 0, NSIM_CHUNK_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, t_kept(t), 2l);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	KUNIT_EXPECT_EQ(test, p[2], 0u);

	/* Nothing in BAR1 reaches it any more: the backing goes. */
	t_invalidate(t, pdb, flags);
	KUNIT_EXPECT_EQ(test, t_ce_fill(t, T_DATA, NSIM_CHUNK_SIZE, 0),
			0);
	KUNIT_EXPECT_EQ(test, t_released(t), 1l);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed - NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, pa));
	KUNIT_EXPECT_EQ(test, nsim_vram_exposed_chunks(t->sim), 0ul);
	KUNIT_EXPECT_EQ(test, t_rd64(t, pa + 8), 0ull);

	/* Mapped again: a new backing, all zeroes. */
	t_map4k(t, pdb, 0x20000, pa, false);
	KUNIT_ASSERT_EQ(test, t_bar1(t, 0x20000, false, &pfn2), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	p = page_address(pfn_to_page(pfn2));
	KUNIT_EXPECT_EQ(test, p[0], 0u);
	KUNIT_EXPECT_EQ(test, p[2], 0u);

	/* A 2 MiB BAR1 page reaches the whole chunk. */
	t_map2m(t, pdb, SZ_64M, pa2m, false);
	KUNIT_ASSERT_EQ(test, t_bar1(t, SZ_64M + 0x1ff000, true, &pfn), 0);
	t_invalidate(t, pdb, flags);
	KUNIT_EXPECT_EQ(test, nsim_vram_fill(t->sim, pa2m, 0, NSIM_CHUNK_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, t_kept(t), 3l);
	KUNIT_EXPECT_TRUE(test, nsim_vram_is_backed(t->sim, pa2m));

	/* Handed out, but no BAR1 offset maps it: released. */
	KUNIT_ASSERT_NOT_NULL(test, nsim_vram_page(t->sim, T_DATA + SZ_64M,
						   true));
	KUNIT_EXPECT_EQ(test, nsim_vram_fill(t->sim, T_DATA + SZ_64M, 0,
					     NSIM_CHUNK_SIZE), 0);
	KUNIT_EXPECT_EQ(test, t_released(t), 2l);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, T_DATA + SZ_64M));
	KUNIT_EXPECT_EQ(test, t_counters(t).faults, 0ull);
}

/* nova_sim_vram */

static void vram_zero_read(struct kunit *test)
{
	struct t *t = test->priv;
	u8 buf[64];

	/* Only the reserved chunk with the BAR1 root is backed at first. */
	KUNIT_EXPECT_EQ(test, t_counters(t).vram_backed, NSIM_CHUNK_SIZE);
	memset(buf, 0xff, sizeof(buf));
	nsim_vram_read(t->sim, SZ_128M - 32, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(buf, 0, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, t_counters(t).vram_backed, NSIM_CHUNK_SIZE);

	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, SZ_64M, buf, 64, false), 0);
	KUNIT_EXPECT_EQ(test, t_counters(t).vram_backed, NSIM_CHUNK_SIZE);
}

static void vram_write_backs(struct kunit *test)
{
	struct t *t = test->priv;
	u64 backed = nsim_vram_backed_bytes(t->sim);
	u8 buf[64];

	memset(buf, 0x5a, sizeof(buf));
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, SZ_64M, buf, 8, false), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, SZ_64M + SZ_1M, buf, 8,
					      false), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	/* Straddling two unbacked chunks backs both. */
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, SZ_128M - 32, buf, 64,
					      true), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 3 * NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, SZ_128M - 8), 0x5a5a5a5a5a5a5a5aull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, SZ_128M), 0x5a5a5a5a5a5a5a5aull);
}

static void vram_pool(struct kunit *test)
{
	struct t *t = test->priv;
	u64 backed = nsim_vram_backed_bytes(t->sim);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, nsim_pool_count(t->sim), (u32)NSIM_POOL_SIZE);
	/* More chunks than the pool holds, through the register path. */
	for (i = 0; i < 2 * NSIM_POOL_SIZE; i++) {
		t_window(t, SZ_32M + i * NSIM_CHUNK_SIZE);
		t_wr32(t, NV_PRAMIN, i + 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->sim->backing_failures), 0l);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 2 * NSIM_POOL_SIZE * NSIM_CHUNK_SIZE);
	for (i = 0; i < 2 * NSIM_POOL_SIZE; i++) {
		t_window(t, SZ_32M + i * NSIM_CHUNK_SIZE);
		KUNIT_EXPECT_EQ(test, t_rd32(t, NV_PRAMIN), i + 1);
	}
	flush_work(&t->sim->refill_work);
	KUNIT_EXPECT_EQ(test, nsim_pool_count(t->sim), (u32)NSIM_POOL_SIZE);
}

/* Zero fills over whole chunks give their backing back. */
static void vram_zero_fill_releases(struct kunit *test)
{
	struct t *t = test->priv;
	u64 a = SZ_64M, b = SZ_64M + NSIM_CHUNK_SIZE;
	__le64 one = cpu_to_le64(1);
	u64 backed;

	t_ce_fill_init(t);
	backed = nsim_vram_backed_bytes(t->sim);

	KUNIT_EXPECT_EQ(test, t_ce_fill(t, a, 2 * NSIM_CHUNK_SIZE, 0x5a5a5a5a),
			0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 2 * NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, b + 8), 0x5a5a5a5a5a5a5a5aull);

	/* A memset of one chunk on the copy engine. */
	KUNIT_EXPECT_EQ(test, t_ce_fill(t, a, NSIM_CHUNK_SIZE, 0),
			0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_counters(t).vram_backed,
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, a));
	KUNIT_EXPECT_TRUE(test, nsim_vram_is_backed(t->sim, b));
	KUNIT_EXPECT_EQ(test, t_rd64(t, a), 0ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, b - 8), 0ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, b), 0x5a5a5a5a5a5a5a5aull);
	KUNIT_EXPECT_EQ(test, t_released(t), 1l);

	/* nsim_vram_fill() itself, over an unbacked and a backed chunk. */
	KUNIT_EXPECT_EQ(test, nsim_vram_fill(t->sim, a, 0,
					     2 * NSIM_CHUNK_SIZE), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, b));
	KUNIT_EXPECT_EQ(test, t_rd64(t, b + 8), 0ull);
	KUNIT_EXPECT_EQ(test, t_released(t), 2l);
	KUNIT_EXPECT_EQ(test, t_kept(t), 0l);

	/* Backed again, zeroed, by the next non-zero write. */
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, a + 16, &one, 8, false),
			0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + 8), 0ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + 16), 1ull);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + 24), 0ull);
}

/* Zero fills that cover a chunk only in part write zeroes and keep it. */
static void vram_zero_fill_partial(struct kunit *test)
{
	struct t *t = test->priv;
	u64 a = SZ_64M, b = SZ_64M + NSIM_CHUNK_SIZE;
	u64 backed;

	t_ce_fill_init(t);
	backed = nsim_vram_backed_bytes(t->sim);

	t_fill(t, a, 3, SZ_4K);
	t_fill(t, b - SZ_4K, 4, SZ_4K);
	t_fill(t, b, 5, SZ_4K);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 2 * NSIM_CHUNK_SIZE);

	/* All of the first chunk but its first 4 KiB. */
	KUNIT_EXPECT_EQ(test, t_ce_fill(t, a + SZ_4K, NSIM_CHUNK_SIZE - SZ_4K,
					0), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 2 * NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + 0x100) & 0xffffffff,
			(u64)t_expect32(a + 0x100, 3));
	KUNIT_EXPECT_EQ(test, t_rd64(t, b - 8), 0ull);

	/* A chunk's length straddling two chunks covers neither. */
	KUNIT_EXPECT_EQ(test, nsim_vram_fill(t->sim, a + SZ_1M, 0,
					     NSIM_CHUNK_SIZE), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + 2 * NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + 0x100) & 0xffffffff,
			(u64)t_expect32(a + 0x100, 3));
	KUNIT_EXPECT_EQ(test, t_rd64(t, b), 0ull);
	KUNIT_EXPECT_EQ(test, t_released(t), 0l);
	KUNIT_EXPECT_EQ(test, t_kept(t), 0l);
}

/* A write of a chunk's worth of zeroes releases the chunk too. */
static void vram_zero_write_releases(struct kunit *test)
{
	struct t *t = test->priv;
	u64 backed = nsim_vram_backed_bytes(t->sim);
	u64 a = SZ_64M;
	void *zero;

	zero = kunit_kzalloc(test, NSIM_CHUNK_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zero);
	t_fill(t, a, 6, SZ_64K);
	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, a + SZ_4K, zero,
					      NSIM_CHUNK_SIZE - SZ_4K, true), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim),
			backed + NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, t_rd64(t, a) & 0xffffffff,
			(u64)t_expect32(a, 6));
	KUNIT_EXPECT_EQ(test, t_rd64(t, a + SZ_4K), 0ull);

	KUNIT_EXPECT_EQ(test, nsim_vram_write(t->sim, a, zero, NSIM_CHUNK_SIZE,
					      false), 0);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(t->sim), backed);
	KUNIT_EXPECT_FALSE(test, nsim_vram_is_backed(t->sim, a));
	KUNIT_EXPECT_EQ(test, t_rd64(t, a), 0ull);
	KUNIT_EXPECT_EQ(test, t_released(t), 1l);
}

static void vram_huge(struct kunit *test)
{
	struct t *t = test->priv;
	u64 size = 80ull << 30;
	struct nsim *big;
	struct t tb;
	ktime_t t0 = ktime_get();

	big = nsim_create(t->param->name, size, T_BAR1, -1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 2000ll);
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(big), NSIM_CHUNK_SIZE);
	KUNIT_EXPECT_EQ(test, big->bar1_pdb, size - SZ_16M);

	tb = *t;
	tb.sim = big;
	tb.hw = &big->hw;
	t_window(&tb, size - SZ_64K);
	t_wr32(&tb, NV_PRAMIN + 0xfff0, 0x80808080);
	KUNIT_EXPECT_EQ(test, t_rd32(&tb, NV_PRAMIN + 0xfff0), 0x80808080u);
	t_window(&tb, SZ_64G);
	t_wr32(&tb, NV_PRAMIN, 0x64);
	KUNIT_EXPECT_EQ(test, t_rd32(&tb, NV_PRAMIN), 0x64u);
	/* The root's chunk, the last chunk and the one at 64 GiB. */
	KUNIT_EXPECT_EQ(test, nsim_vram_backed_bytes(big), 3 * NSIM_CHUNK_SIZE);
	nsim_destroy(big);
}

/*
 * nova_sim_host: channels built as a driver builds them (page tables,
 * ring, USERD and pushbuffers in VRAM, the firmware call, the doorbell),
 * with pushbuffer words encoded here from the reference
 * (exec-sparse-facts.md: method header, GP entry, host and copy methods).
 */

#define H_RING_VA	0x100000ull
#define H_RING_PA	(T_DATA + 0x0000)
#define H_USERD		(T_DATA + 0x8000)
#define H_PB_VA		0x200000ull
#define H_PB_PA		(T_DATA + 0x10000)
#define H_PB_PAGES	8
#define H_SEM_VA	0x300000ull
#define H_SEM_PA	(T_DATA + 0x20000)
#define H_SRC_VA	0x400000ull		/* 16 4 KiB pages */
#define H_SRC_PA	(T_DATA + 0x100000)
#define H_DST_VA	0x1000000ull		/* 2 64 KiB pages */
#define H_DST_PA	(T_DATA + 0x200000)
#define H_UNMAPPED_VA	0x5000000ull

#define H_SUBC		4

struct th {
	struct t *t;
	u64 pdb;
	u32 token;
	u32 entries;
	u32 put;
	u32 pos;	/* next pushbuffer word */
	u32 start;	/* first word of the segment being built */
};

static u32 th_ce_class(struct t *t)
{
	return t->v3 ? 0xc8b5 : 0xc7b5;
}

/* A channel; @privileged: may address physical VRAM (a kernel channel). */
static void th_setup_priv(struct t *t, struct th *h, u32 entries,
			  bool privileged)
{
	struct nova_hw_channel_args a = {};
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->t = t;
	h->entries = entries;
	h->pdb = t_alloc(t);
	t_map4k(t, h->pdb, H_RING_VA, H_RING_PA, false);
	for (i = 0; i < H_PB_PAGES; i++)
		t_map4k(t, h->pdb, H_PB_VA + i * SZ_4K, H_PB_PA + i * SZ_4K,
			false);
	t_map4k(t, h->pdb, H_SEM_VA, H_SEM_PA, false);
	for (i = 0; i < 16; i++)
		t_map4k(t, h->pdb, H_SRC_VA + i * SZ_4K, H_SRC_PA + i * SZ_4K,
			false);
	t_map64k(t, h->pdb, H_DST_VA, H_DST_PA, false);
	t_map64k(t, h->pdb, H_DST_VA + SZ_64K, H_DST_PA + SZ_64K, false);

	a.hclass = t->v3 ? 0xc86f : 0xc56f;
	a.pdb = h->pdb;
	a.gpfifo_va = H_RING_VA;
	a.gpfifo_entries = entries;
	a.userd = H_USERD;
	a.privileged = privileged;
	KUNIT_ASSERT_EQ(t->test,
			t->hw->ops->channel_alloc(t->hw, &a, &h->token), 0);
}

static void th_setup(struct t *t, struct th *h, u32 entries)
{
	th_setup_priv(t, h, entries, true);
}

static void th_free(struct th *h)
{
	h->t->hw->ops->channel_free(h->t->hw, h->token);
}

static void th_vram_wr32(struct t *t, u64 pa, u32 v)
{
	__le32 le = cpu_to_le32(v);

	KUNIT_ASSERT_EQ(t->test, nsim_vram_write(t->sim, pa, &le, 4, true), 0);
}

static u32 th_vram_rd32(struct t *t, u64 pa)
{
	__le32 le;

	nsim_vram_read(t->sim, pa, &le, 4);

	return le32_to_cpu(le);
}

static u64 th_vram_rd64(struct t *t, u64 pa)
{
	return th_vram_rd32(t, pa) | (u64)th_vram_rd32(t, pa + 4) << 32;
}

static void th_word(struct th *h, u32 w)
{
	KUNIT_ASSERT_LT(h->t->test, h->pos, H_PB_PAGES * SZ_4K / 4u);
	th_vram_wr32(h->t, H_PB_PA + h->pos * 4ull, w);
	h->pos++;
}

/* INC method header (SEC_OP 1) and its data. */
static void th_inc(struct th *h, u32 subc, u32 mthd, u32 n, const u32 *data)
{
	u32 i;

	th_word(h, (1u << 29) | (n << 16) | (subc << 13) | (mthd >> 2));
	for (i = 0; i < n; i++)
		th_word(h, data[i]);
}

static void th_m(struct th *h, u32 subc, u32 mthd, u32 v)
{
	th_inc(h, subc, mthd, 1, &v);
}

static void th_m2(struct th *h, u32 subc, u32 mthd, u32 v0, u32 v1)
{
	u32 d[2] = { v0, v1 };

	th_inc(h, subc, mthd, 2, d);
}

/* A GP entry for the words since the last submit, GP_PUT, doorbell. */
static void th_submit(struct th *h)
{
	struct t *t = h->t;
	u64 va = H_PB_VA + h->start * 4ull;
	u64 slot = H_RING_PA + h->put * 8ull;

	th_vram_wr32(t, slot, lower_32_bits(va));
	th_vram_wr32(t, slot + 4, upper_32_bits(va) |
		     ((h->pos - h->start) << 10));
	h->start = h->pos;
	h->put = (h->put + 1) % h->entries;
	th_vram_wr32(t, H_USERD + 0x8c, h->put);
}

static void th_doorbell(struct th *h)
{
	t_wr32(h->t, 0x810090, h->token);
	nsim_host_flush(h->t->sim);
}

static u32 th_gp_get(struct th *h)
{
	return th_vram_rd32(h->t, H_USERD + 0x88);
}

static enum nsim_chan_state th_state(struct th *h, enum nsim_chan_error *e,
				     u64 *va)
{
	return nsim_chan_status(h->t->sim, h->token, e, va);
}

static void th_expect_idle(struct th *h)
{
	enum nsim_chan_error e;

	KUNIT_EXPECT_EQ(h->t->test, th_state(h, &e, NULL), NSIM_CHAN_IDLE);
	KUNIT_EXPECT_EQ(h->t->test, e, NSIM_CHAN_ERR_NONE);
	KUNIT_EXPECT_EQ(h->t->test, th_gp_get(h), h->put);
}

static void th_expect_error(struct th *h, enum nsim_chan_error want)
{
	enum nsim_chan_error e;

	KUNIT_EXPECT_EQ(h->t->test, th_state(h, &e, NULL), NSIM_CHAN_ERROR);
	KUNIT_EXPECT_EQ(h->t->test, e, want);
}

/* Copy engine. */
#define C_SEM_A		0x240
#define C_LAUNCH	0x300
#define C_OFFSET_IN	0x400
#define C_OFFSET_OUT	0x408
#define C_PITCH_IN	0x410
#define C_LINE_LENGTH	0x418
#define C_REMAP_CONST_A	0x700
#define C_REMAP_COMP	0x708

#define L_NON_PIPELINED	2u
#define L_FLUSH		BIT(2)
#define L_SEM_ONE_WORD	BIT(3)
#define L_SEM_FOUR_WORD	(2u << 3)
#define L_SRC_PITCH	BIT(7)
#define L_DST_PITCH	BIT(8)
#define L_MULTI_LINE	BIT(9)
#define L_REMAP		BIT(10)
#define L_SRC_PHYS	BIT(12)
#define L_DST_PHYS	BIT(13)
#define L_SEM_64	BIT(27)

static void th_ce_copy(struct th *h, u64 src, u64 dst, u32 pitch_in,
		       u32 pitch_out, u32 len, u32 lines, u32 extra)
{
	u32 d[4];

	d[0] = upper_32_bits(src);
	d[1] = lower_32_bits(src);
	d[2] = upper_32_bits(dst);
	d[3] = lower_32_bits(dst);
	th_inc(h, H_SUBC, C_OFFSET_IN, 4, d);
	d[0] = pitch_in;
	d[1] = pitch_out;
	d[2] = len;
	d[3] = lines;
	th_inc(h, H_SUBC, C_PITCH_IN, 4, d);
	th_m(h, H_SUBC, C_LAUNCH, L_NON_PIPELINED | L_FLUSH | L_SRC_PITCH |
	     L_DST_PITCH | (lines > 1 ? L_MULTI_LINE : 0) | extra);
}

static void th_ce_sem(struct th *h, u64 va, u64 payload)
{
	u32 d[4] = { upper_32_bits(va), lower_32_bits(va), lower_32_bits(payload),
		     upper_32_bits(payload) };

	th_inc(h, H_SUBC, C_SEM_A, 4, d);
}

/* memset of @n 32-bit words: the nvk idiom. */
static void th_ce_memset(struct th *h, u64 dst, u32 n, u32 value, u32 extra)
{
	u32 d[4];

	th_m(h, H_SUBC, C_REMAP_CONST_A, value);
	/* DST_X..W = CONST_A, COMPONENT_SIZE 4, one src and dst component */
	th_m(h, H_SUBC, C_REMAP_COMP, 0x4444 | (3 << 16));
	th_m2(h, H_SUBC, C_OFFSET_OUT, upper_32_bits(dst), lower_32_bits(dst));
	d[0] = SZ_128K;
	d[1] = SZ_128K;
	d[2] = n;
	d[3] = 1;
	th_inc(h, H_SUBC, C_PITCH_IN, 4, d);
	th_m(h, H_SUBC, C_LAUNCH, L_NON_PIPELINED | L_FLUSH | L_SRC_PITCH |
	     L_DST_PITCH | L_REMAP | extra);
}

/* Host semaphore methods, 0x5c..0x6c. */
static void th_sem(struct th *h, u64 va, u64 payload, u32 exec)
{
	u32 d[5] = { lower_32_bits(va), upper_32_bits(va),
		     lower_32_bits(payload), upper_32_bits(payload), exec };

	th_inc(h, 0, 0x5c, 5, d);
}

#define S_ACQUIRE	0
#define S_RELEASE	1
#define S_ACQ_GEQ	2
#define S_64		BIT(24)

static void host_copy(struct kunit *test)
{
	struct t *t = test->priv;
	u32 got[64];
	struct th h;
	unsigned int i, l;

	th_setup(t, &h, 8);
	t_fill(t, H_SRC_PA, 0x1000, SZ_64K);

	/* Set the class, copy 0x3000 bytes from 0x800 into a page. */
	th_m(&h, H_SUBC, 0, th_ce_class(t));
	th_ce_sem(&h, H_SEM_VA, 0x1234);
	th_ce_copy(&h, H_SRC_VA + 0x800, H_DST_VA + 0xf000, 0, 0, 0x3000, 1,
		   L_SEM_ONE_WORD);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	for (i = 0; i < 0x3000; i += 0x7fc)
		KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0xf000 + i),
				t_expect32(H_SRC_PA + 0x800 + i, 0x1000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0xf000 + 0x3000), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA), 0x1234u);

	/* Three pitched lines of 0x100 bytes. */
	th_ce_copy(&h, H_SRC_VA + 0x40, H_DST_VA + 0x18000, 0x1000, 0x800,
		   0x100, 3, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	for (l = 0; l < 3; l++) {
		nsim_vram_read(t->sim, H_DST_PA + 0x18000 + l * 0x800, got,
			       0x100);
		for (i = 0; i < 64; i++)
			KUNIT_EXPECT_EQ(test, got[i],
					t_expect32(H_SRC_PA + 0x40 + l * 0x1000 +
						   i * 4, 0x1000));
		/* Nothing between the lines. */
		KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x18000 +
						   l * 0x800 + 0x100), 0u);
	}
	th_free(&h);
}

static void host_memset(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;
	unsigned int i;

	th_setup(t, &h, 8);
	/* 5000 words from 0xff0: crosses the 64 KiB page boundary. */
	th_ce_memset(&h, H_DST_VA + SZ_64K - 0x10, 5000, 0xcafef00d, 0);
	/* And a physical LOCAL_FB memset, as a VRAM scrub does. */
	th_m(&h, H_SUBC, 0x264, 0);	/* SET_DST_PHYS_MODE LOCAL_FB */
	th_ce_memset(&h, H_DST_PA + 0x100, 4, 0x5a5a5a5a, L_DST_PHYS);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	for (i = 0; i < 5000; i += 7)
		KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + SZ_64K - 0x10 +
						   i * 4), 0xcafef00du);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + SZ_64K - 0x10 +
					   4999 * 4), 0xcafef00du);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + SZ_64K - 0x10 +
					   5000 * 4), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + SZ_64K - 0x14), 0u);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x100 + i * 4),
				0x5a5a5a5au);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x110), 0u);
	th_free(&h);
}

static void host_semaphores(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;

	th_setup(t, &h, 8);
	th_sem(&h, H_SEM_VA, 0xaabbccdd11223344ull, S_RELEASE);
	th_sem(&h, H_SEM_VA + 8, 0x1122334455667788ull, S_RELEASE | S_64);
	/* IMMD_DATA NOP and a zero word (NOP). */
	th_word(&h, (4u << 29) | (0x123 << 16) | (0x8 >> 2));
	th_word(&h, 0);
	/* Copy-engine release, two words. */
	th_ce_sem(&h, H_SEM_VA + 16, 0x0102030405060708ull);
	th_m(&h, H_SUBC, C_LAUNCH, L_SEM_ONE_WORD | L_SEM_64);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA), 0x11223344u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 4), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd64(t, H_SEM_PA + 8),
			0x1122334455667788ull);
	KUNIT_EXPECT_EQ(test, th_vram_rd64(t, H_SEM_PA + 16),
			0x0102030405060708ull);
	th_free(&h);
}

static void host_acquire(struct kunit *test)
{
	struct t *t = test->priv;
	struct nova_hw_channel_args a;
	enum nsim_chan_error e;
	struct th h, h2;
	u64 va;

	th_setup(t, &h, 8);
	th_sem(&h, H_SEM_VA, 5, S_ACQUIRE);
	th_sem(&h, H_SEM_VA + 0x10, 1, S_RELEASE);
	th_submit(&h);
	th_sem(&h, H_SEM_VA + 0x20, 0x100000000ull, S_ACQ_GEQ | S_64);
	th_sem(&h, H_SEM_VA + 0x10, 2, S_RELEASE);
	th_submit(&h);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, NULL), NSIM_CHAN_WAITING);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x10), 0u);

	/* The wrong value, then the right one from the CPU. */
	th_vram_wr32(t, H_SEM_PA, 4);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, NULL), NSIM_CHAN_WAITING);
	th_vram_wr32(t, H_SEM_PA, 5);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, NULL), NSIM_CHAN_WAITING);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 1u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x10), 1u);

	/* 64-bit GEQ: 0xffffffff is less than 1 << 32. */
	th_vram_wr32(t, H_SEM_PA + 0x20, 0xffffffff);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, NULL), NSIM_CHAN_WAITING);

	/* A release by another channel, sharing the VM, satisfies it. */
	memset(&h2, 0, sizeof(h2));
	h2.t = t;
	h2.pos = 0x800;
	h2.start = 0x800;
	th_sem(&h2, H_SEM_VA + 0x20, 0x100000001ull, S_RELEASE | S_64);
	a.hclass = t->v3 ? 0xc86f : 0xc56f;
	a.pdb = h.pdb;
	a.gpfifo_va = H_RING_VA + 0x800;
	a.gpfifo_entries = 4;
	a.userd = H_USERD + 0x200;
	KUNIT_ASSERT_EQ(test, t->hw->ops->channel_alloc(t->hw, &a, &h2.token),
			0);
	KUNIT_EXPECT_NE(test, h2.token, h.token);
	va = H_PB_VA + 0x800 * 4;
	th_vram_wr32(t, H_RING_PA + 0x800, lower_32_bits(va));
	th_vram_wr32(t, H_RING_PA + 0x804, upper_32_bits(va) |
		     ((h2.pos - 0x800) << 10));
	th_vram_wr32(t, H_USERD + 0x200 + 0x8c, 1);
	t_wr32(t, 0x810090, h2.token);
	nsim_host_flush(t->sim);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_USERD + 0x200 + 0x88), 1u);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x10), 2u);
	t->hw->ops->channel_free(t->hw, h2.token);
	th_free(&h);
}

static void host_fault(struct kunit *test)
{
	struct t *t = test->priv;
	enum nsim_chan_error e;
	struct t_fpkt p;
	struct th h;
	u64 va;

	th_setup(t, &h, 8);
	t_fbuf(t, 8);
	th_ce_copy(&h, H_SRC_VA, H_UNMAPPED_VA + 0x40, 0, 0, 0x100, 1, 0);
	th_sem(&h, H_SEM_VA, 1, S_RELEASE);
	th_submit(&h);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, &va), NSIM_CHAN_ERROR);
	KUNIT_EXPECT_EQ(test, e, NSIM_CHAN_ERR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, va, H_UNMAPPED_VA + 0x40);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA), 0u);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 1u);
	p = t_fpeek(t);
	KUNIT_EXPECT_TRUE(test, p.valid);
	KUNIT_EXPECT_EQ(test, p.addr, H_UNMAPPED_VA);	/* the 4 KiB page */
	KUNIT_EXPECT_EQ(test, p.inst, h.pdb);
	KUNIT_EXPECT_EQ(test, p.access, 1u);		/* VIRT_WRITE */
	KUNIT_EXPECT_NE(test, t_reason(t, h.pdb, H_UNMAPPED_VA, true), 0u);
	KUNIT_EXPECT_EQ(test, p.type,
			t_ftype(t_reason(t, h.pdb, H_UNMAPPED_VA, true)));
	KUNIT_EXPECT_EQ(test, p.engine, t_eng_ce0(t));
	KUNIT_EXPECT_EQ(test, p.client, 1u);		/* HUB_CE0 */

	/* A stopped channel stays stopped. */
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 0u);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 1u);
	th_free(&h);

	/* A write to a read-only page. */
	th_setup(t, &h, 8);
	t_map4k(t, h.pdb, H_SEM_VA + SZ_4K, H_SEM_PA + SZ_4K, true);
	th_sem(&h, H_SEM_VA + SZ_4K, 1, S_RELEASE);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 2u);
	t_fpop(t);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).type, t_ftype(NOVA_FAULT_REASON_RO));
	KUNIT_EXPECT_EQ(test, t_fpeek(t).inst, h.pdb);
	th_free(&h);
}

static void host_bad_method(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;

	/* A class the engine does not have. */
	th_setup(t, &h, 8);
	th_m(&h, H_SUBC, 0, th_ce_class(t));
	th_submit(&h);
	th_m(&h, H_SUBC, 0, 0xc6b5);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_ILLEGAL_CLASS);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 1u);
	th_free(&h);

	/* A copy method that does not exist. */
	th_setup(t, &h, 8);
	th_m(&h, H_SUBC, 0x104, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_BAD_METHOD);
	th_free(&h);

	/* A host method that does not exist. */
	th_setup(t, &h, 8);
	th_m(&h, 0, 0xfc, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_BAD_METHOD);
	th_free(&h);

	/* Block-linear source: unsupported. */
	th_setup(t, &h, 8);
	th_ce_copy(&h, H_SRC_VA, H_DST_VA, 0, 0, 0x100, 1, 0);
	h.pos--;
	th_word(&h, L_NON_PIPELINED | L_DST_PITCH);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA), 0u);
	th_free(&h);

	/* A reserved SEC_OP. */
	th_setup(t, &h, 8);
	th_word(&h, 6u << 29);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_BAD_HEADER);
	th_free(&h);
}

static void host_ring_wrap(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;
	unsigned int i;

	th_setup(t, &h, 4);
	for (i = 1; i <= 10; i++) {
		/* ONE_INC: SEM_ADDR_LO, then the rest to SEM_ADDR_HI. */
		th_sem(&h, H_SEM_VA, i, S_RELEASE);
		th_word(&h, (7u << 29));	/* END_PB_SEGMENT */
		th_word(&h, 0xffffffff);	/* never decoded */
		th_submit(&h);
		th_doorbell(&h);
		th_expect_idle(&h);
		KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA), i);
	}
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 10u % 4);

	/* ONE_INC and NON_INC headers. */
	th_word(&h, (5u << 29) | (2 << 16) | (0x5c >> 2));
	th_word(&h, lower_32_bits(H_SEM_VA + 4));
	th_word(&h, upper_32_bits(H_SEM_VA + 4));
	th_word(&h, (3u << 29) | (2 << 16) | (0x64 >> 2));
	th_word(&h, 0x111);
	th_word(&h, 0x222);	/* the last write wins */
	th_m(&h, 0, 0x6c, S_RELEASE);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 4), 0x222u);
	th_free(&h);
}

/* The copy engine translates through the GPC TLB: stale until invalidated. */
static void host_tlb_stale(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;

	th_setup(t, &h, 8);
	th_ce_memset(&h, H_SRC_VA + 0x3000, 1, 0x11111111, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SRC_PA + 0x3000), 0x11111111u);

	/* Remap the page without invalidating: the engine uses the old one. */
	t_map4k(t, h.pdb, H_SRC_VA + 0x3000, H_SRC_PA + 0x20000, false);
	th_ce_memset(&h, H_SRC_VA + 0x3000, 1, 0x22222222, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SRC_PA + 0x3000), 0x22222222u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SRC_PA + 0x20000), 0u);

	t_invalidate(t, h.pdb, NV_MMU_INVALIDATE_ALL_VA);
	th_ce_memset(&h, H_SRC_VA + 0x3000, 1, 0x33333333, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SRC_PA + 0x3000), 0x22222222u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SRC_PA + 0x20000), 0x33333333u);
	th_free(&h);
}

/* A copy across 4 KiB, 64 KiB and 2 MiB pages, and a four-word release. */
static void host_page_crossing(struct kunit *test)
{
	struct t *t = test->priv;
	u64 va2m = 0x4200000, pa2m = T_DATA + 0x400000;
	u32 got[8];
	struct th h;
	unsigned int i;

	th_setup(t, &h, 8);
	t_fill(t, H_SRC_PA, 0x2000, SZ_64K);
	/* 64 KiB page, then a 4 KiB page in the same 2 MiB. */
	t_map4k(t, h.pdb, H_DST_VA + 0x20000, T_DATA + 0x300000, false);
	/* A 4 KiB page, then a 2 MiB page. */
	t_map4k(t, h.pdb, va2m - SZ_4K, T_DATA + 0x301000, false);
	t_map2m(t, h.pdb, va2m, pa2m, false);

	th_ce_copy(&h, H_SRC_VA + 0x100, H_DST_VA + 0x1f800, 0, 0, 0x1000, 1,
		   0);
	th_ce_copy(&h, H_SRC_VA + 0x2100, va2m - 0x800, 0, 0, 0x1000, 1, 0);
	th_ce_sem(&h, H_SEM_VA + 0x40, 0x77);
	th_m(&h, H_SUBC, C_LAUNCH, L_SEM_FOUR_WORD);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);

	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x1f800),
			t_expect32(H_SRC_PA + 0x100, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x1fffc),
			t_expect32(H_SRC_PA + 0x8fc, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, T_DATA + 0x300000),
			t_expect32(H_SRC_PA + 0x900, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, T_DATA + 0x3007fc),
			t_expect32(H_SRC_PA + 0x10fc, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, T_DATA + 0x301800),
			t_expect32(H_SRC_PA + 0x2100, 0x2000));
	nsim_vram_read(t->sim, pa2m, got, sizeof(got));
	for (i = 0; i < ARRAY_SIZE(got); i++)
		KUNIT_EXPECT_EQ(test, got[i],
				t_expect32(H_SRC_PA + 0x2900 + i * 4, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, pa2m + 0x7fc),
			t_expect32(H_SRC_PA + 0x30fc, 0x2000));
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, pa2m + 0x800), 0u);

	/* Four words: payload, 0, then a timestamp. */
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x40), 0x77u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x44), 0u);
	KUNIT_EXPECT_NE(test, th_vram_rd64(t, H_SEM_PA + 0x48), 0ull);
	th_free(&h);
}

/* The host's own fetches fault too; physical addresses beyond VRAM. */
static void host_fetch_fault(struct kunit *test)
{
	struct t *t = test->priv;
	enum nsim_chan_error e;
	struct t_fpkt p;
	struct th h;
	u64 va;

	/* A GP entry pointing at an unmapped pushbuffer. */
	th_setup(t, &h, 8);
	t_fbuf(t, 8);
	th_vram_wr32(t, H_RING_PA, lower_32_bits(H_UNMAPPED_VA));
	th_vram_wr32(t, H_RING_PA + 4, upper_32_bits(H_UNMAPPED_VA) | 4 << 10);
	th_vram_wr32(t, H_USERD + 0x8c, 1);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, &va), NSIM_CHAN_ERROR);
	KUNIT_EXPECT_EQ(test, e, NSIM_CHAN_ERR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, va, H_UNMAPPED_VA);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 0u);
	KUNIT_EXPECT_EQ(test, t_fpeek(t).access, 0u);	/* VIRT_READ */
	KUNIT_EXPECT_EQ(test, t_fpeek(t).addr, H_UNMAPPED_VA);
	th_free(&h);

	/* GP_PUT beyond the ring. */
	th_setup(t, &h, 8);
	th_vram_wr32(t, H_USERD + 0x8c, 8);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_BAD_GP_PUT);
	th_free(&h);

	/* A physical memset that runs off the end of VRAM. */
	th_setup(t, &h, 8);
	th_m(&h, H_SUBC, 0x264, 0);
	th_ce_memset(&h, T_VRAM - 8, 4, 1, L_DST_PHYS);
	th_submit(&h);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, &va), NSIM_CHAN_ERROR);
	KUNIT_EXPECT_EQ(test, e, NSIM_CHAN_ERR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, va, (u64)T_VRAM - 8);
	KUNIT_EXPECT_EQ(test, t_fcount(t), 2u);
	t_fpop(t);
	p = t_fpeek(t);
	KUNIT_EXPECT_EQ(test, p.type, t_ftype(NOVA_FAULT_REASON_APERTURE));
	KUNIT_EXPECT_EQ(test, p.access, 9u);		/* PHYS_WRITE */
	KUNIT_EXPECT_EQ(test, p.addr, (u64)T_VRAM - SZ_4K);
	th_free(&h);
}

/* The interrupt line: a handler that reads and acknowledges the causes. */
struct ti {
	struct t *t;
	unsigned int calls;
	u32 causes;
	u32 stopped[NVSIM_CHAN_STOPPED_WORDS];
	u32 error;
	u32 error_chid;
};

static void ti_handler(void *data)
{
	struct ti *ti = data;
	struct t *t = ti->t;
	u32 pending = t_rd32(t, NVSIM_INTR_PENDING);
	unsigned int i;

	ti->calls++;
	ti->causes |= pending;
	if (pending & NVSIM_INTR_CHANNEL) {
		for (i = 0; i < NVSIM_CHAN_STOPPED_WORDS; i++) {
			u32 w = t_rd32(t, NVSIM_CHAN_STOPPED(i));

			ti->stopped[i] |= w;
			if (w)
				ti->error = t_rd32(t, NVSIM_CHAN_ERROR(i * 32 +
								       __ffs(w)));
			t_wr32(t, NVSIM_CHAN_STOPPED(i), w);
		}
	}
	t_wr32(t, NVSIM_INTR_PENDING, pending);
}

/* Wait for the host, then for the interrupt it may have raised. */
static void ti_flush(struct t *t)
{
	nsim_host_flush(t->sim);
	flush_work(&t->sim->intr_work);
}

/* Freed after the instance: a late delivery finds it. */
static struct ti *t_ti(struct t *t)
{
	struct ti *ti = kunit_kzalloc(t->test, sizeof(*ti), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t->test, ti);
	ti->t = t;

	return ti;
}

static void host_intr_nonstall(struct kunit *test)
{
	struct t *t = test->priv;
	struct ti *ti = t_ti(t);
	struct th h;

	th_setup(t, &h, 8);
	KUNIT_ASSERT_EQ(test, t->hw->ops->set_irq(t->hw, ti_handler, ti), 0);
	KUNIT_EXPECT_EQ(test, t->hw->ops->set_irq(t->hw, ti_handler, ti),
			-EBUSY);

	/* Disabled: pending, but the line stays quiet. */
	th_sem(&h, H_SEM_VA, 7, S_RELEASE);
	th_m(&h, 0, 0x20, 0);		/* NON_STALL_INTERRUPT */
	th_submit(&h);
	th_doorbell(&h);
	ti_flush(t);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, ti->calls, 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_INTR_PENDING),
			(u32)NVSIM_INTR_NON_STALL);

	/* Enabling a pending cause raises it; the handler acknowledges. */
	t_wr32(t, NVSIM_INTR_ENABLE, NVSIM_INTR_ALL);
	ti_flush(t);
	KUNIT_EXPECT_EQ(test, ti->calls, 1u);
	KUNIT_EXPECT_EQ(test, ti->causes, (u32)NVSIM_INTR_NON_STALL);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_INTR_PENDING), 0u);
	/* The semaphore the host released before is visible to it. */
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA), 7u);

	/* LAUNCH_DMA with a non-blocking interrupt. */
	ti->causes = 0;
	th_ce_sem(&h, H_SEM_VA + 8, 9);
	th_m(&h, H_SUBC, C_LAUNCH, L_SEM_ONE_WORD | (2u << 5));
	th_submit(&h);
	th_doorbell(&h);
	ti_flush(t);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, ti->calls, 2u);
	KUNIT_EXPECT_EQ(test, ti->causes, (u32)NVSIM_INTR_NON_STALL);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 8), 9u);

	/* Disconnected: nothing is called any more. */
	KUNIT_EXPECT_EQ(test, t->hw->ops->set_irq(t->hw, NULL, NULL), 0);
	th_m(&h, 0, 0x20, 0);
	th_submit(&h);
	th_doorbell(&h);
	ti_flush(t);
	KUNIT_EXPECT_EQ(test, ti->calls, 2u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_INTR_PENDING),
			(u32)NVSIM_INTR_NON_STALL);
	th_free(&h);
}

static void host_intr_fault(struct kunit *test)
{
	struct t *t = test->priv;
	struct ti *ti = t_ti(t);
	u32 chid, other;
	struct th h, h2;

	th_setup(t, &h, 8);
	th_setup(t, &h2, 8);
	chid = h.token & 0xfff;
	other = h2.token & 0xfff;
	KUNIT_ASSERT_EQ(test, t->hw->ops->set_irq(t->hw, ti_handler, ti), 0);
	t_wr32(t, NVSIM_INTR_ENABLE, NVSIM_INTR_ALL);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_ERROR(chid)),
			(u32)NVSIM_CHAN_ERROR_NONE);

	th_ce_copy(&h, H_SRC_VA, H_UNMAPPED_VA, 0, 0, 0x100, 1, 0);
	th_submit(&h);
	th_doorbell(&h);
	ti_flush(t);
	th_expect_error(&h, NSIM_CHAN_ERR_MMU_FAULT);
	KUNIT_EXPECT_GE(test, ti->calls, 1u);
	KUNIT_EXPECT_EQ(test, ti->causes,
			(u32)(NVSIM_INTR_MMU_FAULT | NVSIM_INTR_CHANNEL));
	KUNIT_EXPECT_EQ(test, ti->stopped[chid / 32], (u32)BIT(chid % 32));
	KUNIT_EXPECT_EQ(test, ti->stopped[other / 32] & BIT(other % 32), 0u);
	KUNIT_EXPECT_EQ(test, ti->error, (u32)NVSIM_CHAN_ERROR_MMU_FAULT);
	/* Acknowledged, but the error stays until the channel is freed. */
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_STOPPED(chid / 32)), 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_INTR_PENDING), 0u);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_ERROR(chid)),
			(u32)NVSIM_CHAN_ERROR_MMU_FAULT);

	/* A bad method stops the other channel with its own code. */
	ti->causes = 0;
	th_m(&h2, H_SUBC, 0x7f0, 0);
	th_submit(&h2);
	th_doorbell(&h2);
	ti_flush(t);
	th_expect_error(&h2, NSIM_CHAN_ERR_BAD_METHOD);
	KUNIT_EXPECT_EQ(test, ti->causes, (u32)NVSIM_INTR_CHANNEL);
	KUNIT_EXPECT_EQ(test, ti->error, (u32)NVSIM_CHAN_ERROR_BAD_METHOD);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_ERROR(other)),
			(u32)NVSIM_CHAN_ERROR_BAD_METHOD);

	th_free(&h);
	th_free(&h2);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_ERROR(chid)), 0u);
	KUNIT_EXPECT_EQ(test, t->hw->ops->set_irq(t->hw, NULL, NULL), 0);
}

/*
 * An unprivileged channel (a user's) reaches memory only through its
 * address space: a virtual memset runs; a LAUNCH_DMA with a physical
 * destination or source stops the channel with NSIM_CHAN_ERR_PRIVILEGE
 * before anything is accessed. host_memset shows the same physical
 * memset running on a privileged channel.
 */
static void host_privilege(struct kunit *test)
{
	struct t *t = test->priv;
	struct th h;
	u32 chid;

	th_setup_priv(t, &h, 8, false);
	th_ce_memset(&h, H_DST_VA + 0x40, 4, 0x11111111, 0);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_idle(&h);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x4c), 0x11111111u);

	th_m(&h, H_SUBC, 0x264, 0);	/* SET_DST_PHYS_MODE LOCAL_FB */
	th_ce_memset(&h, H_DST_PA + 0x100, 4, 0x5a5a5a5a, L_DST_PHYS);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_PRIVILEGE);
	chid = FIELD_GET(NV_USERMODE_NOTIFY_CHANNEL_PENDING_CHID, h.token);
	KUNIT_EXPECT_EQ(test, t_rd32(t, NVSIM_CHAN_ERROR(chid)),
			(u32)NVSIM_CHAN_ERROR_PRIVILEGE);
	KUNIT_EXPECT_EQ(test, th_gp_get(&h), 1u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x100), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x10c), 0u);
	th_free(&h);

	/* A physical source: nothing is read or written. */
	th_vram_wr32(t, H_DST_PA + 0x800, 0x12345678);
	th_setup_priv(t, &h, 8, false);
	th_m(&h, H_SUBC, 0x260, 0);	/* SET_SRC_PHYS_MODE LOCAL_FB */
	th_ce_copy(&h, H_DST_PA + 0x800, H_DST_VA + 0x1000, 0, 0, 0x100, 1,
		   L_SRC_PHYS);
	th_submit(&h);
	th_doorbell(&h);
	th_expect_error(&h, NSIM_CHAN_ERR_PRIVILEGE);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x1000), 0u);
	th_free(&h);
}

/*
 * channel_free of a channel blocked on an acquire: after it returns, a
 * release of the acquire (by the CPU, then a release on another channel,
 * which makes the host look at every waiting channel) never runs the
 * freed channel's work.
 */
static void host_free_waiting(struct kunit *test)
{
	struct t *t = test->priv;
	enum nsim_chan_error e;
	struct th h, h2;

	th_setup(t, &h, 8);
	th_sem(&h, H_SEM_VA, 1, S_ACQUIRE);
	th_ce_memset(&h, H_DST_VA + 0x200, 4, 0xbadbad00, 0);
	th_submit(&h);
	th_doorbell(&h);
	KUNIT_EXPECT_EQ(test, th_state(&h, &e, NULL), NSIM_CHAN_WAITING);
	th_free(&h);

	th_vram_wr32(t, H_SEM_PA, 1);
	/* Its own pushbuffer words: the freed channel's stay intact. */
	th_setup(t, &h2, 8);
	h2.pos = 0x400;
	h2.start = 0x400;
	th_sem(&h2, H_SEM_VA + 0x10, 3, S_RELEASE);
	th_submit(&h2);
	th_doorbell(&h2);
	th_expect_idle(&h2);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_SEM_PA + 0x10), 3u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x200), 0u);
	KUNIT_EXPECT_EQ(test, th_vram_rd32(t, H_DST_PA + 0x20c), 0u);
	th_free(&h2);
}

static void host_alloc_args(struct kunit *test)
{
	struct t *t = test->priv;
	struct nova_hw_channel_args a = {
		.hclass = t->v3 ? 0xc86f : 0xc56f,
		.pdb = t_alloc(t),
		.gpfifo_va = H_RING_VA,
		.gpfifo_entries = 8,
		.userd = H_USERD,
	};
	struct nova_hw_channel_args b;
	u32 tok;

	b = a;
	b.hclass = t->v3 ? 0xc56f : 0xc86f;
	KUNIT_EXPECT_EQ(test, t->hw->ops->channel_alloc(t->hw, &b, &tok),
			-EINVAL);
	b = a;
	b.gpfifo_entries = 6;
	KUNIT_EXPECT_EQ(test, t->hw->ops->channel_alloc(t->hw, &b, &tok),
			-EINVAL);
	b = a;
	b.userd = H_USERD + 4;
	KUNIT_EXPECT_EQ(test, t->hw->ops->channel_alloc(t->hw, &b, &tok),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, t->hw->ops->channel_alloc(t->hw, &a, &tok), 0);
	/* A doorbell naming no channel is ignored. */
	t_wr32(t, 0x810090, tok ^ 0x3f);
	t_wr32(t, 0x810090, tok);
	nsim_host_flush(t->sim);
	KUNIT_EXPECT_EQ(test, t->sim->doorbells, 1ull);
	KUNIT_EXPECT_EQ(test, t->sim->doorbells_bad, 1ull);
	/* Freed at destruction when the driver forgets it. */
}

#define T_CASE(f) KUNIT_CASE_PARAM(f, nsim_chip_gen_params)

static struct kunit_case nsim_regs_cases[] = {
	T_CASE(regs_boot0),
	T_CASE(regs_unknown),
	T_CASE(regs_invalidate_pending),
	T_CASE(regs_invalidate_counters),
	T_CASE(fault_buf_packets),
	T_CASE(fault_buf_wrap),
	T_CASE(fault_buf_overflow),
	{}
};

static struct kunit_case nsim_mmu_cases[] = {
	T_CASE(mmu_walk_4k),
	T_CASE(mmu_walk_64k),
	T_CASE(mmu_walk_2m),
	T_CASE(mmu_walk_512m),
	T_CASE(mmu_sparse),
	T_CASE(mmu_sparse_levels),
	T_CASE(mmu_invalid),
	T_CASE(mmu_big_small),
	T_CASE(mmu_read_only),
	T_CASE(mmu_range),
	T_CASE(mmu_aperture),
	T_CASE(mmu_page_crossing),
	{}
};

static struct kunit_case nsim_tlb_cases[] = {
	T_CASE(tlb_stale_until_invalidate),
	T_CASE(tlb_all_pdb),
	T_CASE(tlb_hub_only),
	T_CASE(tlb_pending),
	T_CASE(tlb_no_all_va),
	T_CASE(tlb_sparse_cached),
	T_CASE(tlb_many_entries),
	{}
};

static struct kunit_case nsim_pramin_cases[] = {
	T_CASE(pramin_boundaries),
	T_CASE(pramin_window_reg),
	T_CASE(pramin_beyond_vram),
	T_CASE(pramin_lazy),
	{}
};

static struct kunit_case nsim_bar1_cases[] = {
	T_CASE(bar1_static_info),
	T_CASE(bar1_unmapped),
	T_CASE(bar1_sparse),
	T_CASE(bar1_map),
	T_CASE(bar1_stale_and_ro),
	T_CASE(bar1_pramin_tables),
	T_CASE(bar1_zero_fill_mapped),
	{}
};

static struct kunit_case nsim_host_cases[] = {
	T_CASE(host_copy),
	T_CASE(host_memset),
	T_CASE(host_semaphores),
	T_CASE(host_acquire),
	T_CASE(host_fault),
	T_CASE(host_bad_method),
	T_CASE(host_ring_wrap),
	T_CASE(host_tlb_stale),
	T_CASE(host_page_crossing),
	T_CASE(host_fetch_fault),
	T_CASE(host_alloc_args),
	T_CASE(host_privilege),
	T_CASE(host_free_waiting),
	T_CASE(host_intr_nonstall),
	T_CASE(host_intr_fault),
	{}
};

static struct kunit_case nsim_vram_cases[] = {
	T_CASE(vram_zero_read),
	T_CASE(vram_write_backs),
	T_CASE(vram_pool),
	T_CASE(vram_zero_fill_releases),
	T_CASE(vram_zero_fill_partial),
	T_CASE(vram_zero_write_releases),
	T_CASE(vram_huge),
	{}
};

#define T_SUITE(n, c) {			\
	.name = n,			\
	.init = nsim_test_init,		\
	.exit = nsim_test_exit,		\
	.test_cases = c,		\
}

static struct kunit_suite nsim_suites[] = {
	T_SUITE("nova_sim_regs", nsim_regs_cases),
	T_SUITE("nova_sim_mmu", nsim_mmu_cases),
	T_SUITE("nova_sim_tlb", nsim_tlb_cases),
	T_SUITE("nova_sim_pramin", nsim_pramin_cases),
	T_SUITE("nova_sim_bar1", nsim_bar1_cases),
	T_SUITE("nova_sim_vram", nsim_vram_cases),
	T_SUITE("nova_sim_host", nsim_host_cases),
};

kunit_test_suites(&nsim_suites[0], &nsim_suites[1], &nsim_suites[2],
		  &nsim_suites[3], &nsim_suites[4], &nsim_suites[5],
		  &nsim_suites[6]);
