// SPDX-License-Identifier: MIT
/*
 * nova_exec - channels and EXEC: the GPU runs userspace pushbuffers.
 */
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "igt.h"
#include "igt_syncobj.h"
#include "sw_sync.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check nova's channels and EXEC: copies, memsets and "
		     "semaphores run by the copy engine through the VM's page "
		     "tables, ordering after binds, faults, argument checks "
		     "and closing with work queued.");

/*
 * Pushbuffer encodings (NVIDIA's documented formats; see
 * Documentation/gpu/nova/exec.rst). Userspace does not include the
 * kernel's register headers: the few methods used are defined here.
 */
#define SEC_OP_INC		1u
#define SEC_OP_IMMD		4u
#define SUBC_CE			4u

#define HOST_SET_OBJECT		0x0000
#define HOST_SEM_ADDR_LO	0x005c	/* then ADDR_HI, PAYLOAD_LO/HI, EXECUTE */
#define SEM_EXECUTE_RELEASE	1u
#define SEM_EXECUTE_ACQ_GEQ	2u
#define SEM_EXECUTE_RELEASE_WFI	(1u << 20)

#define CE_LAUNCH_DMA		0x0300
#define CE_OFFSET_IN_UPPER	0x0400	/* IN_UPPER, IN_LOWER, OUT_UPPER, OUT_LOWER */
#define CE_PITCH_IN		0x0410	/* PITCH_IN, PITCH_OUT, LINE_LENGTH_IN, LINE_COUNT */
#define CE_SET_REMAP_CONST_A	0x0700
#define CE_SET_REMAP_COMPONENTS	0x0708

#define LAUNCH_NON_PIPELINED	(2u << 0)
#define LAUNCH_FLUSH		(1u << 2)
#define LAUNCH_SRC_PITCH	(1u << 7)
#define LAUNCH_DST_PITCH	(1u << 8)
#define LAUNCH_MULTI_LINE	(1u << 9)
#define LAUNCH_REMAP		(1u << 10)

/* DST_X..W = CONST_A, 4-byte components, one source and destination. */
#define REMAP_CONST_A_4B	(4u | 4u << 4 | 4u << 8 | 4u << 12 | 3u << 16)

#define SZ_64M	(64ull << 20)

static int fd = -1;
static uint32_t copy_class;
static uint64_t va_base;

static uint32_t mthd(uint32_t op, uint32_t subc, uint32_t addr, uint32_t count)
{
	return op << 29 | count << 16 | subc << 13 | addr >> 2;
}

struct pb {
	uint32_t *w;
	unsigned int n;
};

static void pb_inc(struct pb *pb, uint32_t subc, uint32_t addr,
		   const uint32_t *data, uint32_t count)
{
	pb->w[pb->n++] = mthd(SEC_OP_INC, subc, addr, count);
	for (uint32_t i = 0; i < count; i++)
		pb->w[pb->n++] = data[i];
}

static void pb_1(struct pb *pb, uint32_t subc, uint32_t addr, uint32_t v)
{
	pb_inc(pb, subc, addr, &v, 1);
}

static void pb_set_object(struct pb *pb)
{
	pb_1(pb, SUBC_CE, HOST_SET_OBJECT, copy_class);
}

static void pb_copy(struct pb *pb, uint64_t src, uint64_t dst, uint32_t len)
{
	uint32_t off[4] = { src >> 32, (uint32_t)src, dst >> 32, (uint32_t)dst };
	uint32_t lines[4] = { len, len, len, 1 };

	pb_inc(pb, SUBC_CE, CE_OFFSET_IN_UPPER, off, 4);
	pb_inc(pb, SUBC_CE, CE_PITCH_IN, lines, 4);
	pb_1(pb, SUBC_CE, CE_LAUNCH_DMA, LAUNCH_NON_PIPELINED | LAUNCH_FLUSH |
	     LAUNCH_SRC_PITCH | LAUNCH_DST_PITCH | LAUNCH_MULTI_LINE);
}

static void pb_memset(struct pb *pb, uint64_t dst, uint32_t len, uint32_t value)
{
	uint32_t off[2] = { dst >> 32, (uint32_t)dst };
	uint32_t lines[4] = { len, len, len / 4, 1 };

	pb_1(pb, SUBC_CE, CE_SET_REMAP_CONST_A, value);
	pb_1(pb, SUBC_CE, CE_SET_REMAP_COMPONENTS, REMAP_CONST_A_4B);
	pb_inc(pb, SUBC_CE, CE_OFFSET_IN_UPPER + 8, off, 2);
	pb_inc(pb, SUBC_CE, CE_PITCH_IN, lines, 4);
	pb_1(pb, SUBC_CE, CE_LAUNCH_DMA, LAUNCH_NON_PIPELINED | LAUNCH_FLUSH |
	     LAUNCH_DST_PITCH | LAUNCH_MULTI_LINE | LAUNCH_REMAP);
}

static void pb_sem(struct pb *pb, uint64_t va, uint32_t value, uint32_t op)
{
	uint32_t d[5] = { (uint32_t)va, va >> 32, value, 0, op };

	pb_inc(pb, 0, HOST_SEM_ADDR_LO, d, 5);
}

/* ---- raw ioctls ---- */

static int __channel_create(int fd_, uint32_t vm, uint32_t hclass,
			    uint32_t flags, uint32_t *id)
{
	struct drm_nova_channel_create c = {
		.vm_id = vm, .hclass = hclass, .flags = flags,
	};
	int err = igt_ioctl(fd_, DRM_IOCTL_NOVA_CHANNEL_CREATE, &c);

	/* -1 and errno; anything else but 0 is a kernel bug, shown as is. */
	if (err == -1)
		err = -errno;
	else if (!err)
		*id = c.id;
	errno = 0;
	return err;
}

static uint32_t channel_create(int fd_, uint32_t vm)
{
	uint32_t id = 0;

	igt_assert_eq(__channel_create(fd_, vm, copy_class, 0, &id), 0);
	igt_assert_neq_u32(id, 0);
	return id;
}

static int __channel_destroy(int fd_, uint32_t id, uint32_t pad)
{
	struct drm_nova_channel_destroy d = { .id = id, .pad = pad };
	int err = 0;

	if (igt_ioctl(fd_, DRM_IOCTL_NOVA_CHANNEL_DESTROY, &d))
		err = -errno;
	errno = 0;
	return err;
}

static int __channel_get_state(int fd_, struct drm_nova_channel_get_state *st)
{
	int err = 0;

	if (igt_ioctl(fd_, DRM_IOCTL_NOVA_CHANNEL_GET_STATE, st))
		err = -errno;
	errno = 0;
	return err;
}

static struct drm_nova_channel_get_state channel_state(uint32_t id)
{
	struct drm_nova_channel_get_state st = { .id = id };

	igt_assert_eq(__channel_get_state(fd, &st), 0);
	return st;
}

static int __exec_raw(int fd_, struct drm_nova_exec *e)
{
	int err = 0;

	if (igt_ioctl(fd_, DRM_IOCTL_NOVA_EXEC, e))
		err = -errno;
	errno = 0;
	return err;
}

static int __exec(int fd_, uint32_t ch, struct drm_nova_exec_push *pushes,
		  uint32_t npushes, struct drm_nova_sync *syncs, uint32_t nsyncs)
{
	struct drm_nova_exec e = {
		.channel = ch,
		.pushes = { .stride = sizeof(*pushes), .count = npushes,
			    .array = to_user_pointer(pushes) },
		.syncs = { .stride = sizeof(*syncs), .count = nsyncs,
			   .array = to_user_pointer(syncs) },
	};

	return __exec_raw(fd_, &e);
}

/* One push, an optional wait syncobj, a signal syncobj. */
static void exec_one(uint32_t ch, uint64_t va, uint32_t len, uint32_t in,
		     uint32_t out)
{
	struct drm_nova_exec_push push = { .va = va, .len = len };
	struct drm_nova_sync syncs[2];
	uint32_t n = 0;

	if (in)
		syncs[n++] = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ,
						     .handle = in };
	syncs[n++] = (struct drm_nova_sync){
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL, .handle = out };
	igt_assert_eq(__exec(fd, ch, &push, 1, syncs, n), 0);
}

static void wait_syncobj(uint32_t h)
{
	igt_assert(syncobj_wait(fd, &h, 1, INT64_MAX, 0, NULL));
}

/* The fence status of a syncobj: 1 signalled, 0 pending, < 0 its error. */
static int syncobj_status(uint32_t h)
{
	struct sync_file_info info = {};
	int sfd = syncobj_handle_to_fd(fd, h,
				       DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);

	igt_assert_lte(0, sfd);
	igt_assert_eq(ioctl(sfd, SYNC_IOC_FILE_INFO, &info), 0);
	close(sfd);
	return info.status;
}

/* ---- a VM with source, destination and pushbuffer objects ---- */

struct ctx {
	uint32_t vm, ch;
	uint32_t src, dst, pbo;
	uint32_t *src_map, *dst_map, *pb_map;
	uint64_t src_va, dst_va, pb_va;
	uint64_t size;
};

static void ctx_init(struct ctx *c, uint64_t size)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->vm = nova_vm_create(fd);
	c->src = nova_gem_create(fd, size);
	c->dst = nova_gem_create(fd, size);
	c->pbo = nova_gem_create(fd, SZ_64K);
	c->src_va = va_base;
	c->dst_va = va_base + ALIGN(size, SZ_2M);
	c->pb_va = c->dst_va + ALIGN(size, SZ_2M);
	nova_vm_map(fd, c->vm, c->src, 0, c->src_va, size);
	nova_vm_map(fd, c->vm, c->dst, 0, c->dst_va, size);
	nova_vm_map(fd, c->vm, c->pbo, 0, c->pb_va, SZ_64K);
	c->src_map = nova_gem_mmap(fd, c->src, size);
	c->dst_map = nova_gem_mmap(fd, c->dst, size);
	c->pb_map = nova_gem_mmap(fd, c->pbo, SZ_64K);
	c->ch = channel_create(fd, c->vm);
}

static void ctx_fini(struct ctx *c)
{
	igt_assert_eq(__channel_destroy(fd, c->ch, 0), 0);
	munmap(c->src_map, c->size);
	munmap(c->dst_map, c->size);
	munmap(c->pb_map, SZ_64K);
	nova_vm_destroy(fd, c->vm);
	gem_close(fd, c->src);
	gem_close(fd, c->dst);
	gem_close(fd, c->pbo);
}

/* Run the words of @pb (written at the start of the pushbuffer object). */
static void ctx_run(struct ctx *c, struct pb *pb)
{
	uint32_t out = syncobj_create(fd, 0);

	exec_one(c->ch, c->pb_va, pb->n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	syncobj_destroy(fd, out);
}

static void test_copy(uint64_t size)
{
	struct ctx c;
	struct pb pb;

	ctx_init(&c, size);
	for (uint64_t i = 0; i < size / 4; i++)
		c.src_map[i] = 0x5a000000u ^ (uint32_t)(i * 2654435761u);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, c.dst_va, size);
	ctx_run(&c, &pb);
	for (uint64_t i = 0; i < size / 4; i++)
		igt_assert_eq_u32(c.dst_map[i], 0x5a000000u ^ (uint32_t)(i * 2654435761u));
	ctx_fini(&c);
}

static void test_memset(void)
{
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	/* The second 4 KiB page only: its neighbours stay zero. */
	pb_memset(&pb, c.dst_va + SZ_4K, SZ_4K, 0xdeadbeef);
	ctx_run(&c, &pb);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		igt_assert_eq_u32(c.dst_map[i],
				  i >= 1024 && i < 2048 ? 0xdeadbeef : 0);
	ctx_fini(&c);
}

static void test_sem_release(void)
{
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	pb = (struct pb){ .w = c.pb_map };
	pb_sem(&pb, c.dst_va + 256, 0x1234abcd,
	       SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	ctx_run(&c, &pb);
	igt_assert_eq_u32(c.dst_map[64], 0x1234abcd);
	igt_assert_eq_u32(c.dst_map[63], 0);
	igt_assert_eq_u32(c.dst_map[65], 0);
	struct drm_nova_channel_get_state st = channel_state(c.ch);

	igt_assert_eq_u32(st.state, NOVA_CHANNEL_STATE_OK);
	igt_assert_eq(st.error, 0);
	igt_assert_eq_u64(st.submitted, 1);
	igt_assert_eq_u64(st.completed, 1);
	ctx_fini(&c);
}

/*
 * An EXEC runs after the binds of its VM submitted before it, without
 * their fences: the destination is mapped by an async bind held back by
 * a sw_sync fence; the EXEC that copies into it is queued meanwhile and
 * must not run (nor fault) before the bind does.
 */
static void test_exec_after_async_bind(void)
{
	struct drm_nova_vm_bind_op op;
	struct drm_nova_sync in;
	uint32_t in_obj, out;
	int timeline, fence;
	struct ctx c;
	struct pb pb;

	igt_require_sw_sync();
	ctx_init(&c, SZ_64K);
	nova_vm_unmap(fd, c.vm, c.dst_va, SZ_64K);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		c.src_map[i] = 0xc0de0000u + i;

	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	in_obj = syncobj_create(fd, 0);
	syncobj_import_sync_file(fd, in_obj, fence);
	close(fence);
	op = (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP, .handle = c.dst,
		.va = c.dst_va, .range = SZ_64K,
	};
	in = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = in_obj };
	igt_assert_eq(__nova_vm_bind(fd, c.vm, NOVA_VM_BIND_ASYNC, &op, 1, &in, 1), 0);

	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, c.dst_va, SZ_64K);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);

	/* The bind waits for the sw_sync fence, so does the EXEC. */
	usleep(200 * 1000);
	igt_assert_eq(syncobj_status(out), 0);
	igt_assert_eq_u64(channel_state(c.ch).completed, 0);

	sw_sync_timeline_inc(timeline, 1);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		igt_assert_eq_u32(c.dst_map[i], 0xc0de0000u + i);
	igt_assert_eq(nova_vm_get_state(fd, c.vm).fault_count, 0);

	syncobj_destroy(fd, out);
	syncobj_destroy(fd, in_obj);
	close(timeline);
	ctx_fini(&c);
}

/*
 * A copy to an unmapped VA faults: its fence fails with -EFAULT, the
 * channel is dead with -EFAULT and refuses EXECs with ECANCELED, the VM
 * records the fault with its VA; another channel of the VM still works.
 */
static void test_fault_unmapped(void)
{
	struct drm_nova_vm_get_state st = {};
	struct drm_nova_vm_fault faults[8] = {};
	struct drm_nova_channel_get_state cs;
	uint64_t bad_va;
	uint32_t out, ch2;
	struct ctx c;
	struct pb pb;
	bool found = false;

	ctx_init(&c, SZ_64K);
	bad_va = c.pb_va + SZ_2M;	/* nothing mapped there */
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, bad_va, SZ_4K);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), -EFAULT);

	cs = channel_state(c.ch);
	igt_assert_eq_u32(cs.state, NOVA_CHANNEL_STATE_DEAD);
	igt_assert_eq(cs.error, -EFAULT);
	igt_assert_eq_u64(cs.submitted, 1);
	igt_assert_eq_u64(cs.completed, 1);

	st.vm_id = c.vm;
	st.faults = (struct drm_nova_obj_array){
		.stride = sizeof(faults[0]), .count = ARRAY_SIZE(faults),
		.array = to_user_pointer(faults),
	};
	igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
	igt_assert_lte(1, st.faults.count);
	for (uint32_t i = 0; i < st.faults.count; i++)
		if (faults[i].va >> 12 == bad_va >> 12 && faults[i].access == 1)
			found = true;
	igt_assert_f(found, "no write fault at 0x%llx recorded\n",
		     (unsigned long long)bad_va);

	/* Dead: nothing more is queued. */
	syncobj_reset(fd, &out, 1);
	{
		struct drm_nova_exec_push push = { .va = c.pb_va, .len = 4 };

		igt_assert_eq(__exec(fd, c.ch, &push, 1, NULL, 0), -ECANCELED);
	}

	/* Another channel of the VM runs. */
	ch2 = channel_create(fd, c.vm);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_memset(&pb, c.dst_va, SZ_4K, 0x600df00d);
	exec_one(ch2, c.pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	igt_assert_eq_u32(c.dst_map[0], 0x600df00d);
	igt_assert_eq_u32(c.dst_map[1023], 0x600df00d);
	igt_assert_eq(__channel_destroy(fd, ch2, 0), 0);

	syncobj_destroy(fd, out);
	ctx_fini(&c);
}

/*
 * An EXEC that never finishes (a semaphore acquire nobody releases) is
 * ended by the timeout: its fence fails with ETIMEDOUT, the channel is
 * dead with that error; the VM and a new channel work on.
 */
static void test_timeout(void)
{
	struct drm_nova_channel_get_state cs;
	uint32_t out, ch2;
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	pb = (struct pb){ .w = c.pb_map };
	pb_sem(&pb, c.dst_va, 1, SEM_EXECUTE_ACQ_GEQ);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), -ETIMEDOUT);
	cs = channel_state(c.ch);
	igt_assert_eq_u32(cs.state, NOVA_CHANNEL_STATE_DEAD);
	igt_assert_eq(cs.error, -ETIMEDOUT);
	igt_assert_eq_u64(cs.completed, 1);

	ch2 = channel_create(fd, c.vm);
	pb = (struct pb){ .w = c.pb_map };
	pb_sem(&pb, c.dst_va + 4, 7, SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	syncobj_reset(fd, &out, 1);
	exec_one(ch2, c.pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	igt_assert_eq_u32(c.dst_map[1], 7);
	igt_assert_eq(__channel_destroy(fd, ch2, 0), 0);
	syncobj_destroy(fd, out);
	ctx_fini(&c);
}

/*
 * Unmapping and closing the destination of a queued EXEC: the unmap waits
 * for the EXEC, so the copy still lands in the old object and never in
 * an object allocated meanwhile.
 */
static void test_unmap_queued(void)
{
	struct drm_nova_vm_bind_op op;
	uint32_t in_obj, out, unmap_out, fresh, *fresh_map;
	struct drm_nova_sync sync;
	int timeline, fence;
	struct ctx c;
	struct pb pb;

	igt_require_sw_sync();
	ctx_init(&c, SZ_64K);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		c.src_map[i] = 0xabc00000u + i;
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	in_obj = syncobj_create(fd, 0);
	syncobj_import_sync_file(fd, in_obj, fence);
	close(fence);

	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, c.dst_va, SZ_64K);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, in_obj, out);

	/* Unmap and close the destination while the EXEC waits. */
	unmap_out = syncobj_create(fd, 0);
	op = (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_UNMAP, .va = c.dst_va, .range = SZ_64K,
	};
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = unmap_out };
	igt_assert_eq(__nova_vm_bind(fd, c.vm, NOVA_VM_BIND_ASYNC, &op, 1, &sync, 1), 0);
	munmap(c.dst_map, SZ_64K);
	gem_close(fd, c.dst);
	/* The unmap waits for the EXEC, which waits for the sw_sync fence. */
	usleep(200 * 1000);
	igt_assert_eq(syncobj_status(unmap_out), 0);

	/* An object allocated now, zeroed, must stay zeroed. */
	fresh = nova_gem_create(fd, SZ_64K);
	fresh_map = nova_gem_mmap(fd, fresh, SZ_64K);

	sw_sync_timeline_inc(timeline, 1);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	wait_syncobj(unmap_out);
	igt_assert_eq(syncobj_status(unmap_out), 1);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		igt_assert_eq_u32(fresh_map[i], 0);
	igt_assert_eq(nova_vm_get_state(fd, c.vm).fault_count, 0);

	munmap(fresh_map, SZ_64K);
	gem_close(fd, fresh);
	syncobj_destroy(fd, out);
	syncobj_destroy(fd, unmap_out);
	syncobj_destroy(fd, in_obj);
	close(timeline);
	/* What ctx_fini() does, without the destination (gone already). */
	igt_assert_eq(__channel_destroy(fd, c.ch, 0), 0);
	munmap(c.src_map, SZ_64K);
	munmap(c.pb_map, SZ_64K);
	nova_vm_destroy(fd, c.vm);
	gem_close(fd, c.src);
	gem_close(fd, c.pbo);
}

static void test_bad_input(void)
{
	struct drm_nova_exec_push push;
	struct drm_nova_sync sync;
	struct drm_nova_exec e;
	struct drm_nova_channel_get_state gs;
	uint32_t vm, ch, id, sobj, first;
	uint64_t max_pushes = nova_get_param(fd, NOVA_GETPARAM_MAX_PUSHES);
	uint64_t max_chans = nova_get_param(fd, NOVA_GETPARAM_MAX_CHANNELS);
	struct drm_nova_exec_push *many;
	uint32_t *chans;

	vm = nova_vm_create(fd);
	sobj = syncobj_create(fd, 0);

	/* CHANNEL_CREATE */
	igt_assert_eq(__channel_create(fd, vm, copy_class, 1, &id), -EINVAL);
	igt_assert_eq(__channel_create(fd, vm, copy_class, 1u << 31, &id), -EINVAL);
	igt_assert_eq(__channel_create(fd, vm, 0, 0, &id), -EINVAL);
	igt_assert_eq(__channel_create(fd, vm, copy_class ^ 0x100, 0, &id), -EINVAL);
	igt_assert_eq(__channel_create(fd, vm, 0xc56f, 0, &id), -EINVAL);
	igt_assert_eq(__channel_create(fd, vm + 100, copy_class, 0, &id), -ENOENT);
	igt_assert_eq(__channel_create(fd, 0, copy_class, 0, &id), -ENOENT);

	/* MAX_CHANNELS per VM, then ENOSPC; freed slots are reused. */
	chans = calloc(max_chans, sizeof(*chans));
	for (uint64_t i = 0; i < max_chans; i++)
		chans[i] = channel_create(fd, vm);
	igt_assert_eq(__channel_create(fd, vm, copy_class, 0, &id), -ENOSPC);
	for (uint64_t i = 1; i < max_chans; i++)
		igt_assert_eq(__channel_destroy(fd, chans[i], 0), 0);
	first = chans[0];
	free(chans);
	ch = channel_create(fd, vm);

	/* CHANNEL_DESTROY */
	igt_assert_eq(__channel_destroy(fd, ch, 1), -EINVAL);
	igt_assert_eq(__channel_destroy(fd, ch + 1000, 0), -ENOENT);
	igt_assert_eq(__channel_destroy(fd, 0, 0), -ENOENT);

	/* CHANNEL_GET_STATE */
	gs = (struct drm_nova_channel_get_state){ .id = ch, .flags = 1 };
	igt_assert_eq(__channel_get_state(fd, &gs), -EINVAL);
	gs = (struct drm_nova_channel_get_state){ .id = ch + 1000 };
	igt_assert_eq(__channel_get_state(fd, &gs), -ENOENT);

	/* EXEC: the call itself */
	push = (struct drm_nova_exec_push){ .va = va_base, .len = 4 };
	e = (struct drm_nova_exec){
		.channel = ch, .flags = 1,
		.pushes = { sizeof(push), 1, to_user_pointer(&push) },
	};
	igt_assert_eq(__exec_raw(fd, &e), -EINVAL);
	e.flags = 0;
	e.channel = ch + 1000;
	igt_assert_eq(__exec_raw(fd, &e), -ENOENT);
	e.channel = ch;
	e.pushes.stride = 0;
	igt_assert_eq(__exec_raw(fd, &e), -EINVAL);
	e.pushes.stride = sizeof(push);
	e.pushes.array = 8;
	igt_assert_eq(__exec_raw(fd, &e), -EFAULT);
	e.pushes.array = to_user_pointer(&push);
	many = calloc(max_pushes + 1, sizeof(*many));
	e.pushes.array = to_user_pointer(many);
	e.pushes.count = max_pushes + 1;
	igt_assert_eq(__exec_raw(fd, &e), -EINVAL);
	free(many);

	/* EXEC: each push field */
	{
		static const struct { uint64_t va; uint32_t len, flags; } bad[] = {
			{ 0x100000, 0, 0 },		/* empty */
			{ 0x100000, 2, 0 },		/* not words */
			{ 0x100000, 6, 0 },
			{ 0x100002, 4, 0 },		/* unaligned */
			{ 0x100001, 4, 0 },
			{ 1ull << 40, 4, 0 },		/* past a GP entry */
			{ ~3ull, 4, 0 },
			{ 0x100000, 0x800000, 0 },	/* too long */
			{ 0x100000, 0xfffffffc, 0 },
			{ 0x100000, 4, 2 },		/* unknown flag */
			{ 0x100000, 4, 1u << 31 },
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			push = (struct drm_nova_exec_push){
				.va = bad[i].va, .len = bad[i].len,
				.flags = bad[i].flags,
			};
			igt_assert_f(__exec(fd, ch, &push, 1, NULL, 0) == -EINVAL,
				     "bad push %u accepted\n", i);
		}
	}
	/* A stride longer than the kernel's struct: must be zero past it. */
	{
		uint64_t ext[3] = { va_base, 4, 1 };

		e = (struct drm_nova_exec){
			.channel = ch,
			.pushes = { sizeof(ext), 1, to_user_pointer(ext) },
		};
		igt_assert_eq(__exec_raw(fd, &e), -EINVAL);
	}

	/* EXEC: each sync field */
	push = (struct drm_nova_exec_push){ .va = va_base, .len = 4 };
	sync = (struct drm_nova_sync){ .flags = 2, .handle = sobj };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -EINVAL);
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | (1u << 8), .handle = sobj };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -EINVAL);
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = sobj, .timeline_value = 1 };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -EINVAL);
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = sobj + 1000 };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -ENOENT);
	/* Waiting for a syncobj with no fence: EINVAL (as in VM_BIND). */
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = sobj };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -EINVAL);
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ, .handle = sobj + 1000 };
	igt_assert_eq(__exec(fd, ch, &push, 1, &sync, 1), -ENOENT);

	/* Nothing was queued by the failed calls. */
	gs = channel_state(ch);
	igt_assert_eq_u64(gs.submitted, 0);
	igt_assert_eq_u32(gs.state, NOVA_CHANNEL_STATE_OK);

	/* Zero pushes: only orders the syncs, and signals. */
	sync = (struct drm_nova_sync){ .flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
				       .handle = sobj };
	igt_assert_eq(__exec(fd, ch, NULL, 0, &sync, 1), 0);
	wait_syncobj(sobj);
	igt_assert_eq(syncobj_status(sobj), 1);

	igt_assert_eq(__channel_destroy(fd, ch, 0), 0);
	igt_assert_eq(__channel_destroy(fd, ch, 0), -ENOENT);
	igt_assert_eq(__channel_destroy(fd, first, 0), 0);
	syncobj_destroy(fd, sobj);
	nova_vm_destroy(fd, vm);

	/* Destroying id 0 above freed nothing: new ids are still not 0. */
	igt_assert_eq(__nova_vm_destroy(fd, 0), -ENOENT);
	vm = nova_vm_create(fd);
	igt_assert_neq_u32(vm, 0);
	ch = channel_create(fd, vm);
	igt_assert_eq(__channel_destroy(fd, ch, 0), 0);
	nova_vm_destroy(fd, vm);
}

/*
 * Close a file whose channel has a job blocked on the GPU (a semaphore
 * acquire nobody releases) and one queued behind it: the close returns,
 * the channel's timeout ends the blocked job, and the channel's memory
 * goes back (VRAM used returns to what it was).
 */
static void test_close_with_running(void)
{
	uint64_t before = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t tmo = nova_get_param(fd, NOVA_GETPARAM_EXEC_TIMEOUT_MS);
	uint64_t faults = nova_sim_fault_count(fd);
	int fd2 = drm_reopen_driver(fd);
	uint32_t vm, bo, ch, *map;
	struct drm_nova_exec_push push;
	struct pb pb;

	vm = nova_vm_create(fd2);
	bo = nova_gem_create(fd2, SZ_64K);
	igt_assert_eq(__nova_vm_map(fd2, vm, bo, 0, va_base, SZ_64K, 0), 0);
	map = nova_gem_mmap(fd2, bo, SZ_64K);
	pb = (struct pb){ .w = map };
	/* Wait until the word at +8 KiB reaches 1: never. */
	pb_sem(&pb, va_base + 8192, 1, SEM_EXECUTE_ACQ_GEQ);
	munmap(map, SZ_64K);
	igt_assert_eq(__channel_create(fd2, vm, copy_class, 0, &ch), 0);
	push = (struct drm_nova_exec_push){ .va = va_base, .len = pb.n * 4 };
	igt_assert_eq(__exec(fd2, ch, &push, 1, NULL, 0), 0);
	igt_assert_eq(__exec(fd2, ch, &push, 1, NULL, 0), 0);
	drm_close_driver(fd2);

	/* Close destroys the VM, which stops the channel: all of it goes. */
	igt_assert_f(nova_wait_vram_used_le(fd, before, 4 * tmo + 20000) <= before,
		     "VRAM of the closed file not freed\n");
	/* Stopped before the VM's mappings went: the acquire did not fault. */
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults);
}

/* ---- isolation, ordering with the CPU, limits ---- */

#define HOST_NON_STALL_INTERRUPT	0x0020
#define LAUNCH_DST_PHYSICAL		(1u << 13)

/*
 * An acquire that the CPU satisfies later: the EXEC's fence stays
 * unsignalled (even though the push raised its own non-stall interrupt
 * first, as a forged "I am done" would) until the CPU writes the value
 * through mmap; then the release after the acquire lands.
 */
static void test_acquire_cpu(void)
{
	uint32_t out;
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	pb = (struct pb){ .w = c.pb_map };
	pb_1(&pb, 0, HOST_NON_STALL_INTERRUPT, 0);
	pb_sem(&pb, c.dst_va, 5, SEM_EXECUTE_ACQ_GEQ);
	pb_sem(&pb, c.dst_va + 4, 0x77, SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);

	usleep(200 * 1000);
	igt_assert_eq(syncobj_status(out), 0);
	igt_assert_eq_u64(channel_state(c.ch).completed, 0);
	igt_assert_eq_u32(c.dst_map[1], 0);

	c.dst_map[0] = 4;	/* not yet: the acquire wants >= 5 */
	usleep(100 * 1000);
	igt_assert_eq(syncobj_status(out), 0);
	c.dst_map[0] = 5;
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	igt_assert_eq_u32(c.dst_map[1], 0x77);
	igt_assert_eq_u32(channel_state(c.ch).state, NOVA_CHANNEL_STATE_OK);
	syncobj_destroy(fd, out);
	ctx_fini(&c);
}

/* The faults of @vm include a write at @va's page. */
static bool vm_has_write_fault(uint32_t vm, uint64_t va)
{
	struct drm_nova_vm_fault faults[16] = {};
	struct drm_nova_vm_get_state st = {
		.vm_id = vm,
		.faults = { .stride = sizeof(faults[0]), .count = ARRAY_SIZE(faults),
			    .array = to_user_pointer(faults) },
	};

	igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
	for (uint32_t i = 0; i < st.faults.count; i++)
		if (faults[i].va >> 12 == va >> 12 && faults[i].access == 1)
			return true;
	return false;
}

/* Run @pb on @c's channel and expect it to die with @err. */
static void ctx_run_dies(struct ctx *c, struct pb *pb, int err)
{
	struct drm_nova_channel_get_state cs;
	uint32_t out = syncobj_create(fd, 0);

	exec_one(c->ch, c->pb_va, pb->n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), err);
	cs = channel_state(c->ch);
	igt_assert_eq_u32(cs.state, NOVA_CHANNEL_STATE_DEAD);
	igt_assert_eq(cs.error, err);
	syncobj_destroy(fd, out);
}

/* A memset into a read-only mapping faults and writes nothing. */
static void test_readonly_fault(void)
{
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	c.dst_map[0] = 0x11111111;
	nova_vm_unmap(fd, c.vm, c.dst_va, SZ_64K);
	igt_assert_eq(__nova_vm_map(fd, c.vm, c.dst, 0, c.dst_va, SZ_64K,
				    NOVA_VM_BIND_OP_READ_ONLY), 0);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_memset(&pb, c.dst_va, SZ_4K, 0xbadbad00);
	ctx_run_dies(&c, &pb, -EFAULT);
	igt_assert(vm_has_write_fault(c.vm, c.dst_va));
	igt_assert_eq_u32(c.dst_map[0], 0x11111111);
	for (uint64_t i = 1; i < SZ_64K / 4; i++)
		igt_assert_eq_u32(c.dst_map[i], 0);
	ctx_fini(&c);
}

/*
 * Nothing a pushbuffer can forge: a copy aimed at the channel's own ring
 * and fence memory (the channel window below NOVA_GETPARAM_VA_START)
 * faults; a copy engine launch with a physical destination stops the
 * channel before it writes anything. Channels created afterwards work.
 */
static void test_forge(void)
{
	uint64_t window = nova_get_param(fd, NOVA_GETPARAM_VA_START);
	struct ctx c;
	struct pb pb;
	uint32_t out;

	ctx_init(&c, SZ_64K);
	/*
	 * The ring page (offset 4 KiB) of every 64 KiB slot of the window,
	 * the first slot's first: the VM's only channel lives there.
	 */
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	for (uint64_t va = SZ_64K; va < window; va += SZ_64K)
		pb_memset(&pb, va + SZ_4K, SZ_4K, 0xf0f0f0f0);
	ctx_run_dies(&c, &pb, -EFAULT);
	igt_assert(vm_has_write_fault(c.vm, SZ_64K + SZ_4K));
	igt_assert_eq(__channel_destroy(fd, c.ch, 0), 0);

	/* Physical VRAM is out of reach of a user channel. */
	c.ch = channel_create(fd, c.vm);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	{
		uint32_t off[2] = { 0, 0 };
		uint32_t lines[4] = { SZ_4K, SZ_4K, SZ_4K / 4, 1 };

		pb_1(&pb, SUBC_CE, CE_SET_REMAP_CONST_A, 0xf0f0f0f0);
		pb_1(&pb, SUBC_CE, CE_SET_REMAP_COMPONENTS, REMAP_CONST_A_4B);
		pb_inc(&pb, SUBC_CE, CE_OFFSET_IN_UPPER + 8, off, 2);
		pb_inc(&pb, SUBC_CE, CE_PITCH_IN, lines, 4);
		pb_1(&pb, SUBC_CE, CE_LAUNCH_DMA, LAUNCH_NON_PIPELINED | LAUNCH_FLUSH |
		     LAUNCH_DST_PITCH | LAUNCH_MULTI_LINE | LAUNCH_REMAP |
		     LAUNCH_DST_PHYSICAL);
	}
	ctx_run_dies(&c, &pb, -EIO);
	igt_assert_eq(__channel_destroy(fd, c.ch, 0), 0);

	/* The kernel's fences of a new channel still mean what they say. */
	c.ch = channel_create(fd, c.vm);
	pb = (struct pb){ .w = c.pb_map };
	pb_sem(&pb, c.dst_va + 8, 0x5eed, SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	igt_assert_eq_u32(c.dst_map[2], 0x5eed);
	igt_assert_eq_u64(channel_state(c.ch).completed, 1);
	syncobj_destroy(fd, out);
	ctx_fini(&c);
}

/*
 * A VM holds NOVA_GETPARAM_MAX_CHANNELS channels, all working at once
 * (each fills its own page, all queued before any is waited for); one
 * more fails with ENOSPC.
 */
static void test_many_channels(void)
{
	uint64_t max = nova_get_param(fd, NOVA_GETPARAM_MAX_CHANNELS);
	uint32_t ch[64], out[64], id;
	struct ctx c;

	igt_assert_lte(2, max);
	igt_assert_lte(max, ARRAY_SIZE(ch));
	ctx_init(&c, SZ_64K);
	igt_assert_eq(__channel_destroy(fd, c.ch, 0), 0);
	for (uint64_t i = 0; i < max; i++) {
		struct pb pb = { .w = c.pb_map + i * 64 };

		ch[i] = channel_create(fd, c.vm);
		pb_set_object(&pb);
		pb_memset(&pb, c.dst_va + i * SZ_4K, SZ_4K, 0xc4000000u + i);
		out[i] = syncobj_create(fd, 0);
		igt_assert_lte(pb.n, 64);
		exec_one(ch[i], c.pb_va + i * 256, pb.n * 4, 0, out[i]);
	}
	igt_assert_eq(__channel_create(fd, c.vm, copy_class, 0, &id), -ENOSPC);
	for (uint64_t i = 0; i < max; i++) {
		wait_syncobj(out[i]);
		igt_assert_eq(syncobj_status(out[i]), 1);
		igt_assert_eq_u32(c.dst_map[i * 1024], 0xc4000000u + i);
		igt_assert_eq_u32(c.dst_map[i * 1024 + 1023], 0xc4000000u + i);
		syncobj_destroy(fd, out[i]);
	}
	igt_assert_eq_u32(c.dst_map[max * 1024], 0);
	for (uint64_t i = 0; i < max; i++)
		igt_assert_eq(__channel_destroy(fd, ch[i], 0), 0);
	c.ch = channel_create(fd, c.vm);
	ctx_fini(&c);
}

/*
 * Two VMs map different objects at the same addresses: each channel
 * writes its own VM's object only.
 */
static void test_two_vms(void)
{
	struct ctx a, b;
	struct pb pb;

	ctx_init(&a, SZ_64K);
	ctx_init(&b, SZ_64K);
	igt_assert_eq_u64(a.dst_va, b.dst_va);
	pb = (struct pb){ .w = a.pb_map };
	pb_set_object(&pb);
	pb_memset(&pb, a.dst_va, SZ_64K, 0xaaaa5555);
	ctx_run(&a, &pb);
	pb = (struct pb){ .w = b.pb_map };
	pb_set_object(&pb);
	pb_memset(&pb, b.dst_va, SZ_64K, 0x5555aaaa);
	ctx_run(&b, &pb);
	for (uint64_t i = 0; i < SZ_64K / 4; i++) {
		igt_assert_eq_u32(a.dst_map[i], 0xaaaa5555);
		igt_assert_eq_u32(b.dst_map[i], 0x5555aaaa);
		igt_assert_eq_u32(a.src_map[i], 0);
		igt_assert_eq_u32(b.src_map[i], 0);
	}
	ctx_fini(&a);
	ctx_fini(&b);
}

/*
 * A pitched copy: 16 lines of 1000 bytes from a 4096-byte pitch to a
 * 2048-byte one; the bytes between the lines stay untouched.
 */
static void test_copy_pitched(void)
{
	const uint32_t lines = 16, len = 1000, sp = 4096, dp = 2048;
	uint8_t *s, *d;
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	s = (uint8_t *)c.src_map;
	d = (uint8_t *)c.dst_map;
	for (uint32_t i = 0; i < SZ_64K; i++)
		s[i] = (uint8_t)(i * 7 + 3);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	{
		uint32_t off[4] = { c.src_va >> 32, (uint32_t)c.src_va,
				    c.dst_va >> 32, (uint32_t)c.dst_va };
		uint32_t geo[4] = { sp, dp, len, lines };

		pb_inc(&pb, SUBC_CE, CE_OFFSET_IN_UPPER, off, 4);
		pb_inc(&pb, SUBC_CE, CE_PITCH_IN, geo, 4);
		pb_1(&pb, SUBC_CE, CE_LAUNCH_DMA, LAUNCH_NON_PIPELINED | LAUNCH_FLUSH |
		     LAUNCH_SRC_PITCH | LAUNCH_DST_PITCH | LAUNCH_MULTI_LINE);
	}
	ctx_run(&c, &pb);
	for (uint32_t l = 0; l < lines; l++)
		for (uint32_t x = 0; x < dp; x++)
			igt_assert_eq_u32(d[l * dp + x],
					  x < len ? (uint8_t)((l * sp + x) * 7 + 3) : 0);
	for (uint32_t i = lines * dp; i < SZ_64K; i++)
		igt_assert_eq_u32(d[i], 0);
	ctx_fini(&c);
}

/*
 * NULL mappings seen by the copy engine (#13): a copy from a NULL range
 * reads zeros, a memset into one is dropped without a fault.
 */
static void test_null_gpu(void)
{
	struct drm_nova_vm_bind_op op;
	uint64_t null_va;
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	null_va = c.pb_va + SZ_2M;
	op = (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP, .flags = NOVA_VM_BIND_OP_NULL,
		.va = null_va, .range = SZ_2M,
	};
	igt_assert_eq(__nova_vm_bind(fd, c.vm, 0, &op, 1, NULL, 0), 0);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		c.dst_map[i] = 0x99999999;
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, null_va + SZ_4K, c.dst_va, SZ_64K);
	pb_memset(&pb, null_va, SZ_64K, 0x12345678);
	ctx_run(&c, &pb);
	for (uint64_t i = 0; i < SZ_64K / 4; i++)
		igt_assert_eq_u32(c.dst_map[i], 0);
	igt_assert_eq(nova_vm_get_state(fd, c.vm).fault_count, 0);
	igt_assert_eq_u32(channel_state(c.ch).state, NOVA_CHANNEL_STATE_OK);
	ctx_fini(&c);
}

/*
 * fdinfo's drm-engine-copy grows with the file's EXECs, and only with
 * its own: another file that ran nothing stays at zero.
 */
static void test_fdinfo_copy(void)
{
	int other = drm_open_nova_render();
	long long t0, t;
	struct ctx c;
	struct pb pb;
	int i;

	t0 = nova_fdinfo_bytes(fd, "drm-engine-copy");
	igt_assert_f(t0 >= 0, "no drm-engine-copy in fdinfo\n");
	ctx_init(&c, SZ_1M);
	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, c.dst_va, SZ_1M);
	/* Until it moves: a coarse clock may count a short EXEC as 0 ns. */
	for (i = 0, t = t0; i < 50 && t == t0; i++) {
		ctx_run(&c, &pb);
		t = nova_fdinfo_bytes(fd, "drm-engine-copy");
	}
	igt_assert_f(t > t0, "drm-engine-copy stayed at %lld ns\n", t0);
	igt_assert_eq(nova_fdinfo_bytes(other, "drm-engine-copy"), 0);
	ctx_fini(&c);
	/* What destroyed channels used is kept. */
	igt_assert_lte(t, nova_fdinfo_bytes(fd, "drm-engine-copy"));
	close(other);
}

/* ---- VM_DESTROY with channels ---- */

/* Wait for @h to signal, at most 60 s (a bound, not a timing check). */
static bool wait_syncobj_bounded(uint32_t h)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return syncobj_wait(fd, &h, 1,
			    (now.tv_sec + 60) * 1000000000ll + now.tv_nsec,
			    0, NULL);
}

/* Run a copy of 4 KiB from @src_va to @dst_va on @ch and wait for it. */
static void run_copy(uint32_t ch, uint32_t *pb_map, uint64_t pb_va,
		     uint64_t src_va, uint64_t dst_va)
{
	uint32_t out = syncobj_create(fd, 0);
	struct pb pb = { .w = pb_map };

	pb_set_object(&pb);
	pb_copy(&pb, src_va, dst_va, SZ_4K);
	exec_one(ch, pb_va, pb.n * 4, 0, out);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	syncobj_destroy(fd, out);
}

/*
 * VM_DESTROY of a VM whose channels still have work: one idle (it ran a
 * copy), one with a job blocked on the GPU by a semaphore acquire nobody
 * releases and another queued behind it, one with a job waiting for a
 * sw_sync fence nobody signals. VM_DESTROY returns without waiting for
 * either; every pending fence fails with ESRCH, the channels are dead
 * with ESRCH and refuse EXECs with ECANCELED, and the GPU records no MMU
 * fault (it was stopped before the address space went). A new VM and
 * channel work: a copy lands, checked through mmap.
 */
static void test_destroy_vm_with_channels(void)
{
	uint32_t vm, src, dst, pbo, *src_map, *dst_map, *pb_map;
	uint64_t src_va = va_base, dst_va = va_base + SZ_2M;
	uint64_t pb_va = va_base + 2 * SZ_2M, faults;
	uint32_t ch_idle, ch_busy, ch_wait, out[3], in_obj;
	struct drm_nova_channel_get_state cs;
	struct drm_nova_exec_push push;
	uint32_t chans[3];
	int timeline, fence, i;
	struct pb pb;

	igt_require_sw_sync();
	faults = nova_sim_fault_count(fd);
	vm = nova_vm_create(fd);
	src = nova_gem_create(fd, SZ_64K);
	dst = nova_gem_create(fd, SZ_64K);
	pbo = nova_gem_create(fd, SZ_64K);
	nova_vm_map(fd, vm, src, 0, src_va, SZ_64K);
	nova_vm_map(fd, vm, dst, 0, dst_va, SZ_64K);
	nova_vm_map(fd, vm, pbo, 0, pb_va, SZ_64K);
	src_map = nova_gem_mmap(fd, src, SZ_64K);
	dst_map = nova_gem_mmap(fd, dst, SZ_64K);
	pb_map = nova_gem_mmap(fd, pbo, SZ_64K);
	for (i = 0; i < 1024; i++)
		src_map[i] = 0xd00d0000u + i;

	/* Idle: it ran one copy. */
	ch_idle = channel_create(fd, vm);
	run_copy(ch_idle, pb_map, pb_va, src_va, dst_va + 0x2000);
	igt_assert_eq_u32(dst_map[2048 + 17], 0xd00d0000u + 17);

	/* Busy: released a marker, then waits for dst[0] >= 1 forever. */
	ch_busy = channel_create(fd, vm);
	pb = (struct pb){ .w = pb_map + 1024 };
	pb_sem(&pb, dst_va + 16, 1, SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	pb_sem(&pb, dst_va, 1, SEM_EXECUTE_ACQ_GEQ);
	out[0] = syncobj_create(fd, 0);
	out[1] = syncobj_create(fd, 0);
	exec_one(ch_busy, pb_va + SZ_4K, pb.n * 4, 0, out[0]);
	/* Queued behind it on the same channel: a copy that must not land. */
	pb = (struct pb){ .w = pb_map + 2048 };
	pb_set_object(&pb);
	pb_copy(&pb, src_va, dst_va + 0x4000, SZ_4K);
	exec_one(ch_busy, pb_va + 0x2000, pb.n * 4, 0, out[1]);

	/* Waiting: a copy behind a sw_sync fence nobody signals. */
	ch_wait = channel_create(fd, vm);
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	in_obj = syncobj_create(fd, 0);
	syncobj_import_sync_file(fd, in_obj, fence);
	close(fence);
	out[2] = syncobj_create(fd, 0);
	exec_one(ch_wait, pb_va + 0x2000, pb.n * 4, in_obj, out[2]);

	/* The acquire is reached: the GPU runs the busy channel's job. */
	for (i = 0; i < 6000 && !((volatile uint32_t *)dst_map)[4]; i++)
		usleep(10 * 1000);
	igt_assert_eq_u32(dst_map[4], 1);
	igt_assert_eq(syncobj_status(out[0]), 0);
	igt_assert_eq(syncobj_status(out[2]), 0);

	nova_vm_destroy(fd, vm);

	for (i = 0; i < 3; i++) {
		igt_assert_f(wait_syncobj_bounded(out[i]),
			     "fence %d of the destroyed VM's channels pending\n", i);
		igt_assert_eq(syncobj_status(out[i]), -ESRCH);
	}
	chans[0] = ch_idle;
	chans[1] = ch_busy;
	chans[2] = ch_wait;
	push = (struct drm_nova_exec_push){ .va = pb_va, .len = 4 };
	for (i = 0; i < 3; i++) {
		cs = channel_state(chans[i]);
		igt_assert_eq_u32(cs.state, NOVA_CHANNEL_STATE_DEAD);
		igt_assert_eq(cs.error, -ESRCH);
		igt_assert_eq(__exec(fd, chans[i], &push, 1, NULL, 0), -ECANCELED);
	}
	igt_assert_eq_u64(channel_state(ch_idle).completed, 1);
	igt_assert_eq_u64(channel_state(ch_busy).submitted, 2);
	igt_assert_eq_u64(channel_state(ch_busy).completed, 2);
	/* Stopped before its mappings went: no fault, nothing copied. */
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults);
	for (i = 0; i < 1024; i++)
		igt_assert_eq_u32(dst_map[4096 + i], 0);
	for (i = 0; i < 3; i++)
		igt_assert_eq(__channel_destroy(fd, chans[i], 0), 0);

	/* The fence nobody waits for any more signals late: nothing runs. */
	sw_sync_timeline_inc(timeline, 1);
	close(timeline);

	/* A new VM and channel work. */
	vm = nova_vm_create(fd);
	nova_vm_map(fd, vm, src, 0, src_va, SZ_64K);
	nova_vm_map(fd, vm, dst, 0, dst_va, SZ_64K);
	nova_vm_map(fd, vm, pbo, 0, pb_va, SZ_64K);
	ch_idle = channel_create(fd, vm);
	run_copy(ch_idle, pb_map, pb_va, src_va, dst_va + 0x8000);
	for (i = 0; i < 1024; i++)
		igt_assert_eq_u32(dst_map[8192 + i], 0xd00d0000u + i);
	/* The cancelled copy never landed, not even late. */
	igt_assert_eq_u32(dst_map[4096], 0);
	igt_assert_eq_u32(dst_map[4096 + 1023], 0);
	igt_assert_eq(nova_vm_get_state(fd, vm).fault_count, 0);
	igt_assert_eq_u64(nova_sim_fault_count(fd), faults);
	igt_assert_eq(__channel_destroy(fd, ch_idle, 0), 0);
	nova_vm_destroy(fd, vm);

	for (i = 0; i < 3; i++)
		syncobj_destroy(fd, out[i]);
	syncobj_destroy(fd, in_obj);
	munmap(src_map, SZ_64K);
	munmap(dst_map, SZ_64K);
	munmap(pb_map, SZ_64K);
	gem_close(fd, src);
	gem_close(fd, dst);
	gem_close(fd, pbo);
}

/* ---- implicit sync with dma-buf importers ---- */

static int prime_export(uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	return dmabuf;
}

/* The status of a sync_file: 1 signalled, 0 pending, < 0 its error. */
static int sync_file_status(int sfd)
{
	struct sync_file_info info = {};

	igt_assert_eq(ioctl(sfd, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

/* DMA_BUF_IOCTL_EXPORT_SYNC_FILE: what a reader (or writer) must wait for. */
static int dmabuf_export_sync_file(int dmabuf, uint32_t flags)
{
	struct dma_buf_export_sync_file arg = { .flags = flags, .fd = -1 };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &arg), 0);
	igt_assert_lte(0, arg.fd);
	return arg.fd;
}

/* DMA_BUF_IOCTL_IMPORT_SYNC_FILE: @sfd's fence joins the reservation. */
static void dmabuf_import_sync_file(int dmabuf, uint32_t flags, int sfd)
{
	struct dma_buf_import_sync_file arg = { .flags = flags, .fd = sfd };

	igt_assert_eq(ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &arg), 0);
}

/* poll() of a dma-buf, not waiting: true if @events are ready. */
static bool dmabuf_idle(int dmabuf, short events)
{
	struct pollfd p = { .fd = dmabuf, .events = events };

	igt_assert_lte(0, poll(&p, 1, 0));
	return p.revents & events;
}

/*
 * Publishing an EXEC's write to importers: an EXEC blocked on a semaphore
 * acquire copies into an exported object. Its fence alone is not visible
 * to importers (BOOKKEEP); once userspace imports it into the dma-buf as
 * a write (out-fence -> syncobj -> sync_file -> IMPORT_SYNC_FILE), poll()
 * and EXPORT_SYNC_FILE show the dma-buf busy until the CPU releases the
 * semaphore; then it is idle and the copy is visible through mmap of the
 * dma-buf and of the object imported by another file.
 */
static void test_implicit_sync_export(void)
{
	int dmabuf, sfd, rd_sfd, fd2;
	uint32_t out, imported, *dmabuf_map, *imp_map;
	struct ctx c;
	struct pb pb;

	ctx_init(&c, SZ_64K);
	for (int i = 0; i < 1024; i++)
		c.src_map[1024 + i] = 0xe4a00000u + i;
	pb = (struct pb){ .w = c.pb_map };
	pb_sem(&pb, c.src_va, 1, SEM_EXECUTE_ACQ_GEQ);
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va + SZ_4K, c.dst_va, SZ_4K);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, 0, out);

	dmabuf = prime_export(c.dst);
	/* The EXEC's own fence is BOOKKEEP: importers do not see it. */
	igt_assert(dmabuf_idle(dmabuf, POLLIN));
	igt_assert(dmabuf_idle(dmabuf, POLLOUT));

	sfd = syncobj_handle_to_fd(fd, out,
				   DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	igt_assert_lte(0, sfd);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_WRITE, sfd);
	close(sfd);

	/* Readers and writers must now wait for the EXEC. */
	igt_assert(!dmabuf_idle(dmabuf, POLLIN));
	igt_assert(!dmabuf_idle(dmabuf, POLLOUT));
	rd_sfd = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_assert_eq(sync_file_status(rd_sfd), 0);
	igt_assert_eq(syncobj_status(out), 0);
	igt_assert_eq_u32(c.dst_map[0], 0);

	c.src_map[0] = 1;	/* release the semaphore */
	{
		/* A sync_file polls readable once signalled; 60 s is a bound. */
		struct pollfd p = { .fd = rd_sfd, .events = POLLIN };

		igt_assert_eq(poll(&p, 1, 60000), 1);
	}
	igt_assert_eq(sync_file_status(rd_sfd), 1);
	{
		struct pollfd p = { .fd = dmabuf, .events = POLLIN };

		igt_assert_eq(poll(&p, 1, 60000), 1);
	}
	igt_assert(dmabuf_idle(dmabuf, POLLOUT));
	igt_assert_eq(syncobj_status(out), 1);
	close(rd_sfd);

	dmabuf_map = mmap(NULL, SZ_64K, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(dmabuf_map != MAP_FAILED);
	fd2 = drm_reopen_driver(fd);
	igt_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &imported), 0);
	imp_map = nova_gem_mmap(fd2, imported, SZ_64K);
	for (int i = 0; i < 1024; i++) {
		igt_assert_eq_u32(dmabuf_map[i], 0xe4a00000u + i);
		igt_assert_eq_u32(imp_map[i], 0xe4a00000u + i);
	}
	igt_assert_eq_u32(imp_map[1024], 0);
	munmap(imp_map, SZ_64K);
	munmap(dmabuf_map, SZ_64K);
	drm_close_driver(fd2);
	close(dmabuf);
	syncobj_destroy(fd, out);
	ctx_fini(&c);
}

/*
 * Consuming another device's write: a sw_sync fence stands for a foreign
 * writer and is imported into the source object's dma-buf as a write. An
 * EXEC without syncs does not wait for it (nova's EXEC leaves READ/WRITE
 * fences to userspace); one that waits for the dma-buf's
 * EXPORT_SYNC_FILE fence (sync_file -> syncobj -> wait sync) copies only
 * once the sw_sync fence signalled: the "foreign" data written by the CPU
 * before the signal, after the EXEC was queued, is what lands.
 */
static void test_implicit_sync_import(void)
{
	int dmabuf, timeline, fence, rd_sfd;
	uint32_t in_obj, out, out2;
	struct ctx c;
	struct pb pb;

	igt_require_sw_sync();
	ctx_init(&c, SZ_64K);
	for (int i = 0; i < 1024; i++)
		c.src_map[i] = 0x01d00000u + i;	/* stale data */

	dmabuf = prime_export(c.src);
	timeline = sw_sync_timeline_create();
	fence = sw_sync_timeline_create_fence(timeline, 1);
	dmabuf_import_sync_file(dmabuf, DMA_BUF_SYNC_WRITE, fence);
	close(fence);
	igt_assert(!dmabuf_idle(dmabuf, POLLIN));

	/* A read of the object must wait for the foreign write. */
	rd_sfd = dmabuf_export_sync_file(dmabuf, DMA_BUF_SYNC_READ);
	igt_assert_eq(sync_file_status(rd_sfd), 0);
	in_obj = syncobj_create(fd, 0);
	syncobj_import_sync_file(fd, in_obj, rd_sfd);
	close(rd_sfd);

	pb = (struct pb){ .w = c.pb_map };
	pb_set_object(&pb);
	pb_copy(&pb, c.src_va, c.dst_va, SZ_4K);
	out = syncobj_create(fd, 0);
	exec_one(c.ch, c.pb_va, pb.n * 4, in_obj, out);

	/* Without the wait sync, an EXEC runs: a release lands at dst+8K. */
	pb = (struct pb){ .w = c.pb_map + 1024 };
	pb_sem(&pb, c.dst_va + 0x2000, 0x600d, SEM_EXECUTE_RELEASE | SEM_EXECUTE_RELEASE_WFI);
	out2 = syncobj_create(fd, 0);
	{
		uint32_t ch2 = channel_create(fd, c.vm);

		exec_one(ch2, c.pb_va + SZ_4K, pb.n * 4, 0, out2);
		wait_syncobj(out2);
		igt_assert_eq(syncobj_status(out2), 1);
		igt_assert_eq_u32(c.dst_map[2048], 0x600d);
		igt_assert_eq(__channel_destroy(fd, ch2, 0), 0);
	}

	/* The foreign writer writes, then signals: the copy sees its data. */
	igt_assert_eq(syncobj_status(out), 0);
	igt_assert_eq_u32(c.dst_map[0], 0);
	for (int i = 0; i < 1024; i++)
		c.src_map[i] = 0xf0e10000u + i;
	sw_sync_timeline_inc(timeline, 1);
	wait_syncobj(out);
	igt_assert_eq(syncobj_status(out), 1);
	for (int i = 0; i < 1024; i++)
		igt_assert_eq_u32(c.dst_map[i], 0xf0e10000u + i);
	igt_assert(dmabuf_idle(dmabuf, POLLIN));

	close(timeline);
	close(dmabuf);
	syncobj_destroy(fd, out);
	syncobj_destroy(fd, out2);
	syncobj_destroy(fd, in_obj);
	ctx_fini(&c);
}

igt_main
{
	igt_fixture {
		fd = drm_open_nova_render();
		copy_class = nova_get_param(fd, NOVA_GETPARAM_COPY_CLASS);
		va_base = ALIGN(nova_get_param(fd, NOVA_GETPARAM_VA_START), SZ_2M);
		igt_require_f(copy_class, "no user channels on this GPU\n");
	}

	igt_describe("Copy 4 KiB from one object to another with the copy engine; "
		     "check the data through mmap.");
	igt_subtest("copy-4k")
		test_copy(SZ_4K);

	igt_describe("Copy 64 KiB with the copy engine, across 4 KiB pages.");
	igt_subtest("copy-64k")
		test_copy(SZ_64K);

	igt_describe("Fill a 4 KiB range with the copy engine's remap-constant "
		     "memset; the bytes around it stay zero.");
	igt_subtest("memset")
		test_memset();

	igt_describe("A host semaphore release is visible through mmap; the "
		     "channel counts the EXEC submitted and completed.");
	igt_subtest("sem-release")
		test_sem_release();

	igt_describe("An EXEC runs after an async bind of its VM submitted before "
		     "it, without being passed the bind's fence.");
	igt_subtest("exec-after-async-bind")
		test_exec_after_async_bind();

	igt_describe("A copy to an unmapped VA: the fence fails with EFAULT, the "
		     "channel is dead, the VM records the fault, another channel "
		     "works.");
	igt_subtest("fault-unmapped")
		test_fault_unmapped();

	igt_describe("An EXEC that never finishes fails with ETIMEDOUT after the "
		     "EXEC timeout; its channel is dead, a new one works.");
	igt_subtest("timeout")
		test_timeout();

	igt_describe("Unmapping and closing the destination of a queued EXEC: the "
		     "unmap waits for it, the copy lands in the old object, an "
		     "object allocated meanwhile stays zeroed.");
	igt_subtest("unmap-queued")
		test_unmap_queued();

	igt_describe("Every field of CHANNEL_CREATE, CHANNEL_DESTROY, EXEC and "
		     "CHANNEL_GET_STATE is checked, errno by value; failed calls "
		     "queue nothing.");
	igt_subtest("bad-input")
		test_bad_input();

	igt_describe("Closing a file with a job blocked on the GPU and one queued "
		     "frees everything once the timeout ends the job.");
	igt_subtest("close-with-running")
		test_close_with_running();

	igt_describe("Copy 64 MiB with the copy engine, across 2 MiB pages.");
	igt_subtest("copy-64m")
		test_copy(SZ_64M);

	igt_describe("A pitched copy of 16 lines between different pitches; the "
		     "bytes between the lines stay untouched.");
	igt_subtest("copy-pitched")
		test_copy_pitched();

	igt_describe("An acquire the CPU satisfies later through mmap: the fence "
		     "does not signal before, not even after the push's own "
		     "non-stall interrupt.");
	igt_subtest("acquire-cpu")
		test_acquire_cpu();

	igt_describe("A memset into a read-only mapping faults and writes "
		     "nothing.");
	igt_subtest("readonly-fault")
		test_readonly_fault();

	igt_describe("A pushbuffer cannot write the channel's ring nor physical "
		     "VRAM; the kernel's fences still hold.");
	igt_subtest("forge")
		test_forge();

	igt_describe("A VM's most channels work at once; one more is refused "
		     "with ENOSPC.");
	igt_subtest("many-channels")
		test_many_channels();

	igt_describe("Two VMs map different objects at the same VAs: each "
		     "channel writes its own VM's object.");
	igt_subtest("two-vms")
		test_two_vms();

	igt_describe("Copy-engine reads of a NULL mapping return zeros, writes "
		     "to it are dropped, without a fault.");
	igt_subtest("null-gpu")
		test_null_gpu();

	igt_describe("Implicit sync, exporting: an EXEC's out-fence imported "
		     "into a dma-buf (IMPORT_SYNC_FILE) keeps it busy for "
		     "poll() and EXPORT_SYNC_FILE until the EXEC, held by a "
		     "semaphore the CPU releases, is done; the data is then "
		     "visible through mmap of the dma-buf and of an import.");
	igt_subtest("implicit-sync-export")
		test_implicit_sync_export();

	igt_describe("Implicit sync, importing: an EXEC waiting for a dma-buf's "
		     "EXPORT_SYNC_FILE fence copies only after the foreign "
		     "(sw_sync) write fence imported into it signals; one "
		     "without that wait sync does not wait.");
	igt_subtest("implicit-sync-import")
		test_implicit_sync_import();

	igt_describe("VM_DESTROY of a VM with an idle channel, one blocked on a "
		     "semaphore acquire and one waiting for a sw_sync fence: "
		     "it does not wait, their fences fail with ESRCH, no MMU "
		     "fault is recorded, and a new VM and channel copy.");
	igt_subtest("destroy-vm-with-channels")
		test_destroy_vm_with_channels();

	igt_describe("fdinfo's drm-engine-copy grows with the file's EXECs only.");
	igt_subtest("fdinfo-copy")
		test_fdinfo_copy();

	igt_fixture
		drm_close_driver(fd);
}
