// SPDX-License-Identifier: MIT
/*
 * nova_vm_bind - VM_CREATE / VM_DESTROY / VM_BIND / VM_GET_STATE basics.
 */
#include "igt.h"
#include "igt_syncobj.h"
#include "sw_sync.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check nova's GPU address spaces: VM lifetime, "
		     "VM_BIND map/unmap and its argument checks, partial "
		     "unbinds, VM_GET_STATE counters and bind fences.");

#define NSEC_PER_SEC 1000000000ll

static int fd = -1;
static uint64_t va_start, va_end, va_base;

struct vm_bo {
	uint32_t vm;
	uint32_t bo;
	uint64_t size;
};

static struct vm_bo setup(uint64_t bo_size)
{
	struct vm_bo s = { .size = bo_size };

	igt_require(va_base + 4 * SZ_2M <= va_end);
	s.vm = nova_vm_create(fd);
	s.bo = nova_gem_create(fd, bo_size);
	return s;
}

static void teardown(struct vm_bo *s)
{
	nova_vm_destroy(fd, s->vm);
	gem_close(fd, s->bo);
}

static void assert_state(uint32_t vm, uint32_t mappings, uint64_t bytes)
{
	struct drm_nova_vm_get_state st = nova_vm_get_state(fd, vm);

	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.num_mappings, mappings);
	igt_assert_eq_u64(st.mapped_bytes, bytes);
}

static struct drm_nova_vm_bind_op map_op(uint32_t handle, uint64_t bo_offset,
					 uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_MAP,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return op;
}

static struct drm_nova_vm_bind_op unmap_op(uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return op;
}

static void expect_op_err(uint32_t vm, struct drm_nova_vm_bind_op op, int err)
{
	igt_debug("op %u flags 0x%x handle %u pad %u bo_offset 0x%llx va 0x%llx range 0x%llx\n",
		  op.op, op.flags, op.handle, op.pad, (unsigned long long)op.bo_offset,
		  (unsigned long long)op.va, (unsigned long long)op.range);
	igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), -err);
	/* a failed bind changes nothing */
	assert_state(vm, 0, 0);
}

/* ---- VM lifetime ---- */

/*
 * debugfs's nova_vms dump walks every file's VMs while VM_DESTROY frees
 * them: a reader process races a writer that creates, maps into and
 * destroys VMs (KASAN catches a VM used after it was freed).
 */
static void test_debugfs_vms_race(void)
{
	char path[PATH_MAX];
	volatile int *stop;
	uint32_t bo;

	nova_vms_path(fd, path, sizeof(path));
	stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(stop != MAP_FAILED);
	*stop = 0;
	bo = nova_gem_create(fd, SZ_64K);
	igt_fork(child, 1) {
		char buf[4096];
		unsigned int reads = 0;

		while (!*stop || !reads) {
			int f = open(path, O_RDONLY | O_CLOEXEC);

			igt_assert_f(f >= 0, "%s: %m\n", path);
			while (read(f, buf, sizeof(buf)) > 0)
				;
			close(f);
			reads++;
		}
		igt_info("%u dumps of nova_vms\n", reads);
	}
	for (unsigned int i = 0; i < 100; i++) {
		uint32_t vm[4];

		for (unsigned int k = 0; k < 4; k++) {
			vm[k] = nova_vm_create(fd);
			nova_vm_map(fd, vm[k], bo, 0, 1ull << 32, SZ_64K);
		}
		for (unsigned int k = 0; k < 4; k++)
			nova_vm_destroy(fd, vm[k]);
	}
	*stop = 1;
	igt_waitchildren();
	gem_close(fd, bo);
	munmap((void *)stop, 4096);
}

static void test_vm_create_destroy(void)
{
	uint32_t ids[8];

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		ids[i] = nova_vm_create(fd);
		for (unsigned int j = 0; j < i; j++)
			igt_assert_neq_u32(ids[i], ids[j]);
		assert_state(ids[i], 0, 0);
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
		nova_vm_destroy(fd, ids[i]);

	/* destroyed ids are gone */
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
		igt_assert_eq(__nova_vm_destroy(fd, ids[i]), -ENOENT);
}

static void test_vm_create_flags(void)
{
	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_nova_vm_create create = { .flags = 1u << bit };

		do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_CREATE, &create, EINVAL);
	}
}

/*
 * Destroying a VM with mappings removes them from the GPU with a single
 * TLB invalidation, and the GPU faults at their addresses afterwards.
 */
static void test_vm_destroy_mapped(void)
{
	uint32_t bo, vm;
	uint64_t pdb, inv;
	char path[PATH_MAX];
	FILE *f;

	nova_require_gpu_view(fd);
	bo = nova_gem_create(fd, SZ_2M);
	vm = nova_vm_create(fd);
	for (unsigned int i = 0; i < 8; i++)
		nova_vm_map(fd, vm, bo, i * SZ_64K, va_base + i * SZ_2M + SZ_4K, SZ_64K);
	nova_vm_map(fd, vm, bo, 0, va_base + 16 * SZ_2M, SZ_2M);
	pdb = nova_vm_pdb(fd, vm);
	inv = nova_sim_counter(fd, "tlb_invalidates");
	nova_vm_destroy(fd, vm);
	igt_assert_eq_u64(nova_sim_counter(fd, "tlb_invalidates"), inv + 1);

	/* the old page tables no longer translate (as the GPU sees them) */
	nova_sim_path(fd, "translate", path, sizeof(path));
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t va = i ? va_base + 16 * SZ_2M : va_base + SZ_4K;
		char line[256] = "";

		f = fopen(path, "w");
		igt_assert(f);
		fprintf(f, "0x%llx 0x%llx\n", (unsigned long long)pdb,
			(unsigned long long)va);
		igt_assert_eq(fclose(f), 0);
		f = fopen(path, "r");
		igt_assert(f && fgets(line, sizeof(line), f));
		fclose(f);
		igt_assert_f(!strstr(line, ": OK"), "VA 0x%llx still maps: %s\n",
			     (unsigned long long)va, line);
	}
	gem_close(fd, bo);
}

static void test_vm_destroy_invalid(void)
{
	struct drm_nova_vm_destroy destroy = { .id = 0xdeadbeef };
	uint32_t vm;

	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy, ENOENT);
	destroy.id = 0xffffffff;
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy, ENOENT);

	vm = nova_vm_create(fd);
	destroy.id = vm;
	destroy.pad = 1;
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy, EINVAL);
	nova_vm_destroy(fd, vm);
}

static void test_vm_per_file(void)
{
	int fd2 = drm_reopen_driver(fd);
	uint32_t vm = nova_vm_create(fd);
	uint32_t vm2 = nova_vm_create(fd2);
	struct drm_nova_vm_get_state st = { .vm_id = vm };

	/* ids are per file */
	if (vm != vm2)
		igt_assert_eq(__nova_vm_get_state(fd2, &st), -ENOENT);

	drm_close_driver(fd2);
	assert_state(vm, 0, 0);
	nova_vm_destroy(fd, vm);
}

static void test_max_vms(void)
{
	uint64_t max = nova_get_param(fd, NOVA_GETPARAM_MAX_VMS);
	int fd2 = drm_reopen_driver(fd);
	uint32_t *ids, id;
	int err;

	igt_require_f(max <= 4096, "MAX_VMS %llu too many to test\n",
		      (unsigned long long)max);
	ids = calloc(max, sizeof(*ids));
	igt_assert(ids);

	for (uint64_t i = 0; i < max; i++)
		igt_assert_eq(__nova_vm_create(fd2, 0, &ids[i]), 0);
	err = __nova_vm_create(fd2, 0, &id);
	igt_info("VM %llu: %d (%s)\n", (unsigned long long)max + 1, err, strerror(-err));
	igt_assert_f(err == -ENOSPC || err == -ENOMEM,
		     "VM beyond MAX_VMS: expected ENOSPC or ENOMEM, got %d\n", err);

	/* a slot freed can be used again */
	igt_assert_eq(__nova_vm_destroy(fd2, ids[0]), 0);
	igt_assert_eq(__nova_vm_create(fd2, 0, &ids[0]), 0);

	free(ids);
	drm_close_driver(fd2);
}

/* ---- binds ---- */

static void test_bind_once(void)
{
	struct vm_bo s = setup(16 * SZ_4K);
	struct drm_nova_vm_get_state st;

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	st = nova_vm_get_state(fd, s.vm);
	igt_assert_eq_u32(st.num_mappings, 1);
	igt_assert_eq_u64(st.mapped_bytes, s.size);
	igt_assert_lt_u64(0, st.pt_bytes);
	igt_assert_eq_u32(st.fault_count, 0);

	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_bind_read_only(void)
{
	struct vm_bo s = setup(SZ_64K);

	igt_assert_eq(__nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size,
				    NOVA_VM_BIND_OP_READ_ONLY), 0);
	assert_state(s.vm, 1, s.size);
	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_bind_2m(void)
{
	struct vm_bo s;

	igt_require(2 * SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	s = setup(2 * SZ_2M);

	/* 2 MiB-aligned on both sides: may use 2 MiB pages */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	assert_state(s.vm, 1, s.size);
	/* part of it elsewhere, at an offset into the object */
	nova_vm_map(fd, s.vm, s.bo, SZ_2M + SZ_64K, va_base + 2 * SZ_2M, SZ_64K);
	assert_state(s.vm, 2, s.size + SZ_64K);

	nova_vm_unmap(fd, s.vm, va_base, 3 * SZ_2M);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_bind_offsets(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	/* every page of the object, each at its own VA, in one call */
	struct drm_nova_vm_bind_op ops[16];
	uint64_t max_ops = nova_get_param(fd, NOVA_GETPARAM_MAX_BIND_OPS);
	unsigned int n = max_ops < 16 ? max_ops : 16;

	for (unsigned int i = 0; i < n; i++)
		ops[i] = map_op(s.bo, i * SZ_4K, va_base + 2 * i * SZ_4K, SZ_4K);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, n, NULL, 0), 0);
	assert_state(s.vm, n, n * SZ_4K);

	nova_vm_unmap(fd, s.vm, va_base, 32 * SZ_4K);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_ops_in_order(void)
{
	struct vm_bo s = setup(16 * SZ_4K);
	struct drm_nova_vm_bind_op ops[3] = {
		map_op(s.bo, 0, va_base, s.size),
		unmap_op(va_base, 4 * SZ_4K),
		map_op(s.bo, 0, va_base, SZ_4K),
	};

	igt_require(nova_get_param(fd, NOVA_GETPARAM_MAX_BIND_OPS) >= 3);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, 3, NULL, 0), 0);
	/* [0, 4K) remapped, [4K, 16K) a hole, [16K, 64K) from the first map */
	assert_state(s.vm, 2, SZ_4K + 12 * SZ_4K);

	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_map_replace(void)
{
	struct vm_bo s = setup(16 * SZ_4K);
	uint32_t bo2 = nova_gem_create(fd, 4 * SZ_4K);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	/* a map over the middle replaces that part, splitting the first */
	nova_vm_map(fd, s.vm, bo2, 0, va_base + 4 * SZ_4K, 4 * SZ_4K);
	assert_state(s.vm, 3, s.size);
	/* a map over everything replaces it all */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	assert_state(s.vm, 1, s.size);

	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);
	gem_close(fd, bo2);
	teardown(&s);
}

static void test_unmap_front(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	nova_vm_unmap(fd, s.vm, va_base, 4 * SZ_4K);
	assert_state(s.vm, 1, 12 * SZ_4K);
	nova_vm_unmap(fd, s.vm, va_base + 4 * SZ_4K, 12 * SZ_4K);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_unmap_end(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	nova_vm_unmap(fd, s.vm, va_base + 12 * SZ_4K, 4 * SZ_4K);
	assert_state(s.vm, 1, 12 * SZ_4K);
	nova_vm_unmap(fd, s.vm, va_base, 12 * SZ_4K);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_unmap_middle(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	nova_vm_unmap(fd, s.vm, va_base + 4 * SZ_4K, 8 * SZ_4K);
	assert_state(s.vm, 2, 8 * SZ_4K);
	/* the two remaining pieces go one by one */
	nova_vm_unmap(fd, s.vm, va_base, 4 * SZ_4K);
	assert_state(s.vm, 1, 4 * SZ_4K);
	nova_vm_unmap(fd, s.vm, va_base + 12 * SZ_4K, 4 * SZ_4K);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_unmap_across(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	/* two mappings with a hole between; one unmap crossing all three */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, 4 * SZ_4K);
	nova_vm_map(fd, s.vm, s.bo, 8 * SZ_4K, va_base + 8 * SZ_4K, 4 * SZ_4K);
	assert_state(s.vm, 2, 8 * SZ_4K);
	nova_vm_unmap(fd, s.vm, va_base + 2 * SZ_4K, 8 * SZ_4K);
	assert_state(s.vm, 2, 4 * SZ_4K);
	nova_vm_unmap(fd, s.vm, va_base, 16 * SZ_4K);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

static void test_unmap_hole(void)
{
	struct vm_bo s = setup(SZ_4K);

	/* nothing mapped: nothing to remove, and no error */
	nova_vm_unmap(fd, s.vm, va_base, SZ_2M);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

/* ---- invalid binds ---- */

static void test_invalid_op(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_bind_op op;

	op = map_op(s.bo, 0, va_base, SZ_4K);
	op.op = 2;
	expect_op_err(s.vm, op, EINVAL);
	op.op = ~0u;
	expect_op_err(s.vm, op, EINVAL);

	teardown(&s);
}

static void test_invalid_flags(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_bind_op op;
	struct drm_nova_vm_bind bind = { .vm_id = s.vm };

	/* op flags */
	for (unsigned int bit = 1; bit < 32; bit++) {
		op = map_op(s.bo, 0, va_base, SZ_4K);
		op.flags = 1u << bit;
		expect_op_err(s.vm, op, EINVAL);
	}
	/* READ_ONLY is for MAP only */
	op = unmap_op(va_base, SZ_4K);
	op.flags = NOVA_VM_BIND_OP_READ_ONLY;
	expect_op_err(s.vm, op, EINVAL);

	/* bind flags */
	op = map_op(s.bo, 0, va_base, SZ_4K);
	bind.ops.stride = sizeof(op);
	bind.ops.count = 1;
	bind.ops.array = to_user_pointer(&op);
	for (unsigned int bit = 1; bit < 32; bit++) {
		bind.flags = 1u << bit;
		do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EINVAL);
	}
	assert_state(s.vm, 0, 0);

	teardown(&s);
}

static void test_invalid_pad(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_bind_op op;

	op = map_op(s.bo, 0, va_base, SZ_4K);
	op.pad = 1;
	expect_op_err(s.vm, op, EINVAL);

	/* UNMAP: handle and bo_offset must be zero */
	op = unmap_op(va_base, SZ_4K);
	op.handle = s.bo;
	expect_op_err(s.vm, op, EINVAL);
	op = unmap_op(va_base, SZ_4K);
	op.bo_offset = SZ_4K;
	expect_op_err(s.vm, op, EINVAL);
	op = unmap_op(va_base, SZ_4K);
	op.pad = 1;
	expect_op_err(s.vm, op, EINVAL);

	teardown(&s);
}

static void test_invalid_alignment(void)
{
	struct vm_bo s = setup(SZ_64K);
	static const uint64_t bad[] = { 1, 8, 512, SZ_4K - 1, SZ_4K + 1, SZ_4K / 2 };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		expect_op_err(s.vm, map_op(s.bo, 0, va_base + bad[i], SZ_4K), EINVAL);
		expect_op_err(s.vm, map_op(s.bo, 0, va_base, SZ_4K + bad[i]), EINVAL);
		expect_op_err(s.vm, map_op(s.bo, bad[i], va_base, SZ_4K), EINVAL);
		expect_op_err(s.vm, unmap_op(va_base + bad[i], SZ_4K), EINVAL);
		expect_op_err(s.vm, unmap_op(va_base, SZ_4K + bad[i]), EINVAL);
	}
	expect_op_err(s.vm, map_op(s.bo, 0, va_base, bad[0]), EINVAL);

	teardown(&s);
}

static void test_invalid_range_zero(void)
{
	struct vm_bo s = setup(SZ_64K);

	expect_op_err(s.vm, map_op(s.bo, 0, va_base, 0), EINVAL);
	expect_op_err(s.vm, unmap_op(va_base, 0), EINVAL);

	teardown(&s);
}

static void test_invalid_overflow(void)
{
	struct vm_bo s = setup(SZ_64K);
	const uint64_t top = ~0ull & ~(SZ_4K - 1);

	/* va + range wraps around */
	expect_op_err(s.vm, map_op(s.bo, 0, top, 2 * SZ_4K), EINVAL);
	expect_op_err(s.vm, unmap_op(top, 2 * SZ_4K), EINVAL);
	expect_op_err(s.vm, map_op(s.bo, 0, va_base, top), EINVAL);
	expect_op_err(s.vm, unmap_op(va_base, top), EINVAL);
	/* bo_offset + range wraps around */
	expect_op_err(s.vm, map_op(s.bo, top, va_base, 2 * SZ_4K), EINVAL);

	teardown(&s);
}

static void test_invalid_va_range(void)
{
	struct vm_bo s = setup(SZ_64K);

	if (va_start >= SZ_4K) {
		/* below VA_START, and straddling it */
		expect_op_err(s.vm, map_op(s.bo, 0, va_start - SZ_4K, SZ_4K), EINVAL);
		expect_op_err(s.vm, map_op(s.bo, 0, va_start - SZ_4K, 2 * SZ_4K), EINVAL);
		expect_op_err(s.vm, unmap_op(va_start - SZ_4K, SZ_4K), EINVAL);
	}
	/* at and straddling VA_END */
	expect_op_err(s.vm, map_op(s.bo, 0, va_end, SZ_4K), EINVAL);
	expect_op_err(s.vm, map_op(s.bo, 0, va_end - SZ_4K, 2 * SZ_4K), EINVAL);
	expect_op_err(s.vm, unmap_op(va_end - SZ_4K, 2 * SZ_4K), EINVAL);
	if (va_end <= (1ull << 62))
		expect_op_err(s.vm, map_op(s.bo, 0, 2 * va_end, SZ_4K), EINVAL);

	/* the last page is fine */
	nova_vm_map(fd, s.vm, s.bo, 0, va_end - SZ_4K, SZ_4K);
	assert_state(s.vm, 1, SZ_4K);
	nova_vm_unmap(fd, s.vm, va_end - SZ_4K, SZ_4K);
	assert_state(s.vm, 0, 0);

	teardown(&s);
}

static void test_invalid_bo_range(void)
{
	struct vm_bo s = setup(16 * SZ_4K);

	expect_op_err(s.vm, map_op(s.bo, 0, va_base, s.size + SZ_4K), EINVAL);
	expect_op_err(s.vm, map_op(s.bo, SZ_4K, va_base, s.size), EINVAL);
	expect_op_err(s.vm, map_op(s.bo, s.size, va_base, SZ_4K), EINVAL);
	expect_op_err(s.vm, map_op(s.bo, s.size - SZ_4K, va_base, 2 * SZ_4K), EINVAL);

	/* the whole object, and its last page, are fine */
	nova_vm_map(fd, s.vm, s.bo, s.size - SZ_4K, va_base, SZ_4K);
	nova_vm_map(fd, s.vm, s.bo, 0, va_base + SZ_2M, s.size);
	assert_state(s.vm, 2, s.size + SZ_4K);

	teardown(&s);
}

static void test_invalid_handle(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t closed = nova_gem_create(fd, SZ_4K);

	gem_close(fd, closed);
	expect_op_err(s.vm, map_op(0xdeadbeef, 0, va_base, SZ_4K), ENOENT);
	expect_op_err(s.vm, map_op(closed, 0, va_base, SZ_4K), ENOENT);

	teardown(&s);
}

static void test_invalid_vm(void)
{
	uint32_t bo = nova_gem_create(fd, SZ_4K);
	uint32_t vm = nova_vm_create(fd);
	struct drm_nova_vm_bind_op op = map_op(bo, 0, va_base, SZ_4K);
	struct drm_nova_vm_get_state st = { .vm_id = 0xdeadbeef };

	igt_assert_eq(__nova_vm_bind(fd, 0xdeadbeef, 0, &op, 1, NULL, 0), -ENOENT);
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_GET_STATE, &st, ENOENT);

	nova_vm_destroy(fd, vm);
	igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), -ENOENT);
	st.vm_id = vm;
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_GET_STATE, &st, ENOENT);

	gem_close(fd, bo);
}

static void test_invalid_sync_on_sync_bind(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t syncobj = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = map_op(s.bo, 0, va_base, SZ_4K);
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = syncobj,
	};

	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, &op, 1, &sync, 1), -EINVAL);
	sync.flags = NOVA_SYNC_SYNCOBJ;
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, &op, 1, &sync, 1), -EINVAL);
	assert_state(s.vm, 0, 0);

	syncobj_destroy(fd, syncobj);
	teardown(&s);
}

static void test_invalid_too_many_ops(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint64_t max = nova_get_param(fd, NOVA_GETPARAM_MAX_BIND_OPS);
	struct drm_nova_vm_bind_op *ops;

	igt_require(max < 65536);
	ops = calloc(max + 1, sizeof(*ops));
	igt_assert(ops);
	for (uint64_t i = 0; i <= max; i++)
		ops[i] = map_op(s.bo, 0, va_base, SZ_4K);

	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, max + 1, NULL, 0), -EINVAL);
	assert_state(s.vm, 0, 0);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, max, NULL, 0), 0);
	assert_state(s.vm, 1, SZ_4K);

	free(ops);
	teardown(&s);
}

static void test_failed_bind_changes_nothing(void)
{
	struct vm_bo s = setup(16 * SZ_4K);
	struct drm_nova_vm_bind_op ops[2] = {
		map_op(s.bo, 0, va_base, s.size),
		map_op(0xdeadbeef, 0, va_base + SZ_2M, SZ_4K),
	};

	igt_require(nova_get_param(fd, NOVA_GETPARAM_MAX_BIND_OPS) >= 2);

	/* a valid op followed by an invalid one: neither is applied */
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, 2, NULL, 0), -ENOENT);
	assert_state(s.vm, 0, 0);

	ops[1] = map_op(s.bo, 0, va_base + SZ_2M + 1, SZ_4K);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, 2, NULL, 0), -EINVAL);
	assert_state(s.vm, 0, 0);

	/* and with an existing mapping, an invalid unmap keeps it */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	ops[0] = unmap_op(va_base, s.size);
	ops[1] = unmap_op(va_base, 0);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, 2, NULL, 0), -EINVAL);
	assert_state(s.vm, 1, s.size);

	teardown(&s);
}

static void test_ops_stride(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct {
		struct drm_nova_vm_bind_op op;
		uint64_t ext;
	} big[2];
	struct drm_nova_vm_bind bind = { .vm_id = s.vm };

	memset(big, 0, sizeof(big));
	big[0].op = map_op(s.bo, 0, va_base, SZ_4K);
	big[1].op = map_op(s.bo, SZ_4K, va_base + SZ_4K, SZ_4K);
	bind.ops.stride = sizeof(big[0]);
	bind.ops.count = 1;
	bind.ops.array = to_user_pointer(big);

	/* a longer element with zeros past the known fields is accepted */
	do_ioctl(fd, DRM_IOCTL_NOVA_VM_BIND, &bind);
	assert_state(s.vm, 1, SZ_4K);

	/* non-zero bytes the kernel does not know are rejected */
	big[1].ext = 1;
	bind.ops.array = to_user_pointer(&big[1]);
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EINVAL);
	assert_state(s.vm, 1, SZ_4K);

	teardown(&s);
}

static void test_ops_efault(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_bind bind = {
		.vm_id = s.vm,
		.ops = {
			.stride = sizeof(struct drm_nova_vm_bind_op),
			.count = 1,
			.array = 0x10,	/* unmapped */
		},
	};

	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EFAULT);
	assert_state(s.vm, 0, 0);
	teardown(&s);
}

/* ---- VM state and resources ---- */

static void test_get_state(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_fault faults[4];
	struct drm_nova_vm_get_state st = { .vm_id = s.vm };

	/* a new VM */
	memset(faults, 0xff, sizeof(faults));
	st.faults.stride = sizeof(faults[0]);
	st.faults.count = ARRAY_SIZE(faults);
	st.faults.array = to_user_pointer(faults);
	igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.num_mappings, 0);
	igt_assert_eq_u32(st.fault_count, 0);
	igt_assert_eq_u64(st.mapped_bytes, 0);
	igt_assert_eq_u32(st.faults.count, 0);

	/* counts follow maps */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, SZ_4K);
	nova_vm_map(fd, s.vm, s.bo, SZ_4K, va_base + SZ_2M, 2 * SZ_4K);
	nova_vm_map(fd, s.vm, s.bo, 0, va_base + 2 * SZ_2M, s.size);
	assert_state(s.vm, 3, 3 * SZ_4K + s.size);

	/* unknown flags */
	st = (struct drm_nova_vm_get_state){ .vm_id = s.vm, .flags = 1u << 1 };
	do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_GET_STATE, &st, EINVAL);
	/* CLEAR_FAULTS with no faults is fine */
	st.flags = NOVA_VM_GET_STATE_CLEAR_FAULTS;
	do_ioctl(fd, DRM_IOCTL_NOVA_VM_GET_STATE, &st);
	igt_assert_eq_u32(st.fault_count, 0);

	teardown(&s);
}

static void test_pt_bytes(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint64_t used0, used1;
	struct drm_nova_vm_get_state st;

	used0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	/* a mapping needs page tables */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, SZ_4K);
	st = nova_vm_get_state(fd, s.vm);
	igt_assert_lt_u64(0, st.pt_bytes);
	used1 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	igt_info("page tables: %llu bytes; VRAM used %llu -> %llu\n",
		 (unsigned long long)st.pt_bytes, (unsigned long long)used0,
		 (unsigned long long)used1);
	/* page tables are VRAM allocations: counted in VRAM_USED */
	igt_assert_lte_u64(used1, nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE));

	teardown(&s);
}

static void test_destroy_with_mappings(void)
{
	uint64_t base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	struct vm_bo s = setup(SZ_1M);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	nova_vm_map(fd, s.vm, s.bo, 0, va_base + 2 * SZ_2M, SZ_64K);
	/* object closed while still mapped: the VM keeps it */
	gem_close(fd, s.bo);
	assert_state(s.vm, 2, s.size + SZ_64K);

	/* destroying the VM releases mappings, page tables and the object */
	nova_vm_destroy(fd, s.vm);
	igt_assert_eq_u64(nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS), base);
}

static void test_close_bo_while_bound(void)
{
	uint64_t base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	struct vm_bo s = setup(SZ_1M);

	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	gem_close(fd, s.bo);
	assert_state(s.vm, 1, s.size);
	igt_assert_lte_u64(base + s.size, nova_get_param(fd, NOVA_GETPARAM_VRAM_USED));

	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);
	nova_vm_destroy(fd, s.vm);
	igt_assert_eq_u64(nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS), base);
}

/* ---- async binds with syncobjs ---- */

static void test_async_binary(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t out = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = map_op(s.bo, 0, va_base, s.size);
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = out,
	};

	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	igt_assert(syncobj_wait(fd, &out, 1, INT64_MAX,
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	assert_state(s.vm, 1, s.size);

	syncobj_reset(fd, &out, 1);
	op = unmap_op(va_base, s.size);
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	igt_assert(syncobj_wait(fd, &out, 1, INT64_MAX,
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	assert_state(s.vm, 0, 0);

	syncobj_destroy(fd, out);
	teardown(&s);
}

static void test_async_timeline(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t tl = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = map_op(s.bo, 0, va_base, s.size);
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_TIMELINE_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = tl,
		.timeline_value = 1,
	};
	uint64_t point = 0;

	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	op = unmap_op(va_base, SZ_4K);
	sync.timeline_value = 2;
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);

	point = 2;
	igt_assert(syncobj_timeline_wait(fd, &tl, &point, 1, INT64_MAX,
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	syncobj_timeline_query(fd, &tl, &point, 1);
	igt_assert_lte_u64(2, point);
	/* binds of one VM complete in order */
	assert_state(s.vm, 1, s.size - SZ_4K);

	syncobj_destroy(fd, tl);
	teardown(&s);
}

static void test_async_wait_fence(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t in = syncobj_create(fd, 0);
	uint32_t out = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = map_op(s.bo, 0, va_base, s.size);
	struct drm_nova_sync syncs[2] = {
		{ .flags = NOVA_SYNC_SYNCOBJ, .handle = in },
		{ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL, .handle = out },
	};
	struct timespec now;
	int timeline, fence;

	/* an in-fence that only the CPU signals: a sw_sync fence */
	igt_require_sw_sync();
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	syncobj_import_sync_file(fd, in, fence);
	close(fence);

	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, syncs, 2), 0);

	/* the bind waits for the in-fence: its out-fence stays unsignalled */
	clock_gettime(CLOCK_MONOTONIC, &now);
	igt_assert(!syncobj_wait(fd, &out, 1,
				 now.tv_sec * NSEC_PER_SEC + now.tv_nsec + NSEC_PER_SEC / 5,
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));

	sw_sync_timeline_inc(timeline, 1);
	igt_assert(syncobj_wait(fd, &out, 1, INT64_MAX,
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	assert_state(s.vm, 1, s.size);

	close(timeline);
	syncobj_destroy(fd, in);
	syncobj_destroy(fd, out);
	teardown(&s);
}

static void test_async_invalid_syncs(void)
{
	struct vm_bo s = setup(SZ_64K);
	uint32_t so = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = map_op(s.bo, 0, va_base, s.size);
	struct drm_nova_sync sync;

	/* unknown sync type */
	sync = (struct drm_nova_sync){ .flags = 2 | NOVA_SYNC_SIGNAL, .handle = so };
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), -EINVAL);
	/* unknown flag bits */
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SIGNAL | (1 << 8), .handle = so };
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), -EINVAL);
	/* a binary syncobj with a timeline value */
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = so, .timeline_value = 1 };
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), -EINVAL);
	/* an unknown syncobj */
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = 0xdeadbeef };
	igt_assert_eq(__nova_vm_bind(fd, s.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), -ENOENT);
	assert_state(s.vm, 0, 0);

	syncobj_destroy(fd, so);
	teardown(&s);
}

/* ---- the GPU's view (through the simulator, see nova_helpers.h) ---- */

static uint32_t gpu_pattern(uint64_t i, uint32_t seed)
{
	return (uint32_t)(i * 2654435761u) ^ seed;
}

/* @size bytes of pattern @seed, word i of the object at byte 4 * i. */
static void fill_pattern(void *p, uint64_t size, uint32_t seed)
{
	uint32_t *w = p;

	for (uint64_t i = 0; i < size / 4; i++)
		w[i] = gpu_pattern(i, seed);
}

/*
 * @got holds @size bytes from byte @bo_offset of an object filled with
 * pattern @seed; @what names the view in the failure message.
 */
static void check_pattern_at(const void *got, uint64_t bo_offset, uint64_t size,
			     uint32_t seed, const char *what)
{
	const uint32_t *w = got;

	for (uint64_t i = 0; i < size / 4; i++) {
		uint32_t expect = gpu_pattern(bo_offset / 4 + i, seed);

		igt_assert_f(w[i] == expect,
			     "%s: byte 0x%llx: 0x%08x, expected 0x%08x\n", what,
			     (unsigned long long)(bo_offset + 4 * i), w[i], expect);
	}
}

/* The GPU reads [va, va + size) as bytes [bo_offset, ...) of pattern @seed. */
static void gpu_check(uint32_t vm, uint64_t va, uint64_t bo_offset, uint64_t size,
		      uint32_t seed)
{
	void *buf = malloc(size);
	char what[64];
	int err;

	igt_assert(buf);
	err = nova_gpu_read(fd, vm, va, buf, size);
	igt_assert_f(err == 0, "GPU read of [0x%llx, +0x%llx): %d (%s)\n",
		     (unsigned long long)va, (unsigned long long)size, err,
		     strerror(-err));
	snprintf(what, sizeof(what), "GPU at va 0x%llx", (unsigned long long)va);
	check_pattern_at(buf, bo_offset, size, seed, what);
	free(buf);
}

/* A GPU read at @va faults: -EFAULT and exactly one more fault recorded. */
static void gpu_check_fault(uint32_t vm, uint64_t va, uint64_t size)
{
	uint64_t faults = nova_sim_fault_count(fd);
	void *buf = malloc(size);
	int err;

	igt_assert(buf);
	err = nova_gpu_read(fd, vm, va, buf, size);
	igt_assert_f(err == -EFAULT, "GPU read at unmapped va 0x%llx: %d, expected -EFAULT\n",
		     (unsigned long long)va, err);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults + 1);
	free(buf);
}

/*
 * An UNMAP costs what is mapped in its range, not the range's size: one
 * UNMAP of the whole VA space (2^49 or 2^57 bytes) of an empty VM writes
 * no page-table entry and reads none back, and with one 4 KiB page mapped
 * it writes that PTE and the few directory entries above it. Counted by
 * the simulator's PRAMIN counters, so no timing is involved; a walk over
 * the whole range would never return.
 */
/* UNMAP the whole VA space of @vm; the PRAMIN writes and reads it made. */
static void unmap_all_counted(uint32_t vm, const char *what, uint64_t *w, uint64_t *r)
{
	uint64_t w0 = nova_sim_counter(fd, "pramin_writes");
	uint64_t r0 = nova_sim_counter(fd, "pramin_reads");

	nova_vm_unmap(fd, vm, va_start, va_end - va_start);
	*w = nova_sim_counter(fd, "pramin_writes") - w0;
	*r = nova_sim_counter(fd, "pramin_reads") - r0;
	igt_info("%s: %llu PRAMIN writes, %llu reads\n", what,
		 (unsigned long long)*w, (unsigned long long)*r);
}

static void test_unmap_whole_va(void)
{
	uint64_t va = va_base + SZ_2M + 5 * SZ_4K, w, r;
	struct vm_bo s;

	nova_require_gpu_view(fd);
	s = setup(SZ_64K);

	unmap_all_counted(s.vm, "empty VM", &w, &r);
	igt_assert_eq_u64(w, 0);
	igt_assert_eq_u64(r, 0);
	assert_state(s.vm, 0, 0);

	nova_vm_map(fd, s.vm, s.bo, SZ_4K, va, SZ_4K);
	assert_state(s.vm, 1, SZ_4K);
	unmap_all_counted(s.vm, "one 4 KiB page mapped", &w, &r);
	/* the PTE, and at most a PDE (two dual-PDE halves) per level */
	igt_assert_lte_u64(1, w);
	igt_assert_lte_u64(w, 16);
	igt_assert_eq_u64(r, 0);
	assert_state(s.vm, 0, 0);
	gpu_check_fault(s.vm, va, SZ_4K);

	/* the VM still maps after that */
	nova_vm_map(fd, s.vm, s.bo, 0, va, SZ_4K);
	assert_state(s.vm, 1, SZ_4K);
	teardown(&s);
}

static void test_gpu_view_after_bind(void)
{
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x6a09e667);

	/* the whole object, then a part of it at an offset elsewhere */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	gpu_check(s.vm, va_base, 0, s.size, 0x6a09e667);
	nova_vm_map(fd, s.vm, s.bo, SZ_64K + SZ_4K, va_base + SZ_2M, 3 * SZ_4K);
	gpu_check(s.vm, va_base + SZ_2M, SZ_64K + SZ_4K, 3 * SZ_4K, 0x6a09e667);

	/* CPU writes after the bind are seen too */
	fill_pattern(p, s.size, 0xbb67ae85);
	gpu_check(s.vm, va_base, 0, s.size, 0xbb67ae85);
	gpu_check(s.vm, va_base + SZ_2M, SZ_64K + SZ_4K, 3 * SZ_4K, 0xbb67ae85);

	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

static void test_gpu_write_cpu_read(void)
{
	uint64_t off = SZ_64K + 3 * SZ_4K, len = 5 * SZ_4K;
	uint32_t *buf;
	struct vm_bo s;
	uint8_t *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x3c6ef372);
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);

	/* the GPU writes a different pattern into part of the object */
	buf = malloc(s.size);
	igt_assert(buf);
	fill_pattern(buf, s.size, 0xa54ff53a);
	igt_assert_eq(nova_gpu_write(fd, s.vm, va_base + off, (uint8_t *)buf + off, len), 0);

	/* the CPU sees it there and the old data around it */
	check_pattern_at(p, 0, off, 0x3c6ef372, "CPU before the GPU write");
	check_pattern_at(p + off, off, len, 0xa54ff53a, "CPU in the GPU write");
	check_pattern_at(p + off + len, off + len, s.size - off - len, 0x3c6ef372,
			 "CPU after the GPU write");
	igt_assert_eq(munmap(p, s.size), 0);

	/* and so does a new mapping, and the GPU itself */
	p = nova_gem_mmap(fd, s.bo, s.size);
	check_pattern_at(p + off, off, len, 0xa54ff53a, "CPU, new mapping");
	gpu_check(s.vm, va_base + off, off, len, 0xa54ff53a);

	/* a GPU write through a second mapping of the object at another VA */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base + SZ_2M, s.size);
	igt_assert_eq(nova_gpu_write(fd, s.vm, va_base + SZ_2M, buf, SZ_4K), 0);
	check_pattern_at(p, 0, SZ_4K, 0xa54ff53a, "CPU after a write at the second VA");
	gpu_check(s.vm, va_base, 0, SZ_4K, 0xa54ff53a);

	free(buf);
	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

static void test_gpu_fault_after_unbind(void)
{
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x510e527f);

	/* the reads fill the GPU's TLB: the unbind must invalidate it */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	gpu_check(s.vm, va_base, 0, s.size, 0x510e527f);
	nova_vm_unmap(fd, s.vm, va_base, s.size);
	assert_state(s.vm, 0, 0);

	gpu_check_fault(s.vm, va_base, SZ_4K);
	gpu_check_fault(s.vm, va_base + s.size - SZ_4K, SZ_4K);
	/* a GPU write faults as well and changes nothing */
	{
		uint64_t faults = nova_sim_fault_count(fd);
		uint32_t w = 0xdeadbeef;

		igt_assert_eq(nova_gpu_write(fd, s.vm, va_base, &w, sizeof(w)), -EFAULT);
		igt_assert_eq_u64(nova_sim_fault_count(fd), faults + 1);
	}

	/* the driver attributes the three faults to this VM, in order */
	{
		struct drm_nova_vm_fault f[4];
		struct drm_nova_vm_get_state st = {
			.vm_id = s.vm,
			.faults = { .stride = sizeof(f[0]), .count = ARRAY_SIZE(f),
				    .array = to_user_pointer(f) },
		};
		uint64_t va[3] = { va_base, va_base + s.size - SZ_4K, va_base };

		igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
		igt_assert_eq_u32(st.fault_count, 3);
		igt_assert_eq_u32(st.faults.count, 3);
		for (unsigned int i = 0; i < 3; i++) {
			igt_assert_eq_u64(f[i].va, va[i]);
			igt_assert_eq_u32(f[i].access, i == 2);
			igt_assert_f(f[i].reason == 1 || f[i].reason == 2,
				     "fault %u: reason %u, expected PDE or PTE\n", i, f[i].reason);
		}
	}

	/* CLEAR_FAULTS forgets the faults copied out, and only those */
	{
		struct drm_nova_vm_fault f[2];
		struct drm_nova_vm_get_state st = {
			.vm_id = s.vm, .flags = NOVA_VM_GET_STATE_CLEAR_FAULTS,
			.faults = { .stride = sizeof(f[0]), .count = 2,
				    .array = to_user_pointer(f) },
		};

		igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
		igt_assert_eq_u32(st.fault_count, 3);
		igt_assert_eq_u32(st.faults.count, 2);
		igt_assert_eq_u64(f[1].va, va_base + s.size - SZ_4K);

		st.faults.count = 2;
		igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
		igt_assert_eq_u32(st.fault_count, 1);
		igt_assert_eq_u32(st.faults.count, 1);
		igt_assert_eq_u64(f[0].va, va_base);
		igt_assert_eq_u32(f[0].access, 1);

		st.flags = 0;
		st.faults.count = 2;
		igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
		igt_assert_eq_u32(st.fault_count, 0);
		igt_assert_eq_u32(st.faults.count, 0);
	}

	/* the object is untouched; bound again, the GPU sees it again */
	check_pattern_at(p, 0, s.size, 0x510e527f, "CPU after the unbind");
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	gpu_check(s.vm, va_base, 0, s.size, 0x510e527f);

	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

static void test_gpu_view_partial_unbind(void)
{
	uint64_t hole = SZ_1M + 5 * SZ_4K;
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	igt_require(SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	s = setup(SZ_2M);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x9b05688c);

	/* 2 MiB-aligned on both sides: the driver may use a 2 MiB page */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	gpu_check(s.vm, va_base, 0, s.size, 0x9b05688c);

	/* punch one 4 KiB page out of the middle */
	nova_vm_unmap(fd, s.vm, va_base + hole, SZ_4K);
	assert_state(s.vm, 2, s.size - SZ_4K);

	gpu_check_fault(s.vm, va_base + hole, SZ_4K);
	gpu_check_fault(s.vm, va_base + hole + SZ_4K - 4, 4);
	/* the neighbours, right up to the hole, still show the object */
	gpu_check(s.vm, va_base + hole - SZ_4K, hole - SZ_4K, SZ_4K, 0x9b05688c);
	gpu_check(s.vm, va_base + hole + SZ_4K, hole + SZ_4K, SZ_4K, 0x9b05688c);
	gpu_check(s.vm, va_base, 0, hole, 0x9b05688c);
	gpu_check(s.vm, va_base + hole + SZ_4K, hole + SZ_4K, s.size - hole - SZ_4K,
		  0x9b05688c);
	/* the object itself still has the page */
	check_pattern_at(p, 0, s.size, 0x9b05688c, "CPU after the partial unbind");

	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

static void test_gpu_view_read_only(void)
{
	struct nova_gpu_xlate x;
	uint32_t *buf;
	uint64_t faults;
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x1f83d9ab);

	igt_assert_eq(__nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size,
				    NOVA_VM_BIND_OP_READ_ONLY), 0);
	gpu_check(s.vm, va_base, 0, s.size, 0x1f83d9ab);
	x = nova_gpu_translate(fd, s.vm, va_base);
	igt_assert_f(x.ok && x.read_only, "read-only map translates as %s %s\n",
		     x.reason, x.read_only ? "ro" : "rw");

	/* GPU writes fault, at the first and the last page alike */
	buf = malloc(s.size);
	igt_assert(buf);
	fill_pattern(buf, s.size, 0x5be0cd19);
	faults = nova_sim_fault_count(fd);
	igt_assert_eq(nova_gpu_write(fd, s.vm, va_base, buf, 16), -EFAULT);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults + 1);
	igt_assert_eq(nova_gpu_write(fd, s.vm, va_base + s.size - SZ_4K, buf, SZ_4K),
		      -EFAULT);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults + 2);

	/* and change nothing */
	gpu_check(s.vm, va_base, 0, s.size, 0x1f83d9ab);
	check_pattern_at(p, 0, s.size, 0x1f83d9ab, "CPU after faulting GPU writes");

	/* mapped again read-write, the same write goes through */
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	igt_assert_eq(nova_gpu_write(fd, s.vm, va_base, buf, 16), 0);
	check_pattern_at(p, 0, 16, 0x5be0cd19, "CPU after a read-write remap");

	free(buf);
	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

static void test_gpu_view_map_replace(void)
{
	/* B's [boff, boff + len) over A's [off, off + len) */
	uint64_t off = 8 * SZ_64K - SZ_4K, boff = SZ_4K, len = SZ_64K + 2 * SZ_4K;
	struct vm_bo a;
	uint32_t b;
	void *pa, *pb;

	nova_require_gpu_view(fd);
	igt_require(SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	a = setup(SZ_2M);
	b = nova_gem_create(fd, 4 * SZ_64K);
	pa = nova_gem_mmap(fd, a.bo, a.size);
	pb = nova_gem_mmap(fd, b, 4 * SZ_64K);
	fill_pattern(pa, a.size, 0xcbbb9d5d);
	fill_pattern(pb, 4 * SZ_64K, 0x629a292a);

	nova_vm_map(fd, a.vm, a.bo, 0, va_base, a.size);
	gpu_check(a.vm, va_base, 0, a.size, 0xcbbb9d5d);

	nova_vm_map(fd, a.vm, b, boff, va_base + off, len);
	assert_state(a.vm, 3, a.size);
	gpu_check(a.vm, va_base, 0, off, 0xcbbb9d5d);
	gpu_check(a.vm, va_base + off, boff, len, 0x629a292a);
	gpu_check(a.vm, va_base + off + len, off + len, a.size - off - len, 0xcbbb9d5d);

	/* a GPU write there lands in B, not in A */
	igt_assert_eq(nova_gpu_write(fd, a.vm, va_base + off, (uint8_t *)pa + off, 64), 0);
	check_pattern_at((uint8_t *)pb + boff, off, 64, 0xcbbb9d5d, "B after a GPU write");
	check_pattern_at(pa, 0, a.size, 0xcbbb9d5d, "A after a GPU write to B");
	fill_pattern(pb, 4 * SZ_64K, 0x629a292a);

	/* A over everything again */
	nova_vm_map(fd, a.vm, a.bo, 0, va_base, a.size);
	assert_state(a.vm, 1, a.size);
	gpu_check(a.vm, va_base, 0, a.size, 0xcbbb9d5d);

	igt_assert_eq(munmap(pb, 4 * SZ_64K), 0);
	igt_assert_eq(munmap(pa, a.size), 0);
	gem_close(fd, b);
	teardown(&a);
}

static void test_gpu_view_huge(void)
{
	uint64_t size = 2 * SZ_2M, va_mis = va_base + 3 * SZ_2M + SZ_64K;
	uint64_t va_off = va_base + 6 * SZ_2M;
	struct nova_gpu_xlate x;
	uint32_t vm, bo;
	void *p;

	nova_require_gpu_view(fd);
	igt_require(size <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	igt_require(nova_get_param(fd, NOVA_GETPARAM_PAGE_SIZES) & SZ_2M);
	igt_require(va_base + 8 * SZ_2M <= va_end);
	vm = nova_vm_create(fd);
	bo = nova_gem_create(fd, size);
	p = nova_gem_mmap(fd, bo, size);
	fill_pattern(p, size, 0x7137449);

	/* 2 MiB-aligned VA, object and size: 2 MiB pages */
	nova_vm_map(fd, vm, bo, 0, va_base, size);
	for (uint64_t o = 0; o < size; o += SZ_1M + SZ_64K) {
		x = nova_gpu_translate(fd, vm, va_base + o);
		igt_assert_f(x.ok, "va 0x%llx: %s\n", (unsigned long long)(va_base + o),
			     x.reason);
		igt_assert_f(x.page_size == SZ_2M,
			     "va 0x%llx (pa 0x%llx) mapped with 0x%llx pages, expected 2 MiB\n",
			     (unsigned long long)(va_base + o), (unsigned long long)x.pa,
			     (unsigned long long)x.page_size);
	}
	gpu_check(vm, va_base, 0, size, 0x7137449);

	/* a VA 64 KiB off 2 MiB: smaller pages, same data */
	nova_vm_map(fd, vm, bo, 0, va_mis, size);
	x = nova_gpu_translate(fd, vm, va_mis);
	igt_assert_f(x.ok && x.page_size < SZ_2M, "va 0x%llx: %s, page size 0x%llx\n",
		     (unsigned long long)va_mis, x.reason, (unsigned long long)x.page_size);
	gpu_check(vm, va_mis, 0, size, 0x7137449);

	/* an aligned VA at an object offset 4 KiB off 2 MiB: 4 KiB pages */
	nova_vm_map(fd, vm, bo, SZ_4K, va_off, SZ_2M);
	x = nova_gpu_translate(fd, vm, va_off);
	igt_assert_f(x.ok && x.page_size == SZ_4K, "va 0x%llx: %s, page size 0x%llx\n",
		     (unsigned long long)va_off, x.reason, (unsigned long long)x.page_size);
	gpu_check(vm, va_off, SZ_4K, SZ_2M, 0x7137449);

	/* the 2 MiB mapping is unaffected by the others */
	gpu_check(vm, va_base, 0, size, 0x7137449);

	igt_assert_eq(munmap(p, size), 0);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/* ---- NULL (sparse) mappings ---- */

#define NULL_4M (4ull << 20)
#define NULL_1G (1ull << 30)
#define NULL_1T (1ull << 40)

static struct drm_nova_vm_bind_op null_op(uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_MAP,
		.flags = NOVA_VM_BIND_OP_NULL,
		.va = va,
		.range = range,
	};

	return op;
}

static void nova_vm_bind_null(uint32_t vm, uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = null_op(va, range);

	igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), 0);
}

static void assert_null_state(uint32_t vm, uint32_t mappings, uint64_t bytes,
			      uint64_t null_bytes)
{
	struct drm_nova_vm_get_state st = nova_vm_get_state(fd, vm);

	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_eq_u32(st.num_mappings, mappings);
	igt_assert_eq_u64(st.mapped_bytes, bytes);
	igt_assert_eq_u64(st.null_bytes, null_bytes);
}

/*
 * The GPU's engines read [va, va + size) as zeroes and their writes there
 * are dropped: no fault, the simulator counts the bytes, and a read after
 * the write still returns zeroes.
 */
static void gpu_check_null(uint32_t vm, uint64_t va, uint64_t size)
{
	uint64_t faults = nova_sim_fault_count(fd);
	uint64_t rd = nova_sim_counter(fd, "sparse_read_bytes");
	uint64_t wr = nova_sim_counter(fd, "sparse_write_bytes");
	uint8_t *buf = malloc(size);
	int err;

	igt_assert(buf);
	memset(buf, 0xa5, size);
	err = nova_gpu_write(fd, vm, va, buf, size);
	igt_assert_f(err == 0, "GPU write of NULL [0x%llx, +0x%llx): %d\n",
		     (unsigned long long)va, (unsigned long long)size, err);
	memset(buf, 0xff, size);
	err = nova_gpu_read(fd, vm, va, buf, size);
	igt_assert_f(err == 0, "GPU read of NULL [0x%llx, +0x%llx): %d\n",
		     (unsigned long long)va, (unsigned long long)size, err);
	for (uint64_t i = 0; i < size; i++)
		igt_assert_f(!buf[i], "GPU at NULL va 0x%llx: 0x%02x, expected 0\n",
			     (unsigned long long)(va + i), buf[i]);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults);
	igt_assert_eq_u64(nova_sim_counter(fd, "sparse_read_bytes"), rd + size);
	igt_assert_eq_u64(nova_sim_counter(fd, "sparse_write_bytes"), wr + size);
	free(buf);
}

static void test_null_read_write(void)
{
	uint64_t va = va_base + SZ_4K, range = SZ_2M + SZ_64K;
	uint32_t vm;

	nova_require_gpu_view(fd);
	igt_require(va_base + 4 * SZ_2M <= va_end);
	vm = nova_vm_create(fd);
	nova_vm_bind_null(vm, va, range);
	assert_null_state(vm, 1, range, range);
	gpu_check_null(vm, va, SZ_4K);
	gpu_check_null(vm, va + SZ_64K - 16, 32);
	gpu_check_null(vm, va + SZ_1M, SZ_64K);
	gpu_check_null(vm, va + range - SZ_4K, SZ_4K);
	/* beside the range, nothing is mapped */
	gpu_check_fault(vm, va - SZ_4K, SZ_4K);
	gpu_check_fault(vm, va + range, SZ_4K);
	nova_vm_destroy(fd, vm);
}

/* UNMAP part of a NULL range: @front/@len of it; the rest stays NULL. */
static void null_partial_unmap(uint64_t front, uint64_t len)
{
	uint64_t va = va_base, range = NULL_4M;
	uint32_t vm;

	nova_require_gpu_view(fd);
	igt_require(va_base + 4 * SZ_2M <= va_end);
	vm = nova_vm_create(fd);
	nova_vm_bind_null(vm, va, range);
	nova_vm_unmap(fd, vm, va + front, len);
	assert_null_state(vm, front && front + len < range ? 2 : 1, range - len,
			  range - len);
	gpu_check_fault(vm, va + front, SZ_4K);
	gpu_check_fault(vm, va + front + len - SZ_4K, SZ_4K);
	if (front) {
		gpu_check_null(vm, va, SZ_4K);
		gpu_check_null(vm, va + front - SZ_4K, SZ_4K);
	}
	if (front + len < range) {
		gpu_check_null(vm, va + front + len, SZ_4K);
		gpu_check_null(vm, va + range - SZ_4K, SZ_4K);
	}
	nova_vm_unmap(fd, vm, va, range);
	assert_null_state(vm, 0, 0, 0);
	gpu_check_fault(vm, va, SZ_4K);
	nova_vm_destroy(fd, vm);
}

/*
 * A backed MAP over the middle of a NULL range, then its UNMAP: the
 * object shows through while mapped; afterwards the range is invalid
 * (engine accesses fault), the rest stays NULL.
 */
static void test_null_map_over(void)
{
	uint64_t va = va_base, range = NULL_4M, at = SZ_2M - SZ_64K;
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x9b05688c);
	nova_vm_bind_null(s.vm, va, range);
	nova_vm_map(fd, s.vm, s.bo, 0, va + at, s.size);
	assert_null_state(s.vm, 3, range, range - s.size);
	gpu_check(s.vm, va + at, 0, s.size, 0x9b05688c);
	gpu_check_null(s.vm, va + at - SZ_4K, SZ_4K);
	gpu_check_null(s.vm, va + at + s.size, SZ_4K);

	nova_vm_unmap(fd, s.vm, va + at, s.size);
	assert_null_state(s.vm, 2, range - s.size, range - s.size);
	gpu_check_fault(s.vm, va + at, SZ_4K);
	gpu_check_fault(s.vm, va + at + s.size - SZ_4K, SZ_4K);
	gpu_check_null(s.vm, va + at - SZ_4K, SZ_4K);
	gpu_check_null(s.vm, va + at + s.size, SZ_4K);
	check_pattern_at(p, 0, s.size, 0x9b05688c, "CPU after the unmap");

	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

/*
 * A NULL MAP over part of a backed mapping: the GPU reads zeroes there
 * and its writes are dropped; the object is intact and its CPU mapping
 * (an old one and a new one) still works.
 */
static void test_null_over_backed(void)
{
	uint64_t off = SZ_64K + SZ_4K, len = 5 * SZ_4K;
	struct vm_bo s;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x1f83d9ab);
	nova_vm_map(fd, s.vm, s.bo, 0, va_base, s.size);
	nova_vm_bind_null(s.vm, va_base + off, len);
	assert_null_state(s.vm, 3, s.size, len);
	gpu_check_null(s.vm, va_base + off, len);
	gpu_check(s.vm, va_base, 0, off, 0x1f83d9ab);
	gpu_check(s.vm, va_base + off + len, off + len, s.size - off - len, 0x1f83d9ab);
	check_pattern_at(p, 0, s.size, 0x1f83d9ab, "CPU after the NULL map");
	igt_assert_eq(munmap(p, s.size), 0);
	p = nova_gem_mmap(fd, s.bo, s.size);
	check_pattern_at(p, 0, s.size, 0x1f83d9ab, "CPU, new mapping");
	igt_assert_eq(munmap(p, s.size), 0);
	teardown(&s);
}

/*
 * 1 TiB NULL: a few sparse directory entries, a few KiB of page tables
 * (VM_GET_STATE), GPU reads zero anywhere in it; UNMAP gives them back.
 */
static void test_null_1t(void)
{
	uint64_t va = ALIGN(va_start, NULL_1T), range = NULL_1T, pt0;
	struct drm_nova_vm_get_state st;
	uint32_t vm;

	igt_require(va + range <= va_end);
	vm = nova_vm_create(fd);
	pt0 = nova_vm_get_state(fd, vm).pt_bytes;
	nova_vm_bind_null(vm, va, range);
	st = nova_vm_get_state(fd, vm);
	igt_info("1 TiB NULL: page tables %llu -> %llu bytes\n",
		 (unsigned long long)pt0, (unsigned long long)st.pt_bytes);
	igt_assert_eq_u64(st.null_bytes, range);
	igt_assert_eq_u64(st.mapped_bytes, range);
	igt_assert_lte_u64(st.pt_bytes, pt0 + 4 * SZ_4K);
	if (nova_sim_index(fd) >= 0) {
		gpu_check_null(vm, va, SZ_4K);
		gpu_check_null(vm, va + range / 2 + SZ_64K, SZ_4K);
		gpu_check_null(vm, va + range - SZ_4K, SZ_4K);
	}
	nova_vm_unmap(fd, vm, va, range);
	assert_null_state(vm, 0, 0, 0);
	igt_assert_eq_u64(nova_vm_get_state(fd, vm).pt_bytes, pt0);
	nova_vm_destroy(fd, vm);
}

/* Malformed NULL maps fail with EINVAL and change nothing. */
static void test_null_invalid(void)
{
	struct vm_bo s = setup(SZ_64K);
	struct drm_nova_vm_bind_op op;

	op = null_op(va_base, SZ_64K);
	op.handle = s.bo;
	expect_op_err(s.vm, op, EINVAL);
	op = null_op(va_base, SZ_64K);
	op.bo_offset = SZ_4K;
	expect_op_err(s.vm, op, EINVAL);
	op = null_op(va_base, SZ_64K);
	op.flags |= NOVA_VM_BIND_OP_READ_ONLY;
	expect_op_err(s.vm, op, EINVAL);
	op = unmap_op(va_base, SZ_64K);
	op.flags = NOVA_VM_BIND_OP_NULL;
	expect_op_err(s.vm, op, EINVAL);
	expect_op_err(s.vm, null_op(va_base + 1, SZ_64K), EINVAL);
	expect_op_err(s.vm, null_op(va_base, 0), EINVAL);
	expect_op_err(s.vm, null_op(va_end, SZ_4K), EINVAL);
	/* a bad op later in the array fails the whole call */
	{
		struct drm_nova_vm_bind_op ops[2] = {
			null_op(va_base, SZ_64K), null_op(va_base, SZ_64K),
		};

		ops[1].handle = s.bo;
		igt_assert_eq(__nova_vm_bind(fd, s.vm, 0, ops, 2, NULL, 0), -EINVAL);
		assert_null_state(s.vm, 0, 0, 0);
	}
	teardown(&s);
}

/*
 * NULL ops mixed with backed ones in one array, synchronous and queued:
 * applied in order, one TLB flush per bind.
 */
static void test_null_mixed(bool async)
{
	struct vm_bo s;
	uint32_t out = syncobj_create(fd, 0);
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = out,
	};
	struct drm_nova_vm_bind_op ops[4];
	uint64_t inv;
	void *p;

	nova_require_gpu_view(fd);
	s = setup(4 * SZ_64K);
	p = nova_gem_mmap(fd, s.bo, s.size);
	fill_pattern(p, s.size, 0x5be0cd19);
	ops[0] = null_op(va_base, NULL_4M);
	ops[1] = map_op(s.bo, 0, va_base + SZ_1M, s.size);
	ops[2] = unmap_op(va_base + SZ_2M, SZ_64K);
	ops[3] = null_op(va_base + SZ_1M + SZ_64K, SZ_4K);
	inv = nova_sim_counter(fd, "tlb_invalidates");
	igt_assert_eq(__nova_vm_bind(fd, s.vm, async ? NOVA_VM_BIND_ASYNC : 0, ops, 4,
				     async ? &sync : NULL, async), 0);
	if (async)
		igt_assert(syncobj_wait(fd, &out, 1, INT64_MAX,
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	igt_assert_eq_u64(nova_sim_counter(fd, "tlb_invalidates"), inv + 1);
	/* NULL [0, 1M), bo [1M, 1M+64K), NULL 4K, bo, NULL, hole at 2M, NULL */
	assert_null_state(s.vm, 6, NULL_4M - SZ_64K, NULL_4M - SZ_64K - s.size + SZ_4K);
	gpu_check_null(s.vm, va_base + SZ_1M - SZ_4K, SZ_4K);
	gpu_check(s.vm, va_base + SZ_1M, 0, SZ_64K, 0x5be0cd19);
	gpu_check_null(s.vm, va_base + SZ_1M + SZ_64K, SZ_4K);
	gpu_check(s.vm, va_base + SZ_1M + SZ_64K + SZ_4K, SZ_64K + SZ_4K,
		  s.size - SZ_64K - SZ_4K, 0x5be0cd19);
	gpu_check_fault(s.vm, va_base + SZ_2M, SZ_4K);
	gpu_check_null(s.vm, va_base + SZ_2M + SZ_64K, SZ_4K);
	igt_assert_eq(munmap(p, s.size), 0);
	syncobj_destroy(fd, out);
	teardown(&s);
}

/* Destroying a VM with NULL ranges frees all its page tables. */
static void test_null_vm_destroy(void)
{
	uint64_t used0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED), used;
	uint32_t vm;

	igt_require(va_base + NULL_1G + NULL_4M <= va_end);
	vm = nova_vm_create(fd);
	nova_vm_bind_null(vm, va_base + SZ_4K, NULL_4M);
	nova_vm_bind_null(vm, ALIGN(va_base, NULL_1G) + NULL_1G, NULL_1G);
	nova_vm_unmap(fd, vm, va_base + SZ_2M, SZ_4K);
	igt_assert_lt_u64(used0, nova_get_param(fd, NOVA_GETPARAM_VRAM_USED));
	nova_vm_destroy(fd, vm);
	used = nova_wait_vram_used_le(fd, used0, NOVA_SETTLE_MS);
	igt_assert_eq_u64(used, used0);
}

igt_main
{
	igt_fixture {
		fd = drm_open_nova_render();
		va_start = nova_get_param(fd, NOVA_GETPARAM_VA_START);
		va_end = nova_get_param(fd, NOVA_GETPARAM_VA_END);
		va_base = ALIGN(va_start, SZ_2M);
	}

	igt_describe("Create VMs, check their ids and state, destroy them.");
	igt_subtest("vm-create-destroy")
		test_vm_create_destroy();

	igt_describe("Dumping every VM through debugfs races safely with "
		     "VM_DESTROY.");
	igt_subtest("debugfs-vms-race")
		test_debugfs_vms_race();

	igt_describe("VM_CREATE with any flag fails with EINVAL.");
	igt_subtest("vm-create-invalid-flags")
		test_vm_create_flags();

	igt_describe("Destroying a VM with mappings unmaps them all with one TLB "
		     "invalidation; the GPU no longer translates them.");
	igt_subtest("vm-destroy-mapped")
		test_vm_destroy_mapped();

	igt_describe("VM_DESTROY of unknown ids fails with ENOENT, non-zero pad with EINVAL.");
	igt_subtest("vm-destroy-invalid")
		test_vm_destroy_invalid();

	igt_describe("VM ids are per file.");
	igt_subtest("vm-per-file")
		test_vm_per_file();

	igt_describe("MAX_VMS VMs can be created and no more.");
	igt_subtest("vm-max")
		test_max_vms();

	igt_describe("Map an object, check the state, unmap it.");
	igt_subtest("bind-once")
		test_bind_once();

	igt_describe("A read-only map.");
	igt_subtest("bind-read-only")
		test_bind_read_only();

	igt_describe("2 MiB-aligned maps and a map at an offset into the object.");
	igt_subtest("bind-2m")
		test_bind_2m();

	igt_describe("Several maps in one call, one per page.");
	igt_subtest("bind-many-ops")
		test_bind_offsets();

	igt_describe("Operations of one call apply in order.");
	igt_subtest("bind-ops-in-order")
		test_ops_in_order();

	igt_describe("A map replaces what was mapped in its range.");
	igt_subtest("map-replace")
		test_map_replace();

	igt_describe("Unmap the front of a mapping.");
	igt_subtest("unmap-front")
		test_unmap_front();

	igt_describe("Unmap the end of a mapping.");
	igt_subtest("unmap-end")
		test_unmap_end();

	igt_describe("Unmap the middle of a mapping, splitting it in two.");
	igt_subtest("unmap-middle")
		test_unmap_middle();

	igt_describe("One unmap across two mappings and a hole.");
	igt_subtest("unmap-across")
		test_unmap_across();

	igt_describe("Unmapping a range with nothing mapped succeeds.");
	igt_subtest("unmap-hole")
		test_unmap_hole();

	igt_describe("Unknown operations fail with EINVAL.");
	igt_subtest("invalid-op")
		test_invalid_op();

	igt_describe("Unknown op and bind flags fail with EINVAL.");
	igt_subtest("invalid-flags")
		test_invalid_flags();

	igt_describe("Non-zero pad, or handle/bo_offset on UNMAP, fail with EINVAL.");
	igt_subtest("invalid-pad")
		test_invalid_pad();

	igt_describe("Misaligned va, range or bo_offset fail with EINVAL.");
	igt_subtest("invalid-alignment")
		test_invalid_alignment();

	igt_describe("A zero range fails with EINVAL.");
	igt_subtest("invalid-range-zero")
		test_invalid_range_zero();

	igt_describe("va + range or bo_offset + range overflowing fails with EINVAL.");
	igt_subtest("invalid-overflow")
		test_invalid_overflow();

	igt_describe("Ranges outside [VA_START, VA_END) fail with EINVAL.");
	igt_subtest("invalid-va-range")
		test_invalid_va_range();

	igt_describe("Maps outside the object fail with EINVAL.");
	igt_subtest("invalid-bo-range")
		test_invalid_bo_range();

	igt_describe("Maps of unknown handles fail with ENOENT.");
	igt_subtest("invalid-handle")
		test_invalid_handle();

	igt_describe("Binds and state queries of unknown VMs fail with ENOENT.");
	igt_subtest("invalid-vm")
		test_invalid_vm();

	igt_describe("Syncs on a synchronous bind fail with EINVAL.");
	igt_subtest("invalid-sync-on-sync-bind")
		test_invalid_sync_on_sync_bind();

	igt_describe("More than MAX_BIND_OPS operations fail with EINVAL.");
	igt_subtest("invalid-too-many-ops")
		test_invalid_too_many_ops();

	igt_describe("A call that fails changes nothing, whichever op fails.");
	igt_subtest("failed-bind-changes-nothing")
		test_failed_bind_changes_nothing();

	igt_describe("Longer op elements: zero tails accepted, non-zero rejected.");
	igt_subtest("ops-stride")
		test_ops_stride();

	igt_describe("A bad ops pointer fails with EFAULT.");
	igt_subtest("ops-efault")
		test_ops_efault();

	igt_describe("VM_GET_STATE: a new VM is empty and usable; counts follow maps.");
	igt_subtest("get-state")
		test_get_state();

	igt_describe("Page tables are reported and within VRAM.");
	igt_subtest("pt-bytes")
		test_pt_bytes();

	igt_describe("Destroying a VM with mappings frees their VRAM.");
	igt_subtest("destroy-with-mappings")
		test_destroy_with_mappings();

	igt_describe("An object closed while bound lives until unmapped.");
	igt_subtest("close-bo-while-bound")
		test_close_bo_while_bound();

	igt_describe("Async map and unmap signal a binary syncobj.");
	igt_subtest("async-binary")
		test_async_binary();

	igt_describe("Async binds signal timeline points, in order.");
	igt_subtest("async-timeline")
		test_async_timeline();

	igt_describe("An async bind waits for its in-fence.");
	igt_subtest("async-wait-fence")
		test_async_wait_fence();

	igt_describe("Malformed syncs fail with EINVAL, unknown syncobjs with ENOENT.");
	igt_subtest("async-invalid-syncs")
		test_async_invalid_syncs();

	igt_describe("An UNMAP of the whole VA space costs what is mapped: no page-table "
		     "write in an empty VM, a handful with one page mapped.");
	igt_subtest("unmap-whole-va")
		test_unmap_whole_va();

	igt_describe("Data written through the CPU mapping is what the GPU reads at the bound VA.");
	igt_subtest("gpu-view-after-bind")
		test_gpu_view_after_bind();

	igt_describe("Data the GPU writes at a bound VA is what the CPU mapping reads.");
	igt_subtest("gpu-write-cpu-read")
		test_gpu_write_cpu_read();

	igt_describe("After an unbind, GPU accesses at the VA fault and are reported "
		     "by VM_GET_STATE in order; CLEAR_FAULTS forgets only the faults it "
		     "copied out.");
	igt_subtest("gpu-fault-after-unbind")
		test_gpu_fault_after_unbind();

	igt_describe("A 4 KiB unbind inside a 2 MiB map: the hole faults, the rest reads right.");
	igt_subtest("gpu-view-partial-unbind")
		test_gpu_view_partial_unbind();

	igt_describe("GPU writes to a read-only map fault and change nothing.");
	igt_subtest("gpu-view-read-only")
		test_gpu_view_read_only();

	igt_describe("A map over the middle of another: the GPU sees the new object there only.");
	igt_subtest("gpu-view-map-replace")
		test_gpu_view_map_replace();

	igt_describe("Aligned maps use 2 MiB GPU pages; misaligned ones read right too.");
	igt_subtest("gpu-view-huge")
		test_gpu_view_huge();

	igt_describe("A NULL map reads zeroes and drops writes on the GPU's engine "
		     "path, without a fault; beside it, accesses fault.");
	igt_subtest("null-read-write")
		test_null_read_write();

	igt_describe("Unmap the front of a NULL range: that part faults, the rest is NULL.");
	igt_subtest("null-unmap-front")
		null_partial_unmap(0, SZ_64K + SZ_4K);

	igt_describe("Unmap the middle of a NULL range: a hole between two NULL mappings.");
	igt_subtest("null-unmap-middle")
		null_partial_unmap(SZ_2M - SZ_4K, SZ_64K);

	igt_describe("Unmap the end of a NULL range.");
	igt_subtest("null-unmap-end")
		null_partial_unmap(SZ_2M + SZ_4K, SZ_2M - SZ_4K);

	igt_describe("A backed map over a NULL range shows the object; unmapped, "
		     "the range faults and the rest stays NULL.");
	igt_subtest("null-map-over")
		test_null_map_over();

	igt_describe("A NULL map over a backed one: zeroes on the GPU there, the "
		     "object intact and its CPU mapping working.");
	igt_subtest("null-over-backed")
		test_null_over_backed();

	igt_describe("A 1 TiB NULL map costs a few KiB of page tables.");
	igt_subtest("null-1t")
		test_null_1t();

	igt_describe("NULL with a handle, an offset, READ_ONLY or on UNMAP fails "
		     "with EINVAL and changes nothing.");
	igt_subtest("null-invalid")
		test_null_invalid();

	igt_describe("NULL and backed ops mixed in one synchronous bind, one TLB flush.");
	igt_subtest("null-mixed-sync")
		test_null_mixed(false);

	igt_describe("NULL and backed ops mixed in one queued bind, one TLB flush.");
	igt_subtest("null-mixed-async")
		test_null_mixed(true);

	igt_describe("Destroying a VM with NULL ranges frees its page tables.");
	igt_subtest("null-vm-destroy")
		test_null_vm_destroy();

	igt_fixture
		drm_close_driver(fd);
}
