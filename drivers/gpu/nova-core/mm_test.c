// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of nova-core's memory management: PRAMIN, BAR1, the VMM
 * and its locking. Every case runs once per bound GPU (the parameter is
 * the GPU, described by its chip name) and checks the driver against the
 * GPU's own view through &struct nova_hw_probe_ops: translations, engine
 * accesses through the MMU and event counters. GPUs without probe
 * operations (real hardware) skip the cases. The nova_core_buddy suite
 * checks the kernel's gpu_buddy allocator under allocation failures.
 *
 * The suites run when nova-core is loaded, after its GPUs are bound and
 * before any client uses them; the cases run one after another. They are
 * built with CONFIG_NOVA_CORE_KUNIT_TEST.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/gpu_buddy.h>
#include <linux/kthread.h>
#include <linux/nova/regs.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "nova_core.h"

/* Virtual addresses: @n GiB; the tests work from 1 GiB on. */
#define NT_GB(n)	((u64)(n) << 30)
#define NT_VA		NT_GB(1)
#define NT_12K		(3 * SZ_4K)

KUNIT_DEFINE_ACTION_WRAPPER(nt_vram_free, nova_vram_free, struct nova_vram *);
KUNIT_DEFINE_ACTION_WRAPPER(nt_vmm_destroy, nova_vmm_destroy, struct nova_vmm *);
KUNIT_DEFINE_ACTION_WRAPPER(nt_bar1_unmap, nova_bar1_unmap,
			    struct nova_bar1_map *);
KUNIT_DEFINE_ACTION_WRAPPER(nt_op_release, nova_vmm_op_release,
			    struct nova_vmm_op *);

static const void *nt_gen_gpus(const void *prev, char *desc)
{
	struct nova_core *core;
	unsigned int i = 0;

	if (prev) {
		while ((core = nova_core_get(i++)) && core != prev)
			;
		if (!core)
			return NULL;
	}
	core = nova_core_get(i);
	if (core)
		strscpy(desc, core->chip->name, KUNIT_PARAM_DESC_SIZE);
	return core;
}

static struct nova_core *nt_core(struct kunit *test)
{
	struct nova_core *core = (struct nova_core *)test->param_value;

	KUNIT_ASSERT_NOT_NULL(test, core);
	if (!core->hw->probe)
		kunit_skip(test, "%s: the GPU offers no probe operations",
			   core->chip->name);
	return core;
}

static void nt_counters(struct nova_core *core, struct nova_hw_counters *c)
{
	core->hw->probe->counters(core->hw, c);
}

static void nt_xlate(struct nova_core *core, u64 pdb, u64 va, bool write,
		     bool hub, struct nova_hw_xlate *x)
{
	core->hw->probe->translate(core->hw, pdb, va, write, hub, x);
}

static int nt_access(struct nova_core *core, u64 pdb, u64 va, void *buf,
		     size_t len, bool write)
{
	return core->hw->probe->mem_access(core->hw, pdb, va, buf, len, write);
}

static struct nova_vram *nt_vram(struct kunit *test, struct nova_core *core,
				 u64 size, u32 flags)
{
	struct nova_vram *vram = nova_vram_alloc(core, size, flags);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vram);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vram_free, vram));
	return vram;
}

static struct nova_vmm *nt_vmm(struct kunit *test, struct nova_core *core)
{
	struct nova_vmm *vmm;

	vmm = nova_vmm_create(core, 0, BIT_ULL(core->fmt->va_bits));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vmm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vmm_destroy, vmm));
	return vmm;
}

static struct nova_bar1_map *nt_bar1(struct kunit *test, struct nova_core *core,
				     struct nova_vram *vram)
{
	struct nova_bar1_map *map = nova_bar1_map(core, vram);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_bar1_unmap, map));
	return map;
}

static struct nova_vmm_op *nt_prepare(struct kunit *test, struct nova_vmm *vmm,
				      u64 va, u64 size, struct nova_vram *vram,
				      u64 offset, u32 flags)
{
	struct nova_vmm_op *op;

	if (vram)
		op = nova_vmm_prepare_map(vmm, va, size, vram, offset, flags);
	else
		op = nova_vmm_prepare_unmap(vmm, va, size);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, op);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_op_release, op));
	return op;
}

static void nt_release(struct kunit *test, struct nova_vmm_op *op)
{
	kunit_release_action(test, nt_op_release, op);
}

static u64 nt_pa(struct kunit *test, struct nova_vram *vram, u64 offset)
{
	u64 pa, contig;

	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, offset, &pa, &contig));
	return pa;
}

static void nt_usage(struct nova_core *core, struct nova_core_usage *u)
{
	nova_core_usage(core, u);
}

/*
 * Allocation failures come from the kernel's fault injection (failslab,
 * fail_page_alloc): with current->fail_nth set to n, the n-th
 * fault-injection check this task makes from then on fails, and fail_nth
 * drops to 0. A sweep tries an operation with n = 1, 2, ..., so that it
 * fails at each of its allocations in turn, until it makes fewer than n
 * checks: that try injected nothing and ends the sweep. The number of
 * checks is not fixed: kmemleak and debugobjects allocate in the same
 * task and absorb failures of their own allocations with their pools, and
 * allocators retry, so a try with a failure injected may also succeed.
 *
 * The kernel needs CONFIG_FAULT_INJECTION with CONFIG_FAILSLAB, and
 * failslab must not ignore sleeping allocations: the guest sets
 * /sys/kernel/debug/failslab/ignore-gfp-wait (and fail_page_alloc's) to N.
 */
#define NT_SWEEP_MAX	4096

/**
 * struct nt_sweep - an operation tried with each fault-injection check failing
 * @test: the test
 * @what: the operation, for messages
 * @n: the check that fails in the current try, from 1
 * @failed: tries in which the operation failed
 * @points: checks the operation made in the last try, which injected nothing
 * @err: what the operation returned in the last try
 */
struct nt_sweep {
	struct kunit *test;
	const char *what;
	unsigned int n;
	unsigned int failed;
	unsigned int points;
	int err;
};

/* Start a sweep; skip the test if the kernel cannot inject failures. */
static void nt_sweep_init(struct nt_sweep *s, struct kunit *test,
			  const char *what)
{
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		kunit_skip(test, "%s: needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB",
			   what);
	*s = (struct nt_sweep){ .test = test, .what = what };
}

/*
 * Start the next try: the try's n-th fault-injection check fails. Call it
 * right before the operation. Return: false when the sweep is too long.
 */
static bool nt_sweep_arm(struct nt_sweep *s)
{
	if (s->n >= NT_SWEEP_MAX) {
		KUNIT_FAIL(s->test, "%s: still failing after %u tries", s->what,
			   s->n);
		return false;
	}
	s->n++;
#if IS_ENABLED(CONFIG_FAULT_INJECTION)
	WRITE_ONCE(current->fail_nth, s->n);
#endif
	return true;
}

/*
 * End a try right after the operation, which returned @err; undo its
 * success afterwards. A failure must be one the operation documents for
 * allocation failures: -ENOMEM, or -ENOSPC (gpu_buddy_alloc_blocks()
 * reports a failed split at the smallest order it may use as -ENOSPC).
 * Return: true when a failure was injected and the sweep goes on.
 */
static bool nt_sweep_end(struct nt_sweep *s, int err)
{
	unsigned int left = 0;

#if IS_ENABLED(CONFIG_FAULT_INJECTION)
	left = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
#endif
	s->err = err;
	if (left) {
		/* Fewer than n checks: nothing was made to fail. */
		s->points = s->n - left;
		KUNIT_EXPECT_EQ_MSG(s->test, err, 0,
				    "%s failed with no failure injected", s->what);
		return false;
	}
	if (err) {
		s->failed++;
		KUNIT_EXPECT_TRUE_MSG(s->test, err == -ENOMEM || err == -ENOSPC,
				      "%s: %d with fault-injection check %u failing",
				      s->what, err, s->n);
	}
	return true;
}

/*
 * After the sweep's last try (its success undone): report. @must_fail:
 * the operation has no fallback for a failed allocation, so some tries
 * failed it (at least the first).
 */
static void nt_sweep_done(struct nt_sweep *s, bool must_fail)
{
	if (s->n == 1 && s->points == 0 && !s->err)
		kunit_skip(s->test,
			   "%s: no failure injected at its first allocation; failslab ignores GFP_KERNEL (set /sys/kernel/debug/failslab/ignore-gfp-wait to N)",
			   s->what);
	if (must_fail)
		KUNIT_EXPECT_GT_MSG(s->test, s->failed, 0, "%s never failed",
				    s->what);
	kunit_info(s->test, "%s: %u fault-injection points, %u tries failed it",
		   s->what, s->points, s->failed);
}

/*
 * Data checks: every 4 KiB page of VRAM gets a 64-bit tag derived from its
 * VRAM address at an offset inside the page that also depends on it.
 */
static u64 nt_tag(u64 pa, u64 seed)
{
	pa &= ~(u64)(SZ_4K - 1);
	return ((pa | 1) * 0x9e3779b97f4a7c15ull) ^ seed;
}

static u64 nt_slot(u64 pa)
{
	return ((pa >> 12) & 0xff) * 16;
}

/* Tag each page of @vram [@off, @off + @size) through PRAMIN. */
static void nt_stamp_pramin(struct kunit *test, struct nova_core *core,
			    struct nova_vram *vram, u64 off, u64 size, u64 seed)
{
	u64 o, pa, contig;
	int ret = 0;

	nova_pramin_lock(core);
	for (o = off; o < off + size && !ret; o += SZ_4K) {
		ret = nova_vram_addr(vram, o, &pa, &contig);
		if (!ret)
			nova_pramin_wr64(core, pa + nt_slot(pa), nt_tag(pa, seed));
	}
	nova_pramin_unlock(core);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* Check the tags of @vram [@off, @off + @size) through PRAMIN. */
static void nt_expect_pramin(struct kunit *test, struct nova_core *core,
			     struct nova_vram *vram, u64 off, u64 size, u64 seed)
{
	u64 o, pa, contig, val = 0;
	int ret = 0;

	nova_pramin_lock(core);
	for (o = off; o < off + size; o += SZ_4K) {
		ret = nova_vram_addr(vram, o, &pa, &contig);
		if (ret)
			break;
		val = nova_pramin_rd64(core, pa + nt_slot(pa));
		if (val != nt_tag(pa, seed))
			break;
	}
	nova_pramin_unlock(core);
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (o < off + size)
		KUNIT_FAIL(test, "PRAMIN at %#llx (offset %#llx) reads %#llx, expected %#llx",
			   pa + nt_slot(pa), o, val, nt_tag(pa, seed));
}

/* Tag each page of [@va, @va + @size), which maps @vram at @off, as an engine. */
static void nt_stamp_va(struct kunit *test, struct nova_core *core, u64 pdb,
			u64 va, struct nova_vram *vram, u64 off, u64 size,
			u64 seed)
{
	u64 o;

	for (o = 0; o < size; o += SZ_4K) {
		u64 pa = nt_pa(test, vram, off + o), tag = nt_tag(pa, seed);
		int ret = nt_access(core, pdb, va + o + nt_slot(pa), &tag, 8, true);

		if (ret) {
			KUNIT_FAIL(test, "engine write at VA %#llx: %d", va + o, ret);
			return;
		}
	}
}

/*
 * Check the tags of the pages of [@va, @va + @size) as an engine reads them.
 * Return: false on a mismatch (reported).
 */
static bool nt_expect_va(struct kunit *test, struct nova_core *core, u64 pdb,
			 u64 va, struct nova_vram *vram, u64 off, u64 size,
			 u64 seed)
{
	u64 o;

	for (o = 0; o < size; o += SZ_4K) {
		u64 pa = nt_pa(test, vram, off + o), val = 0;
		int ret = nt_access(core, pdb, va + o + nt_slot(pa), &val, 8, false);

		if (ret || val != nt_tag(pa, seed)) {
			KUNIT_FAIL(test, "engine read at VA %#llx: %d, %#llx, expected %#llx",
				   va + o, ret, val, nt_tag(pa, seed));
			return false;
		}
	}
	return true;
}

/* nova-core's own walker agrees with the GPU's translation @x of @va. */
static void nt_expect_walk(struct kunit *test, struct nova_core *core, u64 pdb,
			   u64 va, const struct nova_hw_xlate *x)
{
	struct nova_walker w = { .core = core, .fmt = core->fmt, .pdb = pdb };
	struct nova_walk_pte pte;
	int ret;

	nova_pramin_lock(core);
	ret = nova_walk_to_pte(&w, va, &pte);
	nova_pramin_unlock(core);
	if (ret || !pte.valid || pte.pa != x->pa || pte.page_size != x->page_size ||
	    !!(pte.flags & NOVA_PTE_RO) != x->read_only)
		KUNIT_FAIL(test, "walker at VA %#llx: %d valid %d pa %#llx size %#llx flags %#x",
			   va, ret, pte.valid, pte.pa, pte.page_size, pte.flags);
}

/*
 * Check that the GPU translates every page of [@va, @va + @size) to @vram
 * at @off, with pages of @page_size (0: any size) and @ro; and that
 * nova-core's walker finds the same on a sample of them.
 * Return: false on a mismatch (reported).
 */
static bool nt_expect_map(struct kunit *test, struct nova_core *core, u64 pdb,
			  bool hub, u64 va, u64 size, struct nova_vram *vram,
			  u64 off, u64 page_size, bool ro)
{
	struct nova_hw_xlate x;
	u64 o;

	for (o = 0; o < size; o += SZ_4K) {
		u64 pa = nt_pa(test, vram, off + o);

		nt_xlate(core, pdb, va + o, false, hub, &x);
		if (x.fault_reason || x.sparse || x.pa != pa || x.read_only != ro ||
		    (page_size && x.page_size != page_size)) {
			KUNIT_FAIL(test,
				   "VA %#llx: fault %u pa %#llx size %#llx ro %d, expected pa %#llx size %#llx ro %d",
				   va + o, x.fault_reason, x.pa, x.page_size,
				   x.read_only, pa, page_size, ro);
			return false;
		}
		if (!(o & (SZ_64K - 1)) || o + SZ_4K >= size)
			nt_expect_walk(test, core, pdb, va + o, &x);
	}
	return true;
}

/*
 * Check that the GPU faults on every page of [@va, @va + @size).
 * Return: false when one does not (reported).
 */
static bool nt_expect_unmapped(struct kunit *test, struct nova_core *core,
			       u64 pdb, bool hub, u64 va, u64 size)
{
	struct nova_hw_xlate x;
	u64 o;

	for (o = 0; o < size; o += SZ_4K) {
		nt_xlate(core, pdb, va + o, false, hub, &x);
		if (x.fault_reason != NOVA_FAULT_REASON_PDE &&
		    x.fault_reason != NOVA_FAULT_REASON_PTE) {
			KUNIT_FAIL(test, "VA %#llx: fault %u pa %#llx size %#llx, expected a fault",
				   va + o, x.fault_reason, x.pa, x.page_size);
			return false;
		}
	}
	return true;
}

/* Map, check translations and data both ways, unmap, check faults. */
static void nt_map_check(struct kunit *test, struct nova_core *core,
			 struct nova_vmm *vmm, u64 va, struct nova_vram *vram,
			 u64 size, u64 page_size)
{
	u64 pdb = nova_vmm_pdb(vmm);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, size, vram, 0, 0));
	nt_expect_map(test, core, pdb, false, va, size, vram, 0, page_size, false);
	nt_stamp_pramin(test, core, vram, 0, size, va);
	nt_expect_va(test, core, pdb, va, vram, 0, size, va);
	nt_stamp_va(test, core, pdb, va, vram, 0, size, ~va);
	nt_expect_pramin(test, core, vram, 0, size, ~va);
}

/* ---------------------------------------------------------------- PRAMIN */

/*
 * Write [@b - 2K, @b + 2K) through PRAMIN with the window positioned to
 * end at @b, so that the copy moves it.
 */
static void nt_pramin_across(struct kunit *test, struct nova_core *core,
			     u64 b, const void *buf, void *out)
{
	struct nova_hw_counters c0, c1;

	nova_pramin_lock(core);
	nova_pramin_rd32(core, b + SZ_1M);
	nova_pramin_rd32(core, b - SZ_1M);
	nt_counters(core, &c0);
	if (buf)
		nova_pramin_write(core, b - SZ_2K, buf, SZ_4K);
	else
		nova_pramin_read(core, b - SZ_2K, out, SZ_4K);
	nt_counters(core, &c1);
	nova_pramin_unlock(core);
	KUNIT_EXPECT_GE_MSG(test, c1.pramin_moves, c0.pramin_moves + 1,
			    "PRAMIN window did not move at %#llx", b);
}

static void nt_fill(u32 *buf, size_t len, u32 seed)
{
	size_t i;

	for (i = 0; i < len / 4; i++)
		buf[i] = seed ^ (i * 0x01000193u) ^ (i << 20);
}

static void pramin_to_bar1(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 base, contig, b[2], boff;
	struct nova_bar1_map *map;
	struct nova_vram *vram;
	u32 *in, *out;
	int i;

	in = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	out = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);

	vram = nt_vram(test, core, 3 * SZ_1M, NOVA_VRAM_CONTIGUOUS);
	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, 0, &base, &contig));
	KUNIT_ASSERT_GE(test, contig, 3 * SZ_1M);
	map = nt_bar1(test, core, vram);
	boff = nova_bar1_offset(map);

	/* A 64 KiB boundary that is not a 1 MiB one, and a 1 MiB boundary. */
	b[0] = round_up(base + SZ_8K, SZ_64K);
	if (IS_ALIGNED(b[0], SZ_1M))
		b[0] += SZ_64K;
	b[1] = round_up(base + SZ_8K, SZ_1M);

	for (i = 0; i < 2; i++) {
		/* PRAMIN -> BAR1 */
		nt_fill(in, SZ_4K, 0x5a5a0000 | i);
		nt_pramin_across(test, core, b[i], in, NULL);
		KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, boff + b[i] - SZ_2K - base,
						      out, SZ_4K, false));
		KUNIT_EXPECT_MEMEQ_MSG(test, in, out, SZ_4K, "boundary %#llx", b[i]);

		/* BAR1 -> PRAMIN */
		nt_fill(in, SZ_4K, 0xa5a50000 | i);
		KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, boff + b[i] - SZ_2K - base,
						      in, SZ_4K, true));
		nt_pramin_across(test, core, b[i], NULL, out);
		KUNIT_EXPECT_MEMEQ_MSG(test, in, out, SZ_4K, "boundary %#llx", b[i]);
	}
}

static void pramin_word_access(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram(test, core, SZ_64K, NOVA_VRAM_CONTIGUOUS);
	u64 base, contig, end;

	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, 0, &base, &contig));
	end = base + SZ_64K;
	nova_pramin_lock(core);
	/* A 64-bit word whose halves are on both sides of a window end. */
	nova_pramin_rd32(core, end + SZ_1M);
	nova_pramin_rd32(core, end - SZ_1M);
	nova_pramin_wr64(core, end - 8, 0x0123456789abcdefull);
	nova_pramin_wr32(core, base, 0xfeedf00d);
	nova_pramin_fill(core, base + 4, 0x11223344, 12);
	nova_pramin_rd32(core, end + SZ_1M);
	KUNIT_EXPECT_EQ(test, nova_pramin_rd64(core, end - 8), 0x0123456789abcdefull);
	KUNIT_EXPECT_EQ(test, nova_pramin_rd32(core, base), 0xfeedf00d);
	KUNIT_EXPECT_EQ(test, nova_pramin_rd32(core, base + 12), 0x11223344);
	KUNIT_EXPECT_EQ(test, nova_pramin_rd32(core, base + 16), 0);
	nova_pramin_unlock(core);
}

static void vram_clear_contig(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_core_usage u0, u1;
	struct nova_bar1_map *map;
	struct nova_vram *vram;
	u64 pa, contig, o;
	u32 *buf;

	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nt_usage(core, &u0);

	/* A contiguous allocation is one range, whatever its blocks. */
	vram = nt_vram(test, core, SZ_2M + SZ_1M + SZ_64K, NOVA_VRAM_CONTIGUOUS);
	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, 0, &pa, &contig));
	KUNIT_EXPECT_EQ(test, contig, SZ_2M + SZ_1M + SZ_64K);
	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, SZ_2M + SZ_4K, &pa, &contig));
	KUNIT_EXPECT_EQ(test, contig, SZ_1M + SZ_64K - SZ_4K);
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vram_addr(vram, SZ_2M + SZ_1M + SZ_64K,
						      &pa, &contig));
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used + SZ_2M + SZ_1M + SZ_64K);
	kunit_release_action(test, nt_vram_free, vram);

	/* Dirty VRAM, freed and allocated again, is cleared on request. */
	vram = nt_vram(test, core, SZ_64K, 0);
	map = nt_bar1(test, core, vram);
	memset(buf, 0xa5, SZ_4K);
	for (o = 0; o < SZ_64K; o += SZ_4K)
		KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, nova_bar1_offset(map) + o,
						      buf, SZ_4K, true));
	kunit_release_action(test, nt_bar1_unmap, map);
	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, 0, &pa, &contig));
	kunit_release_action(test, nt_vram_free, vram);
	vram = nt_vram(test, core, SZ_64K, 0);
	KUNIT_ASSERT_EQ(test, 0, nova_vram_clear(vram));
	for (o = 0; o < SZ_64K; o += SZ_4K) {
		u64 a = nt_pa(test, vram, o);

		nova_pramin_lock(core);
		nova_pramin_read(core, a, buf, SZ_4K);
		nova_pramin_unlock(core);
		if (memchr_inv(buf, 0, SZ_4K)) {
			KUNIT_FAIL(test, "VRAM at %#llx not cleared", a);
			break;
		}
	}
	kunit_release_action(test, nt_vram_free, vram);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

/* ------------------------------------------------------------------ BAR1 */

static void bar1_to_pramin(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 size = SZ_2M + SZ_128K + SZ_8K, off, o;
	u64 pdb = core->sinfo.bar1_pdb;
	struct nova_hw_counters c0, c1;
	struct nova_bar1_map *map;
	struct nova_vram *vram;
	u32 *in, *out;

	in = kunit_kmalloc(test, SZ_16K, GFP_KERNEL);
	out = kunit_kmalloc(test, SZ_16K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);

	vram = nt_vram(test, core, size, 0);
	nt_counters(core, &c0);
	map = nt_bar1(test, core, vram);
	nt_counters(core, &c1);
	off = nova_bar1_offset(map);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(off, SZ_2M));
	/* BAR1 flushes only need the HUB TLB. */
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates - c0.tlb_invalidates,
			c1.tlb_invalidates_hub_only - c0.tlb_invalidates_hub_only);
	KUNIT_EXPECT_GE(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);

	/* The GPU's HUB path sees the allocation, with large pages. */
	nt_expect_map(test, core, pdb, true, off, SZ_2M, vram, 0, SZ_2M, false);
	nt_expect_map(test, core, pdb, true, off + SZ_2M, SZ_128K, vram, SZ_2M,
		      SZ_64K, false);
	nt_expect_map(test, core, pdb, true, off + SZ_2M + SZ_128K, SZ_8K, vram,
		      SZ_2M + SZ_128K, SZ_4K, false);

	/* Tag every page through BAR1, read through PRAMIN. */
	for (o = 0; o < size; o += SZ_4K) {
		u64 pa = nt_pa(test, vram, o), tag = nt_tag(pa, 0xba41);

		KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, off + o + nt_slot(pa),
						      &tag, 8, true));
	}
	nt_expect_pramin(test, core, vram, 0, size, 0xba41);

	/* And the other way. */
	nt_stamp_pramin(test, core, vram, 0, size, 0xba42);
	for (o = 0; o < size; o += SZ_4K) {
		u64 pa = nt_pa(test, vram, o), val = 0;

		KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, off + o + nt_slot(pa),
						      &val, 8, false));
		KUNIT_ASSERT_EQ_MSG(test, val, nt_tag(pa, 0xba42), "BAR1 offset %#llx", off + o);
	}

	/* A copy across the 2 MiB page and 64 KiB pages. */
	nt_fill(in, SZ_16K, 0xc0ffee);
	KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, off + SZ_2M - SZ_8K - 12, in,
					      SZ_16K, true));
	KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(core, off + SZ_2M - SZ_8K - 12, out,
					      SZ_16K, false));
	KUNIT_EXPECT_MEMEQ(test, in, out, SZ_16K);
	memset(out, 0, SZ_16K);
	nova_pramin_lock(core);
	for (o = 0; o < SZ_16K / 4; o++) {
		u64 pa, contig;

		if (nova_vram_addr(vram, SZ_2M - SZ_8K - 12 + o * 4, &pa, &contig))
			break;
		out[o] = nova_pramin_rd32(core, pa);
	}
	nova_pramin_unlock(core);
	KUNIT_EXPECT_MEMEQ(test, in, out, SZ_16K);
}

static void bar1_faults(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_core_usage u0, u1;
	struct nova_hw_counters c0, c1;
	struct nova_bar1_map *map;
	struct nova_vram *vram;
	u64 off, val = 0;

	nt_usage(core, &u0);
	vram = nt_vram(test, core, SZ_64K, 0);
	map = nt_bar1(test, core, vram);
	off = nova_bar1_offset(map);
	KUNIT_EXPECT_EQ(test, 0, nova_bar1_rw(core, off, &val, 8, true));
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.bar1_used, u0.bar1_used + SZ_64K);

	kunit_release_action(test, nt_bar1_unmap, map);
	nt_counters(core, &c0);
	KUNIT_EXPECT_EQ(test, -EFAULT, nova_bar1_rw(core, off, &val, 8, false));
	KUNIT_EXPECT_EQ(test, -EFAULT, nova_bar1_rw(core, off + SZ_32K, &val, 8, true));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.faults, c0.faults + 2);
	nt_expect_unmapped(test, core, core->sinfo.bar1_pdb, true, off, SZ_64K);

	/* Outside the aperture. */
	KUNIT_EXPECT_EQ(test, -EFAULT, nova_bar1_rw(core, core->sinfo.bar1_size,
						    &val, 8, false));
	KUNIT_EXPECT_EQ(test, -EFAULT, nova_bar1_rw(core, core->sinfo.bar1_size - 4,
						    &val, 8, false));

	/* Everything BAR1 used is given back, its page tables included. */
	kunit_release_action(test, nt_vram_free, vram);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.bar1_used, u0.bar1_used);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

static void bar1_many(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	static const u64 sizes[] = { SZ_4K, SZ_2M, SZ_64K + SZ_4K, SZ_4M };
	struct nova_bar1_map *map[ARRAY_SIZE(sizes)];
	struct nova_vram *vram[ARRAY_SIZE(sizes)];
	u64 pdb = core->sinfo.bar1_pdb;
	struct nova_core_usage u0, u1;
	unsigned int i;
	u64 j;

	nt_usage(core, &u0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		vram[i] = nt_vram(test, core, sizes[i], 0);
		map[i] = nt_bar1(test, core, vram[i]);
		nt_stamp_pramin(test, core, vram[i], 0, sizes[i], i);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 oi = nova_bar1_offset(map[i]);

		for (j = 0; j < i; j++) {
			u64 oj = nova_bar1_offset(map[j]);

			KUNIT_EXPECT_TRUE(test, oi + sizes[i] <= oj || oj + sizes[j] <= oi);
		}
		nt_expect_map(test, core, pdb, true, oi, sizes[i], vram[i], 0, 0, false);
	}
	/* Unmapping one leaves the others alone. */
	j = nova_bar1_offset(map[1]);
	kunit_release_action(test, nt_bar1_unmap, map[1]);
	nt_expect_unmapped(test, core, pdb, true, j, sizes[1]);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (i != 1)
			nt_expect_map(test, core, pdb, true, nova_bar1_offset(map[i]),
				      sizes[i], vram[i], 0, 0, false);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (i != 1)
			kunit_release_action(test, nt_bar1_unmap, map[i]);
		kunit_release_action(test, nt_vram_free, vram[i]);
	}
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.bar1_used, u0.bar1_used);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

/* ------------------------------------------------------------------- VMM */

static void vmm_map_sizes(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *v4 = nt_vram(test, core, SZ_32K, 0);
	struct nova_vram *v64 = nt_vram(test, core, SZ_256K, 0);
	struct nova_vram *v2m = nt_vram(test, core, SZ_4M, 0);
	u64 pdb = nova_vmm_pdb(vmm);

	nt_map_check(test, core, vmm, NT_VA, v4, SZ_32K, SZ_4K);
	nt_map_check(test, core, vmm, NT_VA + SZ_2M + SZ_64K, v64, SZ_256K, SZ_64K);
	nt_map_check(test, core, vmm, NT_VA + SZ_4M, v2m, SZ_4M, SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_32K + SZ_256K + SZ_4M);
	/* Nothing between them. */
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_32K, SZ_32K);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_2M, SZ_64K);

	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_32K));
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_2M + SZ_64K, SZ_256K));
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_4M, SZ_4M));
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_8M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
}

static void vmm_map_mixed(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 size = SZ_2M + SZ_128K + SZ_8K + SZ_4K, tail = SZ_8K + SZ_4K;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, size, 0);
	u64 pdb = nova_vmm_pdb(vmm), va;

	/* 2 MiB-aligned: one 2 MiB page, 64 KiB pages, 4 KiB pages. */
	nt_map_check(test, core, vmm, NT_VA, vram, size, 0);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_2M, vram, 0, SZ_2M, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_2M, SZ_128K, vram, SZ_2M,
		      SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_2M + SZ_128K, tail, vram,
		      SZ_2M + SZ_128K, SZ_4K, false);

	/* Only 64 KiB-aligned, across a 2 MiB boundary: 64 KiB then 4 KiB. */
	va = NT_VA + SZ_8M + SZ_64K;
	nt_map_check(test, core, vmm, va, vram, size, 0);
	nt_expect_map(test, core, pdb, false, va, SZ_2M + SZ_128K, vram, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, va + SZ_2M + SZ_128K, tail, vram,
		      SZ_2M + SZ_128K, SZ_4K, false);

	/* Only 4 KiB-aligned: 4 KiB pages. */
	va = NT_VA + SZ_16M + SZ_4K;
	nt_map_check(test, core, vmm, va, vram, size, SZ_4K);

	/* The top of the address space: every top-level index. */
	va = BIT_ULL(core->fmt->va_bits) - SZ_4M;
	nt_map_check(test, core, vmm, va, vram, size, 0);
	nt_expect_map(test, core, pdb, false, va, SZ_2M, vram, 0, SZ_2M, false);

	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 4 * size);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, size));
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_8M + SZ_64K, size));
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_16M + SZ_4K, size));
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, va, size));
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	nt_expect_unmapped(test, core, pdb, false, NT_VA, size);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_8M + SZ_64K, size);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_16M + SZ_4K, size);
	nt_expect_unmapped(test, core, pdb, false, va, size);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

static void vmm_unmap_faults(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_64K, 0);
	struct nova_hw_counters c0, c1;
	u64 pdb = nova_vmm_pdb(vmm), val = 0;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_64K, vram, 0, 0));
	/* Fill the TLB. */
	KUNIT_EXPECT_EQ(test, 0, nt_access(core, pdb, NT_VA + SZ_32K, &val, 8, false));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_64K));
	nt_counters(core, &c0);
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA + SZ_32K, &val, 8, false));
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA, &val, 8, true));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.faults, c0.faults + 2);
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_64K);
}

static void vmm_tlb_batch(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *v1 = nt_vram(test, core, SZ_16K, 0);
	struct nova_vram *vb = nt_vram(test, core, SZ_128K, 0);
	struct nova_vram *vc = nt_vram(test, core, SZ_2M, 0);
	struct nova_hw_counters c0, c1;
	struct nova_core_usage u0, u1;
	u64 pdb = nova_vmm_pdb(vmm);
	struct nova_vmm_op *ops[3];

	/* Three maps of new ranges: one flush, no acknowledgment needed. */
	ops[0] = nt_prepare(test, vmm, NT_VA, SZ_16K, v1, 0, 0);
	ops[1] = nt_prepare(test, vmm, NT_VA + NT_GB(1), SZ_128K, vb, 0, 0);
	ops[2] = nt_prepare(test, vmm, NT_VA + SZ_4M, SZ_2M, vc, 0, 0);
	nt_counters(core, &c0);
	nt_usage(core, &u0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 3));
	nt_counters(core, &c1);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_hub_only, c0.tlb_invalidates_hub_only);
	KUNIT_EXPECT_EQ(test, u1.tlb_flushes, u0.tlb_flushes + 1);
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_release(test, ops[2]);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_16K, v1, 0, SZ_4K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + NT_GB(1), SZ_128K, vb, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_4M, SZ_2M, vc, 0, SZ_2M, false);

	/* Two unmaps and a map: one flush, acknowledged globally. */
	ops[0] = nt_prepare(test, vmm, NT_VA, SZ_16K, NULL, 0, 0);
	ops[1] = nt_prepare(test, vmm, NT_VA + NT_GB(1), SZ_128K, NULL, 0, 0);
	ops[2] = nt_prepare(test, vmm, NT_VA + SZ_8M, SZ_16K, v1, 0, 0);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 3));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_release(test, ops[2]);
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_16K);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + NT_GB(1), SZ_128K);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_8M, SZ_16K, v1, 0, SZ_4K, false);

	/* A single unmap of a 2 MiB page. */
	ops[0] = nt_prepare(test, vmm, NT_VA + SZ_4M, SZ_2M, NULL, 0, 0);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 1));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);
	nt_release(test, ops[0]);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_4M, SZ_2M);

	/* Unmapping nothing needs no acknowledgment. */
	ops[0] = nt_prepare(test, vmm, NT_VA + SZ_4M, SZ_2M, NULL, 0, 0);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 1));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked);
	nt_release(test, ops[0]);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_8M, SZ_16K));
}

/* Map 2 MiB, unmap [@a, @b) of it; the rest keeps its pages and data. */
static void nt_split(struct kunit *test, struct nova_core *core,
		     struct nova_vmm *vmm, struct nova_vram *vram, u64 page,
		     u64 a, u64 b)
{
	u64 pdb = nova_vmm_pdb(vmm), pt0 = nova_vmm_pt_bytes(vmm);
	u64 size = nova_vram_size(vram);
	struct nova_hw_counters c0, c1;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, size, vram, 0, 0));
	nt_expect_map(test, core, pdb, false, NT_VA, size, vram, 0, page, false);
	nt_stamp_pramin(test, core, vram, 0, size, a ^ b);
	/* Fill the TLB with the large pages. */
	nt_expect_va(test, core, pdb, NT_VA, vram, 0, size, a ^ b);

	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + a, b - a));
	nt_counters(core, &c1);
	KUNIT_EXPECT_GE(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);

	nt_expect_unmapped(test, core, pdb, false, NT_VA + a, b - a);
	nt_expect_map(test, core, pdb, false, NT_VA, a, vram, 0, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + b, size - b, vram, b, 0, false);
	nt_expect_va(test, core, pdb, NT_VA, vram, 0, a, a ^ b);
	nt_expect_va(test, core, pdb, NT_VA + b, vram, b, size - b, a ^ b);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), size - (b - a));

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, size));
	nt_expect_unmapped(test, core, pdb, false, NT_VA, size);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), pt0);
}

static void vmm_split_2m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_2M, 0);

	nt_split(test, core, vmm, vram, SZ_2M, 0, SZ_4K);		/* front */
	nt_split(test, core, vmm, vram, SZ_2M, SZ_2M - SZ_64K, SZ_2M);	/* end */
	nt_split(test, core, vmm, vram, SZ_2M, SZ_1M, SZ_1M + SZ_4K);	/* middle */
	nt_split(test, core, vmm, vram, SZ_2M, SZ_1M - SZ_4K, SZ_1M + SZ_128K);
	nt_split(test, core, vmm, vram, SZ_2M, 0, SZ_2M - SZ_4K);
}

static void vmm_split_64k(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_256K, 0);

	nt_split(test, core, vmm, vram, SZ_64K, SZ_64K + SZ_16K, SZ_64K + SZ_16K + SZ_4K);
	nt_split(test, core, vmm, vram, SZ_64K, 0, SZ_4K);
	nt_split(test, core, vmm, vram, SZ_64K, SZ_64K - SZ_4K, SZ_128K + SZ_4K);
	nt_split(test, core, vmm, vram, SZ_64K, SZ_128K, SZ_256K - SZ_8K);
}

static void vmm_split_multi(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, 3 * SZ_2M, 0);
	u64 pdb = nova_vmm_pdb(vmm), va;

	/* Three 2 MiB pages; unmap from the middle of the first to the last. */
	nt_stamp_pramin(test, core, vram, 0, 3 * SZ_2M, 0x3);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, 3 * SZ_2M, vram, 0, 0));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_1M, SZ_4M));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_1M, vram, 0, 0, false);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_1M, SZ_4M);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_4M + SZ_1M, SZ_1M, vram,
		      SZ_4M + SZ_1M, 0, false);
	nt_expect_va(test, core, pdb, NT_VA, vram, 0, SZ_1M, 0x3);
	nt_expect_va(test, core, pdb, NT_VA + SZ_4M + SZ_1M, vram, SZ_4M + SZ_1M, SZ_1M, 0x3);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, 3 * SZ_2M));

	/* 64 KiB pages across a 2 MiB boundary, unmapped between two of them. */
	va = NT_VA + SZ_2M - SZ_256K;
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512K, vram, 0, 0));
	nt_expect_map(test, core, pdb, false, va, SZ_512K, vram, 0, SZ_64K, false);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va + SZ_64K + SZ_8K, SZ_256K));
	nt_expect_map(test, core, pdb, false, va, SZ_64K + SZ_8K, vram, 0, 0, false);
	nt_expect_unmapped(test, core, pdb, false, va + SZ_64K + SZ_8K, SZ_256K);
	nt_expect_map(test, core, pdb, false, va + SZ_256K + SZ_64K + SZ_8K,
		      SZ_256K - SZ_64K - SZ_8K, vram, SZ_256K + SZ_64K + SZ_8K, 0, false);
	nt_expect_va(test, core, pdb, va, vram, 0, SZ_64K + SZ_8K, 0x3);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_256K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_4M));
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/* --------------------------------------------------------- 512 MiB pages */

/*
 * The page a 512 MiB-aligned, contiguous 512 MiB is mapped with: 512 MiB (a
 * PD1 entry) on MMU v3, 2 MiB before.
 */
static u64 nt_huge(struct nova_core *core)
{
	return core->info.page_sizes & SZ_512M ? SZ_512M : SZ_2M;
}

/*
 * A physically contiguous, 512 MiB-aligned allocation of @size bytes. The
 * case skips when VRAM has none: nova-sim's default GPUs have 1 GiB of VRAM
 * or less, whose first MiB and top (the firmware's) are not usable.
 */
static struct nova_vram *nt_vram_huge(struct kunit *test,
				      struct nova_core *core, u64 size)
{
	struct nova_vram *vram = nova_vram_alloc(core, size, NOVA_VRAM_CONTIGUOUS);
	u64 pa, contig;

	if (IS_ERR(vram))
		kunit_skip(test, "%s: no contiguous %llu MiB of VRAM (%ld); nova-sim %s:4G has it",
			   core->chip->name, size >> 20, PTR_ERR(vram), core->chip->name);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vram_free, vram));
	KUNIT_ASSERT_EQ(test, 0, nova_vram_addr(vram, 0, &pa, &contig));
	if (!IS_ALIGNED(pa, SZ_512M) || contig < size)
		kunit_skip(test, "%s: %llu MiB of VRAM at %#llx: not 512 MiB-aligned",
			   core->chip->name, size >> 20, pa);
	return vram;
}

/*
 * VRAM offsets of the pages the 512 MiB cases tag and check: a few per
 * 512 MiB, so that the simulator backs a few 2 MiB chunks, not the range.
 */
static const u64 nt_samples[] = {
	0, SZ_4K, SZ_2M - SZ_4K, SZ_2M, SZ_64M + NT_12K, SZ_256M - SZ_4K,
	SZ_256M, SZ_256M + SZ_64M + 5 * SZ_4K, SZ_512M - SZ_2M + SZ_8K,
	SZ_512M - SZ_4K, SZ_512M + SZ_4K, SZ_512M + SZ_256M, SZ_1G - SZ_4K,
};

/* Tag the sampled pages of @vram in [@off, @off + @size) through PRAMIN. */
static void nt_stamp_samples(struct kunit *test, struct nova_core *core,
			     struct nova_vram *vram, u64 off, u64 size, u64 seed)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nt_samples); i++) {
		u64 o = nt_samples[i];

		if (o >= off && o - off < size)
			nt_stamp_pramin(test, core, vram, o, SZ_4K, seed);
	}
}

/*
 * Check the tags of the sampled pages of @vram in [@off, @off + @size) as
 * an engine reads them through [@va, @va + @size), which maps them.
 */
static void nt_expect_va_samples(struct kunit *test, struct nova_core *core,
				 u64 pdb, u64 va, struct nova_vram *vram,
				 u64 off, u64 size, u64 seed)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nt_samples); i++) {
		u64 o = nt_samples[i];

		if (o >= off && o - off < size &&
		    !nt_expect_va(test, core, pdb, va + (o - off), vram, o, SZ_4K, seed))
			return;
	}
}

/* Data both ways through the sampled pages: PRAMIN to engine and back. */
static void nt_data_samples(struct kunit *test, struct nova_core *core,
			    u64 pdb, u64 va, struct nova_vram *vram, u64 off,
			    u64 size, u64 seed)
{
	unsigned int i;

	nt_stamp_samples(test, core, vram, off, size, seed);
	nt_expect_va_samples(test, core, pdb, va, vram, off, size, seed);
	for (i = 0; i < ARRAY_SIZE(nt_samples); i++) {
		u64 o = nt_samples[i];

		if (o < off || o - off >= size)
			continue;
		nt_stamp_va(test, core, pdb, va + (o - off), vram, o, SZ_4K, ~seed);
		nt_expect_pramin(test, core, vram, o, SZ_4K, ~seed);
	}
}

/* A page in the 2 MiB step at @o of a sampled range, other than its first. */
static u64 nt_sample_in(u64 o)
{
	return o + (((o >> 21) * 37 + 1) & 511) * SZ_4K;
}

/*
 * Check the GPU's translation of a sample of [@va, @va + @size), which maps
 * @vram at @off: two pages of every 2 MiB step (its first and another) and
 * the last page, with pages of @page_size (0: any).
 */
static void nt_expect_map_samples(struct kunit *test, struct nova_core *core,
				  u64 pdb, u64 va, u64 size,
				  struct nova_vram *vram, u64 off, u64 page_size)
{
	u64 o, in;

	for (o = 0; o < size; o += SZ_2M) {
		in = nt_sample_in(o);
		if (!nt_expect_map(test, core, pdb, false, va + o, SZ_4K, vram,
				   off + o, page_size, false))
			return;
		if (in < size && !nt_expect_map(test, core, pdb, false, va + in, SZ_4K,
						vram, off + in, page_size, false))
			return;
	}
	nt_expect_map(test, core, pdb, false, va + size - SZ_4K, SZ_4K, vram,
		      off + size - SZ_4K, page_size, false);
}

/* Check that the GPU faults on a sample of [@va, @va + @size), as above. */
static void nt_expect_unmapped_samples(struct kunit *test,
				       struct nova_core *core, u64 pdb, u64 va,
				       u64 size)
{
	u64 o, in;

	for (o = 0; o < size; o += SZ_2M) {
		in = nt_sample_in(o);
		if (!nt_expect_unmapped(test, core, pdb, false, va + o, SZ_4K))
			return;
		if (in < size && !nt_expect_unmapped(test, core, pdb, false, va + in, SZ_4K))
			return;
	}
	nt_expect_unmapped(test, core, pdb, false, va + size - SZ_4K, SZ_4K);
}

/* GETPARAM PAGE_SIZES reports what the format maps: 512 MiB on MMU v3 only. */
static void vmm_512m_page_sizes(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 want = SZ_4K | SZ_64K | SZ_2M;

	if (core->chip->mmu_version >= 3)
		want |= SZ_512M;
	KUNIT_EXPECT_EQ(test, core->info.page_sizes, want);
	KUNIT_EXPECT_EQ(test, nova_mmu_page_sizes(core->fmt), want);
}

/*
 * A 512 MiB-aligned, contiguous 1 GiB at a 1 GiB-aligned VA: two PD1
 * entries on MMU v3 (2 MiB pages before), data through them, and no table
 * below PD1.
 */
static void vmm_map_512m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram_huge(test, core, SZ_1G);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), va = NT_GB(4), huge = nt_huge(core);
	u64 nr_pd = core->fmt->nr_pd;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_1G, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_1G, vram, 0, huge);
	nt_data_samples(test, core, pdb, va, vram, 0, SZ_1G, va);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_1G);
	/* The root and one directory per level down to PD1 (+ two PD0s). */
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm),
			(huge == SZ_512M ? nr_pd - 1 : nr_pd + 1) * SZ_4K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_1G));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_1G);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);

	/* The last 512 MiB of the address space. */
	va = BIT_ULL(core->fmt->va_bits) - SZ_512M;
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, vram, SZ_512M, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, vram, SZ_512M, huge);
	nt_data_samples(test, core, pdb, va, vram, SZ_512M, SZ_512M, va);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_512M);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/* Where VA, VRAM, size or the VMM's page sizes rule 512 MiB out: 2 MiB. */
static void vmm_512m_fallback(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram_huge(test, core, SZ_512M);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), va = NT_GB(2);

	/* VA only 2 MiB-aligned. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va + SZ_2M, SZ_512M, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va + SZ_2M, SZ_512M, vram, 0, SZ_2M);
	nt_data_samples(test, core, pdb, va + SZ_2M, vram, 0, SZ_512M, 0x2);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va + SZ_2M, SZ_512M));

	/* VRAM only 2 MiB-aligned (offset 2 MiB), at an aligned VA. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M - SZ_2M, vram, SZ_2M, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M - SZ_2M, vram, SZ_2M, SZ_2M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M - SZ_2M));

	/* Less than 512 MiB, aligned. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M - SZ_2M, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M - SZ_2M, vram, 0, SZ_2M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M - SZ_2M));

	/* A VMM whose page sizes leave 512 MiB out, then let it in again. */
	nova_vmm_set_page_sizes(vmm, SZ_4K | SZ_64K | SZ_2M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, vram, 0, SZ_2M);
	nt_data_samples(test, core, pdb, va, vram, 0, SZ_512M, 0x3);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nova_vmm_set_page_sizes(vmm, SZ_4K | SZ_64K | SZ_2M | SZ_512M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, vram, 0, nt_huge(core));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_512M + SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/*
 * Map 512 MiB at a 512 MiB-aligned VA and unmap [@a, @b) of it: the rest
 * keeps its VRAM and data, as 2 MiB pages where whole 2 MiB stay mapped,
 * and [@a, @b) faults.
 */
static void nt_split_512m(struct kunit *test, struct nova_core *core,
			  struct nova_vmm *vmm, struct nova_vram *vram, u64 a,
			  u64 b)
{
	u64 pdb = nova_vmm_pdb(vmm), pt0 = nova_vmm_pt_bytes(vmm), va = NT_GB(2);
	u64 lo = round_down(a, SZ_2M), hi = round_up(b, SZ_2M);
	struct nova_hw_counters c0, c1;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, vram, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, vram, 0, nt_huge(core));
	nt_stamp_samples(test, core, vram, 0, SZ_512M, a ^ b);
	/* Fill the TLB with the large page. */
	nt_expect_va_samples(test, core, pdb, va, vram, 0, SZ_512M, a ^ b);

	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va + a, b - a));
	nt_counters(core, &c1);
	KUNIT_EXPECT_GE(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);

	nt_expect_unmapped_samples(test, core, pdb, va + a, b - a);
	nt_expect_unmapped(test, core, pdb, false, va + a, SZ_4K);
	if (a) {
		nt_expect_map(test, core, pdb, false, va + lo, a - lo, vram, lo, 0, false);
		nt_expect_map_samples(test, core, pdb, va, a, vram, 0, 0);
		nt_expect_va_samples(test, core, pdb, va, vram, 0, a, a ^ b);
	}
	if (lo)
		nt_expect_map_samples(test, core, pdb, va, lo, vram, 0, SZ_2M);
	if (b < SZ_512M) {
		nt_expect_map(test, core, pdb, false, va + b, hi - b, vram, b, 0, false);
		nt_expect_map_samples(test, core, pdb, va + b, SZ_512M - b, vram, b, 0);
		nt_expect_va_samples(test, core, pdb, va + b, vram, b, SZ_512M - b, a ^ b);
	}
	if (hi < SZ_512M)
		nt_expect_map_samples(test, core, pdb, va + hi, SZ_512M - hi, vram, hi, SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M - (b - a));

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_512M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), pt0);
}

static void vmm_split_512m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram_huge(test, core, SZ_512M);
	struct nova_vmm *vmm = nt_vmm(test, core);

	nt_split_512m(test, core, vmm, vram, SZ_4K, SZ_8K);
	nt_split_512m(test, core, vmm, vram, SZ_2M, SZ_4M);
	nt_split_512m(test, core, vmm, vram, 0, SZ_256M);
	nt_split_512m(test, core, vmm, vram, SZ_512M - SZ_2M - SZ_64K, SZ_512M);
	nt_split_512m(test, core, vmm, vram, SZ_2M + NT_12K, SZ_512M - SZ_4M - SZ_4K);
}

/*
 * Other VRAM mapped into the middle and over the start of a 512 MiB page,
 * and the whole 512 MiB mapped again over a split page.
 */
static void vmm_remap_512m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *a = nt_vram_huge(test, core, SZ_512M);
	struct nova_vram *b = nt_vram(test, core, SZ_2M, NOVA_VRAM_CONTIGUOUS);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), va = NT_GB(2), huge = nt_huge(core);
	u64 mid = SZ_128M + SZ_64K;
	struct nova_hw_counters c0, c1;

	nt_stamp_samples(test, core, a, 0, SZ_512M, 0xa);
	nt_stamp_pramin(test, core, b, 0, SZ_2M, 0xb);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, a, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, a, 0, huge);
	nt_expect_va_samples(test, core, pdb, va, a, 0, SZ_512M, 0xa);

	/* 128 KiB of b in the middle: 64 KiB pages, 4 KiB around, 2 MiB beyond. */
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va + mid, SZ_128K, b, 0, 0));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);
	nt_expect_map(test, core, pdb, false, va + mid, SZ_128K, b, 0, SZ_64K, false);
	nt_expect_va(test, core, pdb, va + mid, b, 0, SZ_128K, 0xb);
	nt_expect_map(test, core, pdb, false, va + SZ_128M, SZ_64K, a, SZ_128M, SZ_4K, false);
	nt_expect_map(test, core, pdb, false, va + mid + SZ_128K, SZ_2M - SZ_64K - SZ_128K,
		      a, mid + SZ_128K, SZ_4K, false);
	nt_expect_map_samples(test, core, pdb, va, SZ_128M, a, 0, SZ_2M);
	nt_expect_map_samples(test, core, pdb, va + SZ_128M + SZ_2M,
			      SZ_512M - SZ_128M - SZ_2M, a, SZ_128M + SZ_2M, SZ_2M);
	nt_expect_va_samples(test, core, pdb, va, a, 0, SZ_128M, 0xa);
	nt_expect_va_samples(test, core, pdb, va + SZ_256M, a, SZ_256M, SZ_256M, 0xa);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M);

	/*
	 * a over all of it again: the table the page was split into stays,
	 * so 2 MiB pages; once an unmap has freed it, a 512 MiB page again.
	 */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, a, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, a, 0, SZ_2M);
	nt_expect_va_samples(test, core, pdb, va, a, 0, SZ_512M, 0xa);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_512M, a, 0, 0));
	nt_expect_map_samples(test, core, pdb, va, SZ_512M, a, 0, huge);

	/* b over the first 2 MiB: a split at 2 MiB-aligned ends. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_2M, b, 0, 0));
	nt_expect_map(test, core, pdb, false, va, SZ_2M, b, 0, SZ_2M, false);
	nt_expect_va(test, core, pdb, va + mid - SZ_128M, b, mid - SZ_128M, SZ_128K, 0xb);
	nt_expect_map_samples(test, core, pdb, va + SZ_2M, SZ_512M - SZ_2M, a, SZ_2M, SZ_2M);
	nt_expect_va_samples(test, core, pdb, va + SZ_2M, a, SZ_2M, SZ_512M - SZ_2M, 0xa);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_512M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/*
 * A 512 MiB page mapped and split in one batch: the unmaps, prepared before
 * the map executes, stage the table the split needs.
 */
static void vmm_batch_512m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram_huge(test, core, SZ_512M);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), va = NT_GB(2);
	struct nova_hw_counters c0, c1;
	struct nova_vmm_op *ops[3];

	nt_stamp_samples(test, core, vram, 0, SZ_512M, 0x5);
	ops[0] = nt_prepare(test, vmm, va, SZ_512M, vram, 0, 0);
	ops[1] = nt_prepare(test, vmm, va + SZ_4K, SZ_4K, NULL, 0, 0);
	ops[2] = nt_prepare(test, vmm, va + SZ_64M, SZ_2M, NULL, 0, 0);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 3));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_release(test, ops[2]);

	nt_expect_map(test, core, pdb, false, va, SZ_4K, vram, 0, SZ_4K, false);
	nt_expect_unmapped(test, core, pdb, false, va + SZ_4K, SZ_4K);
	nt_expect_map(test, core, pdb, false, va + SZ_8K, SZ_2M - SZ_8K, vram, SZ_8K,
		      SZ_4K, false);
	nt_expect_map_samples(test, core, pdb, va + SZ_2M, SZ_64M - SZ_2M, vram, SZ_2M, SZ_2M);
	nt_expect_unmapped(test, core, pdb, false, va + SZ_64M, SZ_2M);
	nt_expect_map_samples(test, core, pdb, va + SZ_64M + SZ_2M, SZ_512M - SZ_64M - SZ_2M,
			      vram, SZ_64M + SZ_2M, SZ_2M);
	nt_expect_va_samples(test, core, pdb, va, vram, 0, SZ_4K, 0x5);
	nt_expect_va_samples(test, core, pdb, va + SZ_2M, vram, SZ_2M, SZ_64M - SZ_2M, 0x5);
	nt_expect_va_samples(test, core, pdb, va + SZ_64M + SZ_2M, vram, SZ_64M + SZ_2M,
			     SZ_512M - SZ_64M - SZ_2M, 0x5);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M - SZ_4K - SZ_2M);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_512M));
	nt_expect_unmapped_samples(test, core, pdb, va, SZ_512M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/*
 * A 2 MiB map over a 64 KiB-page table that an operation prepared before
 * it found in place and counts on: the table stays, the 2 MiB go into it
 * as 64 KiB pages, and the later operation still finds its table. With
 * nothing else pending, a 2 MiB map takes the slot.
 */
static void vmm_2m_over_pending_lpt(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *a = nt_vram(test, core, SZ_2M, NOVA_VRAM_CONTIGUOUS);
	struct nova_vram *b = nt_vram(test, core, SZ_128K, 0);
	u64 pdb = nova_vmm_pdb(vmm);
	struct nova_vmm_op *ops[2];

	nt_stamp_pramin(test, core, a, 0, SZ_2M, 0xa);
	nt_stamp_pramin(test, core, b, 0, SZ_128K, 0xb);
	/* one 64 KiB page: the big-page table is installed */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_64K, b, 0, 0));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_64K, b, 0, SZ_64K, false);
	ops[0] = nt_prepare(test, vmm, NT_VA, SZ_2M, a, 0, 0);
	ops[1] = nt_prepare(test, vmm, NT_VA + SZ_64K, SZ_64K, b, SZ_64K, 0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&ops[0], 1));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&ops[1], 1));
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_64K, a, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_64K, b, SZ_64K,
		      SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_128K, SZ_2M - SZ_128K, a,
		      SZ_128K, SZ_64K, false);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M);

	/* nothing else pending: the 2 MiB page replaces the table */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_2M, a, 0, 0));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_2M, a, 0, SZ_2M, false);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/* Operations prepared on an empty region, executed in one batch. */
static void vmm_batch_sequence(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *a = nt_vram(test, core, SZ_2M, 0);
	struct nova_vram *b = nt_vram(test, core, SZ_128K, 0);
	struct nova_hw_counters c0, c1;
	struct nova_vmm_op *ops[5];
	u64 pdb = nova_vmm_pdb(vmm);

	nt_stamp_pramin(test, core, a, 0, SZ_2M, 0xa);
	nt_stamp_pramin(test, core, b, 0, SZ_128K, 0xb);
	ops[0] = nt_prepare(test, vmm, NT_VA, SZ_2M, a, 0, 0);
	ops[1] = nt_prepare(test, vmm, NT_VA + SZ_4K, SZ_4K, NULL, 0, 0);
	ops[2] = nt_prepare(test, vmm, NT_VA + SZ_64K, SZ_128K, b, 0, 0);
	ops[3] = nt_prepare(test, vmm, NT_VA + SZ_1M + SZ_4K, SZ_8K, b, SZ_4K,
			    NOVA_MAP_READ_ONLY);
	ops[4] = nt_prepare(test, vmm, NT_VA + SZ_2M - SZ_4K, SZ_8K, a, 0, 0);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(ops, 5));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);

	nt_expect_map(test, core, pdb, false, NT_VA, SZ_4K, a, 0, 0, false);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_4K, SZ_4K);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_8K, SZ_64K - SZ_8K, a, SZ_8K, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_128K, b, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K + SZ_128K,
		      SZ_1M - SZ_64K - SZ_128K + SZ_4K, a, SZ_64K + SZ_128K, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_1M + SZ_4K, SZ_8K, b, SZ_4K,
		      SZ_4K, true);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_1M + NT_12K,
		      SZ_1M - NT_12K - SZ_4K, a, SZ_1M + NT_12K, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_2M - SZ_4K, SZ_8K, a, 0, SZ_4K, false);
	nt_expect_va(test, core, pdb, NT_VA + SZ_64K, b, 0, SZ_128K, 0xb);
	nt_expect_va(test, core, pdb, NT_VA + SZ_64K + SZ_128K, a, SZ_64K + SZ_128K,
		     SZ_1M - SZ_64K - SZ_128K, 0xa);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M - SZ_4K + SZ_4K);
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_release(test, ops[2]);
	nt_release(test, ops[3]);
	nt_release(test, ops[4]);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_4M));
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_4M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

static void vmm_va_alloc(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm;
	u64 va[4], again;
	unsigned int i, j;

	vmm = nova_vmm_create(core, SZ_64K, SZ_64K + SZ_8M);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vmm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vmm_destroy, vmm));

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_4K, SZ_4K, &va[0]));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_2M, SZ_2M, &va[1]));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_64K, SZ_64K, &va[2]));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_2M, SZ_2M, &va[3]));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(va[1], SZ_2M) && IS_ALIGNED(va[3], SZ_2M));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(va[2], SZ_64K));
	for (i = 0; i < 4; i++) {
		u64 si = i == 0 ? SZ_4K : i == 2 ? SZ_64K : SZ_2M;

		KUNIT_EXPECT_GE(test, va[i], SZ_64K);
		KUNIT_EXPECT_LE(test, va[i] + si, SZ_64K + SZ_8M);
		for (j = 0; j < i; j++) {
			u64 sj = j == 0 ? SZ_4K : j == 2 ? SZ_64K : SZ_2M;

			KUNIT_EXPECT_TRUE(test, va[i] + si <= va[j] || va[j] + sj <= va[i]);
		}
	}
	/* Full: 8 MiB cannot hold another 2 MiB-aligned 4 MiB. */
	KUNIT_EXPECT_EQ(test, -ENOSPC, nova_vmm_va_alloc(vmm, SZ_4M, SZ_2M, &again));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_va_alloc(vmm, SZ_4K, SZ_2K, &again));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_va_alloc(vmm, 0, SZ_4K, &again));
	/* Freed ranges are handed out again. */
	nova_vmm_va_free(vmm, va[1]);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_2M, SZ_2M, &again));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(again, SZ_2M));
	nova_vmm_va_free(vmm, again);
	nova_vmm_va_free(vmm, va[0]);
	nova_vmm_va_free(vmm, va[2]);
	nova_vmm_va_free(vmm, va[3]);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_va_alloc(vmm, SZ_4M, SZ_2M, &again));
	nova_vmm_va_free(vmm, again);
}

static void vmm_remap(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *a = nt_vram(test, core, SZ_2M, 0);
	struct nova_vram *b = nt_vram(test, core, SZ_2M, 0);
	struct nova_hw_counters c0, c1;
	u64 pdb = nova_vmm_pdb(vmm), pt0 = nova_vmm_pt_bytes(vmm), val = 0;
	struct nova_hw_xlate x;

	nt_stamp_pramin(test, core, a, 0, SZ_2M, 0xa);
	nt_stamp_pramin(test, core, b, 0, SZ_2M, 0xb);

	/* 64 KiB pages of a, replaced by b: the GPU must not see a any more. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_64K, SZ_256K, a, 0, 0));
	nt_expect_va(test, core, pdb, NT_VA + SZ_64K, a, 0, SZ_256K, 0xa);
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_64K, SZ_256K, b, SZ_64K, 0));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_256K, b, SZ_64K, SZ_64K, false);
	nt_expect_va(test, core, pdb, NT_VA + SZ_64K, b, SZ_64K, SZ_256K, 0xb);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_256K);

	/* A 2 MiB page over them. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_2M, a, 0, 0));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_2M, a, 0, SZ_2M, false);
	nt_expect_va(test, core, pdb, NT_VA, a, 0, SZ_2M, 0xa);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M);

	/* 4 KiB pages of b into the middle of it. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_1M + SZ_4K, SZ_8K, b, SZ_4K, 0));
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_1M + SZ_4K, SZ_8K, b, SZ_4K,
		      SZ_4K, false);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_1M + SZ_4K, a, 0, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_1M + NT_12K, SZ_1M - NT_12K, a,
		      SZ_1M + NT_12K, 0, false);
	nt_expect_va(test, core, pdb, NT_VA, a, 0, SZ_1M + SZ_4K, 0xa);
	nt_expect_va(test, core, pdb, NT_VA + SZ_1M + SZ_4K, b, SZ_4K, SZ_8K, 0xb);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_2M);

	/* Read-only over read-write: writes fault from now on. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_2M, b, 0, NOVA_MAP_READ_ONLY));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_2M, b, 0, SZ_2M, true);
	KUNIT_EXPECT_EQ(test, 0, nt_access(core, pdb, NT_VA + SZ_4K, &val, 8, false));
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA + SZ_4K, &val, 8, true));
	nt_xlate(core, pdb, NT_VA, true, false, &x);
	KUNIT_EXPECT_EQ(test, x.fault_reason, NOVA_FAULT_REASON_RO);
	nt_expect_va(test, core, pdb, NT_VA, b, 0, SZ_2M, 0xb);

	/* Read-only 4 KiB and 64 KiB pages. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_128K + SZ_8K, a, 0,
					      NOVA_MAP_READ_ONLY));
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_128K, a, 0, SZ_64K, true);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_128K, SZ_8K, a, SZ_128K, SZ_4K, true);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_128K + SZ_8K, SZ_2M - SZ_128K - SZ_8K,
		      b, SZ_128K + SZ_8K, SZ_4K, true);
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA + SZ_128K, &val, 8, true));

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), pt0);
}

static void vmm_page_sizes(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_2M, 0);
	u64 pdb = nova_vmm_pdb(vmm);

	nova_vmm_set_page_sizes(vmm, SZ_4K);
	nt_map_check(test, core, vmm, NT_VA, vram, SZ_2M, SZ_4K);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));

	nova_vmm_set_page_sizes(vmm, SZ_64K);
	nt_map_check(test, core, vmm, NT_VA, vram, SZ_2M, SZ_64K);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));

	nova_vmm_set_page_sizes(vmm, SZ_4K | SZ_64K | SZ_2M);
	nt_map_check(test, core, vmm, NT_VA, vram, SZ_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));
	nt_expect_unmapped(test, core, pdb, false, NT_VA, SZ_2M);
}

static void vmm_bad_args(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_64K, 0);
	u64 end = BIT_ULL(core->fmt->va_bits);
	struct nova_core_usage u0, u1;

	nt_usage(core, &u0);
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA + 8, SZ_4K, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, SZ_4K + 8, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, 0, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, SZ_128K, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, SZ_64K, vram, SZ_4K, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, SZ_4K, vram, 8, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, end - SZ_4K, SZ_8K, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, -SZ_4K, SZ_8K, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_map(vmm, NT_VA, SZ_4K, vram, 0, BIT(7)));
	KUNIT_EXPECT_EQ(test, -EINVAL, nova_vmm_unmap(vmm, end, SZ_4K));
	KUNIT_EXPECT_TRUE(test, IS_ERR(nova_vmm_prepare_map(vmm, NT_VA, SZ_4K, NULL, 0, 0)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(nova_vmm_create(core, 0, end + SZ_4K)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(nova_vmm_create(core, SZ_4K, SZ_4K)));
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

static void vmm_prepare_release(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 size = SZ_4M + SZ_128K + SZ_4K;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, size, 0);
	struct nova_core_usage u0, u1;
	struct nova_vmm_op *op;
	u64 pdb = nova_vmm_pdb(vmm);

	nt_usage(core, &u0);
	op = nt_prepare(test, vmm, NT_GB(5) + SZ_64K, size, vram, 0, 0);
	nt_usage(core, &u1);
	KUNIT_EXPECT_GT(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used - u0.vram_used, u1.pt_bytes - u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K + u1.pt_bytes - u0.pt_bytes);
	/* Nothing is visible before execute. */
	nt_expect_unmapped(test, core, pdb, false, NT_GB(5) + SZ_64K, size);
	nt_release(test, op);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);

	/* Same for an unmap that would split pages. */
	op = nt_prepare(test, vmm, NT_GB(5) + SZ_64K + SZ_4K, SZ_8K, NULL, 0, 0);
	nt_release(test, op);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

static void vmm_prepare_shared(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *v1 = nt_vram(test, core, SZ_128K, 0);
	struct nova_vram *v2 = nt_vram(test, core, SZ_128K, 0);
	struct nova_core_usage u0, u1;
	struct nova_vmm_op *ops[3];
	u64 pdb = nova_vmm_pdb(vmm), one;

	nt_usage(core, &u0);
	ops[0] = nt_prepare(test, vmm, NT_VA + SZ_64K, SZ_128K, v1, 0, 0);
	nt_usage(core, &u1);
	one = u1.pt_bytes - u0.pt_bytes;
	KUNIT_EXPECT_GT(test, one, 0);
	nt_release(test, ops[0]);

	/* Two (and three) prepares in the same 2 MiB region: no table twice. */
	ops[0] = nt_prepare(test, vmm, NT_VA + SZ_64K, SZ_128K, v1, 0, 0);
	ops[1] = nt_prepare(test, vmm, NT_VA + SZ_1M, SZ_128K, v2, 0, 0);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes - u0.pt_bytes, one);
	KUNIT_EXPECT_EQ(test, u1.vram_used - u0.vram_used, one);
	ops[2] = nt_prepare(test, vmm, NT_VA + SZ_64K + SZ_4K, SZ_8K, NULL, 0, 0);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes - u0.pt_bytes, one);

	/* Executed in any order, they use the tables staged once. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&ops[1], 1));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&ops[0], 1));
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_128K, v1, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_1M, SZ_128K, v2, 0, SZ_64K, false);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&ops[2], 1));
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_64K + SZ_4K, SZ_8K);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_4K, v1, 0, 0, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K + NT_12K, SZ_128K - NT_12K, v1,
		      NT_12K, 0, false);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes - u0.pt_bytes, one);
	nt_release(test, ops[0]);
	nt_release(test, ops[1]);
	nt_release(test, ops[2]);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_2M));
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
}

/* Prepares that fail at each of their allocations change nothing. */
static void nt_prepare_fails(struct kunit *test, struct nova_core *core,
			     struct nova_vmm *vmm, u64 va, u64 size,
			     struct nova_vram *vram)
{
	u64 pdb = nova_vmm_pdb(vmm), pt0;
	struct nova_core_usage u0, u1;
	struct nova_vmm_op *op;
	struct nt_sweep s;
	bool more;
	int err;

	nt_sweep_init(&s, test, vram ? "nova_vmm_prepare_map()" :
			     "nova_vmm_prepare_unmap()");
	do {
		/*
		 * A try that succeeds despite its injected failure stages
		 * tables that stay while another operation is pending:
		 * compare with the state right before each try.
		 */
		nt_usage(core, &u0);
		pt0 = nova_vmm_pt_bytes(vmm);
		if (!nt_sweep_arm(&s))
			break;
		if (vram)
			op = nova_vmm_prepare_map(vmm, va, size, vram, 0, 0);
		else
			op = nova_vmm_prepare_unmap(vmm, va, size);
		err = PTR_ERR_OR_ZERO(op);
		more = nt_sweep_end(&s, err);
		if (!err) {
			nova_vmm_op_release(op);
			continue;
		}
		nt_usage(core, &u1);
		KUNIT_EXPECT_EQ_MSG(test, u1.vram_used, u0.vram_used,
				    "check %u failing", s.n);
		KUNIT_EXPECT_EQ_MSG(test, u1.pt_bytes, u0.pt_bytes,
				    "check %u failing", s.n);
		KUNIT_EXPECT_EQ_MSG(test, nova_vmm_pt_bytes(vmm), pt0,
				    "check %u failing", s.n);
		nt_expect_unmapped(test, core, pdb, false, va, size);
	} while (more);
	nt_sweep_done(&s, true);
}

/* VRAM allocations that fail at each of their allocations leave nothing. */
static void nt_vram_alloc_fails(struct kunit *test, struct nova_core *core,
				u64 size)
{
	struct nova_core_usage u0, u1;
	struct nova_vram *vram;
	struct nt_sweep s;
	bool more;
	int err;

	nt_sweep_init(&s, test, "nova_vram_alloc()");
	do {
		nt_usage(core, &u0);
		if (!nt_sweep_arm(&s))
			break;
		vram = nova_vram_alloc(core, size, 0);
		err = PTR_ERR_OR_ZERO(vram);
		more = nt_sweep_end(&s, err);
		if (!err)
			nova_vram_free(vram);
		nt_usage(core, &u1);
		KUNIT_EXPECT_EQ_MSG(test, u1.vram_used, u0.vram_used,
				    "check %u failing", s.n);
	} while (more);
	nt_sweep_done(&s, true);
}

static void vmm_prepare_enomem(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *m = nt_vram(test, core, SZ_64K, 0);
	struct nova_vram *vram = nt_vram(test, core, SZ_2M + SZ_64K + SZ_4K, 0);
	u64 size = nova_vram_size(vram), pdb = nova_vmm_pdb(vmm);
	struct nova_core_usage u0, u1;
	struct nova_vmm_op *op;

	/* Something mapped already, in another part of the address space. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_64K, m, 0, 0));
	nt_prepare_fails(test, core, vmm, NT_GB(7) + SZ_2M + SZ_4K, size, vram);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_64K, m, 0, SZ_64K, false);

	/* With another operation pending (that shares no table). */
	op = nt_prepare(test, vmm, NT_VA + SZ_64K, SZ_64K, m, 0, 0);
	nt_prepare_fails(test, core, vmm, NT_GB(7) + SZ_2M + SZ_4K, size, vram);
	nt_prepare_fails(test, core, vmm, NT_GB(9) + SZ_4K, SZ_8K, NULL);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_execute(&op, 1));
	nt_release(test, op);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_64K, m, 0, SZ_64K, false);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_64K, m, 0, SZ_64K, false);

	/* A VRAM allocation that fails leaves nothing behind either. */
	nt_usage(core, &u0);
	nt_vram_alloc_fails(test, core, SZ_2M + SZ_64K);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_128K));
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

static void vmm_reclaim(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 size = SZ_2M + SZ_128K + NT_12K;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, size, 0);
	struct nova_core_usage u0, u1;
	struct nova_hw_counters c0, c1;
	u64 va2 = NT_GB(300) + SZ_2M - SZ_64K, pt, val;

	nt_usage(core, &u0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_64K, size, vram, 0, 0));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va2, size, vram, 0, 0));
	pt = nova_vmm_pt_bytes(vmm);
	KUNIT_EXPECT_GT(test, pt, SZ_4K);

	/* Unmapping part of a table's range keeps it. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_64K, SZ_64K));
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), pt);
	/* Emptying a big-page table frees it. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_128K, SZ_2M - SZ_128K));
	KUNIT_EXPECT_LT(test, nova_vmm_pt_bytes(vmm), pt);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA, SZ_8M));
	/*
	 * The last unmap empties every table: they are unlinked before the
	 * unmap's own flush, so freeing them needs no second one, and the GPU
	 * faults on the range instead of walking freed tables.
	 */
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va2, size));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.tlb_invalidates, c0.tlb_invalidates + 1);
	KUNIT_EXPECT_NE(test, 0, nt_access(core, nova_vmm_pdb(vmm), va2, &val, 8, false));
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

/*
 * Binds work on the CPU shadow of the page tables: with the tables in
 * place, a map and an unmap read nothing back through PRAMIN, and write
 * only the entries they change.
 */
static void vmm_shadow_no_reads(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_8K, 0);
	struct nova_vram *v64 = nt_vram(test, core, SZ_64K, NOVA_VRAM_CONTIGUOUS);
	struct nova_hw_counters c0, c1;
	u64 pdb = nova_vmm_pdb(vmm);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_4K, vram, 0, 0));
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_4K, SZ_4K, vram, SZ_4K, 0));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.pramin_reads, c0.pramin_reads);
	/* One 64-bit PTE is two 32-bit writes. */
	KUNIT_EXPECT_EQ(test, c1.pramin_writes, c0.pramin_writes + 2);
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_8K, vram, 0, SZ_4K, false);

	/* A 64 KiB page beside them: a new big-page table, still no read. */
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA + SZ_64K, SZ_64K, v64, 0, 0));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_VA + SZ_4K, SZ_4K));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.pramin_reads, c0.pramin_reads);
	nt_expect_map(test, core, pdb, false, NT_VA + SZ_64K, SZ_64K, v64, 0, 0, false);
	nt_expect_unmapped(test, core, pdb, false, NT_VA + SZ_4K, SZ_4K);
}

/*
 * An unmap costs what is mapped in its range: the whole VA space of an
 * empty VM writes nothing, and with one 4 KiB page mapped it writes that
 * PTE and the PDEs of the tables it empties.
 */
static void vmm_unmap_whole_va(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_4K, 0);
	u64 all = BIT_ULL(core->fmt->va_bits), pdb = nova_vmm_pdb(vmm);
	struct nova_hw_counters c0, c1;
	u64 va = all - SZ_1G - SZ_4K;

	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, 0, all));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.pramin_writes, c0.pramin_writes);
	KUNIT_EXPECT_EQ(test, c1.pramin_reads, c0.pramin_reads);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_4K, vram, 0, 0));
	nt_counters(core, &c0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, 0, all));
	nt_counters(core, &c1);
	KUNIT_EXPECT_EQ(test, c1.pramin_reads, c0.pramin_reads);
	/* The PTE and one PDE per level above it, two words each. */
	KUNIT_EXPECT_LE(test, c1.pramin_writes,
			c0.pramin_writes + 2 * (core->fmt->nr_pd + 1));
	nt_expect_unmapped(test, core, pdb, false, va, SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), SZ_4K);
}

/* ------------------------------------------------------------ NULL maps */

/*
 * The sparse encodings, written by hand from the reference
 * (nvidia-hw-facts.md, exec-sparse-facts.md §4). MMU v2: PTE VALID 0 +
 * VOL (bit 3); PDE aperture INVALID + VOL (bit 3); dual PDE: big half VOL
 * (bit 3), small half 0. MMU v3: PTE VALID 0 + PCF (7:3) SPARSE = 1; PDE
 * aperture INVALID + PCF (5:3) bit 0; dual PDE PCF_BIG (5:3) =
 * SPARSE_ATS_ALLOWED = 1, small half 0.
 */
static u64 nt_sparse_val(const struct nova_mmu_fmt *fmt, u32 level)
{
	if (fmt->version == 3)
		return level >= NOVA_LVL_SPT(fmt) ? 1ull << 3 /* PTE PCF 1 */ :
						    1ull << 3 /* PDE PCF bit 0 */;
	return BIT_ULL(3);	/* VOL, in a PTE, a PDE and a big half alike */
}

/*
 * The entry that maps @va in the table of @level of the address space at
 * @pdb, read from VRAM (as the GPU sees it); for PD0 the big half, and
 * *@small the small half.
 */
static u64 nt_entry(struct kunit *test, struct nova_core *core, u64 pdb,
		    u64 va, u32 level, u64 *small)
{
	const struct nova_mmu_fmt *fmt = core->fmt;
	struct nova_walker w = { .core = core, .fmt = fmt, .pdb = pdb };
	struct nova_walk_result res = { .table = pdb };
	u64 v = 0;

	nova_pramin_lock(core);
	if (level)
		KUNIT_EXPECT_EQ(test, 0, nova_walk_pd(&w, va, level, &res));
	if (level && res.status != NOVA_WALK_OK) {
		KUNIT_FAIL(test, "VA %#llx: no table at level %u", va, level);
	} else if (level == NOVA_LVL_PD0(fmt)) {
		v = nova_pramin_rd64(core, nova_pt_dual_addr(fmt, res.table, va,
							     NOVA_LVL_LPT(fmt)));
		*small = nova_pramin_rd64(core, nova_pt_dual_addr(fmt, res.table, va,
								  NOVA_LVL_SPT(fmt)));
	} else {
		v = nova_pramin_rd64(core, nova_pt_entry_addr(nova_fmt_level(fmt, level),
							      res.table, va));
	}
	nova_pramin_unlock(core);
	return v;
}

/*
 * The GPU's engines see [@va, @va + @size) as sparse regions of @unit
 * bytes (0: any): a sample of pages translates sparse without fault; an
 * engine read there returns zeroes and a write is dropped, with no fault.
 */
static void nt_expect_null(struct kunit *test, struct nova_core *core, u64 pdb,
			   u64 va, u64 size, u64 unit)
{
	u64 samples[] = { 0, size / 2, size - SZ_4K }, rd, wr, faults;
	struct nova_hw_counters c;
	struct nova_hw_xlate x;
	u32 buf[4];
	unsigned int i;

	nt_counters(core, &c);
	rd = c.sparse_read_bytes;
	wr = c.sparse_write_bytes;
	faults = c.faults;
	for (i = 0; i < ARRAY_SIZE(samples); i++) {
		u64 a = va + round_down(samples[i], SZ_4K);

		nt_xlate(core, pdb, a, false, false, &x);
		KUNIT_EXPECT_EQ_MSG(test, x.fault_reason, 0u, "VA %#llx", a);
		KUNIT_EXPECT_TRUE_MSG(test, x.sparse, "VA %#llx", a);
		if (unit)
			KUNIT_EXPECT_EQ_MSG(test, x.page_size, unit, "VA %#llx", a);
		memset(buf, 0x5a, sizeof(buf));
		KUNIT_EXPECT_EQ(test, 0, nt_access(core, pdb, a + 16, buf,
						   sizeof(buf), true));
		memset(buf, 0xff, sizeof(buf));
		KUNIT_EXPECT_EQ(test, 0, nt_access(core, pdb, a + 16, buf,
						   sizeof(buf), false));
		KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(buf, 0, sizeof(buf)),
				      "VA %#llx", a);
	}
	nt_counters(core, &c);
	KUNIT_EXPECT_EQ(test, c.sparse_read_bytes - rd,
			(u64)ARRAY_SIZE(samples) * sizeof(buf));
	KUNIT_EXPECT_EQ(test, c.sparse_write_bytes - wr,
			(u64)ARRAY_SIZE(samples) * sizeof(buf));
	KUNIT_EXPECT_EQ(test, c.faults, faults);
}

/*
 * A NULL range of each unit is written as one sparse entry at its level,
 * with the encoding of the chip, and nothing below it.
 */
static void vmm_null_encodings(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	const struct nova_mmu_fmt *fmt = core->fmt;
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), small, pt0, va;
	u32 level;

	/* 4 KiB, 64 KiB and 2 MiB units, at their own levels. */
	va = NT_GB(2);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va + SZ_4K, SZ_4K));
	KUNIT_EXPECT_EQ(test, nt_entry(test, core, pdb, va + SZ_4K,
				       NOVA_LVL_SPT(fmt), NULL),
			nt_sparse_val(fmt, NOVA_LVL_SPT(fmt)));
	nt_expect_null(test, core, pdb, va + SZ_4K, SZ_4K, SZ_4K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va + SZ_64K, SZ_64K));
	KUNIT_EXPECT_EQ(test, nt_entry(test, core, pdb, va + SZ_64K,
				       NOVA_LVL_LPT(fmt), NULL),
			nt_sparse_val(fmt, NOVA_LVL_LPT(fmt)));
	nt_expect_null(test, core, pdb, va + SZ_64K, SZ_64K, SZ_64K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va + SZ_2M, SZ_2M));
	KUNIT_EXPECT_EQ(test, nt_entry(test, core, pdb, va + SZ_2M,
				       NOVA_LVL_PD0(fmt), &small),
			nt_sparse_val(fmt, NOVA_LVL_PD0(fmt)));
	KUNIT_EXPECT_EQ(test, small, 0ull);
	nt_expect_null(test, core, pdb, va + SZ_2M, SZ_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), (u64)SZ_4K + SZ_64K + SZ_2M);

	/* One entry of each directory level below the root. */
	for (level = NOVA_LVL_PD0(fmt) - 1; level >= 1; level--) {
		u64 span = BIT_ULL(fmt->pd[level].shift);

		va = BIT_ULL(fmt->pd[level - 1].shift) + span;
		pt0 = nova_vmm_pt_bytes(vmm);
		KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va, span));
		KUNIT_EXPECT_EQ_MSG(test, nt_entry(test, core, pdb, va, level, NULL),
				    nt_sparse_val(fmt, level), "level %u", level);
		/* At most the tables above it: none below. */
		KUNIT_EXPECT_LE_MSG(test, nova_vmm_pt_bytes(vmm) - pt0,
				    (u64)level * SZ_4K, "level %u", level);
		nt_expect_null(test, core, pdb, va, span, span);
		KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, span));
		nt_expect_unmapped(test, core, pdb, false, va, SZ_4K);
	}
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, NT_GB(2), SZ_4M));
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), 0ull);
	nt_expect_unmapped(test, core, pdb, false, NT_GB(2), SZ_4M);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), (u64)SZ_4K);
}

/* 1 TiB NULL costs a few KiB of tables; unaligned ends cost a few more. */
static void vmm_null_1t(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), va = SZ_1T;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va, SZ_1T));
	KUNIT_EXPECT_LE(test, nova_vmm_pt_bytes(vmm), (u64)4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), (u64)SZ_1T);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0ull);
	nt_expect_null(test, core, pdb, va, SZ_1T, 0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_1T));
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), 0ull);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), (u64)SZ_4K);

	/* Unaligned at both ends: sparse 4 KiB PTEs only there. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va + SZ_4K, SZ_1T - SZ_8K));
	KUNIT_EXPECT_LE(test, nova_vmm_pt_bytes(vmm), (u64)16 * SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), (u64)SZ_1T - SZ_8K);
	nt_expect_null(test, core, pdb, va + SZ_4K, SZ_4K, SZ_4K);
	nt_expect_null(test, core, pdb, va + SZ_1T - SZ_8K, SZ_4K, SZ_4K);
	nt_expect_unmapped(test, core, pdb, false, va, SZ_4K);
	nt_expect_unmapped(test, core, pdb, false, va + SZ_1T - SZ_4K, SZ_4K);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_1T));
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), (u64)SZ_4K);
}

/*
 * Splitting a sparse PD1 entry: a backed 4 KiB page inside it gets its
 * tables (staged by the prepare, filled sparse by the execute), the rest
 * stays sparse; unmapping the page leaves a hole; unmapping the whole
 * span frees everything.
 */
static void vmm_null_split_pd1(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	const struct nova_mmu_fmt *fmt = core->fmt;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_64K, 0);
	u64 pdb = nova_vmm_pdb(vmm), span = BIT_ULL(fmt->pd[NOVA_LVL_PD0(fmt) - 1].shift);
	u64 va = NT_GB(4), page = va + span / 2 + SZ_2M + SZ_64K + SZ_4K;
	struct nova_vmm_op *op;
	u64 pt0 = nova_vmm_pt_bytes(vmm);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, va, span));
	KUNIT_EXPECT_EQ(test, nt_entry(test, core, pdb, va, NOVA_LVL_PD0(fmt) - 1, NULL),
			nt_sparse_val(fmt, NOVA_LVL_PD0(fmt) - 1));

	/* The prepare allocates; the execute only writes. */
	op = nt_prepare(test, vmm, page, SZ_4K, vram, 0, 0);
	KUNIT_EXPECT_GE(test, nova_vmm_pt_bytes(vmm), pt0 + fmt->nr_pd * SZ_4K);
	KUNIT_EXPECT_EQ(test, 0, nova_vmm_execute(&op, 1));
	nt_release(test, op);
	nt_expect_map(test, core, pdb, false, page, SZ_4K, vram, 0, SZ_4K, false);
	nt_expect_null(test, core, pdb, va, span / 2, 0);
	nt_expect_null(test, core, pdb, page - SZ_4K, SZ_4K, SZ_4K);
	nt_expect_null(test, core, pdb, page + SZ_4K, SZ_4K, SZ_4K);
	nt_expect_null(test, core, pdb, page + SZ_64K, SZ_64K, 0);
	nt_expect_null(test, core, pdb, round_up(page, SZ_2M), SZ_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), span - SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), (u64)SZ_4K);

	/* Unmapping the page leaves a hole in the NULL range. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, page, SZ_4K));
	nt_expect_unmapped(test, core, pdb, false, page, SZ_4K);
	nt_expect_null(test, core, pdb, page - SZ_4K, SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), span - SZ_4K);

	/* Unmapping NULL in the middle of a sparse 2 MiB entry. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va + SZ_2M + SZ_64K, SZ_64K));
	nt_expect_unmapped(test, core, pdb, false, va + SZ_2M + SZ_64K, SZ_64K);
	nt_expect_null(test, core, pdb, va + SZ_2M, SZ_64K, SZ_4K);
	nt_expect_null(test, core, pdb, va + SZ_2M + SZ_128K, SZ_64K, SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), span - SZ_4K - SZ_64K);

	/* A NULL map over a backed one replaces it. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, page, SZ_64K, vram, 0, 0));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map_null(vmm, page, SZ_4K));
	nt_expect_null(test, core, pdb, page, SZ_4K, SZ_4K);
	nt_expect_map(test, core, pdb, false, page + SZ_4K, SZ_64K - SZ_4K, vram,
		      SZ_4K, 0, false);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va, span));
	KUNIT_EXPECT_EQ(test, nova_vmm_null_bytes(vmm), 0ull);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), 0ull);
	nt_expect_unmapped(test, core, pdb, false, va, SZ_4K);
	nt_expect_unmapped(test, core, pdb, false, page, SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_pt_bytes(vmm), pt0);
}

static void vmm_destroy(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *vram = nt_vram(test, core, SZ_2M + SZ_64K, 0);
	struct nova_core_usage u0, u1;
	struct nova_hw_counters c0, c1;
	struct nova_vmm *vmm;
	u64 val;

	nt_usage(core, &u0);
	vmm = nt_vmm(test, core);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_2M + SZ_64K, vram, 0, 0));
	KUNIT_EXPECT_EQ(test, 0, nt_access(core, nova_vmm_pdb(vmm), NT_VA, &val, 8, false));
	/* Destroyed with mappings: its tables go, and so do cached translations. */
	nt_counters(core, &c0);
	kunit_release_action(test, nt_vmm_destroy, vmm);
	nt_counters(core, &c1);
	KUNIT_EXPECT_GE(test, c1.tlb_invalidates_acked, c0.tlb_invalidates_acked + 1);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.pt_bytes, u0.pt_bytes);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
}

/* -------------------------------------------------------------- walker */

/**
 * struct nt_walk - what a range walk visited
 * @pre: pre_descend callbacks, by level of the table gone into
 * @post: post_ascend callbacks, likewise
 * @leaf: leaf callbacks, by level of the entry
 * @leaf_bytes: bytes of the range the leaves cover
 * @start: the walk's range
 * @end: the walk's range
 * @bad: a callback got an entry outside the range, a zero entry or a
 *	directory entry with no table
 * @skip: level of the tables nt_walk_pre_skip() skips
 */
struct nt_walk {
	u32 pre[NOVA_PT_MAX_PD + 2];
	u32 post[NOVA_PT_MAX_PD + 2];
	u32 leaf[NOVA_PT_MAX_PD + 2];
	u64 leaf_bytes;
	u64 start;
	u64 end;
	bool bad;
	u32 skip;
};

static u32 nt_sum(const u32 *a, unsigned int n)
{
	u32 sum = 0;

	while (n--)
		sum += a[n];
	return sum;
}

static bool nt_walk_bad(struct nt_walk *c, const struct nova_pt_walk_entry *e)
{
	return e->start < c->start || e->end > c->end || e->start >= e->end ||
	       e->start < e->base || e->end > e->base + e->size || !e->val ||
	       e->level >= ARRAY_SIZE(c->leaf);
}

static int nt_walk_pre(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nt_walk *c = priv;

	if (nt_walk_bad(c, e) || !e->child || e->child_level >= ARRAY_SIZE(c->pre))
		c->bad = true;
	else
		c->pre[e->child_level]++;
	return NOVA_PT_WALK_CONTINUE;
}

static int nt_walk_post(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nt_walk *c = priv;

	if (nt_walk_bad(c, e) || !e->child || e->child_level >= ARRAY_SIZE(c->post))
		c->bad = true;
	else
		c->post[e->child_level]++;
	return NOVA_PT_WALK_CONTINUE;
}

static int nt_walk_leaf(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nt_walk *c = priv;

	if (nt_walk_bad(c, e) || e->child) {
		c->bad = true;
		return NOVA_PT_WALK_CONTINUE;
	}
	c->leaf[e->level]++;
	c->leaf_bytes += e->end - e->start;
	return NOVA_PT_WALK_CONTINUE;
}

static const struct nova_pt_walk_ops nt_walk_ops = {
	.pre_descend = nt_walk_pre,
	.leaf = nt_walk_leaf,
	.post_ascend = nt_walk_post,
};

/* pre_descend that skips the tables of level @c->skip. */
static int nt_walk_pre_skip(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nt_walk *c = priv;

	nt_walk_pre(priv, e);
	return e->child_level == c->skip ? NOVA_PT_WALK_SKIP : NOVA_PT_WALK_CONTINUE;
}

/* leaf that fails on the second page. */
static int nt_walk_leaf_fail(void *priv, const struct nova_pt_walk_entry *e)
{
	struct nt_walk *c = priv;

	nt_walk_leaf(priv, e);
	return nt_sum(c->leaf, ARRAY_SIZE(c->leaf)) >= 2 ? -EIO : NOVA_PT_WALK_CONTINUE;
}

static const struct nova_pt_walk_ops nt_walk_skip_ops = {
	.pre_descend = nt_walk_pre_skip,
	.leaf = nt_walk_leaf,
	.post_ascend = nt_walk_post,
};

static const struct nova_pt_walk_ops nt_walk_fail_ops = {
	.leaf = nt_walk_leaf_fail,
};

/*
 * Walk [@start, @end) of @vmm's CPU shadow into @c, and check that every
 * table gone into was left, and that a walk of the same range through
 * PRAMIN (the tables as the GPU sees them) visits the same.
 */
static void nt_walk(struct kunit *test, struct nova_core *core,
		    struct nova_vmm *vmm, u64 start, u64 end, struct nt_walk *c)
{
	struct nova_walker w = {
		.core = core, .fmt = core->fmt, .pdb = nova_vmm_pdb(vmm),
	};
	struct nt_walk v;
	int ret;

	/* Compared whole below: no stale padding. */
	memset(c, 0, sizeof(*c));
	memset(&v, 0, sizeof(v));
	c->start = start;
	c->end = end;
	v.start = start;
	v.end = end;
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_walk_shadow(vmm, start, end, &nt_walk_ops, c));
	KUNIT_EXPECT_FALSE(test, c->bad);
	KUNIT_EXPECT_EQ(test, 0, memcmp(c->pre, c->post, sizeof(c->pre)));

	nova_pramin_lock(core);
	ret = nova_pt_walk_range(&w, start, end, &nt_walk_ops, &v);
	nova_pramin_unlock(core);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, 0, memcmp(c, &v, sizeof(v)));
}

/*
 * The range walker visits what is present only: nothing in an empty VM,
 * one table per level and one PTE for one 4 KiB page anywhere in the VA
 * space; and an unmap of the whole VA space of a VM with one 4 KiB page
 * makes one callback per level.
 */
static void walk_sparse(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	const struct nova_mmu_fmt *fmt = core->fmt;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_4K, 0);
	u64 all = BIT_ULL(fmt->va_bits), va = all - SZ_1G - SZ_4K, v0;
	struct nt_walk c;
	u32 l;

	nt_walk(test, core, vmm, 0, all, &c);
	KUNIT_EXPECT_EQ(test, nt_sum(c.pre, ARRAY_SIZE(c.pre)), 0);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 0);
	/* Past the format's VA space: refused, nothing visited. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			nova_vmm_walk_shadow(vmm, 0, all + SZ_4K, &nt_walk_ops, &c));

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, va, SZ_4K, vram, 0, 0));
	nt_walk(test, core, vmm, 0, all, &c);
	for (l = 1; l <= NOVA_LVL_PD0(fmt); l++)
		KUNIT_EXPECT_EQ_MSG(test, c.pre[l], 1, "level %u", l);
	KUNIT_EXPECT_EQ(test, c.pre[NOVA_LVL_SPT(fmt)], 1);
	KUNIT_EXPECT_EQ(test, c.pre[NOVA_LVL_LPT(fmt)], 0);
	KUNIT_EXPECT_EQ(test, c.leaf[NOVA_LVL_SPT(fmt)], 1);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_4K);
	/* A range beside the page visits no PTE. */
	nt_walk(test, core, vmm, va + SZ_4K, all, &c);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 0);

	/* The unmap's own walk: one table per level, then the PTE. */
	v0 = nova_vmm_walk_visits(vmm);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, 0, all));
	KUNIT_EXPECT_EQ(test, nova_vmm_walk_visits(vmm) - v0, fmt->nr_pd + 1);
	nt_expect_unmapped(test, core, nova_vmm_pdb(vmm), false, va, SZ_4K);
	nt_walk(test, core, vmm, 0, all, &c);
	KUNIT_EXPECT_EQ(test, nt_sum(c.pre, ARRAY_SIZE(c.pre)), 0);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 0);
}

/*
 * Every page size the VMM maps below PD1 is a leaf at its level, ranges
 * crossing directory boundaries visit the tables on both sides, a range
 * inside a large page gets that page with the part in range, and an unmap
 * there splits it into small pages.
 */
static void walk_levels(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	const struct nova_mmu_fmt *fmt = core->fmt;
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *v4 = nt_vram(test, core, SZ_8K, 0);
	struct nova_vram *v64 = nt_vram(test, core, SZ_256K, 0);
	struct nova_vram *v2m = nt_vram(test, core, SZ_4M, 0);
	u64 all = BIT_ULL(fmt->va_bits), va4 = NT_GB(1) - SZ_4K;
	u64 va64 = NT_GB(2), va2m = NT_GB(3);
	u32 spt = NOVA_LVL_SPT(fmt), lpt = NOVA_LVL_LPT(fmt), pd0 = NOVA_LVL_PD0(fmt);
	struct nt_walk c;
	u32 l;

	/* 4 KiB pages across a 1 GiB (PD1 entry) boundary. */
	nt_map_check(test, core, vmm, va4, v4, SZ_8K, SZ_4K);
	nt_map_check(test, core, vmm, va64, v64, SZ_256K, SZ_64K);
	nt_map_check(test, core, vmm, va2m, v2m, SZ_4M, SZ_2M);

	nt_walk(test, core, vmm, 0, all, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], 2);
	KUNIT_EXPECT_EQ(test, c.leaf[lpt], 4);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0], 2);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 8);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_8K + SZ_256K + SZ_4M);
	KUNIT_EXPECT_EQ(test, c.pre[spt], 2);
	KUNIT_EXPECT_EQ(test, c.pre[lpt], 1);
	/* PD0 tables: two for the 4 KiB pages, one each for the others. */
	KUNIT_EXPECT_EQ(test, c.pre[pd0], 4);
	/* All below 256 GiB: one table at each level above. */
	for (l = 1; l < pd0; l++)
		KUNIT_EXPECT_EQ_MSG(test, c.pre[l], 1, "level %u", l);

	/* Each side of the boundary alone. */
	nt_walk(test, core, vmm, va4, va4 + SZ_4K, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], 1);
	KUNIT_EXPECT_EQ(test, c.pre[pd0], 1);
	nt_walk(test, core, vmm, va4 + SZ_4K, va64, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], 1);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 1);

	/* Inside a 2 MiB page and a 64 KiB page: the page, the part in range. */
	nt_walk(test, core, vmm, va2m + SZ_64K, va2m + SZ_64K + SZ_4K, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0], 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_4K);
	nt_walk(test, core, vmm, va64 + SZ_4K, va64 + SZ_8K, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[lpt], 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_4K);

	/* A skipped table: its entries unseen, the entry pointing at it seen. */
	memset(&c, 0, sizeof(c));
	c.end = all;
	c.skip = pd0;
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_walk_shadow(vmm, 0, all, &nt_walk_skip_ops, &c));
	KUNIT_EXPECT_EQ(test, c.pre[pd0], 4);
	KUNIT_EXPECT_EQ(test, c.post[pd0], 4);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 0);
	KUNIT_EXPECT_EQ(test, c.pre[spt] + c.pre[lpt], 0);
	/* The first error ends the walk and is its result. */
	memset(&c, 0, sizeof(c));
	c.end = all;
	KUNIT_EXPECT_EQ(test, -EIO, nova_vmm_walk_shadow(vmm, 0, all, &nt_walk_fail_ops, &c));
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 2);

	/* Unmapping 4 KiB of each splits it: the rest as 4 KiB pages. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va2m + SZ_64K, SZ_4K));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, va64 + SZ_4K, SZ_4K));
	nt_walk(test, core, vmm, va2m, va2m + SZ_2M, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0], 0);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], SZ_2M / SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_2M - SZ_4K);
	nt_walk(test, core, vmm, va64, va64 + SZ_256K, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[lpt], 3);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], SZ_64K / SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_256K - SZ_4K);
	nt_expect_unmapped(test, core, nova_vmm_pdb(vmm), false, va2m + SZ_64K, SZ_4K);
	nt_expect_unmapped(test, core, nova_vmm_pdb(vmm), false, va64 + SZ_4K, SZ_4K);
	nt_expect_map(test, core, nova_vmm_pdb(vmm), false, va2m + SZ_128K, SZ_64K,
		      v2m, SZ_128K, SZ_4K, false);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_8K + SZ_256K + SZ_4M - SZ_8K);
}

/*
 * A 512 MiB page (v3 PD1) is a leaf one level above PD0; unmapping 4 KiB
 * inside it splits it through the walker (the leaf callback puts a PD0
 * table in its place and the walk goes on into it): 255 2 MiB pages and
 * 511 4 KiB pages remain.
 */
static void walk_split_512m(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	const struct nova_mmu_fmt *fmt = core->fmt;
	u32 pd0 = NOVA_LVL_PD0(fmt), spt = NOVA_LVL_SPT(fmt);
	u64 all = BIT_ULL(fmt->va_bits), hole = NT_VA + SZ_2M + SZ_4K;
	struct nova_vram *vram;
	struct nova_vmm *vmm;
	struct nt_walk c;

	if (!(nova_mmu_page_sizes(fmt) & SZ_512M))
		kunit_skip(test, "%s: no 512 MiB pages", core->chip->name);
	vram = nt_vram_huge(test, core, SZ_512M);
	vmm = nt_vmm(test, core);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_512M, vram, 0, 0));
	nt_walk(test, core, vmm, 0, all, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0 - 1], 1);
	KUNIT_EXPECT_EQ(test, nt_sum(c.leaf, ARRAY_SIZE(c.leaf)), 1);
	KUNIT_EXPECT_EQ(test, c.pre[pd0], 0);
	nt_walk(test, core, vmm, hole, hole + SZ_4K, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0 - 1], 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_4K);

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_unmap(vmm, hole, SZ_4K));
	nt_walk(test, core, vmm, 0, all, &c);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0 - 1], 0);
	KUNIT_EXPECT_EQ(test, c.pre[pd0], 1);
	KUNIT_EXPECT_EQ(test, c.leaf[pd0], SZ_512M / SZ_2M - 1);
	KUNIT_EXPECT_EQ(test, c.pre[spt], 1);
	KUNIT_EXPECT_EQ(test, c.leaf[spt], SZ_2M / SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, c.leaf_bytes, SZ_512M - SZ_4K);
	KUNIT_EXPECT_EQ(test, nova_vmm_mapped(vmm), SZ_512M - SZ_4K);
	nt_expect_unmapped(test, core, nova_vmm_pdb(vmm), false, hole, SZ_4K);
	nt_expect_map(test, core, nova_vmm_pdb(vmm), false, hole - SZ_4K, SZ_4K,
		      vram, SZ_2M, SZ_4K, false);
	nt_expect_map(test, core, nova_vmm_pdb(vmm), false, NT_VA + SZ_4M, SZ_8K,
		      vram, SZ_4M, SZ_2M, false);
}

/* ------------------------------------------------------------- lockdep */

struct nt_exec {
	struct nova_vmm_op **ops;
	unsigned int count;
	int ret;
	struct completion done;
};

static int nt_exec_thread(void *data)
{
	struct nt_exec *e = data;
	unsigned int i;

	for (i = 0; i < e->count; i++) {
		bool cookie = dma_fence_begin_signalling();
		int ret = nova_vmm_execute(&e->ops[i], 1);

		dma_fence_end_signalling(cookie);
		if (ret && !e->ret)
			e->ret = ret;
		cond_resched();
	}
	complete(&e->done);
	return 0;
}

#define NT_EXEC_OPS	64

static void lockdep_execute_signalling(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *big = nt_vram(test, core, SZ_2M, 0);
	struct nova_vram *small = nt_vram(test, core, SZ_128K, 0);
	struct nova_vmm_op **ops;
	struct dma_fence *stub;
	struct task_struct *task;
	int locks = debug_locks;
	unsigned int i, rounds = 0;
	struct nt_exec e = {};
	u64 pdb = nova_vmm_pdb(vmm);

	/*
	 * Teach lockdep that memory reclaim may wait for fences, as
	 * dma-resv does at boot: allocating in the signalling path, or
	 * taking a lock there that is held around an allocation, is then a
	 * reported deadlock.
	 */
	stub = dma_fence_get_stub();
	fs_reclaim_acquire(GFP_KERNEL);
	dma_fence_wait(stub, false);
	fs_reclaim_release(GFP_KERNEL);
	dma_fence_put(stub);

	ops = kunit_kcalloc(test, NT_EXEC_OPS, sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	/* A 2 MiB page that the signalling thread splits. */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_2M, big, 0, 0));
	for (i = 0; i < NT_EXEC_OPS; i++) {
		u64 va = NT_VA + SZ_4M + (u64)i * SZ_2M + (i % 4) * SZ_64K;

		if (i % 6 == 5 && i < 32)
			ops[i] = nt_prepare(test, vmm, NT_VA + i * SZ_64K + SZ_4K,
					    SZ_4K, NULL, 0, 0);
		else
			ops[i] = nt_prepare(test, vmm, va, SZ_128K, small, 0, 0);
	}

	e.ops = ops;
	e.count = NT_EXEC_OPS;
	init_completion(&e.done);
	task = kthread_run(nt_exec_thread, &e, "nova-kunit-exec");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	/* Meanwhile, prepare (allocate) on the same VMM. */
	while (!completion_done(&e.done) || rounds < 32) {
		u64 va = NT_VA + NT_GB(1) + (rounds % 16) * SZ_2M + SZ_64K;
		struct nova_vram *tmp = nova_vram_alloc(core, SZ_64K, 0);
		struct nova_vmm_op *op;

		if (IS_ERR(tmp)) {
			KUNIT_FAIL(test, "VRAM allocation: %ld", PTR_ERR(tmp));
			break;
		}
		op = nova_vmm_prepare_map(vmm, va, SZ_64K, tmp, 0, 0);
		if (!IS_ERR(op)) {
			if (rounds % 2)
				KUNIT_EXPECT_EQ(test, 0, nova_vmm_execute(&op, 1));
			nova_vmm_op_release(op);
			if (rounds % 2)
				KUNIT_EXPECT_EQ(test, 0, nova_vmm_unmap(vmm, va, SZ_64K));
		} else {
			KUNIT_FAIL(test, "prepare: %ld", PTR_ERR(op));
		}
		nova_vram_free(tmp);
		rounds++;
		if (rounds > 10000)
			break;
	}
	wait_for_completion(&e.done);
	KUNIT_EXPECT_EQ(test, e.ret, 0);
	for (i = 0; i < NT_EXEC_OPS; i++)
		nt_release(test, ops[i]);

	for (i = 0; i < NT_EXEC_OPS; i++) {
		if (i % 6 == 5 && i < 32) {
			nt_expect_unmapped(test, core, pdb, false, NT_VA + i * SZ_64K + SZ_4K,
					   SZ_4K);
			continue;
		}
		nt_expect_map(test, core, pdb, false,
			      NT_VA + SZ_4M + (u64)i * SZ_2M + (i % 4) * SZ_64K,
			      SZ_128K, small, 0, SZ_64K, false);
	}
	nt_expect_map(test, core, pdb, false, NT_VA, SZ_4K, big, 0, 0, false);
	kunit_info(test, "%u prepares while executing", rounds);
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, locks, "lockdep reported a problem");
}

/* ------------------------------------------------------------- gpu_buddy */

/*
 * The kernel's gpu_buddy allocator, which nova-core's VRAM allocator is,
 * under allocation failures: when split_block() cannot allocate a block's
 * children, the allocation fails and the allocator must be left whole.
 * Kernels without tools/kernel-patches/0001-gpu-buddy-take-a-block-out-
 * of-its-free-tree-before-u.patch free a block still linked in its free
 * tree on that error path: a BUG_ON() or a KASAN use-after-free follows.
 * The cases use a private allocator, not a GPU's.
 */
#define NT_BUDDY_SIZE	SZ_8M

/**
 * struct nt_buddy - a private buddy allocator of a test
 * @mm: the allocator, 8 MiB of 4 KiB chunks
 * @blocks: blocks the test has allocated from it
 */
struct nt_buddy {
	struct gpu_buddy mm;
	struct list_head blocks;
};

static void nt_buddy_release(void *data)
{
	struct nt_buddy *b = data;

	gpu_buddy_free_list(&b->mm, &b->blocks, 0);
	gpu_buddy_fini(&b->mm);
}

static struct nt_buddy *nt_buddy(struct kunit *test)
{
	struct nt_buddy *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	INIT_LIST_HEAD(&b->blocks);
	KUNIT_ASSERT_EQ(test, 0, gpu_buddy_init(&b->mm, NT_BUDDY_SIZE, SZ_4K));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_buddy_release, b));
	return b;
}

/* Everything is free, and merged back into one block. */
static void nt_buddy_expect_whole(struct kunit *test, struct nt_buddy *b,
				  unsigned int n)
{
	struct gpu_buddy *mm = &b->mm;
	struct gpu_buddy_block *block;

	KUNIT_ASSERT_EQ_MSG(test, mm->avail, NT_BUDDY_SIZE, "check %u failing", n);
	KUNIT_ASSERT_EQ_MSG(test, 0,
			    gpu_buddy_alloc_blocks(mm, 0, NT_BUDDY_SIZE, NT_BUDDY_SIZE,
						   NT_BUDDY_SIZE, &b->blocks, 0),
			    "no 8 MiB block after check %u failing", n);
	block = list_first_entry(&b->blocks, struct gpu_buddy_block, link);
	KUNIT_EXPECT_TRUE_MSG(test, list_is_singular(&b->blocks) &&
			      gpu_buddy_block_size(mm, block) == NT_BUDDY_SIZE,
			      "8 MiB in pieces after check %u failing", n);
	KUNIT_EXPECT_EQ(test, mm->avail, 0);
	gpu_buddy_free_list(mm, &b->blocks, 0);
	KUNIT_EXPECT_EQ(test, mm->avail, NT_BUDDY_SIZE);
}

/*
 * Allocate 4 KiB from [@start, @end) with each allocation of the
 * allocator failing in turn; the allocator is whole after every try.
 * @must_fail: see nt_sweep_done().
 */
static void nt_buddy_sweep(struct kunit *test, const char *what, u64 start,
			   u64 end, unsigned long flags, bool must_fail)
{
	struct nt_buddy *b;
	struct nt_sweep s;
	bool more;
	int err;

	nt_sweep_init(&s, test, what);
	b = nt_buddy(test);
	do {
		if (!nt_sweep_arm(&s))
			break;
		err = gpu_buddy_alloc_blocks(&b->mm, start, end, SZ_4K, SZ_4K,
					     &b->blocks, flags);
		more = nt_sweep_end(&s, err);
		if (!err)
			gpu_buddy_free_list(&b->mm, &b->blocks, 0);
		nt_buddy_expect_whole(test, b, s.n);
	} while (more);
	nt_sweep_done(&s, must_fail);
}

/* From the free trees: alloc_from_freetree(). */
static void buddy_split_enomem(struct kunit *test)
{
	nt_buddy_sweep(test, "gpu_buddy_alloc_blocks() from the free trees",
		       0, NT_BUDDY_SIZE, 0, true);
}

/*
 * Within a range larger than the allocation: __alloc_range_bias(). A
 * failed pass is retried with the fallback pass, which may succeed.
 */
static void buddy_split_enomem_bias(struct kunit *test)
{
	nt_buddy_sweep(test, "gpu_buddy_alloc_blocks() in a range",
		       SZ_1M, SZ_2M + SZ_1M, GPU_BUDDY_RANGE_ALLOCATION, false);
}

/* Of exactly a range: __alloc_range(). */
static void buddy_split_enomem_range(struct kunit *test)
{
	nt_buddy_sweep(test, "gpu_buddy_alloc_blocks() of a range",
		       SZ_4M + SZ_16K, SZ_4M + SZ_16K + SZ_4K,
		       GPU_BUDDY_RANGE_ALLOCATION, true);
}

/* -------------------------------------------------------------- channels */

KUNIT_DEFINE_ACTION_WRAPPER(nt_chan_destroy, nova_chan_destroy,
			    struct nova_chan *);

/* A user-like address space: data at NT_VA, a pushbuffer after it. */
struct nt_ch {
	struct nova_core *core;
	struct nova_vmm *vmm;
	struct nova_vram *data;
	struct nova_vram *pb;
	struct nova_bar1_map *data_map;
	struct nova_bar1_map *pb_map;
	u32 pos;
};

#define NT_PB_VA	(NT_VA + SZ_2M)

static struct nova_chan *nt_chan(struct kunit *test, struct nt_ch *c)
{
	struct nova_chan *chan = nova_chan_create(c->core, c->vmm);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, chan);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_chan_destroy,
							   chan));
	return chan;
}

/*
 * User channels' windows: below the range "users" bind in (NT_VA on), as
 * the DRM driver puts them below NOVA_VA_START.
 */
#define NT_UCHAN_VA	SZ_512K

static void nt_ch_setup_start(struct kunit *test, struct nova_core *core,
			      struct nt_ch *c, u64 va_start)
{
	u64 va;

	memset(c, 0, sizeof(*c));
	c->core = core;
	c->vmm = nova_vmm_create(core, va_start, NT_GB(2));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->vmm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vmm_destroy,
							   c->vmm));
	/*
	 * Reserved first (user channels' windows, data, pushbuffer): a
	 * kernel channel allocates its VA range after it.
	 */
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_va_alloc(c->vmm,
						   NT_VA + SZ_4M - va_start,
						   SZ_4K, &va));
	KUNIT_ASSERT_EQ(test, va, va_start);
	c->data = nt_vram(test, core, SZ_64K, 0);
	c->pb = nt_vram(test, core, SZ_64K, 0);
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(c->vmm, NT_VA, SZ_64K, c->data, 0,
					      0));
	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(c->vmm, NT_PB_VA, SZ_64K, c->pb, 0,
					      0));
	c->data_map = nt_bar1(test, core, c->data);
	c->pb_map = nt_bar1(test, core, c->pb);
}

static void nt_ch_setup(struct kunit *test, struct nova_core *core,
			struct nt_ch *c)
{
	nt_ch_setup_start(test, core, c, NT_VA);
}

/* A VMM with windows for user channels below NT_VA. */
static void nt_ch_setup_user(struct kunit *test, struct nova_core *core,
			     struct nt_ch *c)
{
	nt_ch_setup_start(test, core, c, NT_UCHAN_VA);
}

/* User channel @i, in the window NT_UCHAN_VA + @i * NOVA_CHAN_VA_SIZE. */
static struct nova_chan *nt_uchan(struct kunit *test, struct nt_ch *c,
				  unsigned int i)
{
	struct nova_chan *chan;

	chan = nova_chan_create_user(c->core, c->vmm,
				     NT_UCHAN_VA + i * NOVA_CHAN_VA_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, chan);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_chan_destroy,
							   chan));
	return chan;
}

/* Append pushbuffer words. */
static void nt_pb(struct kunit *test, struct nt_ch *c, const u32 *w, u32 n)
{
	__le32 le[16];
	u32 i;

	KUNIT_ASSERT_LE(test, n, 16u);
	for (i = 0; i < n; i++)
		le[i] = cpu_to_le32(w[i]);
	KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(c->core,
					      nova_bar1_offset(c->pb_map) + c->pos * 4,
					      le, n * 4, true));
	c->pos += n;
}

static u32 nt_mthd(u32 subc, u32 mthd, u32 count)
{
	return (1u << 29) | (count << 16) | (subc << 13) | (mthd >> 2);
}

/*
 * A memset of @n words at @va with the copy engine; @launch adds
 * LAUNCH_DMA bits (NVC7B5_LAUNCH_DMA_DST_TYPE: @va is a VRAM address).
 */
static struct nova_chan_push nt_memset_launch(struct kunit *test,
					      struct nt_ch *c, u64 va, u32 n,
					      u32 value, u32 launch)
{
	struct nova_chan_push p = { .va = NT_PB_VA + c->pos * 4 };
	u32 phys[] = {
		nt_mthd(4, NVC7B5_SET_DST_PHYS_MODE, 1),
		FIELD_PREP(NVC7B5_PHYS_MODE_TARGET,
			   NVC7B5_PHYS_MODE_TARGET_LOCAL_FB),
	};
	u32 w[] = {
		nt_mthd(4, NVC7B5_SET_REMAP_CONST_A, 1), value,
		nt_mthd(4, NVC7B5_SET_REMAP_COMPONENTS, 1),
		FIELD_PREP(NVC7B5_REMAP_DST_X, NVC7B5_REMAP_CONST_A) |
		FIELD_PREP(NVC7B5_REMAP_COMPONENT_SIZE, 3),
		nt_mthd(4, NVC7B5_OFFSET_OUT_UPPER, 2), upper_32_bits(va),
		lower_32_bits(va),
		nt_mthd(4, NVC7B5_LINE_LENGTH_IN, 2), n, 1,
		nt_mthd(4, NVC7B5_LAUNCH_DMA, 1),
		2 | NVC7B5_LAUNCH_DMA_FLUSH_ENABLE |
		NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT |
		NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT |
		NVC7B5_LAUNCH_DMA_REMAP_ENABLE | launch,
	};

	if (launch & NVC7B5_LAUNCH_DMA_DST_TYPE)
		nt_pb(test, c, phys, ARRAY_SIZE(phys));
	nt_pb(test, c, w, ARRAY_SIZE(w));
	p.len = c->pos * 4 - (p.va - NT_PB_VA);
	return p;
}

/* A virtual memset of @n words at @va with the copy engine. */
static struct nova_chan_push nt_memset(struct kunit *test, struct nt_ch *c,
				       u64 va, u32 n, u32 value)
{
	return nt_memset_launch(test, c, va, n, value, 0);
}

static struct dma_fence *nt_submit(struct kunit *test, struct nova_chan *chan,
				   const struct nova_chan_push *p,
				   unsigned int n)
{
	struct nova_chan_fence *f = nova_chan_fence_alloc();

	KUNIT_ASSERT_NOT_NULL(test, f);
	return nova_chan_submit(chan, p, n, f);
}

static void nt_fence_wait(struct kunit *test, struct dma_fence *fence)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fence);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fence, false, 60 * HZ), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
}

static u32 nt_data32(struct kunit *test, struct nt_ch *c, u64 off)
{
	__le32 v;

	KUNIT_EXPECT_EQ(test, 0, nova_bar1_rw(c->core,
					      nova_bar1_offset(c->data_map) + off,
					      &v, 4, false));
	return le32_to_cpu(v);
}

/* A memset on a channel of a VMM: the fence signals after the data lands. */
static void chan_memset(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan_push p[2];
	struct dma_fence *fence;
	struct nova_chan *chan;
	struct nt_ch c;

	nt_ch_setup(test, core, &c);
	chan = nt_chan(test, &c);
	p[0] = nt_memset(test, &c, NT_VA + 0x100, 64, 0xdeadbeef);
	p[1] = nt_memset(test, &c, NT_VA + SZ_32K - 8, 4, 0x12345678);
	fence = nt_submit(test, chan, p, 2);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0xfc), 0u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x100), 0xdeadbeefu);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x1fc), 0xdeadbeefu);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x200), 0u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K - 8), 0x12345678u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + 4), 0x12345678u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + 8), 0u);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);

	/* Bad pushes are refused, by value. */
	p[0].len = 6;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, p, 1)), -EINVAL);
	p[0].len = 4;
	p[0].flags = BIT(7);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, p, 1)), -EINVAL);
}

/* More submissions than the ring holds: -EBUSY, then the ring wraps. */
static void chan_ring_wrap(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct dma_fence *fence, *last = NULL;
	unsigned int i, busy = 0;
	struct nova_chan_push p;
	struct nova_chan *chan;
	struct nt_ch c;
	u32 nop[2] = { nt_mthd(0, NVC56F_NOP, 1), 0 };

	nt_ch_setup(test, core, &c);
	chan = nt_chan(test, &c);
	p.va = NT_PB_VA;
	p.len = sizeof(nop);
	p.flags = 0;
	nt_pb(test, &c, nop, 2);
	for (i = 0; i < 400; i++) {
		fence = nt_submit(test, chan, &p, 1);
		if (PTR_ERR_OR_ZERO(fence) == -EBUSY) {
			busy++;
			KUNIT_ASSERT_NOT_NULL(test, last);
			nt_fence_wait(test, last);
			i--;
			continue;
		}
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fence);
		if (last) {
			KUNIT_EXPECT_EQ(test, fence->seqno, last->seqno + 1);
			dma_fence_put(last);
		}
		last = fence;
	}
	nt_fence_wait(test, last);
	KUNIT_EXPECT_EQ(test, last->error, 0);
	dma_fence_put(last);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);
	/*
	 * 400 submissions of two entries each wrapped the 256-entry ring;
	 * the last fence segment may not have been retired yet.
	 */
	KUNIT_EXPECT_GE(test, nova_chan_space(chan), 254u);
	kunit_info(test, "ring full %u times", busy);
}

/*
 * What a GP entry cannot hold is refused with -EINVAL, not truncated: a
 * VA of more than 40 bits, a length beyond the length field, a count the
 * ring can never hold (UINT_MAX would wrap count + 1). A refused
 * submission changes nothing: the next one runs.
 */
static void chan_bad_submit(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan_push p, bad;
	struct dma_fence *fence;
	struct nova_chan *chan;
	struct nt_ch c;

	nt_ch_setup(test, core, &c);
	chan = nt_chan(test, &c);
	p = nt_memset(test, &c, NT_VA + 0x40, 4, 0xabcd0123);

	bad = p;
	bad.va = BIT_ULL(NOVA_CHAN_PUSH_VA_BITS);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &bad, 1)), -EINVAL);
	bad.va = p.va | BIT_ULL(NOVA_CHAN_PUSH_VA_BITS);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &bad, 1)), -EINVAL);
	bad.va = BIT_ULL(63) | p.va;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &bad, 1)), -EINVAL);
	bad = p;
	bad.len = (FIELD_MAX(NV_GP_ENTRY1_LENGTH) + 1) * 4;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &bad, 1)), -EINVAL);
	/* Never read: the count is refused before the pushes are. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &p, UINT_MAX)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &p, 256)), -EINVAL);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);

	fence = nt_submit(test, chan, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	KUNIT_EXPECT_EQ(test, fence->seqno, 1ull);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x40), 0xabcd0123u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x4c), 0xabcd0123u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x50), 0u);
}

/* A fence callback that submits on the fence's own channel. */
struct nt_resubmit {
	struct dma_fence_cb cb;
	struct nova_chan *chan;
	struct nova_chan_push p;
	struct nova_chan_fence *f;
	struct dma_fence *fence;
	struct completion done;
};

static void nt_resubmit_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct nt_resubmit *r = container_of(cb, struct nt_resubmit, cb);

	/* Takes chan->lock: a deadlock if fences signal under it. */
	r->fence = nova_chan_submit(r->chan, &r->p, 1, r->f);
	r->f = NULL;
	complete(&r->done);
}

/*
 * Fences signal with no channel lock held: a callback may submit on the
 * same channel (lockdep would report a recursive chan->lock otherwise),
 * and its work runs.
 */
static void chan_fence_cb_submit(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan_push p;
	struct dma_fence *fence;
	struct nt_resubmit *r;
	struct nova_chan *chan;
	unsigned int tries;
	struct nt_ch c;
	int ret = -ENOENT;

	nt_ch_setup(test, core, &c);
	/* Allocated before the channel: freed after it is destroyed. */
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	chan = nt_chan(test, &c);
	init_completion(&r->done);
	r->chan = chan;
	r->p = nt_memset(test, &c, NT_VA + SZ_32K, 16, 0x5eb5eb5e);
	r->f = nova_chan_fence_alloc();
	KUNIT_ASSERT_NOT_NULL(test, r->f);

	/* A large memset, so that the callback is added before it signals. */
	for (tries = 0; ret == -ENOENT && tries < 8; tries++) {
		p = nt_memset(test, &c, NT_VA, SZ_32K / 4, 0x11111111 + tries);
		fence = nt_submit(test, chan, &p, 1);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fence);
		ret = dma_fence_add_callback(fence, &r->cb, nt_resubmit_cb);
		dma_fence_put(fence);
	}
	if (ret) {
		nova_chan_fence_free(r->f);
		r->f = NULL;
		KUNIT_FAIL(test, "every fence signalled before its callback was added");
		return;
	}
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&r->done, 60 * HZ),
			0ul);
	nt_fence_wait(test, r->fence);
	KUNIT_EXPECT_EQ(test, r->fence->error, 0);
	dma_fence_put(r->fence);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K - 4),
			0x11111111u + tries - 1);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K), 0x5eb5eb5eu);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + 0x3c), 0x5eb5eb5eu);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + 0x40), 0u);
}

/*
 * A memset to an unmapped VA faults: the channel's fences fail with
 * -EFAULT and it refuses more work; another channel on the VMM works.
 */
static void chan_fault(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan *chan, *chan2;
	struct nova_fault faults[4];
	struct nova_chan_push p;
	struct dma_fence *fence;
	struct nt_ch c;
	u32 n;

	nt_ch_setup(test, core, &c);
	chan = nt_chan(test, &c);
	chan2 = nt_chan(test, &c);
	p = nt_memset(test, &c, NT_VA + SZ_1M, 16, 1);
	fence = nt_submit(test, chan, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, -EFAULT);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), -EFAULT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &p, 1)), -EFAULT);

	n = nova_core_faults(core, nova_vmm_pdb(c.vmm), faults, ARRAY_SIZE(faults));
	KUNIT_EXPECT_EQ(test, n, 1u);
	if (n) {
		KUNIT_EXPECT_EQ(test, faults[0].va, NT_VA + SZ_1M);
		KUNIT_EXPECT_EQ(test, faults[0].access, 1u);
		nova_core_faults_clear(core, nova_vmm_pdb(c.vmm), faults[n - 1].seq);
	}

	p = nt_memset(test, &c, NT_VA + 0x40, 1, 0x77);
	fence = nt_submit(test, chan2, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x40), 0x77u);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan2), 0);
}

/* Where a push that the caller builds from several pieces starts. */
static u32 nt_push_begin(struct nt_ch *c)
{
	return c->pos;
}

static struct nova_chan_push nt_push_end(struct nt_ch *c, u32 start)
{
	struct nova_chan_push p = {
		.va = NT_PB_VA + start * 4,
		.len = (c->pos - start) * 4,
	};

	return p;
}

/* A copy of @len bytes from @src to @dst (VAs) with the copy engine. */
static struct nova_chan_push nt_copy(struct kunit *test, struct nt_ch *c,
				     u64 src, u64 dst, u32 len)
{
	u32 start = nt_push_begin(c);
	u32 w[] = {
		nt_mthd(4, NVC7B5_OFFSET_IN_UPPER, 4),
		upper_32_bits(src), lower_32_bits(src),
		upper_32_bits(dst), lower_32_bits(dst),
		nt_mthd(4, NVC7B5_LINE_LENGTH_IN, 2), len, 1,
		nt_mthd(4, NVC7B5_LAUNCH_DMA, 1),
		2 | NVC7B5_LAUNCH_DMA_FLUSH_ENABLE |
		NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT |
		NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT,
	};

	nt_pb(test, c, w, ARRAY_SIZE(w));
	return nt_push_end(c, start);
}

/* Host semaphore methods: a 32-bit @op (acquire, release) at @va. */
static void nt_sem(struct kunit *test, struct nt_ch *c, u64 va, u32 payload,
		   u32 op)
{
	u32 w[] = {
		nt_mthd(0, NVC56F_SEM_ADDR_LO, 5),
		lower_32_bits(va), upper_32_bits(va), payload, 0,
		FIELD_PREP(NVC56F_SEM_EXECUTE_OPERATION, op),
	};

	nt_pb(test, c, w, ARRAY_SIZE(w));
}

static void nt_nonstall(struct kunit *test, struct nt_ch *c)
{
	u32 w[] = { nt_mthd(0, NVC56F_NON_STALL_INTERRUPT, 1), 0 };

	nt_pb(test, c, w, ARRAY_SIZE(w));
}

static void nt_data_wr32(struct kunit *test, struct nt_ch *c, u64 off, u32 v)
{
	__le32 le = cpu_to_le32(v);

	KUNIT_ASSERT_EQ(test, 0, nova_bar1_rw(c->core,
					      nova_bar1_offset(c->data_map) + off,
					      &le, 4, true));
}

/*
 * A user channel in a window below the user range: a copy through its
 * VMM works; its USERD is not mapped anywhere in the window, its ring and
 * fence segment are mapped read-only; a misaligned window is refused.
 */
static void chan_user_copy(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_hw_xlate x;
	struct nova_chan_push p;
	struct dma_fence *fence;
	struct nova_chan *chan;
	struct nt_ch c;
	u32 i;

	nt_ch_setup_user(test, core, &c);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nova_chan_create_user(core, c.vmm,
							    NT_UCHAN_VA + SZ_4K)),
			-EINVAL);
	/* Below the VMM's range. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(nova_chan_create_user(core, c.vmm,
							    NT_UCHAN_VA - SZ_64K)),
			-EINVAL);
	chan = nt_uchan(test, &c, 0);

	nt_xlate(core, nova_vmm_pdb(c.vmm), NT_UCHAN_VA, false, false, &x);
	KUNIT_EXPECT_NE(test, x.fault_reason, 0u);
	for (i = SZ_4K; i < 3 * SZ_4K; i += SZ_4K) {
		nt_xlate(core, nova_vmm_pdb(c.vmm), NT_UCHAN_VA + i, false,
			 false, &x);
		KUNIT_EXPECT_EQ(test, x.fault_reason, 0u);
		KUNIT_EXPECT_TRUE(test, x.read_only);
		nt_xlate(core, nova_vmm_pdb(c.vmm), NT_UCHAN_VA + i, true,
			 false, &x);
		KUNIT_EXPECT_EQ(test, x.fault_reason,
				(u32)NOVA_FAULT_REASON_RO);
	}
	/* No kernel pushbuffer in a user channel's window. */
	nt_xlate(core, nova_vmm_pdb(c.vmm), NT_UCHAN_VA + 3 * SZ_4K, false,
		 false, &x);
	KUNIT_EXPECT_NE(test, x.fault_reason, 0u);

	for (i = 0; i < 64; i++)
		nt_data_wr32(test, &c, i * 4, 0xc0de0000 + i);
	p = nt_copy(test, &c, NT_VA, NT_VA + SZ_32K, 256);
	fence = nt_submit(test, chan, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + i * 4),
				0xc0de0000 + i);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, SZ_32K + 256), 0u);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);
}

/*
 * A user's copy aimed at its channel's own ring or fence segment faults
 * (the mapping is read-only): the fence fails with -EFAULT, the fault is
 * recorded with the VA, and the ring and segment are unchanged.
 */
static void chan_user_ring_ro(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	static const u32 offs[] = { SZ_4K, 2 * SZ_4K };
	struct nova_fault faults[4];
	struct nova_chan_push p;
	struct dma_fence *fence;
	struct nova_chan *chan;
	u64 pdb, va;
	struct nt_ch c;
	u32 i, n;

	nt_ch_setup_user(test, core, &c);
	pdb = nova_vmm_pdb(c.vmm);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		/* Ring: the first submission's two entries; the segment. */
		u8 before[16], after[16];

		chan = nt_uchan(test, &c, i);
		va = NT_UCHAN_VA + i * NOVA_CHAN_VA_SIZE + offs[i];
		/* A first submission: the ring holds entries to protect. */
		p = nt_memset(test, &c, NT_VA + 0x40, 1, 0x77);
		fence = nt_submit(test, chan, &p, 1);
		nt_fence_wait(test, fence);
		KUNIT_EXPECT_EQ(test, fence->error, 0);
		dma_fence_put(fence);
		KUNIT_ASSERT_EQ(test, nt_access(core, pdb, va, before,
						sizeof(before), false), 0);

		p = nt_memset(test, &c, va, 16, 0);
		fence = nt_submit(test, chan, &p, 1);
		nt_fence_wait(test, fence);
		KUNIT_EXPECT_EQ(test, fence->error, -EFAULT);
		dma_fence_put(fence);
		KUNIT_EXPECT_EQ(test, nova_chan_error(chan), -EFAULT);

		n = nova_core_faults(core, pdb, faults, ARRAY_SIZE(faults));
		KUNIT_EXPECT_EQ(test, n, 1u);
		if (n) {
			KUNIT_EXPECT_EQ(test, faults[0].va, va);
			KUNIT_EXPECT_EQ(test, faults[0].access,
					1u);
			KUNIT_EXPECT_EQ(test, faults[0].reason,
					(u32)NOVA_FAULT_REASON_RO);
			nova_core_faults_clear(core, pdb, faults[n - 1].seq);
		}
		KUNIT_ASSERT_EQ(test, nt_access(core, pdb, va, after,
						sizeof(after), false), 0);
		KUNIT_EXPECT_MEMEQ(test, before, after, sizeof(before));
		/* Not zero: the test would see a write of zeroes. */
		KUNIT_EXPECT_NOT_NULL(test, memchr_inv(before, 0,
						       sizeof(before)));
	}
}

/*
 * A physical-mode memset (LOCAL_FB) works on a kernel channel and stops a
 * user channel with -EIO before it writes anything.
 */
static void chan_user_phys(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan *kchan, *chan;
	struct nova_chan_push p;
	struct dma_fence *fence;
	struct nt_ch c;
	u64 pa, contig;

	nt_ch_setup_user(test, core, &c);
	KUNIT_ASSERT_EQ(test, nova_vram_addr(c.data, 0, &pa, &contig), 0);
	kchan = nt_chan(test, &c);
	chan = nt_uchan(test, &c, 0);

	/* The kernel's channel may: the same push changes the data. */
	p = nt_memset_launch(test, &c, pa + 0x100, 4, 0x4b4b4b4b,
			     NVC7B5_LAUNCH_DMA_DST_TYPE);
	fence = nt_submit(test, kchan, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x100), 0x4b4b4b4bu);

	p = nt_memset_launch(test, &c, pa + 0x100, 8, 0x55555555,
			     NVC7B5_LAUNCH_DMA_DST_TYPE);
	fence = nt_submit(test, chan, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, -EIO);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), -EIO);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x100), 0x4b4b4b4bu);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x110), 0u);
	KUNIT_EXPECT_EQ(test, nova_chan_error(kchan), 0);
}

/* Wait (bounded) until the interrupt handler ran after @irqs. */
static void nt_wait_irq(struct kunit *test, struct nova_core *core, u64 irqs)
{
	unsigned int i;

	for (i = 0; i < 3000 && READ_ONCE(core->chans.irqs) == irqs; i++)
		msleep(20);
	KUNIT_EXPECT_NE(test, READ_ONCE(core->chans.irqs), irqs);
}

/*
 * A pushbuffer's own NON_STALL_INTERRUPT before an acquire that blocks
 * does not complete its fence: completion comes from GP_GET. Once the
 * CPU releases the acquire (and a doorbell makes the host look again),
 * the rest runs and the fence signals.
 */
static void chan_user_early_irq(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan_push p, nop;
	struct dma_fence *fence, *f2;
	struct nova_chan *chan;
	struct nt_ch c;
	u32 start;
	u64 irqs;

	nt_ch_setup_user(test, core, &c);
	chan = nt_uchan(test, &c, 0);
	start = nt_push_begin(&c);
	nt_nonstall(test, &c);
	nt_sem(test, &c, NT_VA + 0x100, 1,
	       NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE);
	nt_memset(test, &c, NT_VA + 0x200, 4, 0x0f0f0f0f);
	p = nt_push_end(&c, start);
	start = nt_push_begin(&c);
	nt_nonstall(test, &c);
	nop = nt_push_end(&c, start);

	irqs = READ_ONCE(core->chans.irqs);
	fence = nt_submit(test, chan, &p, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fence);
	nt_wait_irq(test, core, irqs);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x200), 0u);

	nt_data_wr32(test, &c, 0x100, 1);
	/* A doorbell: the host evaluates the acquire again. */
	f2 = nt_submit(test, chan, &nop, 1);
	nt_fence_wait(test, f2);
	KUNIT_EXPECT_EQ(test, f2->error, 0);
	dma_fence_put(f2);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x200), 0x0f0f0f0fu);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), 0);
}

/*
 * nova_chan_stop() on a channel blocked on an acquire fails its fence
 * with the given error before it returns; the first error stays; the
 * channel refuses work. Releasing the acquire afterwards never lets the
 * stopped channel write, while a channel blocked on the same acquire
 * that was not stopped runs. Destroying the stopped channel afterwards
 * leaves a new channel (which may have its CHID) working.
 */
static void chan_user_stop(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_chan *chan, *live, *kick, *renew;
	struct nova_chan_push p, q, r;
	struct dma_fence *fence, *f2, *f3;
	struct nt_ch c;
	u32 start;

	nt_ch_setup_user(test, core, &c);
	chan = nt_uchan(test, &c, 0);
	live = nt_uchan(test, &c, 1);
	kick = nt_uchan(test, &c, 2);

	start = nt_push_begin(&c);
	nt_sem(test, &c, NT_VA + 0x100, 1,
	       NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE);
	nt_memset(test, &c, NT_VA + 0x200, 16, 0xbadbad00);
	p = nt_push_end(&c, start);
	start = nt_push_begin(&c);
	nt_sem(test, &c, NT_VA + 0x100, 1,
	       NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE);
	nt_memset(test, &c, NT_VA + 0x300, 4, 0x600d600d);
	q = nt_push_end(&c, start);
	start = nt_push_begin(&c);
	nt_sem(test, &c, NT_VA + 0x180, 7,
	       NVC56F_SEM_EXECUTE_OPERATION_RELEASE);
	r = nt_push_end(&c, start);

	fence = nt_submit(test, chan, &p, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fence);
	f2 = nt_submit(test, live, &q, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f2);

	nova_chan_stop(chan, -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, fence->error, -ETIMEDOUT);
	dma_fence_put(fence);
	nova_chan_stop(chan, -EIO);
	KUNIT_EXPECT_EQ(test, nova_chan_error(chan), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nt_submit(test, chan, &p, 1)),
			-ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f2));

	/* The CPU releases the acquire; a release on a third channel kicks. */
	nt_data_wr32(test, &c, 0x100, 1);
	f3 = nt_submit(test, kick, &r, 1);
	nt_fence_wait(test, f3);
	KUNIT_EXPECT_EQ(test, f3->error, 0);
	dma_fence_put(f3);
	nt_fence_wait(test, f2);
	KUNIT_EXPECT_EQ(test, f2->error, 0);
	dma_fence_put(f2);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x180), 7u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x300), 0x600d600du);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x200), 0u);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x23c), 0u);
	KUNIT_EXPECT_EQ(test, nova_chan_error(live), 0);

	/*
	 * The stopped channel's CHID (and token) may go to a new channel:
	 * destroying the stopped one must not free the new one on the GPU.
	 */
	renew = nt_uchan(test, &c, 3);
	kunit_release_action(test, nt_chan_destroy, chan);
	p = nt_memset(test, &c, NT_VA + 0x400, 4, 0x7e57ab1e);
	fence = nt_submit(test, renew, &p, 1);
	nt_fence_wait(test, fence);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, nt_data32(test, &c, 0x40c), 0x7e57ab1eu);
	KUNIT_EXPECT_EQ(test, nova_chan_error(renew), 0);
}

/* ---------------------------------------------------------------- scrubs */

#define NT_DIRTY	0xa5a5a5a5u
#define NT_SCRUB_MANY	(3 * NOVA_CE_SLOTS)

/* Free VRAM in the allocator, in bytes. */
static u64 nt_avail(struct nova_core *core)
{
	u64 avail;

	mutex_lock(&core->mm.lock);
	avail = core->mm.buddy.avail;
	mutex_unlock(&core->mm.lock);
	return avail;
}

/* Scrubs pending and VRAM withheld, in bytes. */
static void nt_scrub_state(struct nova_core *core, u64 *pending, u64 *withheld)
{
	mutex_lock(&core->mm.lock);
	*pending = core->mm.scrub_size;
	*withheld = core->mm.withheld_size;
	mutex_unlock(&core->mm.lock);
}

/* Write a pattern into the 4 KiB page of VRAM at @pa. */
static void nt_dirty(struct nova_core *core, u64 pa)
{
	nova_pramin_lock(core);
	nova_pramin_fill(core, pa, NT_DIRTY, SZ_4K);
	nova_pramin_unlock(core);
}

/* Whether the 4 KiB page of VRAM at @pa reads zero. */
static bool nt_zero(struct nova_core *core, u64 pa, void *buf)
{
	nova_pramin_lock(core);
	nova_pramin_read(core, pa, buf, SZ_4K);
	nova_pramin_unlock(core);
	return !memchr_inv(buf, 0, SZ_4K);
}

/*
 * Freed VRAM used again at once reads zero: with every other byte of VRAM
 * allocated, a new allocation can only get the blocks of the one just
 * freed, so it waits for their scrub, and reads zero without a clear.
 */
static void scrub_free_reuse(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 pa[SZ_64K / SZ_4K], pending, withheld, w0, b;
	struct nova_vram *a, *vram;
	unsigned int i, j;
	void *buf;

	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	a = nt_vram(test, core, SZ_64K, 0);
	for (i = 0; i < ARRAY_SIZE(pa); i++) {
		pa[i] = nt_pa(test, a, (u64)i * SZ_4K);
		nt_dirty(core, pa[i]);
	}
	/* Everything else. */
	if (nt_avail(core))
		nt_vram(test, core, nt_avail(core), 0);
	KUNIT_ASSERT_EQ(test, nt_avail(core), 0ull);

	kunit_release_action(test, nt_vram_free, a);
	vram = nt_vram(test, core, SZ_64K, 0);
	for (i = 0; i < ARRAY_SIZE(pa); i++) {
		b = nt_pa(test, vram, (u64)i * SZ_4K);
		for (j = 0; j < ARRAY_SIZE(pa) && pa[j] != b; j++)
			;
		KUNIT_EXPECT_LT_MSG(test, j, ARRAY_SIZE(pa),
				    "VRAM at %#llx was not the freed VRAM", b);
		KUNIT_EXPECT_TRUE_MSG(test, nt_zero(core, b, buf),
				      "VRAM at %#llx holds freed data", b);
	}
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, withheld, w0);
}

/*
 * Many frees in flight, three times the kernel pushbuffer's slots: their
 * bytes leave VRAM_USED at once, their scrubs complete, nothing is
 * withheld, and the VRAM reads zero.
 */
static void scrub_many(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram **v;
	u64 *pa, pending, withheld, w0;
	struct nova_core_usage u0, u1;
	unsigned int i;
	void *buf;

	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	v = kunit_kcalloc(test, NT_SCRUB_MANY, sizeof(*v), GFP_KERNEL);
	pa = kunit_kcalloc(test, NT_SCRUB_MANY, sizeof(*pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, pa);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	nt_usage(core, &u0);
	for (i = 0; i < NT_SCRUB_MANY; i++) {
		v[i] = nt_vram(test, core, SZ_64K, 0);
		pa[i] = nt_pa(test, v[i], 0);
		nt_dirty(core, pa[i]);
	}
	for (i = 0; i < NT_SCRUB_MANY; i++)
		kunit_release_action(test, nt_vram_free, v[i]);
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);

	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, 0ull);
	KUNIT_EXPECT_EQ(test, withheld, w0);
	for (i = 0; i < NT_SCRUB_MANY; i++)
		KUNIT_EXPECT_TRUE_MSG(test, nt_zero(core, pa[i], buf),
				      "VRAM at %#llx holds freed data", pa[i]);
}

/*
 * Allocate most of the free VRAM, free it and allocate it again at once:
 * the second allocation waits for the scrub instead of failing, and the
 * data written before reads zero.
 */
static void scrub_realloc_most(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 size, pa[3], pending, withheld, w0;
	struct nova_vram *vram;
	unsigned int i;
	void *buf;

	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	size = round_down(nt_avail(core) / 8 * 7, SZ_64K);
	KUNIT_ASSERT_GT(test, size, (u64)SZ_2M);
	vram = nt_vram(test, core, size, 0);
	pa[0] = nt_pa(test, vram, 0);
	pa[1] = nt_pa(test, vram, round_down(size / 2, SZ_4K));
	pa[2] = nt_pa(test, vram, size - SZ_4K);
	for (i = 0; i < ARRAY_SIZE(pa); i++)
		nt_dirty(core, pa[i]);
	kunit_release_action(test, nt_vram_free, vram);

	vram = nova_vram_alloc(core, size, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, vram,
					 "allocation after a free failed");
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_vram_free, vram));
	for (i = 0; i < ARRAY_SIZE(pa); i++)
		KUNIT_EXPECT_TRUE_MSG(test, nt_zero(core, pa[i], buf),
				      "VRAM at %#llx holds freed data", pa[i]);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, withheld, w0);
}

/*
 * The kernel channel torn down (as when the GPU is removed) with scrubs
 * in flight: they complete or are cancelled, their VRAM goes back to the
 * allocator (nothing leaks, nothing is withheld), and a new kernel
 * channel scrubs again.
 */
static void scrub_teardown(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 *pa, pending, withheld, w0, avail;
	struct nova_core_usage u0, u1;
	struct nova_vram **v;
	unsigned int i;
	void *buf;

	if (core->ce.pramin)
		kunit_skip(test, "%s: no kernel channel", core->chip->name);
	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	v = kunit_kcalloc(test, NT_SCRUB_MANY, sizeof(*v), GFP_KERNEL);
	pa = kunit_kcalloc(test, NT_SCRUB_MANY, sizeof(*pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, pa);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	nt_usage(core, &u0);
	avail = nt_avail(core);
	for (i = 0; i < NT_SCRUB_MANY; i++) {
		v[i] = nt_vram(test, core, SZ_64K, 0);
		pa[i] = nt_pa(test, v[i], 0);
		nt_dirty(core, pa[i]);
	}
	for (i = 0; i < NT_SCRUB_MANY; i++)
		kunit_release_action(test, nt_vram_free, v[i]);

	nova_ce_fini(core);
	/* Every scrub fence has signalled: nothing is left to wait for. */
	nova_mm_scrub_wait(core);
	KUNIT_ASSERT_EQ(test, 0, nova_ce_init(core));
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, 0ull);
	KUNIT_EXPECT_EQ(test, withheld, w0);
	/* The new channel has the same VRAM and page tables as the old. */
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
	KUNIT_EXPECT_EQ(test, nt_avail(core), avail);
	/* nova_ce_fini() waited for them: they all ran. */
	for (i = 0; i < NT_SCRUB_MANY; i++)
		KUNIT_EXPECT_TRUE_MSG(test, nt_zero(core, pa[i], buf),
				      "VRAM at %#llx holds freed data", pa[i]);

	/* The new kernel channel scrubs. */
	v[0] = nt_vram(test, core, SZ_64K, 0);
	pa[0] = nt_pa(test, v[0], 0);
	nt_dirty(core, pa[0]);
	kunit_release_action(test, nt_vram_free, v[0]);
	nova_mm_scrub_wait(core);
	KUNIT_EXPECT_TRUE(test, nt_zero(core, pa[0], buf));
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, withheld, w0);
}

/*
 * Scrub timeouts: the kernel channel stalled (nova_ce_stall(), an acquire
 * that is never satisfied) and &nova_ce.timeout shortened, so that a scrub
 * queued behind the stall times out in NT_SCRUB_TIMEOUT instead of 30 s.
 */
#define NT_SCRUB_TIMEOUT	(2 * HZ)
/* How long the watchdog may take at most: the deadline, TCG's slowness. */
#define NT_SCRUB_WATCHDOG_MS	60000

KUNIT_DEFINE_ACTION_WRAPPER(nt_fence_put, dma_fence_put, struct dma_fence *);

/* A new kernel channel with the default timeout, after a stalled one. */
static void nt_ce_renew(void *data)
{
	struct nova_core *core = data;

	nova_ce_fini(core);
	WARN_ON(nova_ce_init(core));
}

/* Stall the kernel channel of @core with scrubs timing out quickly. */
static struct dma_fence *nt_ce_stall(struct kunit *test,
				     struct nova_core *core)
{
	struct dma_fence *stall;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_ce_renew,
							   core));
	WRITE_ONCE(core->ce.timeout, NT_SCRUB_TIMEOUT);
	stall = nova_ce_stall(core);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, stall);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nt_fence_put,
							   stall));
	return stall;
}

/*
 * Tear the stalled kernel channel down as removal does, check that it
 * cancels the stall, and create a new one.
 */
static void nt_ce_unstall(struct kunit *test, struct nova_core *core,
			  struct dma_fence *stall)
{
	kunit_remove_action(test, nt_ce_renew, core);
	nova_ce_fini(core);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(stall));
	KUNIT_EXPECT_EQ(test, stall->error, -ECANCELED);
	KUNIT_ASSERT_EQ(test, 0, nova_ce_init(core));
	KUNIT_EXPECT_EQ(test, READ_ONCE(core->ce.timeout), (long)NOVA_CE_TIMEOUT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(core->ce.error), 0);
}

/* Whether the VRAM at @pa is in a withheld block. */
static bool nt_withheld(struct nova_core *core, u64 pa)
{
	struct gpu_buddy_block *block;
	bool found = false;
	u64 start;

	mutex_lock(&core->mm.lock);
	list_for_each_entry(block, &core->mm.withheld, link) {
		start = gpu_buddy_block_offset(block);
		if (pa >= start &&
		    pa < start + gpu_buddy_block_size(&core->mm.buddy, block))
			found = true;
	}
	mutex_unlock(&core->mm.lock);
	return found;
}

/*
 * A freed allocation whose scrub never completes (the kernel channel is
 * stalled): its bytes leave VRAM_USED at once but its blocks stay out of
 * the allocator; at the deadline the watchdog withholds them and marks
 * the channel broken; nothing hands them out, not even after the channel
 * is torn down (the copy engine may write them late). The teardown with
 * the stall pending cancels it and leaves nothing pending; a new kernel
 * channel scrubs again.
 */
static void scrub_timeout(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	u64 pa[SZ_64K / SZ_4K], pending, withheld, w0, avail;
	struct nova_core_usage u0, u1;
	struct dma_fence *stall;
	struct nova_vram *vram;
	unsigned int i, ms;
	void *buf;

	if (core->ce.pramin)
		kunit_skip(test, "%s: no kernel channel", core->chip->name);
	buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	KUNIT_ASSERT_EQ(test, pending, 0ull);
	nt_usage(core, &u0);

	stall = nt_ce_stall(test, core);
	vram = nt_vram(test, core, SZ_64K, 0);
	for (i = 0; i < ARRAY_SIZE(pa); i++) {
		pa[i] = nt_pa(test, vram, (u64)i * SZ_4K);
		nt_dirty(core, pa[i]);
	}
	avail = nt_avail(core);
	kunit_release_action(test, nt_vram_free, vram);

	/* Freed: not used any more, but not back in the allocator either. */
	nt_usage(core, &u1);
	KUNIT_EXPECT_EQ(test, u1.vram_used, u0.vram_used);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, withheld, w0);
	KUNIT_EXPECT_EQ(test, nt_avail(core), avail);

	/* The watchdog, at the deadline. */
	for (ms = 0; ms < NT_SCRUB_WATCHDOG_MS; ms += 100) {
		nt_scrub_state(core, &pending, &withheld);
		if (!pending)
			break;
		msleep(100);
	}
	KUNIT_EXPECT_EQ_MSG(test, pending, 0ull,
			    "the watchdog left the scrub pending");
	KUNIT_EXPECT_EQ(test, withheld, w0 + SZ_64K);
	KUNIT_EXPECT_EQ(test, READ_ONCE(core->ce.error), -EIO);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(stall));
	KUNIT_EXPECT_EQ(test, nt_avail(core), avail);
	for (i = 0; i < ARRAY_SIZE(pa); i++)
		KUNIT_EXPECT_TRUE_MSG(test, nt_withheld(core, pa[i]),
				      "VRAM at %#llx is not withheld", pa[i]);
	/* A broken channel scrubs no more: a free gives the VRAM back at once. */
	vram = nt_vram(test, core, SZ_64K, 0);
	kunit_release_action(test, nt_vram_free, vram);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, 0ull);
	KUNIT_EXPECT_EQ(test, nt_avail(core), avail);

	nt_ce_unstall(test, core, stall);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, 0ull);
	/* Withheld for good: the teardown gave none of it back. */
	KUNIT_EXPECT_EQ(test, withheld, w0 + SZ_64K);
	KUNIT_EXPECT_EQ(test, nt_avail(core), avail);
	for (i = 0; i < ARRAY_SIZE(pa); i++)
		KUNIT_EXPECT_TRUE(test, nt_withheld(core, pa[i]));

	/* The new kernel channel scrubs. */
	vram = nt_vram(test, core, SZ_64K, 0);
	pa[0] = nt_pa(test, vram, 0);
	nt_dirty(core, pa[0]);
	kunit_release_action(test, nt_vram_free, vram);
	nova_mm_scrub_wait(core);
	KUNIT_EXPECT_TRUE(test, nt_zero(core, pa[0], buf));
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, withheld, w0 + SZ_64K);
}

/*
 * With every other byte of VRAM allocated, an allocation that can only
 * get the blocks of a freed allocation whose scrub never completes waits
 * for it until the deadline, then fails with -ENOSPC: it neither hangs
 * nor gets the blocks, which are withheld.
 */
static void scrub_timeout_alloc(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vram *a, *rest, *vram;
	u64 pa, pending, withheld, w0;
	struct dma_fence *stall;

	if (core->ce.pramin)
		kunit_skip(test, "%s: no kernel channel", core->chip->name);
	nova_mm_scrub_wait(core);
	nt_scrub_state(core, &pending, &w0);
	KUNIT_ASSERT_EQ(test, pending, 0ull);

	stall = nt_ce_stall(test, core);
	a = nt_vram(test, core, SZ_64K, 0);
	pa = nt_pa(test, a, 0);
	nt_dirty(core, pa);
	rest = NULL;
	if (nt_avail(core))
		rest = nt_vram(test, core, nt_avail(core), 0);
	KUNIT_ASSERT_EQ(test, nt_avail(core), 0ull);
	kunit_release_action(test, nt_vram_free, a);

	vram = nova_vram_alloc(core, SZ_64K, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vram), -ENOSPC);
	if (!IS_ERR(vram))
		nova_vram_free(vram);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, pending, 0ull);
	KUNIT_EXPECT_EQ(test, withheld, w0 + SZ_64K);
	KUNIT_EXPECT_TRUE(test, nt_withheld(core, pa));
	KUNIT_EXPECT_EQ(test, nt_avail(core), 0ull);
	KUNIT_EXPECT_EQ(test, READ_ONCE(core->ce.error), -EIO);

	/* Room for the new kernel channel; freed unscrubbed (-EIO). */
	if (rest)
		kunit_release_action(test, nt_vram_free, rest);
	nt_ce_unstall(test, core, stall);
	nt_scrub_state(core, &pending, &withheld);
	KUNIT_EXPECT_EQ(test, withheld, w0 + SZ_64K);
	KUNIT_EXPECT_TRUE(test, nt_withheld(core, pa));
}

/*
 * Fault buffer packets, laid out from the reference (MMU_FAULT_BUFFER,
 * clc369.h; dev_fault.h) without <linux/nova/regs.h>: the decoder takes
 * each field from its place and ignores the bits around it.
 */
static void fault_decode(struct kunit *test)
{
	static const struct {
		u32 type;
		u32 reason;
	} types[] = {
		{ 0x00, NOVA_FAULT_REASON_PDE },	/* PDE */
		{ 0x01, NOVA_FAULT_REASON_PDE },	/* PDE_SIZE */
		{ 0x02, NOVA_FAULT_REASON_PTE },	/* PTE */
		{ 0x03, NOVA_FAULT_REASON_RANGE },	/* VA_LIMIT_VIOLATION */
		{ 0x06, NOVA_FAULT_REASON_RO },		/* RO_VIOLATION */
		{ 0x0a, NOVA_FAULT_REASON_APERTURE },	/* UNSUPPORTED_APERTURE */
		{ 0x05, NOVA_FAULT_REASON_PTE },	/* PRIV_VIOLATION */
		{ 0x0f, NOVA_FAULT_REASON_PTE },	/* ATOMIC_VIOLATION */
	};
	struct nova_fault f = { .seq = 77 };
	unsigned int i;
	u32 w[8] = {
		0x12345000 | 0x300,	/* INST_LO 31:12, INST_APERTURE 9:8 */
		0x000000ab,		/* INST_HI */
		0xfedcb000 | 0x3,	/* ADDR_LO 31:12, ADDR_PHYS_APERTURE 1:0 */
		0x0001ffff,		/* ADDR_HI */
		0xdeadbeef, 0x1,	/* TIMESTAMP */
		0x1ff,			/* ENGINE_ID 8:0 */
		/*
		 * VALID 31, GPC_ID 28:24, MMU_CLIENT_TYPE 20, ACCESS 19:16,
		 * CLIENT 14:8, REPLAYABLE 7, FAULT_TYPE 4:0
		 */
		BIT(31) | 0x1f << 24 | BIT(20) | 0x1 << 16 | 0x7f << 8 |
		BIT(7) | 0x06,
	};

	KUNIT_ASSERT_TRUE(test, nova_fault_decode(w, &f));
	KUNIT_EXPECT_EQ(test, f.pdb, 0xab12345000ull);
	KUNIT_EXPECT_EQ(test, f.va, 0x1fffffedcb000ull);
	KUNIT_EXPECT_EQ(test, f.access, 1u);
	KUNIT_EXPECT_EQ(test, f.reason, (u32)NOVA_FAULT_REASON_RO);
	KUNIT_EXPECT_EQ(test, f.seq, 77ull);

	/* Access types: VIRT_READ 0, VIRT_WRITE 1, ATOMIC 2, PHYS_WRITE 9. */
	w[7] = BIT(31) | 0x0 << 16;
	KUNIT_ASSERT_TRUE(test, nova_fault_decode(w, &f));
	KUNIT_EXPECT_EQ(test, f.access, 0u);
	w[7] = BIT(31) | 0x2 << 16;
	KUNIT_ASSERT_TRUE(test, nova_fault_decode(w, &f));
	KUNIT_EXPECT_EQ(test, f.access, 0u);
	w[7] = BIT(31) | 0x9 << 16;
	KUNIT_ASSERT_TRUE(test, nova_fault_decode(w, &f));
	KUNIT_EXPECT_EQ(test, f.access, 1u);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		w[7] = BIT(31) | types[i].type;
		KUNIT_ASSERT_TRUE(test, nova_fault_decode(w, &f));
		KUNIT_EXPECT_EQ_MSG(test, f.reason, types[i].reason,
				    "FAULT_TYPE %#x", types[i].type);
	}

	/* Not VALID: not decoded, @f untouched. */
	f.va = 1;
	w[7] &= ~BIT(31);
	KUNIT_EXPECT_FALSE(test, nova_fault_decode(w, &f));
	KUNIT_EXPECT_EQ(test, f.va, 1ull);
}

/*
 * Faults of an address space come back through the fault buffer in
 * order, with their page, access and reason; draining consumes the
 * packets (GET reaches PUT) and clears their VALID bits.
 */
static void fault_buf_drain(struct kunit *test)
{
	const u32 i = NV_MMU_NON_REPLAY_FAULT_BUFFER;
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	struct nova_vram *vram = nt_vram(test, core, SZ_64K, 0);
	u64 pdb = nova_vmm_pdb(vmm), val = 0;
	struct nova_fault faults[4];
	struct nova_hw_xlate x;
	u32 n, get, put;

	KUNIT_ASSERT_EQ(test, 0, nova_vmm_map(vmm, NT_VA, SZ_64K, vram, 0,
					      NOVA_MAP_READ_ONLY));
	nt_xlate(core, pdb, NT_VA + SZ_1M, false, false, &x);
	KUNIT_ASSERT_NE(test, x.fault_reason, 0u);
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA + SZ_1M + 0x123,
						 &val, 8, false));
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_VA + 0x2008,
						 &val, 8, true));
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_GB(4000), &val,
						 8, true));
	n = nova_core_faults(core, pdb, faults, ARRAY_SIZE(faults));
	KUNIT_ASSERT_EQ(test, n, 3u);
	KUNIT_EXPECT_EQ(test, faults[0].va, NT_VA + SZ_1M);
	KUNIT_EXPECT_EQ(test, faults[0].pdb, pdb);
	KUNIT_EXPECT_EQ(test, faults[0].access, 0u);
	KUNIT_EXPECT_EQ(test, faults[0].reason, x.fault_reason);
	KUNIT_EXPECT_EQ(test, faults[1].va, NT_VA + 0x2000);
	KUNIT_EXPECT_EQ(test, faults[1].access, 1u);
	KUNIT_EXPECT_EQ(test, faults[1].reason, (u32)NOVA_FAULT_REASON_RO);
	KUNIT_EXPECT_EQ(test, faults[2].va, NT_GB(4000));
	KUNIT_EXPECT_EQ(test, faults[2].reason, (u32)NOVA_FAULT_REASON_PDE);
	KUNIT_EXPECT_LT(test, faults[0].seq, faults[1].seq);
	KUNIT_EXPECT_LT(test, faults[1].seq, faults[2].seq);

	get = nova_rd32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_GET(i));
	put = nova_rd32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_PUT(i));
	KUNIT_EXPECT_EQ(test, get, put);
	KUNIT_EXPECT_EQ(test, put & NV_MMU_FAULT_BUFFER_OVERFLOW, 0u);
	/* The packet before GET was consumed: VALID is clear. */
	nova_pramin_lock(core);
	get = (get + NOVA_FAULT_BUF_ENTRIES - 1) % NOVA_FAULT_BUF_ENTRIES;
	KUNIT_EXPECT_EQ(test, nova_pramin_rd32(core, core->faults.buf_addr +
					       get * NV_MMU_FAULT_BUF_SIZE + 28) &
			NV_MMU_FAULT_BUF_VALID, 0u);
	nova_pramin_unlock(core);
	nova_core_faults_clear(core, pdb, U64_MAX);
	KUNIT_EXPECT_EQ(test, nova_core_faults(core, pdb, NULL, 0), 0u);
}

/*
 * More faults than the buffer holds: the GPU keeps the first ENTRIES - 1
 * and drops the rest; a drain clears OVERFLOW and counts it, and the next
 * fault is recorded again.
 */
static void fault_buf_overflow(struct kunit *test)
{
	struct nova_core *core = nt_core(test);
	struct nova_vmm *vmm = nt_vmm(test, core);
	u64 pdb = nova_vmm_pdb(vmm), val = 0, overflows;
	struct nova_fault *faults;
	unsigned int k;
	u32 n;

	faults = kunit_kcalloc(test, NOVA_FAULT_BUF_ENTRIES, sizeof(*faults),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, faults);
	/* Start from an empty buffer. */
	nova_core_faults(core, pdb, NULL, 0);
	mutex_lock(&core->faults.lock);
	overflows = core->faults.overflows;
	mutex_unlock(&core->faults.lock);

	for (k = 0; k < NOVA_FAULT_BUF_ENTRIES + 5; k++)
		KUNIT_EXPECT_EQ(test, -EFAULT,
				nt_access(core, pdb, NT_VA + k * (u64)SZ_4K,
					  &val, 8, false));
	n = nova_core_faults(core, pdb, faults, NOVA_FAULT_BUF_ENTRIES);
	KUNIT_EXPECT_EQ(test, n, NOVA_FAULT_BUF_ENTRIES - 1);
	for (k = 0; k < min(n, NOVA_FAULT_BUF_ENTRIES - 1); k++)
		KUNIT_EXPECT_EQ_MSG(test, faults[k].va, NT_VA + k * (u64)SZ_4K,
				    "fault %u", k);
	mutex_lock(&core->faults.lock);
	KUNIT_EXPECT_EQ(test, core->faults.overflows, overflows + 1);
	mutex_unlock(&core->faults.lock);
	nova_core_faults_clear(core, pdb, U64_MAX);

	/* Recorded again once the overflow is cleared. */
	KUNIT_EXPECT_EQ(test, -EFAULT, nt_access(core, pdb, NT_GB(3), &val, 8,
						 true));
	n = nova_core_faults(core, pdb, faults, NOVA_FAULT_BUF_ENTRIES);
	KUNIT_EXPECT_EQ(test, n, 1u);
	KUNIT_EXPECT_EQ(test, faults[0].va, NT_GB(3));
	nova_core_faults_clear(core, pdb, U64_MAX);
}

#define NT_CASE(f) KUNIT_CASE_PARAM(f, nt_gen_gpus)

static struct kunit_case nt_pramin_cases[] = {
	NT_CASE(pramin_to_bar1),
	NT_CASE(pramin_word_access),
	NT_CASE(vram_clear_contig),
	{}
};

static struct kunit_case nt_bar1_cases[] = {
	NT_CASE(bar1_to_pramin),
	NT_CASE(bar1_faults),
	NT_CASE(bar1_many),
	{}
};

static struct kunit_case nt_vmm_cases[] = {
	NT_CASE(vmm_map_sizes),
	NT_CASE(vmm_map_mixed),
	NT_CASE(vmm_unmap_faults),
	NT_CASE(vmm_tlb_batch),
	NT_CASE(vmm_split_2m),
	NT_CASE(vmm_split_64k),
	NT_CASE(vmm_split_multi),
	NT_CASE(vmm_512m_page_sizes),
	NT_CASE(vmm_map_512m),
	NT_CASE(vmm_512m_fallback),
	NT_CASE(vmm_split_512m),
	NT_CASE(vmm_remap_512m),
	NT_CASE(vmm_batch_512m),
	NT_CASE(vmm_batch_sequence),
	NT_CASE(vmm_2m_over_pending_lpt),
	NT_CASE(vmm_va_alloc),
	NT_CASE(vmm_remap),
	NT_CASE(vmm_page_sizes),
	NT_CASE(vmm_bad_args),
	NT_CASE(vmm_prepare_release),
	NT_CASE(vmm_prepare_shared),
	NT_CASE(vmm_prepare_enomem),
	NT_CASE(vmm_reclaim),
	NT_CASE(vmm_shadow_no_reads),
	NT_CASE(vmm_unmap_whole_va),
	NT_CASE(vmm_destroy),
	NT_CASE(vmm_null_encodings),
	NT_CASE(vmm_null_1t),
	NT_CASE(vmm_null_split_pd1),
	{}
};

static struct kunit_case nt_walk_cases[] = {
	NT_CASE(walk_sparse),
	NT_CASE(walk_levels),
	NT_CASE(walk_split_512m),
	{}
};

static struct kunit_case nt_lockdep_cases[] = {
	NT_CASE(lockdep_execute_signalling),
	{}
};

static struct kunit_case nt_chan_cases[] = {
	NT_CASE(chan_memset),
	NT_CASE(chan_ring_wrap),
	NT_CASE(chan_fault),
	NT_CASE(chan_bad_submit),
	NT_CASE(chan_fence_cb_submit),
	NT_CASE(chan_user_copy),
	NT_CASE(chan_user_ring_ro),
	NT_CASE(chan_user_phys),
	NT_CASE(chan_user_early_irq),
	NT_CASE(chan_user_stop),
	{}
};

static struct kunit_case nt_scrub_cases[] = {
	NT_CASE(scrub_free_reuse),
	NT_CASE(scrub_many),
	NT_CASE(scrub_realloc_most),
	NT_CASE(scrub_teardown),
	NT_CASE(scrub_timeout),
	NT_CASE(scrub_timeout_alloc),
	{}
};

static struct kunit_case nt_fault_cases[] = {
	KUNIT_CASE(fault_decode),
	NT_CASE(fault_buf_drain),
	NT_CASE(fault_buf_overflow),
	{}
};

static struct kunit_case nt_buddy_cases[] = {
	KUNIT_CASE(buddy_split_enomem),
	KUNIT_CASE(buddy_split_enomem_bias),
	KUNIT_CASE(buddy_split_enomem_range),
	{}
};

static struct kunit_suite nt_suites[] = {
	{ .name = "nova_core_pramin", .test_cases = nt_pramin_cases },
	{ .name = "nova_core_bar1", .test_cases = nt_bar1_cases },
	{ .name = "nova_core_vmm", .test_cases = nt_vmm_cases },
	{ .name = "nova_core_walk", .test_cases = nt_walk_cases },
	{ .name = "nova_core_lockdep", .test_cases = nt_lockdep_cases },
	{ .name = "nova_core_buddy", .test_cases = nt_buddy_cases },
	{ .name = "nova_core_chan", .test_cases = nt_chan_cases },
	{ .name = "nova_core_scrub", .test_cases = nt_scrub_cases },
	{ .name = "nova_core_fault", .test_cases = nt_fault_cases },
};

kunit_test_suites(&nt_suites[0], &nt_suites[1], &nt_suites[2], &nt_suites[3],
		  &nt_suites[4], &nt_suites[5], &nt_suites[6], &nt_suites[7],
		  &nt_suites[8]);
