// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the EXEC push checks: every push a GP entry cannot hold,
 * and every unknown flag, is refused with -EINVAL. Included by
 * nova_exec.c (the check is static); the ioctl paths around it are
 * tested end to end by IGT (nova_exec, nova_fuzz).
 */
#include <kunit/test.h>

struct nvt_push_case {
	const char *name;
	struct drm_nova_exec_push push;
	int err;
};

static const struct nvt_push_case nvt_push_cases[] = {
	{ "one word", { .va = SZ_1M, .len = 4 }, 0 },
	{ "longest", { .va = SZ_1M, .len = 0x7ffffc }, 0 },
	{ "highest VA", { .va = BIT_ULL(40) - 4, .len = 4 }, 0 },
	{ "no prefetch", { .va = SZ_1M, .len = 4, .flags = NOVA_EXEC_PUSH_NO_PREFETCH }, 0 },
	{ "empty", { .va = SZ_1M, .len = 0 }, -EINVAL },
	{ "len not words", { .va = SZ_1M, .len = 6 }, -EINVAL },
	{ "too long", { .va = SZ_1M, .len = 0x800000 }, -EINVAL },
	{ "len max", { .va = SZ_1M, .len = 0xfffffffc }, -EINVAL },
	{ "va unaligned", { .va = SZ_1M + 2, .len = 4 }, -EINVAL },
	{ "va past 40 bits", { .va = BIT_ULL(40), .len = 4 }, -EINVAL },
	{ "va max", { .va = ~3ull, .len = 4 }, -EINVAL },
	{ "flag bit 1", { .va = SZ_1M, .len = 4, .flags = 2 }, -EINVAL },
	{ "flag bit 31", { .va = SZ_1M, .len = 4, .flags = BIT(31) }, -EINVAL },
};

static void nvt_push_desc(const struct nvt_push_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nvt_push, nvt_push_cases, nvt_push_desc);

static void nova_exec_test_check_push(struct kunit *test)
{
	const struct nvt_push_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, nova_exec_check_push(&c->push), c->err);
}

/* MAX_CHANNELS slots, aligned to their size, fit below VA_START. */
static void nova_exec_test_limits(struct kunit *test)
{
	KUNIT_EXPECT_LE(test, NOVA_CHAN_WINDOW_START +
			NOVA_MAX_CHANNELS * NOVA_CHAN_VA_SIZE, NOVA_VA_START);
	KUNIT_EXPECT_EQ(test, NOVA_CHAN_WINDOW_START % NOVA_CHAN_VA_SIZE, 0);
}

static struct kunit_case nova_exec_test_cases[] = {
	KUNIT_CASE_PARAM(nova_exec_test_check_push, nvt_push_gen_params),
	KUNIT_CASE(nova_exec_test_limits),
	{}
};

static struct kunit_suite nova_exec_test_suite = {
	.name = "nova_drm_exec_args",
	.test_cases = nova_exec_test_cases,
};

kunit_test_suite(nova_exec_test_suite);
