// SPDX-License-Identifier: MIT
/*
 * nova_inject - allocation failures injected into every allocating call
 * with the kernel's own fault injection (fail-nth), as syzkaller does.
 *
 * For a call C and N = 1, 2, ...: write N to /proc/thread-self/fail-nth,
 * make C, read the file back and write 0. The N-th fault-injection point
 * (a slab or a page allocation) this thread reaches fails; the file then
 * reads 0, else what was left of N. Until C no longer reaches N points,
 * C must either fail with the errno the kernel documents for that
 * allocation and change nothing, or succeed anyway (an allocation whose
 * failure the kernel tolerates: kmemleak's metadata, a slab falling back
 * to a smaller page order, the buddy allocator retrying with smaller
 * blocks, drm_exec allocating its array later) and leave what a success
 * leaves. The loop stops at the first N that does not fire, which must
 * succeed.
 *
 * "Nothing changed" is checked against a snapshot taken just before the
 * call: VRAM_USED, BAR1_USED, nova_usage's bar1_evictions, the GEM
 * handles and VM ids that exist in the file(s), the VM's VM_GET_STATE
 * (state, bind_error, num_mappings, mapped_bytes, pt_bytes, faults), the
 * timeline syncobj's last submitted point, the process's open files and
 * the process's VMs and mappings as debugfs nova_vms lists them. A
 * successful call must leave what the same call without injection left
 * (a reference call made first), and after the test undoes it the state
 * must return to what it was before (which also catches leaks).
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * CONFIG_FAULT_INJECTION_DEBUG_FS, with failslab's ignore-gfp-wait=N
 * (GFP_KERNEL allocations are no injection points otherwise), probability
 * 0 and verbose 0, as the guest's init sets them. Skips otherwise.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>

#include "igt.h"
#include "igt_syncobj.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Inject an allocation failure at every fault-injection "
		     "point (fail-nth) of nova's allocating ioctls and of a "
		     "CPU fault on a mapping: each call fails with the "
		     "documented errno and changes nothing, or succeeds.");

#define NSEC_PER_SEC	1000000000ll

/* Give up past this many injection points in one call. */
#define MAX_INJECT	2000
/* Handles and VM ids probed for (each file's ids start at 1). */
#define NPROBE		8
#define MAX_FAULTS	4
#define DUMP_SIZE	4096
/* How long deferred frees (bind jobs, page-table reclaim) may take. */
#define SETTLE_MS	NOVA_SETTLE_MS
#define RECLAIM_MS	10000

/* The BO the map tests bind: 128 KiB (64 KiB pages) and 4 KiB. */
#define BO_MAP		(2 * SZ_64K + SZ_4K)
/* What gem-create creates: two VRAM allocations (128 KiB and 4 KiB). */
#define BO_CREATE	(2 * SZ_64K + SZ_4K)
#define BO_SMALL	SZ_64K
/* mmap-fault: the word written by the first touch. */
#define MMAP_OFF	(5 * SZ_4K + 24)
#define MMAP_VAL	0x5eed1e55u

enum {
	F_VRAM		= 1 << 0,
	F_BAR1		= 1 << 1,
	F_EVICT		= 1 << 2,
	F_HANDLES	= 1 << 3,
	F_VMS		= 1 << 4,
	F_VMSTATE	= 1 << 5,
	F_PT		= 1 << 6,
	F_FAULTS	= 1 << 7,
	F_TL		= 1 << 8,
	F_FDS		= 1 << 9,
	F_DUMP		= 1 << 10,
	F_ALL		= (1 << 11) - 1,
};

struct snap {
	uint64_t vram, bar1;
	long long evictions;
	uint32_t handles[2];	/* bit i: handle i + 1 exists, per file */
	uint32_t vms;		/* bit i: VM id i + 1 exists in the first file */
	struct drm_nova_vm_get_state st;
	struct drm_nova_vm_fault faults[MAX_FAULTS];
	uint64_t tl;		/* last submitted point */
	int nfds;
	char dump[DUMP_SIZE];	/* nova_vms lines of this process, no pdb */
};

struct inj;

/**
 * struct inj_ops - one call under injection
 * @name: the subtest, for messages
 * @errnos: what a call failing on an injected allocation may return,
 *	0-terminated
 * @base_fields: what must return to the state before the call once the
 *	test has undone it (F_*)
 * @succ_fields: what a successful call must leave as the reference call did
 * @prepare: make what the call needs (outside the injection window)
 * @call: the call: no assertion and no memory touched for the first time
 *	(a page fault would consume the injection); 0 or -errno
 * @check: after a successful call, the case's own checks
 * @cleanup: undo what @prepare and, if @ok, the call made
 */
struct inj_ops {
	const char *name;
	const int *errnos;
	unsigned int base_fields;
	unsigned int succ_fields;
	void (*prepare)(struct inj *c);
	int (*call)(struct inj *c);
	void (*check)(struct inj *c, const struct snap *pre, const struct snap *post);
	void (*cleanup)(struct inj *c, bool ok);
};

struct inj {
	const struct inj_ops *ops;
	int fd, fd2;		/* the files under test; fd2 -1 if none */
	uint32_t vm;		/* the VM whose state is compared, 0 if none */
	uint32_t tl;		/* the timeline syncobj, 0 if none */
	char vms_path[PATH_MAX];
	char usage_path[PATH_MAX];
	unsigned int n;		/* fail-nth of the current call, 0: none */
	bool have_ref;

	/* case state */
	uint32_t bo;
	bool setup_map;		/* the VM starts with the 2 MiB object mapped */
	void *ptr;
	int dmabuf;
	bool sigbus;
	uint64_t point;		/* last timeline point signalled */
	uint32_t exp_mappings;
	uint64_t exp_bytes;
	uint32_t ref_u32;	/* the handle or id the reference call returned */

	/* call arguments: touched before the injection window */
	struct drm_nova_gem_create create;
	struct drm_nova_vm_create vmc;
	struct drm_prime_handle prime;
	struct drm_nova_vm_bind bind;
	struct drm_nova_vm_bind_op bops[2];
	struct drm_nova_sync syncs[2];
	struct drm_nova_vm_get_state gs;
	struct drm_nova_vm_fault gs_faults[MAX_FAULTS];

	struct snap base, ref_pre, ref_post;
};

static int fd = -1;
static int fail_nth = -1;
static uint64_t va_base, va_end;
static struct inj ctx;
static char why[3 * DUMP_SIZE];

#define inj_assert(c, cond, f, ...) \
	igt_assert_f(cond, "%s, fail-nth=%u: " f, (c)->ops->name, (c)->n, ##__VA_ARGS__)

static int64_t abs_timeout(int64_t ns)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * NSEC_PER_SEC + now.tv_nsec + ns;
}

/* ---- fail-nth ---- */

static bool read_small(const char *path, char *buf, size_t size)
{
	int f = open(path, O_RDONLY);
	ssize_t n;

	if (f < 0)
		return false;
	n = read(f, buf, size - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

static void require_fault_injection(void)
{
	static const char *const dirs[] = { "failslab", "fail_page_alloc" };
	char path[PATH_MAX], buf[32];

	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	igt_require_f(fail_nth >= 0,
		      "/proc/thread-self/fail-nth: %m (no CONFIG_FAULT_INJECTION?)\n");
	igt_require_f(read_small(NOVA_DEBUGFS "/failslab/ignore-gfp-wait", buf, sizeof(buf)),
		      "failslab: %m (no CONFIG_FAILSLAB or debugfs?)\n");
	igt_require_f(buf[0] == 'N',
		      "failslab/ignore-gfp-wait is %c: GFP_KERNEL allocations never fail\n",
		      buf[0]);
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		/* Random failures would look like failures nobody injected. */
		snprintf(path, sizeof(path), NOVA_DEBUGFS "/%s/probability", dirs[i]);
		if (read_small(path, buf, sizeof(buf)))
			igt_require_f(atoi(buf) == 0, "%s is %s", path, buf);
		/* verbose > 1 dumps a stack (a kernel warning) per failure. */
		snprintf(path, sizeof(path), NOVA_DEBUGFS "/%s/verbose", dirs[i]);
		if (read_small(path, buf, sizeof(buf)))
			igt_require_f(atoi(buf) == 0, "%s is %s", path, buf);
	}
	if (read_small(NOVA_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", buf, sizeof(buf)))
		igt_debug("fail_page_alloc/ignore-gfp-wait: %s", buf);
	if (read_small(NOVA_DEBUGFS "/fail_page_alloc/min-order", buf, sizeof(buf)))
		igt_debug("fail_page_alloc/min-order: %s", buf);
}

static void inject_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	igt_assert_eq(pwrite(fail_nth, buf, len, 0), len);
}

/* Disarm; true when the injected failure fired. */
static bool inject_disarm(void)
{
	char buf[16] = "";
	ssize_t n = pread(fail_nth, buf, sizeof(buf) - 1, 0);
	int err = errno;

	igt_assert_eq(pwrite(fail_nth, "0", 1, 0), 1);
	igt_assert_f(n > 0, "reading fail-nth: %s\n", strerror(err));
	return strtoul(buf, NULL, 10) == 0;
}

/* The call under injection: the ioctl itself, no retry on EINTR/EAGAIN. */
static int raw_ioctl(int f, unsigned long req, void *arg)
{
	return ioctl(f, req, arg) ? -errno : 0;
}

/* ---- snapshots ---- */

static uint32_t probe_handles(int f)
{
	uint32_t mask = 0;

	for (uint32_t h = 1; h <= NPROBE; h++) {
		int err = __nova_gem_info(f, h, NULL, NULL);

		igt_assert_f(err == 0 || err == -ENOENT, "GEM_INFO(%u): %d\n", h, err);
		if (!err)
			mask |= 1u << (h - 1);
	}
	return mask;
}

static uint32_t probe_vms(int f)
{
	uint32_t mask = 0;

	for (uint32_t id = 1; id <= NPROBE; id++) {
		struct drm_nova_vm_get_state st = { .vm_id = id };
		int err = __nova_vm_get_state(f, &st);

		igt_assert_f(err == 0 || err == -ENOENT, "VM_GET_STATE(%u): %d\n", id, err);
		if (!err)
			mask |= 1u << (id - 1);
	}
	return mask;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	igt_assert(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The VMs of this process and their mappings, without the PDBs. */
static void read_dump(struct inj *c, char *out, size_t size)
{
	char line[256];
	bool ours = false;
	size_t n = 0;
	FILE *f;

	f = fopen(c->vms_path, "r");
	igt_assert_f(f, "%s: %m\n", c->vms_path);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		unsigned long long pdb;
		unsigned int id, maps;
		int pid, len;

		if (sscanf(line, "vm %u pid %d pdb %llx mappings %u", &id, &pid, &pdb, &maps) == 4) {
			ours = pid == getpid();
			if (!ours)
				continue;
			len = snprintf(out + n, size - n, "vm %u mappings %u\n", id, maps);
		} else if (ours) {
			len = snprintf(out + n, size - n, "%s", line);
		} else {
			continue;
		}
		igt_assert_f(len >= 0 && (size_t)len < size - n, "%s: too long\n", c->vms_path);
		n += len;
	}
	fclose(f);
}

static void snapshot(struct inj *c, struct snap *s)
{
	long long v;

	memset(s, 0, sizeof(*s));
	s->vram = nova_get_param(c->fd, NOVA_GETPARAM_VRAM_USED);
	s->bar1 = nova_get_param(c->fd, NOVA_GETPARAM_BAR1_USED);
	s->evictions = __nova_read_key(c->usage_path, "bar1_evictions", &v) ? -1 : v;
	s->handles[0] = probe_handles(c->fd);
	if (c->fd2 >= 0)
		s->handles[1] = probe_handles(c->fd2);
	s->vms = probe_vms(c->fd);
	if (c->vm) {
		s->st.vm_id = c->vm;
		s->st.faults.stride = sizeof(s->faults[0]);
		s->st.faults.count = MAX_FAULTS;
		s->st.faults.array = to_user_pointer(s->faults);
		igt_assert_eq(__nova_vm_get_state(c->fd, &s->st), 0);
	}
	if (c->tl)
		igt_assert_eq(drmSyncobjQuery2(c->fd, &c->tl, &s->tl, 1,
					       DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 0);
	s->nfds = count_fds();
	read_dump(c, s->dump, sizeof(s->dump));
}

__attribute__((format(printf, 1, 2)))
static bool differ(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(why, sizeof(why), f, ap);
	va_end(ap);
	return false;
}

#define DIFF_U64(flag, what, x, y) do { \
	if ((fields & (flag)) && (x) != (y)) \
		return differ("%s %llu, was %llu", what, \
			      (unsigned long long)(y), (unsigned long long)(x)); \
} while (0)

/* Whether @b matches @a in @fields; why[] says where not. */
static bool snap_equal(const struct snap *a, const struct snap *b, unsigned int fields)
{
	DIFF_U64(F_VRAM, "VRAM_USED", a->vram, b->vram);
	DIFF_U64(F_BAR1, "BAR1_USED", a->bar1, b->bar1);
	DIFF_U64(F_EVICT, "bar1_evictions", a->evictions, b->evictions);
	DIFF_U64(F_HANDLES, "handle mask", a->handles[0], b->handles[0]);
	DIFF_U64(F_HANDLES, "handle mask of the second file", a->handles[1], b->handles[1]);
	DIFF_U64(F_VMS, "VM id mask", a->vms, b->vms);
	DIFF_U64(F_VMSTATE, "VM state", a->st.state, b->st.state);
	DIFF_U64(F_VMSTATE, "VM bind_error", (uint64_t)a->st.bind_error, (uint64_t)b->st.bind_error);
	DIFF_U64(F_VMSTATE, "VM num_mappings", a->st.num_mappings, b->st.num_mappings);
	DIFF_U64(F_VMSTATE, "VM mapped_bytes", a->st.mapped_bytes, b->st.mapped_bytes);
	DIFF_U64(F_PT, "VM pt_bytes", a->st.pt_bytes, b->st.pt_bytes);
	DIFF_U64(F_FAULTS, "VM fault_count", a->st.fault_count, b->st.fault_count);
	DIFF_U64(F_FAULTS, "VM faults copied", a->st.faults.count, b->st.faults.count);
	for (unsigned int i = 0; (fields & F_FAULTS) && i < a->st.faults.count; i++) {
		DIFF_U64(F_FAULTS, "fault va", a->faults[i].va, b->faults[i].va);
		DIFF_U64(F_FAULTS, "fault access", a->faults[i].access, b->faults[i].access);
		DIFF_U64(F_FAULTS, "fault reason", a->faults[i].reason, b->faults[i].reason);
	}
	DIFF_U64(F_TL, "timeline last submitted point", a->tl, b->tl);
	DIFF_U64(F_FDS, "open files", a->nfds, b->nfds);
	if ((fields & F_DUMP) && strcmp(a->dump, b->dump))
		return differ("nova_vms:\n%s-- was:\n%s", b->dump, a->dump);
	return true;
}

/* Wait for deferred frees, then the state must be the base again. */
static void settle(struct inj *c)
{
	uint64_t start = nova_time_ms();
	struct snap cur;

	for (;;) {
		snapshot(c, &cur);
		if (snap_equal(&c->base, &cur, c->ops->base_fields))
			return;
		inj_assert(c, nova_time_ms() - start < SETTLE_MS,
			   "the state did not return to what it was before the call: %s\n",
			   why);
		usleep(5000);
	}
}

/* Before the loop: nothing from earlier subtests still being freed. */
static void settle_initial(struct inj *c)
{
	uint64_t start = nova_time_ms(), a, b;

	do {
		a = nova_get_param(c->fd, NOVA_GETPARAM_VRAM_USED);
		usleep(20 * 1000);
		b = nova_get_param(c->fd, NOVA_GETPARAM_VRAM_USED);
	} while (a != b && nova_time_ms() - start < RECLAIM_MS);
	snapshot(c, &c->base);
}

/*
 * A failed call changed nothing. The tables the first op of a failed
 * two-op bind staged are freed when the VM has no other bind pending; a
 * bind job made before the loop may still be (jobs are freed from a
 * workqueue): allow that reclaim a moment, and nothing else.
 */
static void check_unchanged(struct inj *c, const struct snap *pre, struct snap *post,
			    int err)
{
	uint64_t start = nova_time_ms();

	while (!snap_equal(pre, post, F_ALL)) {
		bool only_pt = snap_equal(pre, post, F_ALL & ~(F_VRAM | F_PT));

		if (!only_pt || nova_time_ms() - start > RECLAIM_MS) {
			snap_equal(pre, post, F_ALL);
			inj_assert(c, false, "the call failed with %d (%s) but changed the state: %s\n",
				   err, strerror(-err), why);
		}
		usleep(5000);
		snapshot(c, post);
	}
}

static void check_success(struct inj *c, const struct snap *pre, const struct snap *post)
{
	inj_assert(c, snap_equal(&c->ref_post, post, c->ops->succ_fields),
		   "the call succeeded but left another state than without injection: %s\n",
		   why);
	c->ops->check(c, pre, post);
}

/* A value the call returns: what the reference call returned. */
static void expect_ref(struct inj *c, uint32_t v, const char *what)
{
	if (!c->have_ref)
		c->ref_u32 = v;
	inj_assert(c, v == c->ref_u32, "%s %u, the call without injection gave %u\n",
		   what, v, c->ref_u32);
}

static const char *errno_name(int err)
{
	switch (err) {
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	default: return strerror(err);
	}
}

static void run(struct inj *c)
{
	const struct inj_ops *o = c->ops;
	unsigned int counts[4] = {}, failed = 0, tolerated = 0, nerr = 0, n;
	uint64_t start = nova_time_ms();
	struct snap pre, post;
	char summary[128] = "";
	bool fired;
	int ret;

	while (o->errnos[nerr])
		nerr++;
	igt_assert(nerr <= ARRAY_SIZE(counts));
	inject_disarm();
	settle_initial(c);

	/* The call without injection: what a success leaves. */
	c->n = 0;
	o->prepare(c);
	snapshot(c, &c->ref_pre);
	ret = o->call(c);
	inj_assert(c, !c->sigbus, "SIGBUS\n");
	inj_assert(c, ret == 0, "the call failed without injection: %d (%s)\n",
		   ret, strerror(-ret));
	snapshot(c, &c->ref_post);
	o->check(c, &c->ref_pre, &c->ref_post);
	c->have_ref = true;
	o->cleanup(c, true);
	settle(c);

	for (n = 1;; n++) {
		c->n = n;
		inj_assert(c, n <= MAX_INJECT, "more than %u injection points\n", MAX_INJECT);
		o->prepare(c);
		snapshot(c, &pre);
		inj_assert(c, snap_equal(&c->ref_pre, &pre, o->base_fields),
			   "the state before the call differs from the first time: %s\n", why);

		inject_arm(n);
		ret = o->call(c);
		fired = inject_disarm();

		inj_assert(c, !c->sigbus, "SIGBUS on the first touch of the mapping "
			   "(injected failure %s)\n", fired ? "fired" : "did not fire");
		snapshot(c, &post);
		if (!fired) {
			inj_assert(c, ret == 0, "nothing was injected, yet the call failed: %d (%s)\n",
				   ret, strerror(-ret));
			check_success(c, &pre, &post);
			o->cleanup(c, true);
			settle(c);
			break;
		}
		if (ret == 0) {
			igt_debug("%s, fail-nth=%u: the call succeeded anyway\n", o->name, n);
			tolerated++;
			check_success(c, &pre, &post);
		} else {
			unsigned int i;

			for (i = 0; i < nerr && -ret != o->errnos[i]; i++)
				;
			inj_assert(c, i < nerr, "the call failed with %d (%s), not an errno of an "
				   "allocation failure\n", ret, strerror(-ret));
			counts[i]++;
			failed++;
			check_unchanged(c, &pre, &post, ret);
		}
		o->cleanup(c, ret == 0);
		settle(c);
	}

	n--;
	inj_assert(c, n > 0, "the first fault-injection point did not fire: "
		   "is fail-nth effective?\n");
	for (unsigned int i = 0; i < nerr; i++)
		if (counts[i])
			snprintf(summary + strlen(summary), sizeof(summary) - strlen(summary),
				 "%s%s x%u", summary[0] ? ", " : "", errno_name(o->errnos[i]),
				 counts[i]);
	if (!nerr)
		igt_info("%s: %u injection points, each retried or tolerated [%llu ms]\n",
			 o->name, n, (unsigned long long)(nova_time_ms() - start));
	else if (!tolerated)
		igt_info("%s: %u injection points, all fail cleanly (%s) [%llu ms]\n",
			 o->name, n, summary, (unsigned long long)(nova_time_ms() - start));
	else
		igt_info("%s: %u injection points: %u fail cleanly (%s), %u succeed anyway "
			 "(failure tolerated) [%llu ms]\n", o->name, n, failed,
			 summary[0] ? summary : "none", tolerated,
			 (unsigned long long)(nova_time_ms() - start));
}

/* A fresh file on the test's device, and the debugfs files of the device. */
static void begin(struct inj *c, const struct inj_ops *ops)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->fd2 = -1;
	c->dmabuf = -1;
	/* the same device: its debugfs files (skips without them) first */
	nova_vms_path(fd, c->vms_path, sizeof(c->vms_path));
	snprintf(c->usage_path, sizeof(c->usage_path), NOVA_DEBUGFS "/dri/%d/nova_usage",
		 nova_card_index(fd));
	c->fd = drm_reopen_driver(fd);
}

/* Close everything: VRAM and BAR1 return to what they were before begin(). */
static void end(struct inj *c, uint64_t vram0, uint64_t bar10)
{
	if (c->fd2 >= 0)
		drm_close_driver(c->fd2);
	drm_close_driver(c->fd);
	c->fd = c->fd2 = -1;
	igt_assert_eq_u64(nova_wait_vram_used_le(fd, vram0, SETTLE_MS), vram0);
	igt_assert_eq_u64(nova_get_param(fd, NOVA_GETPARAM_BAR1_USED), bar10);
}

/* ---- gem-create ---- */

/*
 * GEM_CREATE allocates the object, its VRAM descriptor and blocks
 * (gpu_buddy splits allocate block structures), the mmap offset node and
 * the handle (idr, drm_vma_node_allow). -ENOMEM for all of them; -ENOSPC
 * too: gpu_buddy_alloc_blocks() reports a failed split at the smallest
 * order as -ENOSPC, and nova_vram_alloc_part() retries with 4 KiB blocks
 * only for parts with larger ones (the 4 KiB part of this object has none).
 */
static const int errnos_vram[] = { ENOMEM, ENOSPC, 0 };
/* Only kmalloc & co. below: -ENOMEM. */
static const int errnos_nomem[] = { ENOMEM, 0 };
static const int errnos_none[] = { 0 };

static void gem_create_prepare(struct inj *c)
{
	c->create = (struct drm_nova_gem_create){ .size = BO_CREATE };
}

static int gem_create_call(struct inj *c)
{
	return raw_ioctl(c->fd, DRM_IOCTL_NOVA_GEM_CREATE, &c->create);
}

static void gem_create_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	uint32_t h = c->create.handle;
	uint64_t size = 0;

	expect_ref(c, h, "handle");
	inj_assert(c, h >= 1 && h <= NPROBE, "handle %u\n", h);
	inj_assert(c, c->create.size == BO_CREATE, "size %llu\n",
		   (unsigned long long)c->create.size);
	inj_assert(c, post->vram == pre->vram + BO_CREATE, "VRAM_USED %llu -> %llu\n",
		   (unsigned long long)pre->vram, (unsigned long long)post->vram);
	inj_assert(c, post->handles[0] == (pre->handles[0] | 1u << (h - 1)),
		   "handles 0x%x -> 0x%x\n", pre->handles[0], post->handles[0]);
	igt_assert_eq(__nova_gem_info(c->fd, h, &size, NULL), 0);
	igt_assert_eq_u64(size, BO_CREATE);
}

static void gem_create_cleanup(struct inj *c, bool ok)
{
	if (ok)
		gem_close(c->fd, c->create.handle);
}

static const struct inj_ops gem_create_ops = {
	.name = "gem-create",
	.errnos = errnos_vram,
	.base_fields = F_ALL,
	.succ_fields = F_ALL,
	.prepare = gem_create_prepare,
	.call = gem_create_call,
	.check = gem_create_check,
	.cleanup = gem_create_cleanup,
};

static void test_gem_create(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	begin(c, &gem_create_ops);
	/* an object already there: the new handle is 2 */
	c->bo = nova_gem_create(c->fd, BO_SMALL);
	run(c);
	gem_close(c->fd, c->bo);
	end(c, vram0, bar10);
}

/* ---- vm-create ---- */

/*
 * VM_CREATE allocates the VM, the VMM and its root page directory (VRAM
 * from gpu_buddy: -ENOSPC as for GEM_CREATE), the scheduler (its ordered
 * workqueue, rescuer thread and run queues), the drm_gpuvm's reservation
 * object and the id (xa_alloc: -ENOMEM; its -EBUSY, mapped to -ENOSPC,
 * only when the file has MAX_VMS VMs, which it has not).
 */
static void vm_create_prepare(struct inj *c)
{
	c->vmc = (struct drm_nova_vm_create){ };
}

static int vm_create_call(struct inj *c)
{
	return raw_ioctl(c->fd, DRM_IOCTL_NOVA_VM_CREATE, &c->vmc);
}

static void vm_create_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	uint32_t id = c->vmc.id;
	struct drm_nova_vm_get_state st;

	expect_ref(c, id, "VM id");
	inj_assert(c, id >= 1 && id <= NPROBE, "VM id %u\n", id);
	inj_assert(c, post->vms == (pre->vms | 1u << (id - 1)), "VM ids 0x%x -> 0x%x\n",
		   pre->vms, post->vms);
	st = nova_vm_get_state(c->fd, id);
	igt_assert_eq_u32(st.state, NOVA_VM_STATE_USABLE);
	igt_assert_eq(st.bind_error, 0);
	igt_assert_eq_u32(st.num_mappings, 0);
	igt_assert_eq_u64(st.mapped_bytes, 0);
	igt_assert_eq_u32(st.fault_count, 0);
	inj_assert(c, st.pt_bytes > 0 && post->vram == pre->vram + st.pt_bytes,
		   "VRAM_USED %llu -> %llu, the VM's page tables %llu\n",
		   (unsigned long long)pre->vram, (unsigned long long)post->vram,
		   (unsigned long long)st.pt_bytes);
}

static void vm_create_cleanup(struct inj *c, bool ok)
{
	if (ok)
		nova_vm_destroy(c->fd, c->vmc.id);
}

static const struct inj_ops vm_create_ops = {
	.name = "vm-create",
	.errnos = errnos_vram,
	.base_fields = F_ALL,
	.succ_fields = F_ALL,
	.prepare = vm_create_prepare,
	.call = vm_create_call,
	.check = vm_create_check,
	.cleanup = vm_create_cleanup,
};

static void test_vm_create(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	begin(c, &vm_create_ops);
	/*
	 * Failures the kernel reports itself, at error level, when
	 * drm_sched_init() cannot allocate the scheduler's workqueue, its
	 * rescuer thread or its run queues: the failure is returned (and
	 * checked here) all the same.
	 */
	igt_emit_ignore_dmesg_regex("workqueue: Failed to (allocate a rescuer|create a rescuer "
				    "kthread) for wq \"nova-bind\"|drm_sched_init: Failed to "
				    "setup GPU scheduler--out of memory");
	/* a VM already there: the new id is 2 */
	c->vm = nova_vm_create(c->fd);
	run(c);
	nova_vm_destroy(c->fd, c->vm);
	c->vm = 0;
	end(c, vram0, bar10);
}

/* ---- VM_BIND ---- */

/*
 * VM_BIND allocates the copies of the ops and syncs, the job, its
 * nova-core op array and fence, three drm_gpuvas per op, a drm_gpuvm_bo
 * per map, the scheduler fence and dependency array, the syncs (chain
 * nodes), drm_exec's object array, a fence slot in each reservation, the
 * nova-core ops and every page table the ops can need (nova_vmm_ensure:
 * the table, its VRAM from gpu_buddy and two xarray entries). -ENOMEM,
 * and -ENOSPC where a page table's VRAM allocation fails (gpu_buddy
 * reports a failed block split as -ENOSPC; the uAPI documents -ENOSPC
 * when VRAM for page tables runs out).
 */
static uint64_t va_map(void)
{
	/* 64 KiB below a 2 MiB boundary: 64 KiB and 4 KiB pages in two regions */
	return va_base + SZ_2M - SZ_64K;
}

static uint64_t va_unmap(void)
{
	return va_base + 4 * SZ_2M;
}

static struct drm_nova_vm_bind_op map_op(uint32_t handle, uint64_t bo_offset,
					 uint64_t va, uint64_t range)
{
	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_MAP,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};
}

static struct drm_nova_vm_bind_op unmap_op(uint64_t va, uint64_t range)
{
	return (struct drm_nova_vm_bind_op){
		.op = NOVA_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};
}

static void bind_args(struct inj *c, uint32_t flags, unsigned int nops, unsigned int nsyncs)
{
	c->bind = (struct drm_nova_vm_bind){
		.vm_id = c->vm,
		.flags = flags,
		.ops = { .stride = sizeof(c->bops[0]), .count = nops,
			 .array = to_user_pointer(c->bops) },
		.syncs = { .stride = sizeof(c->syncs[0]), .count = nsyncs,
			   .array = nsyncs ? to_user_pointer(c->syncs) : 0 },
	};
}

static int bind_call(struct inj *c)
{
	return raw_ioctl(c->fd, DRM_IOCTL_NOVA_VM_BIND, &c->bind);
}

static void bind_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	struct drm_nova_vm_get_state st;

	if (c->bind.flags & NOVA_VM_BIND_ASYNC) {
		uint64_t point = c->point + 1;

		inj_assert(c, post->tl == pre->tl + 1 && post->tl == point,
			   "timeline's last submitted point %llu -> %llu, expected %llu\n",
			   (unsigned long long)pre->tl, (unsigned long long)post->tl,
			   (unsigned long long)point);
		inj_assert(c, syncobj_timeline_wait(c->fd, &c->tl, &point, 1,
						    abs_timeout(10 * NSEC_PER_SEC), 0, NULL),
			   "timeline point %llu did not signal\n", (unsigned long long)point);
		c->point = point;
	}
	st = nova_vm_get_state(c->fd, c->vm);
	inj_assert(c, st.state == NOVA_VM_STATE_USABLE && st.bind_error == 0,
		   "VM state %u, bind_error %d\n", st.state, st.bind_error);
	inj_assert(c, st.num_mappings == c->exp_mappings && st.mapped_bytes == c->exp_bytes,
		   "%u mappings of %llu bytes, expected %u of %llu\n", st.num_mappings,
		   (unsigned long long)st.mapped_bytes, c->exp_mappings,
		   (unsigned long long)c->exp_bytes);
}

/*
 * What a successful bind left is compared with the reference but for
 * VRAM_USED and pt_bytes: tables a map staged and did not use are freed
 * when its job is (from a workqueue). Undone, by destroying the VM (which
 * waits for its jobs) and creating it again, the state must be the base.
 */
#define BIND_SUCC_FIELDS (F_ALL & ~(F_VRAM | F_PT | F_TL))

static void bind_vm_setup(struct inj *c)
{
	c->vm = nova_vm_create(c->fd);
	/* 2 MiB-aligned: one 2 MiB page, no table staged for nothing */
	if (c->setup_map)
		nova_vm_map(c->fd, c->vm, c->bo, 0, va_unmap(), SZ_2M);
}

static void bind_cleanup(struct inj *c, bool ok)
{
	uint32_t id = c->vm;

	if (!ok)
		return;
	nova_vm_destroy(c->fd, c->vm);
	bind_vm_setup(c);
	/* the file's only VM: the lowest free id, the same */
	igt_assert_eq_u32(c->vm, id);
}

/* vm-bind-map-sync: map a 132 KiB object across a 2 MiB boundary. */
static void map_sync_prepare(struct inj *c)
{
	c->bops[0] = map_op(c->bo, 0, va_map(), BO_MAP);
	bind_args(c, 0, 1, 0);
	c->exp_mappings = 1;
	c->exp_bytes = BO_MAP;
}

static const struct inj_ops map_sync_ops = {
	.name = "vm-bind-map-sync",
	.errnos = errnos_vram,
	.base_fields = F_ALL,
	.succ_fields = BIND_SUCC_FIELDS,
	.prepare = map_sync_prepare,
	.call = bind_call,
	.check = bind_check,
	.cleanup = bind_cleanup,
};

/* vm-bind-unmap-sync: 4 KiB out of the middle of a 2 MiB mapping. */
static void unmap_sync_prepare(struct inj *c)
{
	c->bops[0] = unmap_op(va_unmap() + SZ_1M, SZ_4K);
	bind_args(c, 0, 1, 0);
	c->exp_mappings = 2;
	c->exp_bytes = SZ_2M - SZ_4K;
}

static const struct inj_ops unmap_sync_ops = {
	.name = "vm-bind-unmap-sync",
	.errnos = errnos_vram,
	.base_fields = F_ALL,
	.succ_fields = BIND_SUCC_FIELDS,
	.prepare = unmap_sync_prepare,
	.call = bind_call,
	.check = bind_check,
	.cleanup = bind_cleanup,
};

/*
 * vm-bind-map-async-timeline: the map of vm-bind-map-sync, queued after
 * the timeline's current point and signalling the next one. The execute
 * phase runs in the scheduler's thread, which fail-nth does not affect:
 * only the ioctl's prepare phase is injected.
 */
static void map_async_prepare(struct inj *c)
{
	c->bops[0] = map_op(c->bo, 0, va_map(), BO_MAP);
	c->syncs[0] = (struct drm_nova_sync){
		.flags = NOVA_SYNC_TIMELINE_SYNCOBJ,
		.handle = c->tl,
		.timeline_value = c->point,
	};
	c->syncs[1] = (struct drm_nova_sync){
		.flags = NOVA_SYNC_TIMELINE_SYNCOBJ | NOVA_SYNC_SIGNAL,
		.handle = c->tl,
		.timeline_value = c->point + 1,
	};
	bind_args(c, NOVA_VM_BIND_ASYNC, 1, 2);
	c->exp_mappings = 1;
	c->exp_bytes = BO_MAP;
}

static const struct inj_ops map_async_ops = {
	.name = "vm-bind-map-async-timeline",
	.errnos = errnos_vram,
	.base_fields = F_ALL & ~F_TL,
	.succ_fields = BIND_SUCC_FIELDS,
	.prepare = map_async_prepare,
	.call = bind_call,
	.check = bind_check,
	.cleanup = bind_cleanup,
};

/*
 * vm-bind-two-ops: map the object and unmap 4 KiB of its first 64 KiB
 * page in the same call: the unmap splits a mapping the call itself makes,
 * with tables the map only staged.
 */
static void two_ops_prepare(struct inj *c)
{
	c->bops[0] = map_op(c->bo, 0, va_map(), BO_MAP);
	c->bops[1] = unmap_op(va_map() + 4 * SZ_4K, SZ_4K);
	bind_args(c, 0, 2, 0);
	c->exp_mappings = 2;
	c->exp_bytes = BO_MAP - SZ_4K;
}

static const struct inj_ops two_ops_ops = {
	.name = "vm-bind-two-ops",
	.errnos = errnos_vram,
	.base_fields = F_ALL,
	.succ_fields = BIND_SUCC_FIELDS,
	.prepare = two_ops_prepare,
	.call = bind_call,
	.check = bind_check,
	.cleanup = bind_cleanup,
};

static void test_bind(const struct inj_ops *ops)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	igt_require(va_base + 16 * SZ_2M <= va_end);
	begin(c, ops);
	c->setup_map = ops == &unmap_sync_ops;
	c->bo = nova_gem_create(c->fd, c->setup_map ? SZ_2M : BO_MAP);
	bind_vm_setup(c);
	if (ops == &map_async_ops) {
		c->tl = syncobj_create(c->fd, 0);
		c->point = 1;
		syncobj_timeline_signal(c->fd, &c->tl, &c->point, 1);
	}
	run(c);
	if (c->tl)
		syncobj_destroy(c->fd, c->tl);
	nova_vm_destroy(c->fd, c->vm);
	c->vm = 0;
	c->tl = 0;
	gem_close(c->fd, c->bo);
	end(c, vram0, bar10);
}

/* ---- PRIME ---- */

/*
 * PRIME_HANDLE_TO_FD allocates the fd, the dma-buf, its file and inode,
 * and the file's prime entry: -ENOMEM. A fresh object each time: an
 * exported object keeps its dma-buf until its handle is closed.
 */
static void export_prepare(struct inj *c)
{
	c->bo = nova_gem_create(c->fd, BO_SMALL);
	c->prime = (struct drm_prime_handle){
		.handle = c->bo,
		.flags = DRM_CLOEXEC | DRM_RDWR,
		.fd = -1,
	};
}

static int export_call(struct inj *c)
{
	return raw_ioctl(c->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &c->prime);
}

static void export_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	uint32_t h = 0;

	inj_assert(c, c->prime.fd >= 0, "dma-buf fd %d\n", c->prime.fd);
	inj_assert(c, post->nfds == pre->nfds + 1, "%d open files, were %d\n",
		   post->nfds, pre->nfds);
	igt_assert_eq_s64(lseek(c->prime.fd, 0, SEEK_END), BO_SMALL);
	/* the file knows the dma-buf: importing it gives the handle back */
	igt_assert_eq(drmPrimeFDToHandle(c->fd, c->prime.fd, &h), 0);
	igt_assert_eq_u32(h, c->bo);
}

/*
 * The object is freed with its handle only if no dma-buf reference leaked:
 * settle() then finds VRAM_USED back at the base.
 */
static void export_cleanup(struct inj *c, bool ok)
{
	if (ok)
		close(c->prime.fd);
	gem_close(c->fd, c->bo);
}

static const struct inj_ops export_ops = {
	.name = "prime-export",
	.errnos = errnos_nomem,
	.base_fields = F_ALL,
	.succ_fields = F_ALL,
	.prepare = export_prepare,
	.call = export_call,
	.check = export_check,
	.cleanup = export_cleanup,
};

static void test_prime_export(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	begin(c, &export_ops);
	run(c);
	end(c, vram0, bar10);
}

/*
 * PRIME_FD_TO_HANDLE into a second file: the object is nova's own, so no
 * attachment; the handle (idr, drm_vma_node_allow) and the prime entry
 * are allocated: -ENOMEM.
 */
static void import_prepare(struct inj *c)
{
	c->prime = (struct drm_prime_handle){ .fd = c->dmabuf };
}

static int import_call(struct inj *c)
{
	return raw_ioctl(c->fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &c->prime);
}

static void import_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	uint32_t h = c->prime.handle;
	uint64_t size = 0;

	expect_ref(c, h, "imported handle");
	inj_assert(c, h >= 1 && h <= NPROBE, "handle %u\n", h);
	inj_assert(c, post->handles[1] == (pre->handles[1] | 1u << (h - 1)),
		   "handles of the importer 0x%x -> 0x%x\n", pre->handles[1], post->handles[1]);
	igt_assert_eq(__nova_gem_info(c->fd2, h, &size, NULL), 0);
	igt_assert_eq_u64(size, BO_SMALL);
	/* the same import again finds the handle */
	igt_assert_eq(drmPrimeFDToHandle(c->fd2, c->dmabuf, &h), 0);
	igt_assert_eq_u32(h, c->prime.handle);
}

static void import_cleanup(struct inj *c, bool ok)
{
	if (ok)
		gem_close(c->fd2, c->prime.handle);
}

static const struct inj_ops import_ops = {
	.name = "prime-import",
	.errnos = errnos_nomem,
	.base_fields = F_ALL,
	.succ_fields = F_ALL,
	.prepare = import_prepare,
	.call = import_call,
	.check = import_check,
	.cleanup = import_cleanup,
};

static void test_prime_import(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	begin(c, &import_ops);
	c->fd2 = drm_reopen_driver(fd);
	c->bo = nova_gem_create(c->fd, BO_SMALL);
	igt_assert_eq(drmPrimeHandleToFD(c->fd, c->bo, DRM_CLOEXEC | DRM_RDWR, &c->dmabuf), 0);
	run(c);
	close(c->dmabuf);
	gem_close(c->fd, c->bo);
	end(c, vram0, bar10);
}

/* ---- vm-get-state-faults ---- */

/*
 * VM_GET_STATE with room for faults allocates the kernel's copy of them
 * (kcalloc): -ENOMEM. With CLEAR_FAULTS, a failed call must forget none.
 */
static uint64_t va_fault(unsigned int i)
{
	return va_base + 8 * SZ_2M + i * SZ_4K;
}

static void faults_prepare(struct inj *c)
{
	struct drm_nova_vm_get_state st = nova_vm_get_state(c->fd, c->vm);
	static uint8_t buf[SZ_4K];

	/* two faults recorded: what a successful call before cleared */
	for (unsigned int i = st.fault_count; i < 2; i++)
		igt_assert_eq(nova_gpu_read(c->fd, c->vm, va_fault(i), buf, 4), -EFAULT);
	memset(c->gs_faults, 0xff, sizeof(c->gs_faults));
	c->gs = (struct drm_nova_vm_get_state){
		.vm_id = c->vm,
		.flags = NOVA_VM_GET_STATE_CLEAR_FAULTS,
		.faults = { .stride = sizeof(c->gs_faults[0]), .count = MAX_FAULTS,
			    .array = to_user_pointer(c->gs_faults) },
	};
}

static int faults_call(struct inj *c)
{
	return raw_ioctl(c->fd, DRM_IOCTL_NOVA_VM_GET_STATE, &c->gs);
}

static void faults_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	inj_assert(c, pre->st.fault_count == 2, "%u faults before the call\n",
		   pre->st.fault_count);
	inj_assert(c, c->gs.fault_count == 2 && c->gs.faults.count == 2,
		   "fault_count %u, %u copied\n", c->gs.fault_count, c->gs.faults.count);
	for (unsigned int i = 0; i < 2; i++)
		inj_assert(c, c->gs_faults[i].va == va_fault(i) &&
			   c->gs_faults[i].va == pre->faults[i].va &&
			   c->gs_faults[i].access == 0 &&
			   c->gs_faults[i].reason == pre->faults[i].reason,
			   "fault %u: va 0x%llx access %u reason %u\n", i,
			   (unsigned long long)c->gs_faults[i].va, c->gs_faults[i].access,
			   c->gs_faults[i].reason);
	inj_assert(c, c->gs.state == pre->st.state && c->gs.num_mappings == pre->st.num_mappings &&
		   c->gs.mapped_bytes == pre->st.mapped_bytes && c->gs.pt_bytes == pre->st.pt_bytes,
		   "the call reported another VM state than the snapshot\n");
	/* cleared: the snapshot after the call found none */
	inj_assert(c, post->st.fault_count == 0, "%u faults left after CLEAR_FAULTS\n",
		   post->st.fault_count);
}

static void faults_cleanup(struct inj *c, bool ok)
{
}

static const struct inj_ops faults_ops = {
	.name = "vm-get-state-faults",
	.errnos = errnos_nomem,
	.base_fields = F_ALL & ~F_FAULTS,
	.succ_fields = F_ALL,
	.prepare = faults_prepare,
	.call = faults_call,
	.check = faults_check,
	.cleanup = faults_cleanup,
};

static void test_get_state_faults(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct inj *c = &ctx;

	igt_require(va_base + 16 * SZ_2M <= va_end);
	nova_require_gpu_view(fd);
	begin(c, &faults_ops);
	c->vm = nova_vm_create(c->fd);
	run(c);
	nova_vm_destroy(c->fd, c->vm);
	c->vm = 0;
	end(c, vram0, bar10);
}

/* ---- mmap-fault ---- */

/*
 * The first CPU touch of a mapped object: the fault handler maps the
 * object into BAR1 (its descriptor, the BAR1 VA range, BAR1 page tables)
 * and inserts the page. An allocation failure there is VM_FAULT_OOM, which
 * the x86 fault handler retries (or SIGBUS for other errors, a failure of
 * this test); a fresh object each time, as an object stays in BAR1.
 */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;

static void bus_handler(int sig)
{
	if (bus_armed) {
		bus_armed = 0;
		siglongjmp(bus_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void mmap_prepare(struct inj *c)
{
	c->bo = nova_gem_create(c->fd, BO_SMALL);
	/* mapped, not touched */
	c->ptr = __nova_gem_mmap(c->fd, c->bo, BO_SMALL, PROT_READ | PROT_WRITE);
	igt_assert_f(c->ptr, "mmap: %m\n");
	c->sigbus = false;
}

static int mmap_call(struct inj *c)
{
	if (sigsetjmp(bus_jmp, 1)) {
		c->sigbus = true;
		return -EFAULT;
	}
	bus_armed = 1;
	*(volatile uint32_t *)((char *)c->ptr + MMAP_OFF) = MMAP_VAL;
	bus_armed = 0;
	return 0;
}

static void check_page(struct inj *c, const volatile uint32_t *page, bool touched,
		       const char *what)
{
	for (unsigned int i = 0; i < SZ_4K / 4; i++) {
		uint32_t expect = touched && i == (MMAP_OFF % SZ_4K) / 4 ? MMAP_VAL : 0;
		uint32_t v = page[i];

		inj_assert(c, v == expect, "%s: word %u: 0x%08x, expected 0x%08x\n",
			   what, i, v, expect);
	}
}

static void mmap_check(struct inj *c, const struct snap *pre, const struct snap *post)
{
	uint64_t page = MMAP_OFF & ~(SZ_4K - 1);
	char *p2;

	inj_assert(c, post->bar1 == pre->bar1 + BO_SMALL,
		   "BAR1_USED %llu -> %llu, expected the object mapped whole\n",
		   (unsigned long long)pre->bar1, (unsigned long long)post->bar1);
	inj_assert(c, post->evictions == pre->evictions, "bar1_evictions %lld -> %lld\n",
		   pre->evictions, post->evictions);
	check_page(c, (uint32_t *)((char *)c->ptr + page), true, "the touched page");
	/* another mapping sees the same page, and the rest of the object zeroed */
	p2 = nova_gem_mmap(c->fd, c->bo, BO_SMALL);
	check_page(c, (uint32_t *)(p2 + page), true, "the touched page, second mapping");
	check_page(c, (uint32_t *)p2, false, "page 0, second mapping");
	igt_assert_eq(munmap(p2, BO_SMALL), 0);
	igt_assert_eq_u64(nova_get_param(c->fd, NOVA_GETPARAM_BAR1_USED), post->bar1);
}

static void mmap_cleanup(struct inj *c, bool ok)
{
	igt_assert_eq(munmap(c->ptr, BO_SMALL), 0);
	c->ptr = NULL;
	gem_close(c->fd, c->bo);
}

static const struct inj_ops mmap_ops = {
	.name = "mmap-fault",
	.errnos = errnos_none,
	.base_fields = F_ALL,
	.succ_fields = F_ALL,
	.prepare = mmap_prepare,
	.call = mmap_call,
	.check = mmap_check,
	.cleanup = mmap_cleanup,
};

static void test_mmap_fault(void)
{
	uint64_t vram0 = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t bar10 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	struct sigaction sa = { .sa_handler = bus_handler }, old;
	struct inj *c = &ctx;

	begin(c, &mmap_ops);
	/*
	 * An injected failure in the fault path is VM_FAULT_OOM, which the
	 * x86 page-fault handler retries after this warning: expected here,
	 * and the retried touch is checked. The warning is rate-limited (10
	 * in 5 s), and a sweep fast enough to pass that prints how many were
	 * suppressed, also at warning level: both are expected.
	 */
	/* No backslash: /dev/kmsg escapes it, and igt_runner reads it so. */
	igt_emit_ignore_dmesg_regex("Huh VM_FAULT_OOM leaked out to the #PF handler[.] "
				    "Retrying PF|pagefault_out_of_memory: [0-9]+ "
				    "callbacks suppressed");
	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	run(c);
	igt_assert_eq(sigaction(SIGBUS, &old, NULL), 0);
	end(c, vram0, bar10);
}

igt_main
{
	igt_fixture {
		fd = drm_open_nova_render();
		require_fault_injection();
		va_end = nova_get_param(fd, NOVA_GETPARAM_VA_END);
		va_base = ALIGN(nova_get_param(fd, NOVA_GETPARAM_VA_START), SZ_2M);
	}

	igt_describe("GEM_CREATE fails cleanly (ENOMEM/ENOSPC) at every allocation.");
	igt_subtest("gem-create")
		test_gem_create();

	igt_describe("VM_CREATE fails cleanly (ENOMEM/ENOSPC) at every allocation.");
	igt_subtest("vm-create")
		test_vm_create();

	igt_describe("A synchronous map fails cleanly at every allocation, page "
		     "tables included.");
	igt_subtest("vm-bind-map-sync")
		test_bind(&map_sync_ops);

	igt_describe("A synchronous unmap splitting a 2 MiB mapping fails cleanly "
		     "at every allocation.");
	igt_subtest("vm-bind-unmap-sync")
		test_bind(&unmap_sync_ops);

	igt_describe("An async map waiting for and signalling timeline points fails "
		     "cleanly at every allocation of its prepare phase.");
	igt_subtest("vm-bind-map-async-timeline")
		test_bind(&map_async_ops);

	igt_describe("A map and a partial unmap of it in one call fail cleanly at "
		     "every allocation.");
	igt_subtest("vm-bind-two-ops")
		test_bind(&two_ops_ops);

	igt_describe("PRIME export fails cleanly (ENOMEM) at every allocation.");
	igt_subtest("prime-export")
		test_prime_export();

	igt_describe("PRIME import into another file fails cleanly (ENOMEM) at every "
		     "allocation.");
	igt_subtest("prime-import")
		test_prime_import();

	igt_describe("VM_GET_STATE copying and clearing GPU faults fails cleanly "
		     "(ENOMEM) and then forgets no fault.");
	igt_subtest("vm-get-state-faults")
		test_get_state_faults();

	igt_describe("The first CPU touch of a mapping with an allocation failure in "
		     "the fault path is retried and reads back right; BAR1 leaks nothing.");
	igt_subtest("mmap-fault")
		test_mmap_fault();

	igt_fixture {
		if (fail_nth >= 0)
			close(fail_nth);
		drm_close_driver(fd);
	}
}
