// SPDX-License-Identifier: MIT
/*
 * nova_fuzz - seeded, time-bounded random sequences of nova ioctls.
 *
 * Several processes, each with its own DRM files, run random valid and
 * invalid GEM, mmap, VM, VM_BIND, channel and EXEC calls. Every invalid call must fail
 * with the documented errno and change nothing; valid ones must succeed.
 * When all files are closed, VRAM_USED and BAR1_USED must return to what
 * they were before.
 *
 *   NOVA_FUZZ_SEED=<n>     reproduce a run (the seed is printed)
 *   NOVA_FUZZ_SECONDS=<n>  total time budget, default 20
 */
#include <sys/wait.h>

#include "igt.h"
#include "igt_syncobj.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Run seeded random sequences of valid and invalid nova "
		     "ioctls from several processes; check errnos and that "
		     "VRAM and BAR1 usage return to their baseline.");

#define NCHILDREN	3
#define MAX_BOS		24
#define MAX_CHILD_VMS	6
#define MAX_CHILD_CHANS	8
#define CHILD_VRAM	(48ull << 20)
#define VA_WINDOW	(64ull << 20)
#define BAD_ID		0x40000000u

static int fd = -1;
static uint32_t copy_class;

struct fuzz {
	int child;
	int fd;
	uint64_t rng;
	unsigned long n;	/* calls made */
	unsigned long invalid;	/* of which invalid */
	const char *what;	/* the current call, for failure messages */
	uint64_t va_start, va_base, va_end, max_bo;
	struct { uint32_t handle; uint64_t size; } bos[MAX_BOS];
	unsigned int nbos;
	uint64_t bo_bytes;
	uint32_t vms[MAX_CHILD_VMS];
	unsigned int nvms;
	struct { uint32_t id, vm; } chans[MAX_CHILD_CHANS];
	unsigned int nchans;
	uint32_t out;		/* binary syncobj for async binds */
	char buf[512];
};

static uint64_t rnd(struct fuzz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ull;
}

static uint64_t below(struct fuzz *f, uint64_t n)
{
	return n ? rnd(f) % n : 0;
}

static void __check_err(struct fuzz *f, int got, int expect)
{
	igt_assert_f(got == expect,
		     "child %d call %lu (%s): got %d (%s), expected %d (%s)\n",
		     f->child, f->n, f->what, got, strerror(-got), expect,
		     strerror(-expect));
}

#define check_err(f, got, expect) __check_err((f), (got), (expect))

static unsigned int pick_bo(struct fuzz *f)
{
	return below(f, f->nbos);
}

static uint32_t pick_vm(struct fuzz *f)
{
	return f->vms[below(f, f->nvms)];
}

/* A handle / VM id this file never handed out. */
static uint32_t bad_id(struct fuzz *f)
{
	return BAD_ID + below(f, 1 << 20);
}

static void do_gem_create(struct fuzz *f)
{
	uint64_t size;
	uint32_t handle = 0;
	int err;

	if (f->nbos == MAX_BOS)
		return;
	switch (below(f, 8)) {
	case 0:
		size = SZ_2M * (1 + below(f, 2));
		break;
	case 1:
		size = SZ_64K * (1 + below(f, 32));
		break;
	default:
		size = SZ_4K * (1 + below(f, 16));
		break;
	}
	if (f->bo_bytes + size > CHILD_VRAM)
		return;
	f->what = "GEM_CREATE";
	err = __nova_gem_create(f->fd, &size, 0, &handle);
	check_err(f, err, 0);
	f->bos[f->nbos].handle = handle;
	f->bos[f->nbos].size = size;
	f->nbos++;
	f->bo_bytes += size;
}

static void do_gem_create_invalid(struct fuzz *f)
{
	uint64_t size = SZ_4K;
	uint32_t flags = 0, handle = 0;

	switch (below(f, 4)) {
	case 0:
		f->what = "GEM_CREATE with flags";
		flags = 1u << below(f, 32);
		break;
	case 1:
		f->what = "GEM_CREATE of size 0";
		size = 0;
		break;
	case 2:
		f->what = "GEM_CREATE of an unaligned size";
		size = SZ_4K * below(f, 8) + 1 + below(f, SZ_4K - 1);
		break;
	default:
		f->what = "GEM_CREATE beyond MAX_BO_SIZE";
		size = ALIGN(f->max_bo + 1 + below(f, SZ_2M), SZ_4K);
		break;
	}
	f->invalid++;
	check_err(f, __nova_gem_create(f->fd, &size, flags, &handle), -EINVAL);
}

static void drop_bo(struct fuzz *f, unsigned int i)
{
	f->bo_bytes -= f->bos[i].size;
	f->bos[i] = f->bos[--f->nbos];
}

static void do_gem_close(struct fuzz *f)
{
	unsigned int i;

	if (!f->nbos || below(f, 3) == 0) {
		struct drm_gem_close c = { .handle = bad_id(f) };
		int err = 0;

		f->what = "GEM_CLOSE of an unknown handle";
		f->invalid++;
		if (igt_ioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &c))
			err = -errno;
		check_err(f, err, -EINVAL);
		return;
	}
	i = pick_bo(f);
	f->what = "GEM_CLOSE";
	check_err(f, __gem_close(f->fd, f->bos[i].handle), 0);
	drop_bo(f, i);
}

static void do_gem_info(struct fuzz *f)
{
	struct drm_nova_gem_info info = { };
	uint64_t size = 0;
	int err = 0;

	switch (f->nbos ? below(f, 3) : 1) {
	case 0: {
		unsigned int i = pick_bo(f);

		f->what = "GEM_INFO";
		check_err(f, __nova_gem_info(f->fd, f->bos[i].handle, &size, NULL), 0);
		igt_assert_eq_u64(size, f->bos[i].size);
		return;
	}
	case 1:
		f->what = "GEM_INFO of an unknown handle";
		f->invalid++;
		check_err(f, __nova_gem_info(f->fd, bad_id(f), &size, NULL), -ENOENT);
		return;
	default:
		f->what = "GEM_INFO with pad";
		f->invalid++;
		info.handle = f->bos[pick_bo(f)].handle;
		info.pad = 1 + below(f, 0xffff);
		if (igt_ioctl(f->fd, DRM_IOCTL_NOVA_GEM_INFO, &info))
			err = -errno;
		check_err(f, err, -EINVAL);
		return;
	}
}

static void do_mmap(struct fuzz *f)
{
	unsigned int i;
	uint64_t size, offset, len;
	uint32_t *p;

	if (!f->nbos)
		return;
	i = pick_bo(f);
	size = f->bos[i].size;
	offset = nova_gem_mmap_offset(f->fd, f->bos[i].handle);

	if (below(f, 8) == 0) {
		f->what = "mmap past the end of an object";
		f->invalid++;
		p = mmap(NULL, size + SZ_4K, PROT_READ, MAP_SHARED, f->fd, offset);
		igt_assert_f(p == MAP_FAILED, "child %d call %lu: %s succeeded\n",
			     f->child, f->n, f->what);
		return;
	}

	f->what = "mmap and touch";
	len = SZ_4K * (1 + below(f, size / SZ_4K));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, offset);
	igt_assert_f(p != MAP_FAILED, "child %d call %lu: mmap of %llu bytes: %m\n",
		     f->child, f->n, (unsigned long long)len);
	for (unsigned int k = 0; k < 4; k++) {
		uint64_t w = below(f, len / 4);
		uint32_t v = rnd(f);

		p[w] = v;
		igt_assert_f(p[w] == v, "child %d call %lu: word %llu reads 0x%08x, wrote 0x%08x\n",
			     f->child, f->n, (unsigned long long)w, p[w], v);
	}
	igt_assert_eq(munmap(p, len), 0);
}

static void do_vm_create(struct fuzz *f)
{
	uint32_t id = 0;

	if (below(f, 4) == 0) {
		f->what = "VM_CREATE with flags";
		f->invalid++;
		check_err(f, __nova_vm_create(f->fd, 1u << below(f, 32), &id), -EINVAL);
		return;
	}
	if (f->nvms == MAX_CHILD_VMS)
		return;
	f->what = "VM_CREATE";
	check_err(f, __nova_vm_create(f->fd, 0, &id), 0);
	f->vms[f->nvms++] = id;
}

static int chan_create(struct fuzz *f, uint32_t vm, uint32_t hclass,
		       uint32_t flags, uint32_t *id)
{
	struct drm_nova_channel_create c = {
		.vm_id = vm, .hclass = hclass, .flags = flags,
	};
	int err = 0;

	if (igt_ioctl(f->fd, DRM_IOCTL_NOVA_CHANNEL_CREATE, &c))
		err = -errno;
	else
		*id = c.id;
	errno = 0;
	return err;
}

static int chan_destroy(struct fuzz *f, uint32_t id)
{
	struct drm_nova_channel_destroy d = { .id = id };
	int err = 0;

	if (igt_ioctl(f->fd, DRM_IOCTL_NOVA_CHANNEL_DESTROY, &d))
		err = -errno;
	errno = 0;
	return err;
}

static void drop_chan(struct fuzz *f, unsigned int i)
{
	f->what = "CHANNEL_DESTROY";
	check_err(f, chan_destroy(f, f->chans[i].id), 0);
	f->chans[i] = f->chans[--f->nchans];
}

/* A VM's channels go before the VM: EXECs on them would fail. */
static void destroy_vm_chans(struct fuzz *f, uint32_t vm)
{
	unsigned int i = 0;

	while (i < f->nchans) {
		if (f->chans[i].vm == vm)
			drop_chan(f, i);
		else
			i++;
	}
}

/* Channels and EXECs with no pushes (they only order their syncs). */
static void do_channel(struct fuzz *f)
{
	struct drm_nova_sync sig = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL, .handle = f->out,
	};
	struct drm_nova_exec e = {
		.syncs = { sizeof(sig), 1, to_user_pointer(&sig) },
	};
	uint32_t id = 0;
	int err;

	switch (below(f, 6)) {
	case 0:
		f->what = "CHANNEL_CREATE with flags";
		f->invalid++;
		check_err(f, chan_create(f, f->nvms ? pick_vm(f) : bad_id(f),
					 copy_class, 1u << below(f, 32), &id),
			  -EINVAL);
		return;
	case 1:
		f->what = "CHANNEL_DESTROY of an unknown id";
		f->invalid++;
		check_err(f, chan_destroy(f, bad_id(f)), -ENOENT);
		return;
	case 2:
		if (!f->nvms || f->nchans == MAX_CHILD_CHANS)
			return;
		f->what = "CHANNEL_CREATE";
		e.channel = pick_vm(f);
		err = chan_create(f, e.channel, copy_class, 0, &id);
		check_err(f, err, copy_class ? 0 : -ENODEV);
		if (!err) {
			f->chans[f->nchans].id = id;
			f->chans[f->nchans].vm = e.channel;
			f->nchans++;
		}
		return;
	case 3:
		if (f->nchans)
			drop_chan(f, below(f, f->nchans));
		return;
	case 4:
		if (!f->nchans)
			return;
		f->what = "EXEC without pushes";
		e.channel = f->chans[below(f, f->nchans)].id;
		err = igt_ioctl(f->fd, DRM_IOCTL_NOVA_EXEC, &e) ? -errno : 0;
		check_err(f, err, 0);
		return;
	default:
		f->what = "EXEC on an unknown channel";
		f->invalid++;
		e.channel = bad_id(f);
		err = igt_ioctl(f->fd, DRM_IOCTL_NOVA_EXEC, &e) ? -errno : 0;
		check_err(f, err, -ENOENT);
		return;
	}
}

static void do_vm_destroy(struct fuzz *f)
{
	unsigned int i;

	if (!f->nvms || below(f, 3) == 0) {
		f->what = "VM_DESTROY of an unknown id";
		f->invalid++;
		check_err(f, __nova_vm_destroy(f->fd, bad_id(f)), -ENOENT);
		return;
	}
	i = below(f, f->nvms);
	destroy_vm_chans(f, f->vms[i]);
	f->what = "VM_DESTROY";
	check_err(f, __nova_vm_destroy(f->fd, f->vms[i]), 0);
	f->vms[i] = f->vms[--f->nvms];
}

static struct drm_nova_vm_bind_op random_map(struct fuzz *f)
{
	unsigned int i = pick_bo(f);
	uint64_t pages = f->bos[i].size / SZ_4K;
	uint64_t first = below(f, pages);
	uint64_t n = 1 + below(f, pages - first);

	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP,
		.flags = below(f, 4) == 0 ? NOVA_VM_BIND_OP_READ_ONLY : 0,
		.handle = f->bos[i].handle,
		.bo_offset = first * SZ_4K,
		.va = f->va_base + SZ_4K * below(f, (VA_WINDOW - n * SZ_4K) / SZ_4K),
		.range = n * SZ_4K,
	};
}

/* A NULL map (no object: engines read zeroes, writes dropped). */
static struct drm_nova_vm_bind_op random_null(struct fuzz *f)
{
	uint64_t n = 1 + below(f, 1024);

	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP,
		.flags = NOVA_VM_BIND_OP_NULL,
		.va = f->va_base + SZ_4K * below(f, (VA_WINDOW - n * SZ_4K) / SZ_4K),
		.range = n * SZ_4K,
	};
}

static struct drm_nova_vm_bind_op random_unmap(struct fuzz *f)
{
	uint64_t n = 1 + below(f, 1024);

	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_UNMAP,
		.va = f->va_base + SZ_4K * below(f, (VA_WINDOW - n * SZ_4K) / SZ_4K),
		.range = n * SZ_4K,
	};
}

static void do_bind(struct fuzz *f)
{
	struct drm_nova_vm_bind_op ops[8];
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = f->out,
	};
	unsigned int nops = 1 + below(f, 8);
	bool async = below(f, 2);
	uint32_t vm;

	if (!f->nvms)
		return;
	vm = pick_vm(f);
	for (unsigned int k = 0; k < nops; k++)
		if (below(f, 6) == 0)
			ops[k] = random_null(f);
		else
			ops[k] = (f->nbos && below(f, 3)) ? random_map(f) : random_unmap(f);
	f->what = async ? "async VM_BIND" : "VM_BIND";
	check_err(f, __nova_vm_bind(f->fd, vm, async ? NOVA_VM_BIND_ASYNC : 0, ops, nops,
				    &sync, async && below(f, 2)), 0);
}

static void do_bind_invalid(struct fuzz *f)
{
	struct drm_nova_vm_bind_op op;
	struct drm_nova_sync sync = {
		.flags = NOVA_SYNC_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = f->out,
	};
	struct drm_nova_vm_get_state before, after;
	uint32_t vm, flags = 0, nsyncs = 0, nops = 1;
	int expect = -EINVAL;

	if (!f->nvms || !f->nbos)
		return;
	vm = pick_vm(f);
	op = random_map(f);
	switch (below(f, 20)) {
	case 0:
		f->what = "VM_BIND with an unaligned va";
		op.va += 1 + below(f, SZ_4K - 1);
		break;
	case 1:
		f->what = "VM_BIND of range 0";
		op.range = 0;
		break;
	case 2:
		f->what = "VM_BIND of an unaligned range";
		op.range += 1 + below(f, SZ_4K - 1);
		break;
	case 3:
		f->what = "VM_BIND below VA_START";
		op.va = SZ_4K * below(f, f->va_start / SZ_4K);
		break;
	case 4:
		f->what = "VM_BIND past VA_END";
		op.va = ALIGN_DOWN(f->va_end, SZ_4K) - op.range + SZ_4K * (1 + below(f, 16));
		break;
	case 5:
		f->what = "VM_BIND with an overflowing range";
		op = random_unmap(f);
		op.range = -op.va + SZ_4K * (1 + below(f, 16));
		break;
	case 6:
		f->what = "VM_BIND past the end of the object";
		for (unsigned int i = 0; i < f->nbos; i++)
			if (f->bos[i].handle == op.handle)
				op.range = f->bos[i].size - op.bo_offset +
					   SZ_4K * (1 + below(f, 16));
		break;
	case 7:
		f->what = "VM_BIND at an unaligned object offset";
		op.bo_offset += 1 + below(f, SZ_4K - 1);
		break;
	case 8:
		f->what = "VM_BIND of an unknown op";
		op.op = 2 + below(f, 1000);
		break;
	case 9:
		f->what = "VM_BIND with unknown op flags";
		op.flags |= 4u << below(f, 30);
		break;
	case 17:
		f->what = "VM_BIND NULL map with a handle";
		op.flags = NOVA_VM_BIND_OP_NULL;
		op.bo_offset = 0;
		break;
	case 18:
		f->what = "VM_BIND NULL map at an object offset";
		op = random_null(f);
		op.bo_offset = SZ_4K * (1 + below(f, 16));
		break;
	case 19:
		f->what = "VM_BIND read-only NULL map";
		op = random_null(f);
		op.flags |= NOVA_VM_BIND_OP_READ_ONLY;
		break;
	case 10:
		f->what = "VM_BIND unmap with a handle";
		op = random_unmap(f);
		op.handle = f->bos[pick_bo(f)].handle;
		break;
	case 11:
		f->what = "VM_BIND with pad";
		op.pad = 1 + below(f, 1000);
		break;
	case 12:
		f->what = "VM_BIND of an unknown handle";
		op.handle = below(f, 2) ? 0 : bad_id(f);
		expect = -ENOENT;
		break;
	case 13:
		f->what = "VM_BIND in an unknown VM";
		vm = bad_id(f);
		expect = -ENOENT;
		break;
	case 14:
		f->what = "synchronous VM_BIND with syncs";
		nsyncs = 1;
		break;
	case 15:
		f->what = "VM_BIND with unknown flags";
		flags = 2u << below(f, 31);
		break;
	default:
		f->what = "VM_BIND of 0 ops";
		nops = 0;
		break;
	}
	f->invalid++;
	snprintf(f->buf, sizeof(f->buf),
		 "%s: vm %u flags 0x%x nops %u nsyncs %u op %u flags 0x%x handle %u pad %u "
		 "bo_offset 0x%llx va 0x%llx range 0x%llx", f->what, vm, flags, nops, nsyncs,
		 op.op, op.flags, op.handle, op.pad, (unsigned long long)op.bo_offset,
		 (unsigned long long)op.va, (unsigned long long)op.range);
	for (unsigned int i = 0; i < f->nbos; i++)
		if (f->bos[i].handle == op.handle)
			snprintf(f->buf + strlen(f->buf), sizeof(f->buf) - strlen(f->buf),
				 " (object size 0x%llx)", (unsigned long long)f->bos[i].size);
	f->what = f->buf;
	before = nova_vm_get_state(f->fd, pick_vm(f));
	check_err(f, __nova_vm_bind(f->fd, vm, flags, &op, nops, &sync, nsyncs), expect);
	/* a failed call changes nothing */
	after = nova_vm_get_state(f->fd, before.vm_id);
	igt_assert_eq_u32(after.num_mappings, before.num_mappings);
	igt_assert_eq_u64(after.mapped_bytes, before.mapped_bytes);
}

static void do_get_state(struct fuzz *f)
{
	struct drm_nova_vm_get_state st = { };

	if (!f->nvms || below(f, 4) == 0) {
		f->what = "VM_GET_STATE of an unknown VM";
		f->invalid++;
		st.vm_id = bad_id(f);
		check_err(f, __nova_vm_get_state(f->fd, &st), -ENOENT);
		return;
	}
	f->what = "VM_GET_STATE";
	st.vm_id = pick_vm(f);
	check_err(f, __nova_vm_get_state(f->fd, &st), 0);
	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_lte_u64(st.mapped_bytes, VA_WINDOW);
}

static void do_wait(struct fuzz *f)
{
	struct timespec now;

	/* the syncobj starts signalled; async binds replace its fence */
	f->what = "syncobj wait on the last async bind";
	clock_gettime(CLOCK_MONOTONIC, &now);
	igt_assert_f(syncobj_wait(f->fd, &f->out, 1,
				  (now.tv_sec + 10) * 1000000000ll + now.tv_nsec, 0, NULL),
		     "child %d call %lu: async bind out-fence not signalled in 10 s\n",
		     f->child, f->n);
}

static void open_file(struct fuzz *f)
{
	f->fd = drm_reopen_driver(fd);
	f->out = syncobj_create(f->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	f->nbos = f->nvms = f->nchans = 0;
	f->bo_bytes = 0;
}

/* Close everything explicitly, or only the file (its postclose cleans up). */
static void close_file(struct fuzz *f)
{
	if (below(f, 2)) {
		while (f->nchans)
			drop_chan(f, f->nchans - 1);
		while (f->nvms) {
			f->nvms--;
			check_err(f, __nova_vm_destroy(f->fd, f->vms[f->nvms]), 0);
		}
		while (f->nbos) {
			f->nbos--;
			check_err(f, __gem_close(f->fd, f->bos[f->nbos].handle), 0);
		}
		syncobj_destroy(f->fd, f->out);
	}
	drm_close_driver(f->fd);
	f->fd = -1;
}

static void child(int n, uint64_t seed, uint64_t deadline)
{
	struct fuzz f = {
		.child = n,
		.rng = (seed + 0x9e3779b97f4a7c15ull * (n + 1)) | 1,
	};

	f.va_start = nova_get_param(fd, NOVA_GETPARAM_VA_START);
	f.va_base = ALIGN(f.va_start, SZ_2M);
	f.va_end = nova_get_param(fd, NOVA_GETPARAM_VA_END);
	f.max_bo = nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE);
	open_file(&f);

	while (nova_time_ms() < deadline) {
		f.n++;
		switch (below(&f, 26)) {
		case 0 ... 2:
			do_gem_create(&f);
			break;
		case 3:
			do_gem_create_invalid(&f);
			break;
		case 4 ... 5:
			do_gem_close(&f);
			break;
		case 6:
			do_gem_info(&f);
			break;
		case 7 ... 8:
			do_mmap(&f);
			break;
		case 9:
			do_vm_create(&f);
			break;
		case 10:
			do_vm_destroy(&f);
			break;
		case 11 ... 15:
			do_bind(&f);
			break;
		case 16 ... 19:
			do_bind_invalid(&f);
			break;
		case 20:
			do_get_state(&f);
			break;
		case 21:
			do_wait(&f);
			break;
		case 23 ... 24:
			do_channel(&f);
			break;
		case 22:
			if (below(&f, 16) == 0) {
				close_file(&f);
				open_file(&f);
			}
			break;
		default:
			if (f.nvms < 2)
				do_vm_create(&f);
			else if (f.nbos < 4)
				do_gem_create(&f);
			else
				do_bind(&f);
			break;
		}
	}
	igt_info("child %d: %lu calls, %lu invalid\n", n, f.n, f.invalid);
	close_file(&f);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void test_random(void)
{
	uint64_t seed, total, vram0, bar0, vram, bar, start, deadline;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	seed = env_u64("NOVA_FUZZ_SEED", (uint64_t)ts.tv_sec * 1000003ull ^ ts.tv_nsec ^ getpid());
	total = env_u64("NOVA_FUZZ_SECONDS", 20);
	igt_require(total >= 2);
	igt_info("seed 0x%llx (NOVA_FUZZ_SEED=0x%llx to reproduce), %llu s\n",
		 (unsigned long long)seed, (unsigned long long)seed,
		 (unsigned long long)total);

	vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	bar0 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	igt_require(nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE) - vram0 >=
		    NCHILDREN * CHILD_VRAM + (64ull << 20));

	/* leave 5 s of the budget for freeing */
	start = nova_time_ms();
	deadline = start + (total > 8 ? total - 5 : total / 2) * 1000;
	igt_fork(c, NCHILDREN)
		child(c, seed, deadline);
	igt_waitchildren();

	/* binds and frees finish asynchronously: poll */
	for (start = nova_time_ms();;) {
		vram = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
		bar = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
		if ((vram <= vram0 && bar <= bar0) || nova_time_ms() - start > NOVA_SETTLE_MS)
			break;
		usleep(20 * 1000);
	}
	igt_info("VRAM used %llu (baseline %llu), BAR1 used %llu (baseline %llu)\n",
		 (unsigned long long)vram, (unsigned long long)vram0,
		 (unsigned long long)bar, (unsigned long long)bar0);
	igt_assert_f(vram <= vram0, "VRAM leaked: %lld bytes (seed 0x%llx)\n",
		     (long long)(vram - vram0), (unsigned long long)seed);
	igt_assert_f(bar <= bar0, "BAR1 leaked: %lld bytes (seed 0x%llx)\n",
		     (long long)(bar - bar0), (unsigned long long)seed);
}

igt_main
{
	igt_fixture {
		fd = drm_open_nova_render();
		copy_class = nova_get_param(fd, NOVA_GETPARAM_COPY_CLASS);
	}

	igt_describe("Random valid and invalid GEM, mmap, VM, VM_BIND, channel and EXEC calls from "
		     "3 processes; errnos as documented, no VRAM or BAR1 leaked.");
	igt_subtest("random-ioctls")
		test_random();

	igt_fixture
		drm_close_driver(fd);
}
