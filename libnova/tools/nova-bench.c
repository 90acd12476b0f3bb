// SPDX-License-Identifier: MIT
/*
 * nova-bench - how fast nova maps, binds and moves data.
 *
 *   nova-bench [--device N] [--only a,b,...] [--json FILE] [--quick]
 *   nova-bench --help | --version
 *
 * Every figure is a ratio against a reference measured in the same run
 * (or a count), because the machines are noisy and the GPU is simulated
 * under TCG. The table is followed by one machine-readable line per figure,
 * "name value unit", and --json writes the same with targets and details.
 *
 * The benchmark needs root: it reads the simulator's counters and nova's
 * debugfs files, and forces small pages through nova's debugfs for the
 * huge-page reference. The method is described in
 * Documentation/gpu/nova/perf.rst.
 *
 * Exit status: 0 when every figure meets its target, 1 when one misses or a
 * step fails, 2 for a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/nova_drm.h>

#include "libnova.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define DEBUGFS "/sys/kernel/debug"
#define MAX_DEVICES 16
#define MAX_RESULTS 32

enum cmp { CMP_NONE, CMP_GE, CMP_LE, CMP_EQ, CMP_APPROX };

struct result {
	const char *name;
	double value;
	const char *unit;
	enum cmp cmp;
	double target;
	bool met;
	char detail[256];
};

static struct result results[MAX_RESULTS];
static int nresults;
static bool quick;
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "nova-bench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static struct result *report(const char *name, double value, const char *unit,
			     enum cmp cmp, double target, const char *fmt, ...)
{
	struct result *r = &results[nresults++];
	va_list ap;

	r->name = name;
	r->value = value;
	r->unit = unit;
	r->cmp = cmp;
	r->target = target;
	switch (cmp) {
	case CMP_GE: r->met = value >= target; break;
	case CMP_LE: r->met = value <= target; break;
	case CMP_EQ: r->met = value == target; break;
	/* "about": within 10 % */
	case CMP_APPROX: r->met = value >= target * 0.9 && value <= target * 1.1; break;
	default: r->met = true; break;
	}
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	fprintf(stderr, "  %-26s %.4g %s (%s)\n", name, value, unit, r->detail);
	return r;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void check(int ret, const char *what)
{
	if (ret) {
		fprintf(stderr, "nova-bench: %s: %s\n", what, nova_strerror(ret));
		exit(1);
	}
}

/* ---- the device as the simulator and debugfs see it ---- */

struct bench_dev {
	struct nova_device *dev;
	struct nova_info info;
	char sysdev[PATH_MAX];	/* /sys/dev/char/M:m/device, resolved */
	int sim;		/* nova-sim's GPU K, -1 off the simulator */
	int card;		/* cardN */
};

static int open_bench_dev(int index, struct bench_dev *b)
{
	char path[PATH_MAX + 8];
	struct dirent *de;
	unsigned int slot;
	struct stat st;
	const char *p;
	DIR *dir;
	int ret;

	memset(b, 0, sizeof(*b));
	ret = nova_device_open_index(index, &b->dev);
	if (ret)
		return ret;
	check(nova_query_info(b->dev, &b->info), "query info");
	if (fstat(nova_device_fd(b->dev), &st))
		return -errno;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(path, b->sysdev))
		return -errno;
	/* .../nova-sim/pciDDDD:00/DDDD:00:KK.0: GPU K is device K. */
	b->sim = -1;
	p = strstr(b->sysdev, "/nova-sim/pci");
	if (p)
		p = strchr(p + strlen("/nova-sim/pci"), '/');
	if (p && sscanf(p, "/%*x:%*x:%x.", &slot) == 1)
		b->sim = slot;
	b->card = -1;
	snprintf(path, sizeof(path), "%s/drm", b->sysdev);
	dir = opendir(path);
	if (dir) {
		while ((de = readdir(dir)))
			if (sscanf(de->d_name, "card%d", &b->card) == 1)
				break;
		closedir(dir);
	}
	return 0;
}

/* The value of "key: value" in a debugfs-style file; -1 when missing. */
static int64_t read_key(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 0);
			break;
		}
	fclose(f);
	return v;
}

static int64_t sim_counter(struct bench_dev *b, const char *key)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DEBUGFS "/nova-sim/gpu%d/counters", b->sim);
	return read_key(path, key);
}

static int set_vm_page_sizes(struct bench_dev *b, uint64_t mask)
{
	char path[PATH_MAX], val[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), DEBUGFS "/dri/%d/nova_vm_page_sizes", b->card);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(val, sizeof(val), "0x%" PRIx64 "\n", mask);
	if (write(fd, val, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/* The simulator's TLB invalidation latency in us (-1: its default). */
static int64_t get_tlb_delay(struct bench_dev *b)
{
	char path[PATH_MAX];
	long long v = -2;
	FILE *f;

	snprintf(path, sizeof(path), DEBUGFS "/nova-sim/gpu%d/tlb_delay_us", b->sim);
	f = fopen(path, "r");
	if (!f)
		return -2;
	if (fscanf(f, "%lld", &v) != 1)
		v = -2;
	fclose(f);
	return v;
}

static int set_tlb_delay(struct bench_dev *b, int64_t us)
{
	char path[PATH_MAX];
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), DEBUGFS "/nova-sim/gpu%d/tlb_delay_us", b->sim);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fprintf(f, "%" PRId64 "\n", us) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static int64_t meminfo(const char *key)
{
	return read_key("/proc/meminfo", key) * 1024;
}

static uint64_t pt_bytes(struct nova_vm *vm)
{
	struct nova_vm_state st;

	check(nova_vm_get_state(vm, 0, &st, NULL, 0), "VM state");
	return st.pt_bytes;
}

/* A bind that must succeed and must not leave the VM in error. */
static void bind(struct nova_vm *vm, uint32_t flags, const struct nova_bind_op *ops,
		 unsigned int n, const struct nova_sync_point *syncs, unsigned int nsyncs)
{
	check(nova_vm_bind(vm, flags, ops, n, syncs, nsyncs), "bind");
}

static void map(struct nova_vm *vm, struct nova_bo *bo, uint64_t off, uint64_t va,
		uint64_t range)
{
	check(nova_vm_map(vm, bo, off, va, range, 0), "map");
}

static void unmap(struct nova_vm *vm, uint64_t va, uint64_t range)
{
	check(nova_vm_unmap(vm, va, range), "unmap");
}

/* VA for the benchmarks: 4 GiB up, aligned to 1 GiB. */
#define VA_BASE (4 * GiB)

/* ---- hugepage_speedup, pt_bytes_per_gib_4k ---- */

static double getparam_ns(struct bench_dev *b);

static void bench_hugepage(struct bench_dev *b)
{
	const uint64_t size = quick ? 64 * MiB : GiB;
	uint64_t t, t2m = UINT64_MAX, t4k, p0, p1;
	struct nova_vm *vm, *vm4k;
	struct nova_bo *bo;
	int i, ret;

	check(nova_bo_create(b->dev, size, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	map(vm, bo, 0, VA_BASE, size);	/* warm: page tables, caches */
	unmap(vm, VA_BASE, size);
	for (i = 0; i < 3; i++) {
		t = now_ns();
		map(vm, bo, 0, VA_BASE, size);
		unmap(vm, VA_BASE, size);
		t = now_ns() - t;
		if (t < t2m)
			t2m = t;
	}
	nova_vm_destroy(vm);

	ret = set_vm_page_sizes(b, 4 * KiB);
	if (ret) {
		fail("cannot force 4 KiB pages (debugfs nova_vm_page_sizes): %s",
		     nova_strerror(ret));
		nova_bo_unref(bo);
		return;
	}
	ret = nova_vm_create(b->dev, &vm4k);
	set_vm_page_sizes(b, 0);
	check(ret, "create 4 KiB VM");
	p0 = pt_bytes(vm4k);
	t = now_ns();
	map(vm4k, bo, 0, VA_BASE, size);
	t4k = now_ns() - t;
	p1 = pt_bytes(vm4k);
	t = now_ns();
	unmap(vm4k, VA_BASE, size);
	t4k += now_ns() - t;
	nova_vm_destroy(vm4k);
	nova_bo_unref(bo);

	report("hugepage_speedup", (double)t4k / t2m, "x", CMP_GE, 100,
	       "map+unmap %" PRIu64 " MiB: 4K pages %.1f ms, 2M pages %.3f ms",
	       size / MiB, t4k / 1e6, t2m / 1e6);
	report("pt_bytes_per_gib_4k", (double)(p1 - p0) * GiB / size / KiB, "KiB",
	       CMP_NONE, 0, "page tables of %" PRIu64 " MiB mapped with 4 KiB pages",
	       size / MiB);
	report("map_1g_2m_vs_getparam", t2m / getparam_ns(b), "x", CMP_LE, 400,
	       "map+unmap of %" PRIu64 " MiB with 2 MiB pages (two synchronous binds) "
	       "%.0f us, GETPARAM %.2f us", size / MiB, t2m / 1e3, getparam_ns(b) / 1e3);
}

/* ---- pt_bytes_per_gib_2m ---- */

static void bench_pt_bytes(struct bench_dev *b)
{
	const uint64_t size = quick ? 64 * MiB : GiB;
	const unsigned int n = 4;
	struct nova_bind_op ops[4];
	uint64_t p0, p1, p4;
	struct nova_vm *vm;
	struct nova_bo *bo;
	unsigned int i;

	check(nova_bo_create(b->dev, size, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	p0 = pt_bytes(vm);
	map(vm, bo, 0, VA_BASE, size);
	p1 = pt_bytes(vm);
	for (i = 1; i < n; i++)
		ops[i - 1] = (struct nova_bind_op){ .op = NOVA_BIND_MAP, .bo = bo,
			.va = VA_BASE + i * GiB, .range = size };
	bind(vm, 0, ops, n - 1, NULL, 0);
	p4 = pt_bytes(vm);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);

	report("pt_bytes_per_gib_2m", (double)(p4 - p0) * GiB / (n * size) / KiB, "KiB",
	       CMP_LE, 16, "%u x %" PRIu64 " MiB at 1 GiB steps: %" PRIu64
	       " KiB; the first alone %" PRIu64 " KiB (root excluded)",
	       n, size / MiB, (p4 - p0) / KiB, (p1 - p0) / KiB);
}

/* ---- null_1t_pt_bytes, null_1t_vs_bind_2m ---- */

/* Best of 3 synchronous binds (each undone untimed): NULL @range, or @bo at @va. */
static uint64_t time_bind_best(struct nova_vm *vm, struct nova_bo *bo, uint64_t va,
			       uint64_t range)
{
	uint64_t t, best = UINT64_MAX;
	int i;

	for (i = 0; i < 4; i++) {
		t = now_ns();
		if (bo)
			map(vm, bo, 0, va, range);
		else
			check(nova_vm_bind_null(vm, va, range), "NULL bind");
		t = now_ns() - t;
		unmap(vm, va, range);
		/* the first is a warm-up */
		if (i && t < best)
			best = t;
	}
	return best;
}

static void bench_null(struct bench_dev *b)
{
	const uint64_t va = 1024 * GiB, range = 1024 * GiB;
	struct nova_vm_state st;
	uint64_t p0, t1t, t2m;
	struct nova_vm *vm;
	struct nova_bo *bo;

	check(nova_bo_create(b->dev, 2 * MiB, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	p0 = pt_bytes(vm);
	check(nova_vm_bind_null(vm, va, range), "NULL bind");
	check(nova_vm_get_state(vm, 0, &st, NULL, 0), "VM state");
	if (st.null_bytes != range)
		fail("null_1t_pt_bytes: VM_GET_STATE null_bytes %" PRIu64 ", expected %" PRIu64,
		     st.null_bytes, range);
	unmap(vm, va, range);
	report("null_1t_pt_bytes", (double)(st.pt_bytes - p0) / KiB, "KiB", CMP_LE, 64,
	       "page tables of a 1 TiB NULL bind at a 1 TiB-aligned VA (root excluded)");

	t1t = time_bind_best(vm, NULL, va, range);
	t2m = time_bind_best(vm, bo, VA_BASE, 2 * MiB);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);
	report("null_1t_vs_bind_2m", (double)t1t / t2m, "x", CMP_LE, 3,
	       "synchronous NULL bind of 1 TiB %.1f us, of a 2 MiB BO %.1f us (best of 3)",
	       t1t / 1e3, t2m / 1e3);
}

/* ---- tlb_flush_per_bind ---- */

static void bench_tlb(struct bench_dev *b)
{
	static const unsigned int counts[] = { 1, 2, 16, 128, 1024 };
	unsigned int max_ops = b->info.max_bind_ops, c, i, ioctls = 0;
	uint64_t flushes = 0, d, dmin = UINT64_MAX, dmax = 0;
	struct nova_sync_point sp;
	struct nova_bind_op *ops;
	struct nova_sync *sync;
	struct nova_vm *vm;
	struct nova_bo *bo;
	int64_t c0, c1;
	char seen[128] = "", odd[96] = "";
	size_t off = 0;

	if (b->sim < 0 || sim_counter(b, "tlb_invalidates") < 0) {
		fail("tlb_flush_per_bind needs the simulator's counters");
		return;
	}
	ops = calloc(max_ops, sizeof(*ops));
	check(nova_bo_create(b->dev, 4 * MiB, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned int n = counts[c] < max_ops ? counts[c] : max_ops;
		int pass;

		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < n; i++) {
				/* every other page of the BO, 8 KiB apart in VA */
				uint64_t va = VA_BASE + i * 8 * KiB;

				ops[i] = pass ? (struct nova_bind_op){ .op = NOVA_BIND_UNMAP,
						.va = va, .range = 4 * KiB } :
					(struct nova_bind_op){ .op = NOVA_BIND_MAP, .bo = bo,
						.bo_offset = (i % 512) * 8 * KiB,
						.va = va, .range = 4 * KiB };
			}
			c0 = sim_counter(b, "tlb_invalidates");
			bind(vm, 0, ops, n, NULL, 0);
			c1 = sim_counter(b, "tlb_invalidates");
			d = c1 - c0;
			flushes += d;
			ioctls++;
			if (d != 1 && !odd[0])
				snprintf(odd, sizeof(odd), "; %" PRIu64 " for %u %s ops", d, n,
					 pass ? "unmap" : "map");
			dmin = d < dmin ? d : dmin;
			dmax = d > dmax ? d : dmax;
		}
		off += snprintf(seen + off, sizeof(seen) - off, "%s%u", c ? "," : "", n);
	}

	/* Queued binds: each is one job, each job one flush. */
	check(nova_sync_create(b->dev, false, false, &sync), "create sync");
	sp = (struct nova_sync_point){ .sync = sync, .flags = NOVA_SYNC_POINT_SIGNAL };
	c0 = sim_counter(b, "tlb_invalidates");
	for (i = 0; i < 64; i++) {
		ops[0] = (struct nova_bind_op){ .op = NOVA_BIND_MAP, .bo = bo,
			.va = VA_BASE + i * 4 * KiB, .range = 4 * KiB };
		bind(vm, NOVA_BIND_ASYNC, ops, 1, &sp, i == 63);
	}
	check(nova_sync_wait(sync, 0, 10ll * 1000000000), "wait for queued binds");
	c1 = sim_counter(b, "tlb_invalidates");
	d = c1 - c0;
	flushes += d;
	ioctls += 64;
	nova_sync_destroy(sync);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);
	free(ops);

	report("tlb_flush_per_bind", (double)flushes / ioctls, "flushes", CMP_EQ, 1,
	       "%u ioctls with %s ops (map, unmap) and 64 queued: per ioctl min %" PRIu64
	       " max %" PRIu64 "; queued %" PRIu64 "/64%s", ioctls, seen, dmin, dmax, d, odd);
	if (dmin != 1 || dmax != 1)
		results[nresults - 1].met = false;
}

/* ---- sync_bind_vs_getparam, sync_bind_driver_vs_getparam, pramin_reads_per_bind ---- */

static uint64_t time_getparam(struct nova_device *dev, unsigned int n)
{
	uint64_t v, t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		check(nova_get_param(dev, NOVA_PARAM_VRAM_USED, &v), "getparam");
	return now_ns() - t;
}

/* One GETPARAM, best of 3 x 2000, measured once: the unit of the ratios. */
static double getparam_ns(struct bench_dev *b)
{
	static double ns;
	const unsigned int n = quick ? 200 : 2000;
	uint64_t t, best = UINT64_MAX;
	int i;

	if (ns)
		return ns;
	time_getparam(b->dev, n / 10);
	for (i = 0; i < 3; i++) {
		t = time_getparam(b->dev, n);
		best = t < best ? t : best;
	}
	ns = (double)best / n;
	return ns;
}

static uint64_t time_bind_unbind(struct nova_vm *vm, struct nova_bo *bo, unsigned int n)
{
	uint64_t t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		map(vm, bo, 4 * KiB, VA_BASE + 4 * KiB, 4 * KiB);
		unmap(vm, VA_BASE + 4 * KiB, 4 * KiB);
	}
	return now_ns() - t;
}

/* Best of 3 x @n synchronous 4 KiB bind+unbind pairs, per pair, against GETPARAM. */
static double sync_bind_ratio(struct bench_dev *b, struct nova_vm *vm, struct nova_bo *bo,
			      unsigned int n, double *bind_ns, double *gp_ns)
{
	uint64_t tg = UINT64_MAX, tb = UINT64_MAX, t;
	int i;

	time_bind_unbind(vm, bo, n / 10);
	time_getparam(b->dev, n / 10);
	for (i = 0; i < 3; i++) {
		t = time_getparam(b->dev, n);
		tg = t < tg ? t : tg;
		t = time_bind_unbind(vm, bo, n);
		tb = t < tb ? t : tb;
	}
	*bind_ns = (double)tb / n;
	*gp_ns = (double)tg / n;
	return (double)tb / tg;
}

static void bench_sync_bind(struct bench_dev *b)
{
	const unsigned int n = quick ? 100 : 2000;
	int64_t delay = get_tlb_delay(b), r0, r1;
	double tb, tg, r;
	struct nova_vm *vm;
	struct nova_bo *bo;
	int ret;

	check(nova_bo_create(b->dev, 64 * KiB, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	/* the neighbour page keeps the page tables in place */
	map(vm, bo, 0, VA_BASE, 4 * KiB);

	r = sync_bind_ratio(b, vm, bo, n, &tb, &tg);
	report("sync_bind_vs_getparam", r, "x", CMP_LE, 40,
	       "bind+unbind of 4 KiB %.1f us, GETPARAM %.2f us (best of 3 x %u; "
	       "simulated TLB latency %" PRId64 " us)", tb / 1e3, tg / 1e3, n, delay);

	r0 = sim_counter(b, "pramin_reads");
	time_bind_unbind(vm, bo, n / 10);
	r1 = sim_counter(b, "pramin_reads");
	if (r0 < 0 || r1 < 0)
		fail("pramin_reads_per_bind needs the simulator's counters");
	else
		report("pramin_reads_per_bind", (double)(r1 - r0) / (2 * (n / 10)), "reads",
		       CMP_EQ, 0, "%" PRId64 " PRAMIN reads in %u synchronous 4 KiB binds "
		       "with the page tables present", r1 - r0, 2 * (n / 10));

	ret = delay < -1 ? -ENOENT : set_tlb_delay(b, 0);
	if (ret) {
		fail("sync_bind_driver_vs_getparam: cannot set the simulator's "
		     "tlb_delay_us: %s", nova_strerror(ret));
	} else {
		r = sync_bind_ratio(b, vm, bo, n, &tb, &tg);
		check(set_tlb_delay(b, delay), "restore tlb_delay_us");
		report("sync_bind_driver_vs_getparam", r, "x", CMP_LE, 10,
		       "the same with no simulated TLB latency: %.1f us, GETPARAM %.2f us",
		       tb / 1e3, tg / 1e3);
	}
	nova_vm_destroy(vm);
	nova_bo_unref(bo);
}

/* ---- async_vs_sync_bind ---- */

static uint64_t time_binds(struct nova_vm *vm, struct nova_bo *bo, unsigned int n,
			   bool async, struct nova_sync *sync)
{
	struct nova_sync_point sp = { .sync = sync, .flags = NOVA_SYNC_POINT_SIGNAL };
	uint64_t t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct nova_bind_op op = { .op = NOVA_BIND_MAP, .bo = bo,
			.va = VA_BASE + i * 4 * KiB, .range = 4 * KiB };

		bind(vm, async ? NOVA_BIND_ASYNC : 0, &op, 1, &sp,
		     async && i == n - 1);
	}
	if (async)
		check(nova_sync_wait(sync, 0, 60ll * 1000000000), "wait for queued binds");
	t = now_ns() - t;
	unmap(vm, VA_BASE, n * 4 * KiB);
	return t;
}

/*
 * The time for an asynchronous one-op VM_BIND ioctl to return: each bind
 * is waited for before the next is submitted, so that the queue is idle
 * and the ioctl alone is timed.
 */
static void bench_async_submit(struct bench_dev *b)
{
	const unsigned int n = quick ? 100 : 1000;
	struct nova_sync_point sp;
	uint64_t t, best = UINT64_MAX;
	struct nova_sync *sync;
	struct nova_vm *vm;
	struct nova_bo *bo;
	unsigned int i;
	int k;

	check(nova_bo_create(b->dev, 4 * KiB, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	check(nova_sync_create(b->dev, false, false, &sync), "create sync");
	sp = (struct nova_sync_point){ .sync = sync, .flags = NOVA_SYNC_POINT_SIGNAL };
	/* the neighbour page keeps the page tables in place */
	map(vm, bo, 0, VA_BASE, 4 * KiB);
	for (k = 0; k < 4; k++) {
		uint64_t sum = 0;

		for (i = 0; i < n; i++) {
			struct nova_bind_op op = { .op = (i & 1) ? NOVA_BIND_UNMAP : NOVA_BIND_MAP,
				.bo = (i & 1) ? NULL : bo, .va = VA_BASE + 4 * KiB,
				.range = 4 * KiB };

			t = now_ns();
			bind(vm, NOVA_BIND_ASYNC, &op, 1, &sp, 1);
			sum += now_ns() - t;
			check(nova_sync_wait(sync, 0, 10ll * 1000000000), "wait for a bind");
			check(nova_sync_reset(sync), "reset sync");
		}
		/* the first round warms up */
		if (k && sum < best)
			best = sum;
	}
	nova_sync_destroy(sync);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);

	report("async_submit_vs_getparam", best / (double)n / getparam_ns(b), "x", CMP_LE, 10,
	       "one-op asynchronous VM_BIND returns in %.1f us, GETPARAM %.2f us "
	       "(best of 3 x %u)", best / 1e3 / n, getparam_ns(b) / 1e3, n);
}

static void bench_async(struct bench_dev *b)
{
	const unsigned int n = quick ? 100 : 1000;
	uint64_t ts = UINT64_MAX, ta = UINT64_MAX, t;
	struct nova_sync *sync;
	struct nova_vm *vm;
	struct nova_bo *bo;
	int i;

	check(nova_bo_create(b->dev, 4 * KiB, 0, &bo), "create BO");
	check(nova_vm_create(b->dev, &vm), "create VM");
	check(nova_sync_create(b->dev, false, false, &sync), "create sync");
	time_binds(vm, bo, n / 10, false, sync);
	for (i = 0; i < 3; i++) {
		t = time_binds(vm, bo, n, false, sync);
		ts = t < ts ? t : ts;
		check(nova_sync_reset(sync), "reset sync");
		t = time_binds(vm, bo, n, true, sync);
		ta = t < ta ? t : ta;
	}
	nova_sync_destroy(sync);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);

	report("async_vs_sync_bind", (double)ts / ta, "x", CMP_GE, 1.0,
	       "%u binds: async %.0f/s, sync %.0f/s (best of 3)", n,
	       n / (ta / 1e9), n / (ts / 1e9));
	bench_async_submit(b);
}

/* ---- bar1_write_vs_memcpy, bar1_read_vs_memcpy ---- */

static uint64_t time_copy(void *dst, const void *src, size_t size)
{
	uint64_t t = now_ns();

	memcpy(dst, src, size);
	/* keep the copy from being optimised away */
	__asm__ __volatile__("" : : "r"(dst) : "memory");
	return now_ns() - t;
}

static void bench_bar1(struct bench_dev *b)
{
	const size_t size = quick ? 16 * MiB : 256 * MiB;
	uint64_t tw = UINT64_MAX, tr = UINT64_MAX, tm = UINT64_MAX, t;
	uint8_t *bar, *src, *dst;
	struct nova_bo *bo;
	size_t i;
	int k;

	if (b->info.bar1_size < size + 16 * MiB) {
		fail("BAR1 (%" PRIu64 " MiB) too small for %zu MiB", b->info.bar1_size / MiB,
		     size / MiB);
		return;
	}
	check(nova_bo_create(b->dev, size, 0, &bo), "create BO");
	check(nova_bo_mmap(bo, (void **)&bar), "mmap BO");
	src = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED) {
		fail("anonymous memory: %m");
		return;
	}
	for (i = 0; i < size; i += sizeof(uint64_t))
		*(uint64_t *)(src + i) = i * 0x9e3779b97f4a7c15ull;
	memset(dst, 1, size);
	memset(bar, 1, size);	/* fault everything in first */
	for (k = 0; k < 3; k++) {
		t = time_copy(dst, src, size);
		tm = t < tm ? t : tm;
		t = time_copy(bar, src, size);
		tw = t < tw ? t : tw;
		memset(dst, 0, size);
		t = time_copy(dst, bar, size);
		tr = t < tr ? t : tr;
		if (memcmp(dst, src, size)) {
			fail("BAR1 read back differs from what was written");
			break;
		}
	}
	munmap(src, size);
	munmap(dst, size);
	nova_bo_munmap(bo);
	nova_bo_unref(bo);

	report("bar1_write_vs_memcpy", (double)tm / tw, "x", CMP_GE, 0.9,
	       "%zu MiB: BAR1 write %.0f MiB/s, memcpy %.0f MiB/s", size / MiB,
	       size / MiB / (tw / 1e9), size / MiB / (tm / 1e9));
	report("bar1_read_vs_memcpy", (double)tm / tr, "x", CMP_GE, 0.9,
	       "%zu MiB: BAR1 read %.0f MiB/s, memcpy %.0f MiB/s", size / MiB,
	       size / MiB / (tr / 1e9), size / MiB / (tm / 1e9));
}

/* ---- ce_copy_vs_memcpy, exec_nop_vs_getparam, exec_async_vs_sync ---- */

#define EXEC_CMD_SIZE	(1 * MiB)

/* A channel on a fresh VM with a command BO mapped at VA_BASE. */
struct bench_chan {
	struct nova_vm *vm;
	struct nova_channel *ch;
	struct nova_bo *cmd;
	void *map;
	struct nova_sync *done;
};

static int chan_open(struct bench_dev *b, struct bench_chan *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	check(nova_vm_create(b->dev, &c->vm), "create VM");
	ret = nova_channel_create(c->vm, 0, &c->ch);
	if (ret) {
		nova_vm_destroy(c->vm);
		return ret;
	}
	check(nova_bo_create(b->dev, EXEC_CMD_SIZE, 0, &c->cmd), "create command BO");
	check(nova_bo_mmap(c->cmd, &c->map), "mmap command BO");
	map(c->vm, c->cmd, 0, VA_BASE, EXEC_CMD_SIZE);
	check(nova_sync_create(b->dev, false, false, &c->done), "create syncobj");
	return 0;
}

static void chan_close(struct bench_chan *c)
{
	nova_sync_destroy(c->done);
	check(nova_channel_destroy(c->ch), "destroy channel");
	nova_bo_munmap(c->cmd);
	check(nova_vm_destroy(c->vm), "destroy VM");
	nova_bo_unref(c->cmd);
}

/* Write a push at @off of the command BO: NOP, or a copy of @size bytes. */
static struct nova_push chan_push(struct bench_chan *c, size_t off, uint64_t dst,
				  uint64_t src, uint64_t size)
{
	struct nova_pushbuf *pb;
	struct nova_push push;

	check(nova_pushbuf_create(nova_channel_class(c->ch), (char *)c->map + off,
				  VA_BASE + off, EXEC_CMD_SIZE - off, &pb), "pushbuf");
	if (size) {
		nova_push_set_object(pb);
		nova_push_copy(pb, dst, src, size);
	} else {
		nova_push_nop(pb);
	}
	check(nova_pushbuf_end(pb, &push), "build push");
	nova_pushbuf_destroy(pb);
	return push;
}

/* Submit @push, signalling c->done when @signal. */
static void chan_exec(struct bench_chan *c, const struct nova_push *push, bool signal)
{
	struct nova_sync_point sp = {
		.sync = c->done, .flags = NOVA_SYNC_POINT_SIGNAL,
	};

	check(nova_exec(c->ch, push, 1, &sp, signal ? 1 : 0), "EXEC");
}

static void chan_wait(struct bench_chan *c)
{
	struct nova_channel_state st;

	check(nova_sync_wait(c->done, 0, 120ll * 1000000000), "wait for EXEC");
	check(nova_channel_get_state(c->ch, &st), "channel state");
	if (st.dead) {
		fprintf(stderr, "nova-bench: the channel died: %s\n", nova_strerror(st.error));
		exit(1);
	}
}

static void bench_exec(struct bench_dev *b)
{
	const unsigned int n = quick ? 100 : 1000;
	uint64_t t, t_nop = UINT64_MAX, t_sync = UINT64_MAX, t_async = UINT64_MAX;
	struct nova_push nop;
	struct bench_chan c;
	unsigned int i, k;
	int ret;

	ret = chan_open(b, &c);
	if (ret) {
		fail("exec: no user channel on this GPU: %s", nova_strerror(ret));
		return;
	}
	nop = chan_push(&c, 0, 0, 0, 0);
	chan_exec(&c, &nop, true);
	chan_wait(&c);

	/* One EXEC of a NOP, waited for. */
	for (k = 0; k < 3; k++) {
		for (i = 0; i < n / 10; i++) {
			t = now_ns();
			chan_exec(&c, &nop, true);
			chan_wait(&c);
			t = now_ns() - t;
			t_nop = t < t_nop ? t : t_nop;
		}
	}
	/* @n EXECs, each waited for, against @n queued and the last waited for. */
	for (k = 0; k < 3; k++) {
		t = now_ns();
		for (i = 0; i < n; i++) {
			chan_exec(&c, &nop, true);
			chan_wait(&c);
		}
		t = now_ns() - t;
		t_sync = t < t_sync ? t : t_sync;
		t = now_ns();
		for (i = 0; i < n; i++)
			chan_exec(&c, &nop, i == n - 1);
		chan_wait(&c);
		t = now_ns() - t;
		t_async = t < t_async ? t : t_async;
	}
	chan_close(&c);

	report("exec_nop_vs_getparam", t_nop / getparam_ns(b), "x", CMP_LE, 50,
	       "EXEC of one NOP push + wait %.1f us, GETPARAM %.2f us (best of %u)",
	       t_nop / 1e3, getparam_ns(b) / 1e3, 3 * (n / 10));
	report("exec_async_vs_sync", (double)t_sync / t_async, "x", CMP_GE, 2,
	       "%u NOP EXECs: queued %.0f/s, each waited %.0f/s (best of 3)", n,
	       n / (t_async / 1e9), n / (t_sync / 1e9));
}

static void bench_ce_copy(struct bench_dev *b)
{
	const uint64_t size = quick ? 32 * MiB : 256 * MiB;
	const uint64_t src_va = VA_BASE + GiB, dst_va = VA_BASE + 2 * GiB;
	uint64_t t, tg = UINT64_MAX, tm = UINT64_MAX;
	struct nova_bo *src, *dst;
	uint8_t *s, *d, *a, *m;
	struct nova_push push;
	struct bench_chan c;
	uint64_t i;
	int k, ret;

	ret = chan_open(b, &c);
	if (ret) {
		fail("ce_copy: no user channel on this GPU: %s", nova_strerror(ret));
		return;
	}
	check(nova_bo_create(b->dev, size, 0, &src), "create BO");
	check(nova_bo_create(b->dev, size, 0, &dst), "create BO");
	map(c.vm, src, 0, src_va, size);
	map(c.vm, dst, 0, dst_va, size);
	check(nova_bo_mmap(src, (void **)&s), "mmap BO");
	check(nova_bo_mmap(dst, (void **)&d), "mmap BO");
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || m == MAP_FAILED) {
		fail("anonymous memory: %m");
		return;
	}
	for (i = 0; i < size; i += sizeof(uint64_t))
		*(uint64_t *)(a + i) = i * 0x9e3779b97f4a7c15ull;
	memcpy(s, a, size);
	memset(m, 1, size);
	push = chan_push(&c, 0, dst_va, src_va, size);
	for (k = 0; k < 3; k++) {
		t = now_ns();
		chan_exec(&c, &push, true);
		chan_wait(&c);
		t = now_ns() - t;
		tg = t < tg ? t : tg;
		t = time_copy(m, a, size);
		tm = t < tm ? t : tm;
	}
	if (memcmp(d, a, size))
		fail("ce_copy: the GPU's copy differs from its source");
	munmap(a, size);
	munmap(m, size);
	nova_bo_munmap(src);
	nova_bo_munmap(dst);
	chan_close(&c);
	nova_bo_unref(src);
	nova_bo_unref(dst);

	report("ce_copy_vs_memcpy", (double)tm / tg, "x", CMP_GE, 0.5,
	       "%" PRIu64 " MiB BO to BO: copy engine %.0f MiB/s, memcpy in the guest %.0f MiB/s",
	       size / MiB, size / MiB / (tg / 1e9), size / MiB / (tm / 1e9));
}

/* ---- faults_per_mib_2m ---- */

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void bench_faults(struct bench_dev *b)
{
	const size_t size = 64 * MiB;
	volatile uint8_t *p;
	long f0, f1, a0, a1;
	struct nova_bo *bo;
	uint8_t *anon;
	size_t i;

	check(nova_bo_create(b->dev, size, 0, &bo), "create BO");
	check(nova_bo_mmap(bo, (void **)&p), "mmap BO");
	f0 = minflt();
	for (i = 0; i < size; i += 4 * KiB)
		(void)p[i];
	f1 = minflt();
	nova_bo_munmap(bo);
	nova_bo_unref(bo);

	/* reference: anonymous memory without transparent huge pages */
	anon = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(anon, size, MADV_NOHUGEPAGE);
	a0 = minflt();
	for (i = 0; i < size; i += 4 * KiB)
		anon[i] = 1;
	a1 = minflt();
	munmap(anon, size);

	report("faults_per_mib_2m", (double)(f1 - f0) / (size / MiB), "faults/MiB",
	       CMP_LE, 0.5, "%ld faults touching %zu MiB of a BO mapping at %p; "
	       "anonymous 4 KiB memory: %.0f/MiB", f1 - f0, size / MiB, (void *)p,
	       (double)(a1 - a0) / (size / MiB));
}

/* ---- gem_create_vs_vgem ---- */

static int open_vgem(void)
{
	char path[64];
	int i, fd;

	for (i = 0; i < 64; i++) {
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "vgem")) {
			drmFreeVersion(v);
			return fd;
		}
		if (v)
			drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

/* A 64 KiB object on vgem (a 128 x 128 x 32 bpp dumb buffer) or nova. */
static uint32_t create_64k(int fd, bool vgem)
{
	struct drm_mode_create_dumb d = { .width = 128, .height = 128, .bpp = 32 };
	struct drm_nova_gem_create c = { .size = 64 * KiB };

	if (vgem) {
		if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d))
			check(-errno, "vgem create");
		return d.handle;
	}
	if (drmIoctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &c))
		check(-errno, "nova create");
	return c.handle;
}

static uint64_t time_create_close(int fd, unsigned int n, bool vgem)
{
	uint64_t t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct drm_gem_close cl = { .handle = create_64k(fd, vgem) };

		if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &cl))
			check(-errno, "close");
	}
	return now_ns() - t;
}

static void bench_gem_create(struct bench_dev *b)
{
	const unsigned int n = quick ? 200 : 4000;
	int vfd = open_vgem(), nfd = nova_device_fd(b->dev), i;
	uint64_t tv = UINT64_MAX, tn = UINT64_MAX, t;

	if (vfd < 0) {
		fail("gem_create_vs_vgem: no vgem device (modprobe vgem)");
		return;
	}
	time_create_close(vfd, n / 10, true);
	time_create_close(nfd, n / 10, false);
	for (i = 0; i < 3; i++) {
		t = time_create_close(vfd, n, true);
		tv = t < tv ? t : tv;
		t = time_create_close(nfd, n, false);
		tn = t < tn ? t : tn;
	}
	close(vfd);

	report("gem_create_vs_vgem", (double)tv / tn, "x", CMP_GE, 0.5,
	       "64 KiB create+close: nova %.1f us, vgem %.1f us (best of 3 x %u)",
	       tn / 1e3 / n, tv / 1e3 / n, n);
}

/* ---- sim80g_rss_per_gib_touched ---- */

static void bench_sim80g(int index)
{
	const uint64_t size = quick ? 64 * MiB : GiB;
	int64_t m0, m1, s0, s1;
	struct bench_dev b;
	struct nova_vm *vm;
	struct nova_bo *bo;
	volatile uint8_t *p;
	uint64_t i, bad = 0;

	check(open_bench_dev(index, &b), "open the large device");
	s0 = sim_counter(&b, "vram_backed");
	m0 = meminfo("MemAvailable");
	check(nova_bo_create(b.dev, size, 0, &bo), "create BO");
	check(nova_vm_create(b.dev, &vm), "create VM");
	map(vm, bo, 0, VA_BASE, size);
	check(nova_bo_mmap(bo, (void **)&p), "mmap BO");
	for (i = 0; i < size; i += 4 * KiB)
		p[i] = (uint8_t)(i >> 12) | 1;
	for (i = 0; i < size; i += 4 * KiB)
		bad += p[i] != ((uint8_t)(i >> 12) | 1);
	m1 = meminfo("MemAvailable");
	s1 = sim_counter(&b, "vram_backed");
	nova_bo_munmap(bo);
	nova_vm_destroy(vm);
	nova_bo_unref(bo);
	nova_device_close(b.dev);
	if (bad)
		fail("sim80g: %" PRIu64 " pages read back wrong", bad);

	report("sim80g_rss_per_gib_touched", (double)(m0 - m1) / size, "GiB/GiB",
	       CMP_APPROX, 1, "%.0f GiB %s: guest memory -%" PRId64 " MiB, simulator "
	       "backing +%" PRId64 " MiB for %" PRIu64 " MiB bound and touched",
	       b.info.vram_total / (double)GiB, nova_chipset_name(b.info.chipset),
	       (m0 - m1) / (int64_t)MiB, (s1 - s0) / (int64_t)MiB, size / MiB);
}

/* ---- output ---- */

static const char *cmp_str(enum cmp c)
{
	switch (c) {
	case CMP_GE: return ">=";
	case CMP_LE: return "<=";
	case CMP_EQ: return "==";
	case CMP_APPROX: return "~";
	default: return "";
	}
}

static void print_table(const struct bench_dev *b)
{
	struct utsname u;
	int i;

	uname(&u);
	printf("nova-bench on %s (%s, %.0f MiB VRAM, %.0f MiB BAR1), kernel %s%s\n\n",
	       nova_chipset_name(b->info.chipset), nova_device_path(b->dev),
	       b->info.vram_total / (double)MiB, b->info.bar1_size / (double)MiB,
	       u.release, quick ? ", --quick" : "");
	printf("%-28s %12s %-10s %-9s %-4s %s\n", "figure", "value", "unit", "target",
	       "met", "measured");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];
		char target[32] = "report";

		if (r->cmp != CMP_NONE)
			snprintf(target, sizeof(target), "%s %g", cmp_str(r->cmp), r->target);
		printf("%-28s %12.4g %-10s %-9s %-4s %s\n", r->name, r->value, r->unit,
		       target, r->cmp == CMP_NONE ? "-" : r->met ? "yes" : "NO", r->detail);
	}
	printf("\n");
	for (i = 0; i < nresults; i++)
		printf("%s %.6g %s\n", results[i].name, results[i].value, results[i].unit);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int write_json(const char *path, const struct bench_dev *b)
{
	struct utsname u;
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -errno;
	uname(&u);
	fprintf(f, "{\n  \"chip\": ");
	json_str(f, nova_chipset_name(b->info.chipset));
	fprintf(f, ",\n  \"kernel\": ");
	json_str(f, u.release);
	fprintf(f, ",\n  \"quick\": %s,\n  \"results\": [\n", quick ? "true" : "false");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];

		fprintf(f, "    {\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", ",
			r->name, r->value, r->unit);
		if (r->cmp != CMP_NONE)
			fprintf(f, "\"target\": \"%s %g\", \"met\": %s, ", cmp_str(r->cmp),
				r->target, r->met ? "true" : "false");
		fprintf(f, "\"detail\": ");
		json_str(f, r->detail);
		fprintf(f, "}%s\n", i + 1 < nresults ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

static bool wanted(const char *only, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (!only)
		return true;
	for (p = only; (p = strstr(p, name)); p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* The figures, by group, in the order they run (sim80g comes last). */
static const struct {
	const char *name;
	void (*run)(struct bench_dev *b);
} groups[] = {
	{ "gem_create", bench_gem_create },
	{ "tlb", bench_tlb },
	{ "sync_bind", bench_sync_bind },
	{ "async", bench_async },
	{ "hugepage", bench_hugepage },
	{ "pt_bytes", bench_pt_bytes },
	{ "null", bench_null },
	{ "faults", bench_faults },
	{ "bar1", bench_bar1 },
	{ "exec", bench_exec },
	{ "ce_copy", bench_ce_copy },
};

static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: nova-bench [--device N] [--only a,b,...] [--json FILE] [--quick]\n"
		"       nova-bench --help | --version\n"
		"  groups: gem_create tlb sync_bind async hugepage pt_bytes null faults bar1\n"
		"          exec ce_copy sim80g\n"
		"  sim80g runs on the first nova device with at least 64 GiB of VRAM\n"
		"  exit status: 0 every figure meets its target, 1 one misses or a step\n"
		"  fails, 2 usage error\n");
	exit(status);
}

int main(int argc, char **argv)
{
	struct nova_device_desc descs[MAX_DEVICES];
	const char *only = NULL, *json = NULL;
	int index = 0, i, n, big = -1;
	struct bench_dev b;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--device") && i + 1 < argc)
			index = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			usage(stdout, 0);
		else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			printf("nova-bench (libnova) %s\n", nova_get_version_string());
			return 0;
		} else
			usage(stderr, 2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	n = nova_enumerate(descs, MAX_DEVICES);
	if (n <= 0) {
		fprintf(stderr, "nova-bench: no nova device\n");
		return 1;
	}
	check(open_bench_dev(index, &b), "open device");
	if (getuid() != 0 || b.sim < 0 || b.card < 0)
		fprintf(stderr, "nova-bench: not root or not on nova-sim; counter-based "
			"figures will fail\n");
	fprintf(stderr, "nova-bench: %s, device %d (%s)\n",
		nova_chipset_name(b.info.chipset), index, nova_device_path(b.dev));

	/* cheapest first; those that back the most simulated VRAM last */
	for (i = 0; i < (int)(sizeof(groups) / sizeof(groups[0])); i++)
		if (wanted(only, groups[i].name))
			groups[i].run(&b);
	if (wanted(only, "sim80g")) {
		for (i = 0; i < n; i++) {
			struct nova_device *d;
			struct nova_info info;

			if (nova_device_open_index(i, &d))
				continue;
			if (!nova_query_info(d, &info) && info.vram_total >= 64 * GiB)
				big = i;
			nova_device_close(d);
			if (big >= 0)
				break;
		}
		if (big < 0)
			fail("sim80g: no nova device with 64 GiB of VRAM or more");
		else
			bench_sim80g(big);
	}

	print_table(&b);
	if (json && write_json(json, &b))
		fail("cannot write %s: %m", json);
	for (i = 0; i < nresults; i++)
		if (!results[i].met)
			failures++;
	nova_device_close(b.dev);
	return failures ? 1 : 0;
}
