// SPDX-License-Identifier: MIT
/*
 * nova_sync - asynchronous VM_BIND: ordering, wait and signal syncobjs.
 */
#include <linux/sync_file.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "igt.h"
#include "igt_syncobj.h"
#include "sw_sync.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check nova's asynchronous binds: submission order, "
		     "in-fences from syncobjs, out-fences on binary and "
		     "timeline syncobjs, and their argument checks, through "
		     "the GPU's own view of the VM.");

#define NSEC_PER_SEC 1000000000ll
#define NPAGES 16
#define NBOS 4

static int fd = -1;
static uint64_t va_base;

static uint32_t pattern(uint64_t i, uint32_t seed)
{
	return (uint32_t)(i * 2654435761u) ^ seed;
}

static uint32_t bo_seed(unsigned int i)
{
	return 0x9e3779b9u * (i + 1);
}

static int64_t abs_timeout(int64_t ns)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * NSEC_PER_SEC + now.tv_nsec + ns;
}

/* @n objects of @size bytes, object i filled with pattern bo_seed(i). */
static void create_bos(uint32_t *bos, unsigned int n, uint64_t size)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t *p;

		bos[i] = nova_gem_create(fd, size);
		p = nova_gem_mmap(fd, bos[i], size);
		for (uint64_t w = 0; w < size / 4; w++)
			p[w] = pattern(w, bo_seed(i));
		igt_assert_eq(munmap(p, size), 0);
	}
}

static void close_bos(uint32_t *bos, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		gem_close(fd, bos[i]);
}

/* The GPU reads page @pg at @va as page @pg of object @bo (pattern bo_seed(bo)). */
static void gpu_check_page(uint32_t vm, uint64_t va, unsigned int pg, int bo)
{
	uint32_t buf[SZ_4K / 4];
	int err = nova_gpu_read(fd, vm, va, buf, sizeof(buf));

	igt_assert_f(err == 0, "GPU read of page %u at 0x%llx: %d, expected object %d\n",
		     pg, (unsigned long long)va, err, bo);
	for (unsigned int w = 0; w < SZ_4K / 4; w++) {
		uint32_t expect = pattern(pg * SZ_4K / 4 + w, bo_seed(bo));

		igt_assert_f(buf[w] == expect,
			     "GPU page %u word %u: 0x%08x, expected 0x%08x (object %d)\n",
			     pg, w, buf[w], expect, bo);
	}
}

/* A GPU read at @va faults, and one more fault is counted. */
static void gpu_check_fault(uint32_t vm, uint64_t va)
{
	uint64_t faults = nova_sim_fault_count(fd);
	uint32_t w;
	int err = nova_gpu_read(fd, vm, va, &w, sizeof(w));

	igt_assert_f(err == -EFAULT, "GPU read at 0x%llx: %d, expected a fault\n",
		     (unsigned long long)va, err);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults + 1);
}

static struct drm_nova_vm_bind_op map_op(uint32_t handle, uint64_t bo_offset,
					 uint64_t va, uint64_t range)
{
	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP, .handle = handle,
		.bo_offset = bo_offset, .va = va, .range = range,
	};
}

static struct drm_nova_vm_bind_op unmap_op(uint64_t va, uint64_t range)
{
	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_UNMAP, .va = va, .range = range,
	};
}

static void async_bind(uint32_t vm, struct drm_nova_vm_bind_op op,
		       struct drm_nova_sync *syncs, uint32_t nsyncs)
{
	igt_assert_eq(__nova_vm_bind(fd, vm, NOVA_VM_BIND_ASYNC, &op, 1, syncs, nsyncs), 0);
}

static void wait_binary(uint32_t so)
{
	igt_assert(syncobj_wait(fd, &so, 1, abs_timeout(10 * NSEC_PER_SEC),
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
}

static bool signalled_within(uint32_t so, int64_t ns)
{
	return syncobj_wait(fd, &so, 1, abs_timeout(ns),
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
}

/* The status of the fence in binary syncobj @so: 1 signalled, 0 not, <0 error. */
static int fence_status(uint32_t so)
{
	struct sync_file_info info = { };
	int sf = syncobj_handle_to_fd(fd, so, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);

	igt_assert_lte(0, sf);
	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	close(sf);
	return info.status;
}

static void assert_vm_ok(uint32_t vm)
{
	struct drm_nova_vm_get_state st = nova_vm_get_state(fd, vm);

	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
}

/*
 * Many async binds of random ranges of a 16-page window to random objects
 * (and unmaps), one out-fence on the last: the GPU then sees, page by page,
 * what the last op covering it mapped.
 */
static void test_queue_order(void)
{
	uint32_t bos[NBOS], vm, out;
	int model[NPAGES];
	unsigned int seed = 0x5eed;

	nova_require_gpu_view(fd);
	create_bos(bos, NBOS, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	out = syncobj_create(fd, 0);
	for (unsigned int pg = 0; pg < NPAGES; pg++)
		model[pg] = -1;

	for (unsigned int round = 0; round < 4; round++) {
		for (unsigned int i = 0; i < 64; i++) {
			unsigned int a = rand_r(&seed) % NPAGES;
			unsigned int n = 1 + rand_r(&seed) % (NPAGES - a);
			int bo = rand_r(&seed) % (NBOS + 1) - 1;	/* -1: unmap */
			struct drm_nova_sync sync = {
				.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				.handle = out,
			};
			struct drm_nova_vm_bind_op op;

			if (i == 63 && bo < 0)
				bo = 0;
			op = bo < 0 ? unmap_op(va_base + a * SZ_4K, n * SZ_4K) :
				map_op(bos[bo], a * SZ_4K, va_base + a * SZ_4K, n * SZ_4K);
			async_bind(vm, op, &sync, i == 63);
			for (unsigned int pg = a; pg < a + n; pg++)
				model[pg] = bo;
		}
		wait_binary(out);
		igt_assert_eq(fence_status(out), 1);
		syncobj_reset(fd, &out, 1);
		assert_vm_ok(vm);

		for (unsigned int pg = 0; pg < NPAGES; pg++) {
			if (model[pg] < 0)
				gpu_check_fault(vm, va_base + pg * SZ_4K);
			else
				gpu_check_page(vm, va_base + pg * SZ_4K, pg, model[pg]);
		}
	}

	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	close_bos(bos, NBOS);
}

/*
 * A bind that waits for a sw_sync fence does not happen before the fence
 * signals: the GPU faults at its VA until then, and reads the object after.
 */
static void test_wait_sw_sync(void)
{
	uint32_t bo, vm, in, out;
	struct drm_nova_sync syncs[2];
	int timeline, fence;

	nova_require_gpu_view(fd);
	igt_require_sw_sync();
	create_bos(&bo, 1, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	in = syncobj_create(fd, 0);
	out = syncobj_create(fd, 0);
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	syncobj_import_sync_file(fd, in, fence);
	close(fence);

	syncs[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = in };
	syncs[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					   .handle = out };
	async_bind(vm, map_op(bo, 0, va_base, NPAGES * SZ_4K), syncs, 2);

	/* not before the fence: the out-fence waits, the GPU faults */
	igt_assert(!signalled_within(out, NSEC_PER_SEC / 5));
	gpu_check_fault(vm, va_base);
	gpu_check_fault(vm, va_base + (NPAGES - 1) * SZ_4K);
	igt_assert_eq(fence_status(out), 0);

	sw_sync_timeline_inc(timeline, 1);
	wait_binary(out);
	igt_assert_eq(fence_status(out), 1);
	gpu_check_page(vm, va_base, 0, 0);
	gpu_check_page(vm, va_base + (NPAGES - 1) * SZ_4K, NPAGES - 1, 0);
	assert_vm_ok(vm);

	close(timeline);
	syncobj_destroy(fd, in);
	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/*
 * Binds of a VM run in submission order: one that waits for nothing
 * does not overtake an earlier one blocked on a fence.
 */
static void test_order_behind_fence(void)
{
	uint32_t bos[2], vm, in, out;
	struct drm_nova_sync wait, signal;
	int timeline, fence;

	nova_require_gpu_view(fd);
	igt_require_sw_sync();
	create_bos(bos, 2, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	in = syncobj_create(fd, 0);
	out = syncobj_create(fd, 0);
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	syncobj_import_sync_file(fd, in, fence);
	close(fence);

	wait = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = in };
	signal = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					 .handle = out };
	async_bind(vm, map_op(bos[0], 0, va_base, NPAGES * SZ_4K), &wait, 1);
	async_bind(vm, map_op(bos[1], 0, va_base, NPAGES * SZ_4K), &signal, 1);

	igt_assert(!signalled_within(out, NSEC_PER_SEC / 5));
	gpu_check_fault(vm, va_base);

	sw_sync_timeline_inc(timeline, 1);
	wait_binary(out);
	/* the second, last submitted, wins */
	gpu_check_page(vm, va_base, 0, 1);
	gpu_check_page(vm, va_base + 5 * SZ_4K, 5, 1);
	assert_vm_ok(vm);

	close(timeline);
	syncobj_destroy(fd, in);
	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	close_bos(bos, 2);
}

/* Timeline points signalled by successive binds complete in increasing order. */
static void test_timeline_points(void)
{
	const unsigned int n = 32;
	uint32_t bo, vm, tl;
	uint64_t point, last = 0;

	create_bos(&bo, 1, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	tl = syncobj_create(fd, 0);

	for (unsigned int i = 1; i <= n; i++) {
		struct drm_nova_sync sync = {
			.flags = NOVA_SYNC_TIMELINE_SYNCOBJ | NOVA_SYNC_SIGNAL,
			.handle = tl,
			.timeline_value = i,
		};
		unsigned int pg = i % NPAGES;

		async_bind(vm, (i & 1) ? map_op(bo, pg * SZ_4K, va_base + pg * SZ_4K, SZ_4K) :
					 unmap_op(va_base + pg * SZ_4K, SZ_4K), &sync, 1);

		/* the timeline's value never goes backwards */
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_lte_u64(last, point);
		igt_assert_lte_u64(point, i);
		last = point;
	}

	/* each point signals, and with it every earlier one */
	for (uint64_t i = 1; i <= n; i++) {
		point = i;
		igt_assert(syncobj_timeline_wait(fd, &tl, &point, 1,
						 abs_timeout(10 * NSEC_PER_SEC),
						 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
		syncobj_timeline_query(fd, &tl, &point, 1);
		igt_assert_lte_u64(i, point);
		igt_assert_lte_u64(last, point);
		last = point;
	}
	igt_assert_eq_u64(last, n);
	assert_vm_ok(vm);

	syncobj_destroy(fd, tl);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/* Waiting on syncobjs that are already signalled does not hold the bind up. */
static void test_wait_signalled(void)
{
	uint32_t bo, vm, bin, tl, out;
	uint64_t point = 3;
	struct drm_nova_sync syncs[3];

	nova_require_gpu_view(fd);
	create_bos(&bo, 1, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	bin = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	tl = syncobj_create(fd, 0);
	syncobj_timeline_signal(fd, &tl, &point, 1);
	out = syncobj_create(fd, 0);

	syncs[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = bin };
	syncs[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_TIMELINE_SYNCOBJ,
					   .handle = tl, .timeline_value = 2 };
	syncs[2] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					   .handle = out };
	async_bind(vm, map_op(bo, 0, va_base, NPAGES * SZ_4K), syncs, 3);
	igt_assert(signalled_within(out, 5 * NSEC_PER_SEC));
	igt_assert_eq(fence_status(out), 1);
	gpu_check_page(vm, va_base + 7 * SZ_4K, 7, 0);
	assert_vm_ok(vm);

	/* the same syncobjs can be waited on again */
	syncobj_reset(fd, &out, 1);
	async_bind(vm, unmap_op(va_base, NPAGES * SZ_4K), syncs, 3);
	igt_assert(signalled_within(out, 5 * NSEC_PER_SEC));
	gpu_check_fault(vm, va_base + 7 * SZ_4K);
	assert_vm_ok(vm);

	syncobj_destroy(fd, bin);
	syncobj_destroy(fd, tl);
	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

static void expect_sync_err(uint32_t vm, uint32_t bo, uint32_t flags,
			    struct drm_nova_sync *syncs, uint32_t nsyncs, int err)
{
	struct drm_nova_vm_bind_op op = map_op(bo, 0, va_base, SZ_4K);
	struct drm_nova_vm_get_state st;

	igt_assert_eq(__nova_vm_bind(fd, vm, flags, &op, 1, syncs, nsyncs), -err);
	/* a failed call changes nothing */
	st = nova_vm_get_state(fd, vm);
	igt_assert_eq_u32(st.num_mappings, 0);
	igt_assert_eq_u64(st.mapped_bytes, 0);
}

static void test_invalid_syncs(void)
{
	uint32_t bo = nova_gem_create(fd, SZ_4K);
	uint32_t vm = nova_vm_create(fd);
	uint32_t so = syncobj_create(fd, 0);
	uint32_t sig = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_nova_sync s[2];
	struct drm_nova_vm_bind bind;

	/* unknown types, all of them */
	for (uint32_t type = 2; type <= NOVA_SYNC_TYPE_MASK; type++) {
		s[0] = (struct drm_nova_sync){ .flags = type | NOVA_SYNC_SIGNAL, .handle = so };
		expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, EINVAL);
		s[0].flags = type;
		s[0].handle = sig;
		expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, EINVAL);
	}
	/* unknown flag bits */
	for (unsigned int bit = 8; bit < 31; bit++) {
		s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SIGNAL | (1u << bit),
					       .handle = so };
		expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, EINVAL);
	}
	/* a binary syncobj with a timeline value, to signal or to wait */
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = so, .timeline_value = 1 };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, EINVAL);
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = sig,
				       .timeline_value = 1 };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, EINVAL);
	/* unknown syncobjs, to signal or to wait, also after a valid one */
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = 0xdeadbeef };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, ENOENT);
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = 0xdeadbeef };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, ENOENT);
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_TIMELINE_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = 0, .timeline_value = 1 };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 1, ENOENT);
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = so };
	s[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = 0xdeadbeef };
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC, s, 2, ENOENT);
	/* the failed call did not touch the valid syncobj */
	igt_assert(!signalled_within(so, 0));

	/* syncs on a synchronous bind */
	s[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = so };
	expect_sync_err(vm, bo, 0, s, 1, EINVAL);
	/* unknown bind flags */
	expect_sync_err(vm, bo, NOVA_VM_BIND_ASYNC | 2, s, 1, EINVAL);

	/* a zero stride, and a stride with non-zero bytes past the kernel's */
	bind = (struct drm_nova_vm_bind){
		.vm_id = vm, .flags = NOVA_VM_BIND_ASYNC,
		.ops = { .stride = sizeof(struct drm_nova_vm_bind_op), .count = 1 },
		.syncs = { .stride = 0, .count = 1, .array = to_user_pointer(s) },
	};
	{
		struct drm_nova_vm_bind_op op = map_op(bo, 0, va_base, SZ_4K);
		uint64_t big[4] = { };

		bind.ops.array = to_user_pointer(&op);
		do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EINVAL);
		memcpy(big, &s[0], sizeof(s[0]));
		big[3] = 1;
		bind.syncs.stride = sizeof(big);
		bind.syncs.array = to_user_pointer(big);
		do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EINVAL);
		/* a bad pointer */
		bind.syncs.stride = sizeof(s[0]);
		bind.syncs.array = 8;
		do_ioctl_err(fd, DRM_IOCTL_NOVA_VM_BIND, &bind, EFAULT);
	}
	igt_assert(!signalled_within(so, 0));
	assert_vm_ok(vm);

	syncobj_destroy(fd, so);
	syncobj_destroy(fd, sig);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/* An async bind's out-fence signals without error; the VM records none. */
static void test_out_fence(void)
{
	uint32_t bos[2], vm, out, tl;
	uint64_t point = 1;
	struct drm_nova_sync syncs[2];
	struct drm_nova_vm_get_state st;

	create_bos(bos, 2, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	out = syncobj_create(fd, 0);
	tl = syncobj_create(fd, 0);
	syncs[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					   .handle = out };
	syncs[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_TIMELINE_SYNCOBJ |
					   NOVA_SYNC_SIGNAL, .handle = tl, .timeline_value = 1 };

	/* several ops in one call, both kinds of out-fence */
	{
		struct drm_nova_vm_bind_op ops[3] = {
			map_op(bos[0], 0, va_base, NPAGES * SZ_4K),
			map_op(bos[1], 0, va_base + SZ_2M, NPAGES * SZ_4K),
			unmap_op(va_base + SZ_4K, SZ_4K),
		};

		igt_assert_eq(__nova_vm_bind(fd, vm, NOVA_VM_BIND_ASYNC, ops, 3, syncs, 2), 0);
	}
	wait_binary(out);
	igt_assert(syncobj_timeline_wait(fd, &tl, &point, 1, abs_timeout(10 * NSEC_PER_SEC),
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL));
	igt_assert_eq(fence_status(out), 1);

	st = nova_vm_get_state(fd, vm);
	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_eq_u32(st.num_mappings, 3);
	igt_assert_eq_u64(st.mapped_bytes, 2 * NPAGES * SZ_4K - SZ_4K);

	syncobj_destroy(fd, out);
	syncobj_destroy(fd, tl);
	nova_vm_destroy(fd, vm);
	close_bos(bos, 2);
}

/*
 * Failing binds: the GPU's nova-sim debugfs file tlb_delay_us set beyond
 * nova's 2 s TLB invalidation timeout makes this GPU miss every
 * invalidation, the one way a bind can fail after its ioctl succeeded.
 * The other GPUs are not affected.
 */
#define TLB_STALL_US 3000000

static char tlb_delay_path[PATH_MAX];
static long long saved_tlb_delay = -2;

static void write_tlb_delay(long long us)
{
	FILE *f = fopen(tlb_delay_path, "w");

	igt_assert_f(f, "%s: %m\n", tlb_delay_path);
	fprintf(f, "%lld\n", us);
	igt_assert_eq(fclose(f), 0);
}

static void restore_tlb_delay(int sig)
{
	if (saved_tlb_delay >= -1)
		write_tlb_delay(saved_tlb_delay);
}

static void stall_tlb(void)
{
	FILE *f;

	nova_sim_path(fd, "tlb_delay_us", tlb_delay_path, sizeof(tlb_delay_path));
	/* nova reports the invalidations that time out, as it should */
	igt_emit_ignore_dmesg_regex("TLB invalidation of PDB 0x[0-9a-f]+ timed out");
	igt_require_f(access(tlb_delay_path, W_OK) == 0, "%s: %m (not root?)\n",
		      tlb_delay_path);
	if (saved_tlb_delay < -1) {
		f = fopen(tlb_delay_path, "r");
		igt_assert(f);
		igt_assert_eq(fscanf(f, "%lld", &saved_tlb_delay), 1);
		fclose(f);
		igt_install_exit_handler(restore_tlb_delay);
	}
	write_tlb_delay(TLB_STALL_US);
}

static void unstall_tlb(void)
{
	write_tlb_delay(saved_tlb_delay);
}

/* After a failed bind: unusable, @err recorded, maps refused, unmaps work. */
static void check_failed_vm(uint32_t vm, uint32_t bo, int err, uint32_t mappings)
{
	struct drm_nova_vm_get_state st = nova_vm_get_state(fd, vm);

	igt_assert_eq_u32(st.state, NOVA_VM_STATE_UNUSABLE);
	igt_assert_eq(st.bind_error, err);
	igt_assert_eq_u32(st.num_mappings, mappings);

	igt_assert_eq(__nova_vm_map(fd, vm, bo, 0, va_base + SZ_2M, SZ_4K, 0), -ECANCELED);
	st = nova_vm_get_state(fd, vm);
	igt_assert_eq_u32(st.num_mappings, mappings);

	nova_vm_unmap(fd, vm, va_base, SZ_64K);
	st = nova_vm_get_state(fd, vm);
	igt_assert_eq_u32(st.num_mappings, 0);
	igt_assert_eq(st.bind_error, err);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_UNUSABLE);
}

static void test_bind_error_async(void)
{
	uint32_t bo = nova_gem_create(fd, SZ_64K), vm = nova_vm_create(fd);
	uint32_t out = syncobj_create(fd, 0), after = syncobj_create(fd, 0);
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_UNMAP, .va = va_base, .range = SZ_4K,
	};
	struct drm_nova_sync sync = { .flags = NOVA_SYNC_SIGNAL, .handle = out };

	nova_vm_map(fd, vm, bo, 0, va_base, SZ_64K);
	stall_tlb();
	igt_assert_eq(__nova_vm_bind(fd, vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	/* queued behind the failing one: still runs, also fails to flush */
	op.va = va_base + SZ_4K;
	sync.handle = after;
	igt_assert_eq(__nova_vm_bind(fd, vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	igt_assert(signalled_within(out, 20 * NSEC_PER_SEC));
	igt_assert(signalled_within(after, 20 * NSEC_PER_SEC));
	unstall_tlb();

	igt_assert_eq(fence_status(out), -ETIMEDOUT);
	igt_assert_eq(fence_status(after), -ETIMEDOUT);
	check_failed_vm(vm, bo, -ETIMEDOUT, 1);

	syncobj_destroy(fd, out);
	syncobj_destroy(fd, after);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

static void test_bind_error_sync(void)
{
	uint32_t bo = nova_gem_create(fd, SZ_64K), vm = nova_vm_create(fd);
	int ret;

	stall_tlb();
	ret = __nova_vm_map(fd, vm, bo, 0, va_base, SZ_64K, 0);
	unstall_tlb();
	igt_assert_eq(ret, -ETIMEDOUT);
	check_failed_vm(vm, bo, -ETIMEDOUT, 1);

	/* another VM of the same file is not affected */
	{
		uint32_t vm2 = nova_vm_create(fd);

		nova_vm_map(fd, vm2, bo, 0, va_base, SZ_64K);
		assert_vm_ok(vm2);
		nova_vm_destroy(fd, vm2);
	}
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/* A bind of @vm waiting for a sw_sync fence that nobody will signal. */
static uint32_t blocked_bind(uint32_t vm, uint32_t bo, int *timeline)
{
	struct drm_nova_sync syncs[2];
	uint32_t in = syncobj_create(fd, 0), out = syncobj_create(fd, 0);
	int fence;

	*timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(*timeline, 1);
	syncobj_import_sync_file(fd, in, fence);
	close(fence);
	syncs[0] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = in };
	syncs[1] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
					   .handle = out };
	async_bind(vm, map_op(bo, 0, va_base, NPAGES * SZ_4K), syncs, 2);
	syncobj_destroy(fd, in);
	return out;
}

/*
 * VM_DESTROY does not wait for the in-fences of the binds still queued:
 * it cancels them, their out-fences signal with -ESRCH, and what they
 * held is released, all before the in-fence ever signals.
 */
static void test_destroy_cancels_blocked(void)
{
	uint64_t used0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint32_t bo, vm, out[3];
	int timeline[3];

	igt_require_sw_sync();
	create_bos(&bo, 1, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	for (unsigned int i = 0; i < 3; i++)
		out[i] = blocked_bind(vm, bo, &timeline[i]);
	igt_assert_eq(fence_status(out[0]), 0);
	nova_vm_destroy(fd, vm);
	for (unsigned int i = 0; i < 3; i++) {
		wait_binary(out[i]);
		igt_assert_eq(fence_status(out[i]), -ESRCH);
		syncobj_destroy(fd, out[i]);
	}
	gem_close(fd, bo);
	igt_assert_eq_u64(nova_wait_vram_used_le(fd, used0, NOVA_SETTLE_MS), used0);
	for (unsigned int i = 0; i < 3; i++)
		close(timeline[i]);
}

/*
 * fdinfo's drm-active-vram counts an object while a bind of it is queued
 * (its reservation holds the bind's unsignalled fence), and no longer once
 * the bind has run.
 */
static void test_fdinfo_active(void)
{
	const uint64_t size = NPAGES * SZ_4K;
	long long active0, active;
	uint32_t bo, vm, out;
	int timeline;

	igt_require_sw_sync();
	active0 = nova_fdinfo_bytes(fd, "drm-active-vram");
	igt_assert_f(active0 >= 0, "no drm-active-vram in fdinfo\n");
	create_bos(&bo, 1, size);
	vm = nova_vm_create(fd);
	igt_assert_eq(nova_fdinfo_bytes(fd, "drm-active-vram"), active0);

	out = blocked_bind(vm, bo, &timeline);
	active = nova_fdinfo_bytes(fd, "drm-active-vram");
	igt_info("drm-active-vram: %lld bytes idle, %lld with a bind queued\n",
		 active0, active);
	igt_assert_eq(active - active0, size);

	sw_sync_timeline_inc(timeline, 1);
	wait_binary(out);
	igt_assert_eq(fence_status(out), 1);
	/* The job's fence signals with the bind; the reservation sees it. */
	for (uint64_t t0 = nova_time_ms();;) {
		active = nova_fdinfo_bytes(fd, "drm-active-vram");
		if (active == active0 || nova_time_ms() - t0 > NOVA_SETTLE_MS)
			break;
		usleep(10000);
	}
	igt_assert_eq(active, active0);

	syncobj_destroy(fd, out);
	close(timeline);
	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/* One synchronous 4 KiB map + unmap in @vm. */
static void bind_unbind(uint32_t vm, uint32_t bo)
{
	struct drm_nova_vm_bind_op op = map_op(bo, 0, va_base, SZ_4K);

	igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), 0);
	op = unmap_op(va_base, SZ_4K);
	igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), 0);
}

/*
 * fdinfo's drm-engine-bind (ns the file's binds spent executing) grows
 * with binds, counts every VM of the file, keeps counting after a VM is
 * destroyed and belongs to the file alone. The clock may be coarse under
 * an emulator, so the test binds until the value moves (bounded).
 */
static void test_fdinfo_engine(void)
{
	long long t0, t, other0;
	unsigned int i;
	uint32_t bo, vm;
	int fd2;

	fd2 = drm_open_nova_render();
	t0 = nova_fdinfo_bytes(fd, "drm-engine-bind");
	other0 = nova_fdinfo_bytes(fd2, "drm-engine-bind");
	igt_assert_f(t0 >= 0 && other0 >= 0, "no drm-engine-bind in fdinfo\n");

	create_bos(&bo, 1, SZ_4K);
	vm = nova_vm_create(fd);
	for (i = 0; i < 1000; i++) {
		bind_unbind(vm, bo);
		t = nova_fdinfo_bytes(fd, "drm-engine-bind");
		igt_assert_f(t >= t0, "drm-engine-bind went back: %lld < %lld\n", t, t0);
		if (t > t0)
			break;
	}
	igt_info("drm-engine-bind: %lld ns after %u bind pairs\n", t - t0, i + 1);
	igt_assert_f(t > t0, "drm-engine-bind did not grow in 1000 bind pairs\n");
	nova_vm_destroy(fd, vm);
	/* Destroying the VM does not take its time back. */
	igt_assert(nova_fdinfo_bytes(fd, "drm-engine-bind") >= t);
	/* Another file's counter did not move. */
	igt_assert_eq(nova_fdinfo_bytes(fd2, "drm-engine-bind"), other0);
	gem_close(fd, bo);
	close(fd2);
}

/*
 * IGT's gputop shows this process as a nova client with a "bind" engine
 * while it binds. gputop draws for a terminal, so it runs under script(1)
 * with a pseudo-terminal; this process keeps binding until it exits.
 * script(1) gets /dev/null as stdin: it would otherwise read whatever the
 * test's caller feeds it (igt_runner's, and make check's device list).
 */
static void test_gputop_row(void)
{
	char out[] = "/tmp/nova-gputop-XXXXXX", line[512], pidstr[16];
	bool header = false, row = false;
	uint32_t bo, vm;
	int status, ofd;
	pid_t child;
	FILE *f;

	igt_require_f(access("/usr/bin/gputop", X_OK) == 0 &&
		      access("/usr/bin/script", X_OK) == 0,
		      "needs IGT's gputop and util-linux's script\n");
	create_bos(&bo, 1, SZ_4K);
	vm = nova_vm_create(fd);
	bind_unbind(vm, bo);

	ofd = mkstemp(out);
	igt_assert(ofd >= 0);
	child = fork();
	igt_assert(child >= 0);
	if (child == 0) {
		/* script(1) forwards its stdin to gputop: give it none. */
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0)
			dup2(nul, STDIN_FILENO);
		dup2(ofd, STDOUT_FILENO);
		dup2(ofd, STDERR_FILENO);
		execl("/usr/bin/script", "script", "-qec",
		      "gputop -n 4 -d 0.5", "/dev/null", (char *)NULL);
		_exit(127);
	}
	close(ofd);
	while (waitpid(child, &status, WNOHANG) == 0)
		bind_unbind(vm, bo);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "gputop under script: status %#x\n", status);

	snprintf(pidstr, sizeof(pidstr), "%d ", getpid());
	f = fopen(out, "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "PID") && strstr(line, "bind") &&
		    strstr(line, "NAME"))
			header = true;
		if (strstr(line, pidstr) && strstr(line, "nova_sync"))
			row = true;
	}
	if (!header || !row) {
		rewind(f);
		igt_info("gputop printed:\n");
		while (fgets(line, sizeof(line), f))
			igt_info("%s", line);
	}
	fclose(f);
	unlink(out);
	igt_assert_f(header, "gputop printed no header with a bind engine\n");
	igt_assert_f(row, "gputop printed no row for pid %d\n", getpid());

	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/*
 * A synchronous bind queued behind a bind that waits forever can be
 * killed, and a process killed with such binds queued exits: neither
 * waits for the foreign fence.
 */
static void test_sync_bind_killable(void)
{
	int status, pipefd[2];
	pid_t pid;
	char c;

	igt_require_sw_sync();
	igt_assert_eq(pipe(pipefd), 0);
	pid = fork();
	igt_assert_lte(0, pid);
	if (pid == 0) {
		int cfd = drm_reopen_driver(fd);
		uint32_t bo, vm;
		int timeline;

		fd = cfd;
		create_bos(&bo, 1, NPAGES * SZ_4K);
		vm = nova_vm_create(fd);
		blocked_bind(vm, bo, &timeline);
		igt_assert_eq(write(pipefd[1], "r", 1), 1);
		/* Queued behind the blocked bind: waits until killed. */
		__nova_vm_unmap(fd, vm, va_base, NPAGES * SZ_4K);
		_exit(1);
	}
	close(pipefd[1]);
	igt_assert_eq(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	usleep(200 * 1000); /* let it enter the wait; it dies either way */
	igt_assert_eq(kill(pid, SIGKILL), 0);
	/* Without killable waits and cancelling teardown this never returns. */
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* nova_usage's bind counters of the device. */
static void bind_counts(long long *inl, long long *queued)
{
	*inl = nova_usage(fd, "binds_inline");
	*queued = nova_usage(fd, "binds_queued");
	igt_require_f(*inl >= 0 && *queued >= 0, "no nova_usage bind counters\n");
}

/*
 * A synchronous bind of a VM with nothing queued executes in the ioctl,
 * without the bind queue, and the GPU sees its result on return.
 */
static void test_sync_inline(void)
{
	long long inl0, q0, inl, q;
	uint32_t bo, vm;

	nova_require_gpu_view(fd);
	create_bos(&bo, 1, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	bind_counts(&inl0, &q0);

	nova_vm_map(fd, vm, bo, 0, va_base, NPAGES * SZ_4K);
	bind_counts(&inl, &q);
	igt_assert_eq(inl, inl0 + 1);
	igt_assert_eq(q, q0);
	gpu_check_page(vm, va_base, 0, 0);
	gpu_check_page(vm, va_base + (NPAGES - 1) * SZ_4K, NPAGES - 1, 0);

	nova_vm_unmap(fd, vm, va_base + SZ_4K, SZ_4K);
	bind_counts(&inl, &q);
	igt_assert_eq(inl, inl0 + 2);
	igt_assert_eq(q, q0);
	gpu_check_page(vm, va_base, 0, 0);
	gpu_check_fault(vm, va_base + SZ_4K);
	gpu_check_page(vm, va_base + 2 * SZ_4K, 2, 0);
	assert_vm_ok(vm);

	nova_vm_destroy(fd, vm);
	gem_close(fd, bo);
}

/*
 * A synchronous bind issued while an earlier asynchronous bind of the VM
 * waits for a fence is queued behind it, not executed in the ioctl: it
 * completes only after the fence signals, and its mapping, the last
 * submitted, wins.
 */
static void test_sync_behind_queued(void)
{
	long long inl0, q0, inl, q;
	uint32_t bos[2], vm, out;
	int timeline;

	nova_require_gpu_view(fd);
	igt_require_sw_sync();
	create_bos(bos, 2, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	bind_counts(&inl0, &q0);
	out = blocked_bind(vm, bos[0], &timeline);

	igt_fork(child, 1)
		nova_vm_map(fd, vm, bos[1], 0, va_base, NPAGES * SZ_4K);

	/* Both binds queued: the child's waits in the ioctl. */
	for (uint64_t t0 = nova_time_ms();;) {
		bind_counts(&inl, &q);
		if (q == q0 + 2)
			break;
		igt_assert_f(nova_time_ms() - t0 < 60000,
			     "the synchronous bind was not queued: %lld queued, %lld inline\n",
			     q - q0, inl - inl0);
		usleep(10000);
	}
	igt_assert_eq(inl, inl0);
	/*
	 * An ioctl of ours first: DRM gives the file the pid of its last
	 * caller, the child, and the GPU view finds the VM by pid.
	 */
	igt_assert_eq(fence_status(out), 0);
	gpu_check_fault(vm, va_base);

	sw_sync_timeline_inc(timeline, 1);
	igt_waitchildren();
	wait_binary(out);
	igt_assert_eq(fence_status(out), 1);
	gpu_check_page(vm, va_base, 0, 1);
	gpu_check_page(vm, va_base + (NPAGES - 1) * SZ_4K, NPAGES - 1, 1);
	bind_counts(&inl, &q);
	igt_assert_eq(inl, inl0);
	igt_assert_eq(q, q0 + 2);
	assert_vm_ok(vm);

	close(timeline);
	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	close_bos(bos, 2);
}

/* One random bind of pages [@first, @first + NPAGES / 2), recorded in @model. */
static struct drm_nova_vm_bind_op race_op(unsigned int *seed, uint32_t *bos,
					  unsigned int first, int *model)
{
	unsigned int half = NPAGES / 2;
	unsigned int a = first + rand_r(seed) % half;
	unsigned int n = 1 + rand_r(seed) % (first + half - a);
	int bo = rand_r(seed) % (NBOS + 1) - 1;	/* -1: unmap */

	for (unsigned int pg = a; pg < a + n; pg++)
		model[pg] = bo;
	return bo < 0 ? unmap_op(va_base + a * SZ_4K, n * SZ_4K) :
		map_op(bos[bo], a * SZ_4K, va_base + a * SZ_4K, n * SZ_4K);
}

/*
 * Two processes bind on one VM at once: one queues asynchronous binds on
 * the lower half of a window, the other makes synchronous ones (inline
 * when the queue is idle, queued otherwise) on the upper half. Afterwards
 * the GPU sees, page by page, what each one's last op mapped there.
 */
static void test_sync_async_race(void)
{
	const unsigned int nbinds = 200;
	long long inl0, q0, inl, q;
	uint32_t bos[NBOS], vm, out;
	int model[NPAGES];

	nova_require_gpu_view(fd);
	create_bos(bos, NBOS, NPAGES * SZ_4K);
	vm = nova_vm_create(fd);
	out = syncobj_create(fd, 0);
	bind_counts(&inl0, &q0);

	igt_fork(child, 2) {
		unsigned int seed = 0xace + child;
		int m[NPAGES];

		for (unsigned int i = 0; i < nbinds; i++) {
			struct drm_nova_vm_bind_op op =
				race_op(&seed, bos, child ? NPAGES / 2 : 0, m);
			struct drm_nova_sync sync = {
				.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				.handle = out,
			};

			if (child)
				igt_assert_eq(__nova_vm_bind(fd, vm, 0, &op, 1, NULL, 0), 0);
			else
				async_bind(vm, op, &sync, i == nbinds - 1);
		}
	}
	igt_waitchildren();
	wait_binary(out);
	igt_assert_eq(fence_status(out), 1);
	assert_vm_ok(vm);

	for (unsigned int pg = 0; pg < NPAGES; pg++)
		model[pg] = -1;
	for (unsigned int child = 0; child < 2; child++) {
		unsigned int seed = 0xace + child;

		for (unsigned int i = 0; i < nbinds; i++)
			race_op(&seed, bos, child ? NPAGES / 2 : 0, model);
	}
	for (unsigned int pg = 0; pg < NPAGES; pg++) {
		if (model[pg] < 0)
			gpu_check_fault(vm, va_base + pg * SZ_4K);
		else
			gpu_check_page(vm, va_base + pg * SZ_4K, pg, model[pg]);
	}
	bind_counts(&inl, &q);
	igt_assert_eq(inl + q, inl0 + q0 + 2 * nbinds);
	igt_assert_lte(nbinds, q - q0);
	igt_info("synchronous binds: %lld inline, %lld queued\n", inl - inl0,
		 q - q0 - nbinds);

	syncobj_destroy(fd, out);
	nova_vm_destroy(fd, vm);
	close_bos(bos, NBOS);
}

/*
 * Binds racing with VM_DESTROY of their VM (another process sharing the
 * file): each bind either completes or fails with ENOENT, nothing hangs,
 * and every byte of VRAM comes back.
 */
static void test_bind_vs_destroy(void)
{
	uint64_t used0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint32_t bo;

	create_bos(&bo, 1, NPAGES * SZ_4K);
	for (unsigned int round = 0; round < 20; round++) {
		uint32_t vm = nova_vm_create(fd);

		igt_fork(child, 2) {
			for (unsigned int i = 0; i < 50; i++) {
				struct drm_nova_vm_bind_op op =
					map_op(bo, 0, va_base + (i % 8) * SZ_64K,
					       NPAGES * SZ_4K);
				int err = __nova_vm_bind(fd, vm, child ? NOVA_VM_BIND_ASYNC : 0,
							 &op, 1, NULL, 0);

				igt_assert_f(err == 0 || err == -ENOENT || err == -ESRCH,
					     "bind: %d\n", err);
				if (err == -ENOENT)
					break;
			}
		}
		usleep(1000 * (round % 5));
		nova_vm_destroy(fd, vm);
		igt_waitchildren();
	}
	gem_close(fd, bo);
	igt_assert_eq_u64(nova_wait_vram_used_le(fd, used0, NOVA_SETTLE_MS), used0);
}

igt_main
{
	igt_fixture {
		fd = drm_open_nova_render();
		va_base = ALIGN(nova_get_param(fd, NOVA_GETPARAM_VA_START), SZ_2M);
		igt_require(va_base + 2 * SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_VA_END));
	}

	igt_describe("Many queued binds of one VM: the last op on each page wins, "
		     "as the GPU sees it.");
	igt_subtest("queue-order")
		test_queue_order();

	igt_describe("A bind waiting for a sw_sync fence only happens after it signals.");
	igt_subtest("wait-sw-sync")
		test_wait_sw_sync();

	igt_describe("A bind waiting for nothing does not overtake an earlier blocked one.");
	igt_subtest("order-behind-fence")
		test_order_behind_fence();

	igt_describe("Timeline points signalled by successive binds only increase.");
	igt_subtest("timeline-points")
		test_timeline_points();

	igt_describe("Binds waiting on already signalled syncobjs run.");
	igt_subtest("wait-signalled")
		test_wait_signalled();

	igt_describe("Malformed syncs fail with EINVAL, unknown syncobjs with ENOENT, "
		     "and change nothing.");
	igt_subtest("invalid-syncs")
		test_invalid_syncs();

	igt_describe("An async bind's out-fences signal without error and the VM "
		     "records no bind error.");
	igt_subtest("out-fence")
		test_out_fence();

	igt_describe("A queued bind whose TLB flush times out on the GPU sets "
		     "-ETIMEDOUT on its out-fence and on those queued behind it, "
		     "records it in the VM (UNUSABLE), which then refuses maps "
		     "with ECANCELED but still unmaps.");
	igt_subtest("bind-error-async")
		test_bind_error_async();

	igt_describe("A synchronous bind whose TLB flush times out returns "
		     "ETIMEDOUT and leaves the VM UNUSABLE; other VMs work.");
	igt_subtest("bind-error-sync")
		test_bind_error_sync();

	igt_describe("VM_DESTROY cancels binds blocked on in-fences (-ESRCH) "
		     "without waiting for them.");
	igt_subtest("destroy-cancels-blocked")
		test_destroy_cancels_blocked();

	igt_describe("fdinfo's drm-active-vram counts an object while a bind of "
		     "it is queued.");
	igt_subtest("fdinfo-active")
		test_fdinfo_active();

	igt_describe("fdinfo's drm-engine-bind counts the time the file's "
		     "binds spent executing, per file.");
	igt_subtest("fdinfo-engine")
		test_fdinfo_engine();

	igt_describe("IGT's gputop shows a nova client row with its bind "
		     "engine.");
	igt_subtest("gputop-row")
		test_gputop_row();

	igt_describe("A synchronous bind behind a blocked one, and its process, "
		     "can be killed.");
	igt_subtest("sync-bind-killable")
		test_sync_bind_killable();

	igt_describe("Binds racing with VM_DESTROY complete or fail with ENOENT; "
		     "nothing hangs or leaks.");
	igt_subtest("bind-vs-destroy")
		test_bind_vs_destroy();

	igt_describe("A synchronous bind of an idle VM executes in the ioctl, "
		     "without the bind queue.");
	igt_subtest("sync-inline")
		test_sync_inline();

	igt_describe("A synchronous bind behind a queued one waits for it and "
		     "executes after it.");
	igt_subtest("sync-behind-queued")
		test_sync_behind_queued();

	igt_describe("Synchronous and asynchronous binds of one VM from two "
		     "processes at once: the GPU sees each one's last op.");
	igt_subtest("sync-async-race")
		test_sync_async_race();

	igt_fixture
		drm_close_driver(fd);
}
