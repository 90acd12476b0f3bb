// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the VM_BIND argument checks: every malformed operation
 * and sync is refused with -EINVAL before anything is looked up or
 * allocated. Included by nova_vm.c (the checks are static); the ioctl
 * paths around them are tested end to end by IGT (nova_vm_bind,
 * nova_sync, nova_fuzz).
 */
#include <kunit/test.h>

/* A 47-bit VA space, as GA102's MMU v2. */
static const struct nova_core_info nvt_info = { .va_bits = 47 };

/* Only the device's facts are used: no DRM device behind it. */
static struct nova_device *nvt_device(struct kunit *test)
{
	struct nova_device *ndev = kunit_kzalloc(test, sizeof(*ndev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ndev);
	ndev->info = &nvt_info;
	return ndev;
}

struct nvt_op_case {
	const char *name;
	struct drm_nova_vm_bind_op op;
	int err;
};

#define NVT_VA		(SZ_1G * 4ull)
#define NVT_END		BIT_ULL(47)

/* op, flags, handle, pad, bo_offset, va, range */
#define OP(o, f, h, p, off, v, r) \
	{ .op = (o), .flags = (f), .handle = (h), .pad = (p), .bo_offset = (off), \
	  .va = (v), .range = (r) }
#define MAP(f, p, off, v, r)	OP(NOVA_VM_BIND_OP_MAP, f, 1, p, off, v, r)
#define UNMAP(f, h, p, off)	OP(NOVA_VM_BIND_OP_UNMAP, f, h, p, off, NVT_VA, SZ_64K)
#define ALIGNED_MAX		(~0ull & ~(u64)(SZ_4K - 1))

static const struct nvt_op_case nvt_op_cases[] = {
	{ "map", MAP(0, 0, 0, NVT_VA, SZ_64K), 0 },
	{ "map read-only", MAP(NOVA_VM_BIND_OP_READ_ONLY, 0, 0, NVT_VA, SZ_64K), 0 },
	{ "map at bo_offset", MAP(0, 0, SZ_2M, NVT_VA, SZ_64K), 0 },
	{ "map at VA start", MAP(0, 0, 0, NOVA_VA_START, SZ_4K), 0 },
	{ "map to VA end", MAP(0, 0, 0, NVT_END - SZ_2M, SZ_2M), 0 },
	{ "unmap", UNMAP(0, 0, 0, 0), 0 },
	{ "unknown op", OP(2, 0, 0, 0, 0, NVT_VA, SZ_64K), -EINVAL },
	{ "unknown map flag", MAP(1u << 1, 0, 0, NVT_VA, SZ_64K), -EINVAL },
	{ "top map flag", MAP(1u << 31, 0, 0, NVT_VA, SZ_64K), -EINVAL },
	{ "pad", MAP(0, 1, 0, NVT_VA, SZ_64K), -EINVAL },
	{ "unmap pad", UNMAP(0, 0, 1, 0), -EINVAL },
	{ "zero range", MAP(0, 0, 0, NVT_VA, 0), -EINVAL },
	{ "va misaligned", MAP(0, 0, 0, NVT_VA + 512, SZ_64K), -EINVAL },
	{ "range misaligned", MAP(0, 0, 0, NVT_VA, SZ_4K + 8), -EINVAL },
	{ "bo_offset misaligned", MAP(0, 0, 64, NVT_VA, SZ_64K), -EINVAL },
	{ "va + range overflows", MAP(0, 0, 0, ALIGNED_MAX, SZ_64K), -EINVAL },
	{ "bo_offset + range overflows", MAP(0, 0, ALIGNED_MAX, NVT_VA, SZ_64K), -EINVAL },
	{ "below VA start", MAP(0, 0, 0, NOVA_VA_START - SZ_4K, SZ_8K), -EINVAL },
	{ "va 0", MAP(0, 0, 0, 0, SZ_4K), -EINVAL },
	{ "past VA end", MAP(0, 0, 0, NVT_END - SZ_4K, SZ_8K), -EINVAL },
	{ "at VA end", MAP(0, 0, 0, NVT_END, SZ_4K), -EINVAL },
	{ "unmap with flags", UNMAP(NOVA_VM_BIND_OP_READ_ONLY, 0, 0, 0), -EINVAL },
	{ "unmap with handle", UNMAP(0, 1, 0, 0), -EINVAL },
	{ "unmap with bo_offset", UNMAP(0, 0, 0, SZ_4K), -EINVAL },
};

#undef OP
#undef MAP
#undef UNMAP
#undef ALIGNED_MAX

static void nvt_op_desc(const struct nvt_op_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nvt_op, nvt_op_cases, nvt_op_desc);

static void nova_vm_test_check_op(struct kunit *test)
{
	const struct nvt_op_case *c = test->param_value;
	struct nova_device *ndev = nvt_device(test);

	KUNIT_EXPECT_EQ(test, nova_bind_check_op(ndev, &c->op), c->err);
}

struct nvt_sync_case {
	const char *name;
	struct drm_nova_sync sync;
	int err;
};

static const struct nvt_sync_case nvt_sync_cases[] = {
	{ "wait binary", { .flags = NOVA_SYNC_SYNCOBJ, .handle = 1 }, 0 },
	{ "signal binary", { .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL }, 0 },
	{ "wait timeline", { .flags = NOVA_SYNC_TIMELINE_SYNCOBJ, .timeline_value = 7 }, 0 },
	{ "signal timeline",
	  { .flags = NOVA_SYNC_TIMELINE_SYNCOBJ | NOVA_SYNC_SIGNAL, .timeline_value = 7 }, 0 },
	{ "unknown type", { .flags = 2 }, -EINVAL },
	{ "type 0xff", { .flags = NOVA_SYNC_TYPE_MASK }, -EINVAL },
	{ "unknown flag", { .flags = NOVA_SYNC_SYNCOBJ | (1u << 8) }, -EINVAL },
	{ "flag bit 30", { .flags = NOVA_SYNC_SYNCOBJ | (1u << 30) }, -EINVAL },
	{ "binary with a point", { .flags = NOVA_SYNC_SYNCOBJ, .timeline_value = 1 }, -EINVAL },
};

static void nvt_sync_desc(const struct nvt_sync_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nvt_sync, nvt_sync_cases, nvt_sync_desc);

static void nova_vm_test_check_sync(struct kunit *test)
{
	const struct nvt_sync_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, nova_sync_check(&c->sync), c->err);
}

/* The limits the driver reports through GETPARAM are the ones it enforces. */
static void nova_vm_test_range_limits(struct kunit *test)
{
	struct nova_device *ndev = nvt_device(test);

	KUNIT_EXPECT_EQ(test, nova_va_end(ndev), NVT_END);
	KUNIT_EXPECT_EQ(test, nova_check_range(ndev, NOVA_VA_START, NVT_END - NOVA_VA_START), 0);
	KUNIT_EXPECT_EQ(test, nova_check_range(ndev, NOVA_VA_START,
					       NVT_END - NOVA_VA_START + SZ_4K), -EINVAL);
}

static struct kunit_case nova_vm_test_cases[] = {
	KUNIT_CASE_PARAM(nova_vm_test_check_op, nvt_op_gen_params),
	KUNIT_CASE_PARAM(nova_vm_test_check_sync, nvt_sync_gen_params),
	KUNIT_CASE(nova_vm_test_range_limits),
	{}
};

static struct kunit_suite nova_vm_test_suite = {
	.name = "nova_drm_bind_args",
	.test_cases = nova_vm_test_cases,
};

kunit_test_suite(nova_vm_test_suite);
