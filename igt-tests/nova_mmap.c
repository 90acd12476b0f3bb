// SPDX-License-Identifier: MIT
/*
 * nova_mmap - CPU mappings of buffer objects through BAR1.
 */
#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check CPU mappings of nova buffer objects: contents, "
		     "coherency between mappings and bounds.");

static int fd = -1;

static uint32_t pattern(uint64_t i, uint32_t seed)
{
	return (uint32_t)(i * 2654435761u) ^ seed;
}

static void write_pattern(uint32_t *p, uint64_t size, uint32_t seed)
{
	for (uint64_t i = 0; i < size / 4; i++)
		p[i] = pattern(i, seed);
}

static void check_pattern(const uint32_t *p, uint64_t size, uint32_t seed)
{
	for (uint64_t i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == pattern(i, seed),
			     "word %llu: 0x%08x, expected 0x%08x\n",
			     (unsigned long long)i, p[i], pattern(i, seed));
}

static void check_zero(const uint32_t *p, uint64_t size)
{
	for (uint64_t i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == 0, "word %llu of a new object: 0x%08x\n",
			     (unsigned long long)i, p[i]);
}

static void test_write_read(uint64_t size)
{
	uint32_t handle = nova_gem_create(fd, size);
	uint32_t *p = nova_gem_mmap(fd, handle, size);

	write_pattern(p, size, 0x1234abcd);
	check_pattern(p, size, 0x1234abcd);
	igt_assert_eq(munmap(p, size), 0);

	/* the data outlives the mapping */
	p = nova_gem_mmap(fd, handle, size);
	check_pattern(p, size, 0x1234abcd);
	igt_assert_eq(munmap(p, size), 0);

	gem_close(fd, handle);
}

static void test_zeroed(uint64_t size)
{
	uint32_t handle;
	uint32_t *p;

	/* dirty some VRAM first, then free it, so that reuse is likely */
	handle = nova_gem_create(fd, size);
	p = nova_gem_mmap(fd, handle, size);
	write_pattern(p, size, 0xdeadbeef);
	igt_assert_eq(munmap(p, size), 0);
	gem_close(fd, handle);

	for (int i = 0; i < 4; i++) {
		handle = nova_gem_create(fd, size);
		p = nova_gem_mmap(fd, handle, size);
		check_zero(p, size);
		igt_assert_eq(munmap(p, size), 0);
		gem_close(fd, handle);
	}
}

/*
 * BAR1 pages cannot be copied on write: private mappings of a BO are
 * refused (touching one would crash the kernel), read-only ones too, as
 * they could be mprotect()ed writable; shared mappings still work after.
 */
static void test_private_refused(void)
{
	uint32_t bo = nova_gem_create(fd, SZ_64K);
	uint64_t off = nova_gem_mmap_offset(fd, bo);
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ };
	uint32_t *p;

	for (unsigned int i = 0; i < 2; i++) {
		errno = 0;
		p = mmap(NULL, SZ_64K, prots[i], MAP_PRIVATE, fd, off);
		igt_assert_f(p == MAP_FAILED, "MAP_PRIVATE mapping accepted\n");
		igt_assert_eq(errno, EINVAL);
	}
	p = nova_gem_mmap(fd, bo, SZ_64K);
	igt_assert(p);
	p[3] = 0xfeed;
	igt_assert_eq_u32(p[3], 0xfeed);
	munmap(p, SZ_64K);
	gem_close(fd, bo);
}

static void test_two_mappings(void)
{
	const uint64_t size = 16 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	uint32_t *a = nova_gem_mmap(fd, handle, size);
	uint32_t *b = nova_gem_mmap(fd, handle, size);

	igt_assert(a != b);
	write_pattern(a, size, 0x5a5a0000);
	check_pattern(b, size, 0x5a5a0000);
	write_pattern(b, size, 0x0000a5a5);
	check_pattern(a, size, 0x0000a5a5);

	igt_assert_eq(munmap(a, size), 0);
	check_pattern(b, size, 0x0000a5a5);
	igt_assert_eq(munmap(b, size), 0);
	gem_close(fd, handle);
}

static void test_two_files(void)
{
	const uint64_t size = 4 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	int fd2 = drm_reopen_driver(fd);
	uint32_t *p, *q;
	int dmabuf;
	uint32_t handle2;

	/* the same object through another file, shared with PRIME */
	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &handle2), 0);
	close(dmabuf);

	p = nova_gem_mmap(fd, handle, size);
	q = nova_gem_mmap(fd2, handle2, size);
	write_pattern(p, size, 0xfeedf00d);
	check_pattern(q, size, 0xfeedf00d);

	igt_assert_eq(munmap(p, size), 0);
	igt_assert_eq(munmap(q, size), 0);
	gem_close(fd2, handle2);
	drm_close_driver(fd2);
	gem_close(fd, handle);
}

static void test_partial(void)
{
	const uint64_t size = 8 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	uint32_t *whole = nova_gem_mmap(fd, handle, size);
	uint32_t *part;

	write_pattern(whole, size, 0x600df00d);

	/* a mapping of only the first two pages sees those pages */
	part = nova_gem_mmap(fd, handle, 2 * SZ_4K);
	check_pattern(part, 2 * SZ_4K, 0x600df00d);
	write_pattern(part, 2 * SZ_4K, 0x0badf00d);
	check_pattern(whole, 2 * SZ_4K, 0x0badf00d);
	for (uint64_t i = 2 * SZ_4K / 4; i < size / 4; i++)
		igt_assert_eq_u32(whole[i], pattern(i, 0x600df00d));

	igt_assert_eq(munmap(part, 2 * SZ_4K), 0);
	igt_assert_eq(munmap(whole, size), 0);
	gem_close(fd, handle);
}

static void test_beyond_bo(void)
{
	const uint64_t size = 4 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	uint64_t offset = nova_gem_mmap_offset(fd, handle);
	void *p;

	/* larger than the object */
	p = mmap(NULL, size + SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(p == MAP_FAILED, "mmap past the end of the object succeeded\n");

	/* starting inside, ending past the end */
	p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 offset + size - SZ_4K);
	igt_assert_f(p == MAP_FAILED, "mmap crossing the end of the object succeeded\n");

	gem_close(fd, handle);
}

static void test_bad_offset(void)
{
	uint32_t handle = nova_gem_create(fd, SZ_4K);
	uint64_t offset = nova_gem_mmap_offset(fd, handle);
	void *p;

	gem_close(fd, handle);

	/* the offset of a closed object maps nothing */
	p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(p == MAP_FAILED, "mmap of a closed object succeeded\n");

	/* nor does an offset that was never handed out */
	p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, fd, 0);
	igt_assert(p == MAP_FAILED);
}

static void test_close_while_mapped(void)
{
	const uint64_t size = 4 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	uint32_t *p = nova_gem_mmap(fd, handle, size);

	write_pattern(p, size, 0xc105ed00);
	/* the mapping keeps the object alive */
	gem_close(fd, handle);
	check_pattern(p, size, 0xc105ed00);
	write_pattern(p, size, 0x00c105ed);
	check_pattern(p, size, 0x00c105ed);
	igt_assert_eq(munmap(p, size), 0);
}

static void test_bar1_used(void)
{
	const uint64_t size = SZ_1M;
	uint64_t base, used;
	uint32_t handle;
	uint32_t *p;

	base = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	handle = nova_gem_create(fd, size);
	p = nova_gem_mmap(fd, handle, size);
	write_pattern(p, size, 1);	/* fault the mapping in */

	used = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
	igt_info("BAR1 used: %llu before, %llu with a %llu-byte object mapped\n",
		 (unsigned long long)base, (unsigned long long)used,
		 (unsigned long long)size);
	igt_assert_lte_u64(used, nova_get_param(fd, NOVA_GETPARAM_VRAM_BAR_SIZE));

	igt_assert_eq(munmap(p, size), 0);
	gem_close(fd, handle);
}

/*
 * Map @size bytes of @handle at a @align-aligned address, so that the
 * kernel can use huge PFN mappings where it supports them.
 */
static void *mmap_aligned(uint32_t handle, uint64_t size, uint64_t align)
{
	uint64_t offset = nova_gem_mmap_offset(fd, handle);
	uint8_t *r, *a, *p;

	r = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(r != MAP_FAILED);
	a = (uint8_t *)ALIGN((uintptr_t)r, align);
	if (a > r)
		igt_assert_eq(munmap(r, a - r), 0);
	igt_assert_eq(munmap(a + size, r + size + align - (a + size)), 0);
	p = mmap(a, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, offset);
	igt_assert_f(p == a, "mmap of handle %u at %p: %m\n", handle, a);
	return p;
}

static void test_bar1_eviction(void)
{
	uint64_t bar = nova_get_param(fd, NOVA_GETPARAM_VRAM_BAR_SIZE);
	uint64_t usable = nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE);
	uint64_t used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t size = ALIGN(bar / 4, SZ_2M), bar1;
	const unsigned int n = 5;	/* 5/4 of BAR1 */
	long long evictions = nova_usage(fd, "bar1_evictions");
	uint32_t handles[5];
	uint32_t *ptrs[5];

	igt_require(size <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	igt_require_f(used + n * size + (32ull << 20) <= usable,
		      "VRAM (%llu MiB usable, %llu used) cannot hold %u x %llu MiB\n",
		      (unsigned long long)(usable >> 20), (unsigned long long)(used >> 20),
		      n, (unsigned long long)(size >> 20));

	/* touch every page of each object in turn: BAR1 overflows */
	for (unsigned int i = 0; i < n; i++) {
		handles[i] = nova_gem_create(fd, size);
		ptrs[i] = mmap_aligned(handles[i], size, SZ_2M);
		for (uint64_t o = 0; o < size; o += SZ_4K)
			ptrs[i][o / 4] = pattern(o / 4, 0xe0000000 + i);
		ptrs[i][size / 4 - 1] = 0x7a11 + i;
		bar1 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
		igt_assert_f(bar1 <= bar, "BAR1 used %llu > BAR1 size %llu\n",
			     (unsigned long long)bar1, (unsigned long long)bar);
	}

	/* everything reads back through the same mappings, twice around */
	for (unsigned int round = 0; round < 2; round++)
		for (unsigned int i = 0; i < n; i++) {
			for (uint64_t o = 0; o < size; o += SZ_4K)
				igt_assert_f(ptrs[i][o / 4] == pattern(o / 4, 0xe0000000 + i),
					     "object %u at 0x%llx: 0x%08x, expected 0x%08x\n",
					     i, (unsigned long long)o, ptrs[i][o / 4],
					     pattern(o / 4, 0xe0000000 + i));
			igt_assert_eq_u32(ptrs[i][size / 4 - 1], 0x7a11 + i);
			bar1 = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);
			igt_assert_lte_u64(bar1, bar);
		}

	if (evictions >= 0)
		igt_info("BAR1 %llu MiB, %u objects of %llu MiB: %lld evictions\n",
			 (unsigned long long)(bar >> 20), n, (unsigned long long)(size >> 20),
			 nova_usage(fd, "bar1_evictions") - evictions);

	for (unsigned int i = 0; i < n; i++) {
		igt_assert_eq(munmap(ptrs[i], size), 0);
		gem_close(fd, handles[i]);
	}
}

static void test_huge_pfn(void)
{
	const uint64_t size = 2 * SZ_2M;
	long long faults = nova_usage(fd, "cpu_faults");
	unsigned long long kb;
	char line[256];
	uint32_t handle;
	uint32_t *p;
	bool in_vma = false, found = false;
	FILE *f;

	igt_require(size <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	handle = nova_gem_create(fd, size);
	p = mmap_aligned(handle, size, SZ_2M);
	write_pattern(p, size, 0x4a7e7f01);
	check_pattern(p, size, 0x4a7e7f01);

	/* one fault per 2 MiB PFN mapping, not one per 4 KiB page */
	if (faults >= 0)
		igt_assert_eq(nova_usage(fd, "cpu_faults") - faults, size / SZ_2M);

	/* informational: smaps of the mapping */
	f = fopen("/proc/self/smaps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in_vma = start == (uintptr_t)p;
			continue;
		}
		if (in_vma && (sscanf(line, "FilePmdMapped: %llu kB", &kb) == 1 ||
			       !strncmp(line, "VmFlags:", 8) || !strncmp(line, "Rss:", 4))) {
			igt_info("smaps: %s", line);
			found = true;
		}
	}
	if (f)
		fclose(f);
	if (!found)
		igt_info("smaps: mapping at %p not found\n", p);

	/* the data survives a new mapping too */
	igt_assert_eq(munmap(p, size), 0);
	p = nova_gem_mmap(fd, handle, size);
	check_pattern(p, size, 0x4a7e7f01);
	igt_assert_eq(munmap(p, size), 0);
	gem_close(fd, handle);
}

/*
 * A plain mmap(NULL) of an object of 2 MiB or more lands on a 2 MiB
 * boundary (nova's get_unmapped_area), so it gets 2 MiB PFN mappings
 * without userspace aligning it; a small object is mapped as usual.
 */
static void test_huge_pfn_default(void)
{
	const uint64_t size = 3 * SZ_2M;
	long long faults;
	uint32_t handle, small;
	uint32_t *p, *q;

	igt_require(size <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	handle = nova_gem_create(fd, size);
	small = nova_gem_create(fd, SZ_64K);
	for (int i = 0; i < 4; i++) {
		/* a small mapping first, so the next free address is unaligned */
		q = nova_gem_mmap(fd, small, SZ_64K);
		faults = nova_usage(fd, "cpu_faults");
		p = nova_gem_mmap(fd, handle, size);
		igt_assert_f(!((uintptr_t)p & (SZ_2M - 1)), "mapping at %p\n", p);
		write_pattern(p, size, 0x5eed0000 + i);
		check_pattern(p, size, 0x5eed0000 + i);
		if (faults >= 0)
			igt_assert_eq(nova_usage(fd, "cpu_faults") - faults, size / SZ_2M);
		igt_assert_eq(munmap(p, size), 0);
		q[0] = i;
		igt_assert_eq(munmap(q, SZ_64K), 0);
	}
	gem_close(fd, small);
	gem_close(fd, handle);
}

/*
 * A 4 MiB object mapped at a VA 4 KiB past a 2 MiB boundary: no 2 MiB
 * page can map it, every byte must still land at its own offset.
 */
static void test_huge_pfn_misaligned(void)
{
	const uint64_t size = 2 * SZ_2M;
	uint64_t offset;
	uint32_t handle;
	uint8_t *r, *a;
	uint32_t *p, *q;

	igt_require(size <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
	handle = nova_gem_create(fd, size);
	offset = nova_gem_mmap_offset(fd, handle);

	/* reserve, then map at 2 MiB + 4 KiB */
	r = mmap(NULL, size + 2 * SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(r != MAP_FAILED);
	a = (uint8_t *)ALIGN((uintptr_t)r, SZ_2M) + SZ_4K;
	p = mmap(a, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, offset);
	igt_assert_f((void *)p == a, "mmap at %p: %m\n", a);

	write_pattern(p, size, 0x3243f6a8);
	check_pattern(p, size, 0x3243f6a8);

	/* a second, aligned mapping sees every word at its offset */
	q = mmap_aligned(handle, size, SZ_2M);
	check_pattern(q, size, 0x3243f6a8);

	igt_assert_eq(munmap(q, size), 0);
	igt_assert_eq(munmap(r, size + 2 * SZ_2M), 0);
	gem_close(fd, handle);
}

/* Whether @fd's fdinfo says "drm-driver: nova". */
static bool fdinfo_is_nova(void)
{
	char path[64], line[256], drv[32];
	bool ret = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "%s: %m\n", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "drm-driver: %31s", drv) == 1)
			ret = !strcmp(drv, "nova");
	fclose(f);
	return ret;
}

static void test_fdinfo(void)
{
	const uint64_t size = SZ_2M + 3 * SZ_4K;
	long long before, with, after;
	bool is_nova;
	uint32_t handle;

	is_nova = fdinfo_is_nova();
	before = nova_fdinfo_bytes(fd, "drm-total-vram");
	igt_assert_f(is_nova, "no \"drm-driver: nova\" in /proc/self/fdinfo/%d\n", fd);
	igt_assert_f(before >= 0, "no drm-total-vram in /proc/self/fdinfo/%d\n", fd);

	handle = nova_gem_create(fd, size);
	with = nova_fdinfo_bytes(fd, "drm-total-vram");
	igt_info("drm-total-vram: %lld bytes before, %lld with a %llu-byte object\n",
		 before, with, (unsigned long long)size);
	igt_assert_eq_s64(with - before, size);

	gem_close(fd, handle);
	after = nova_fdinfo_bytes(fd, "drm-total-vram");
	igt_assert_eq_s64(after, before);
}

igt_main
{
	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("Write a pattern through a mapping of a 4 KiB object, read it back.");
	igt_subtest("write-read-4k")
		test_write_read(SZ_4K);

	igt_describe("Write and read back a 1 MiB object.");
	igt_subtest("write-read-1m")
		test_write_read(SZ_1M);

	igt_describe("Write and read back a 4 MiB object (2 MiB pages).");
	igt_subtest("write-read-4m") {
		igt_require(2 * SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
		test_write_read(2 * SZ_2M);
	}

	igt_describe("New objects read as zero, also in reused VRAM.");
	igt_subtest("new-is-zero")
		test_zeroed(SZ_64K);

	igt_describe("New 2 MiB objects read as zero.");
	igt_subtest("new-is-zero-2m") {
		igt_require(SZ_2M <= nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE));
		test_zeroed(SZ_2M);
	}

	igt_describe("Two mappings of one object see the same data.");
	igt_describe("MAP_PRIVATE mappings of a BO are refused with EINVAL.");
	igt_subtest("private-refused")
		test_private_refused();

	igt_subtest("two-mappings")
		test_two_mappings();

	igt_describe("Mappings in two files (PRIME shared) see the same data.");
	igt_subtest("two-files")
		test_two_files();

	igt_describe("A mapping of the first pages of an object sees those pages.");
	igt_subtest("partial")
		test_partial();

	igt_describe("Mappings beyond the end of the object fail.");
	igt_subtest("beyond-bo")
		test_beyond_bo();

	igt_describe("Offsets of closed objects, or never handed out, fail.");
	igt_subtest("bad-offset")
		test_bad_offset();

	igt_describe("A mapping keeps its object alive after GEM_CLOSE.");
	igt_subtest("close-while-mapped")
		test_close_while_mapped();

	igt_describe("BAR1_USED stays within the aperture while mapped.");
	igt_subtest("bar1-used")
		test_bar1_used();

	igt_describe("Objects totalling more than BAR1 stay intact when they are "
		     "evicted from BAR1 and faulted back in.");
	igt_subtest("bar1-eviction")
		test_bar1_eviction();

	igt_describe("A 4 MiB object mapped at a 2 MiB-aligned address reads and "
		     "writes correctly, with one CPU fault per 2 MiB.");
	igt_subtest("huge-pfn")
		test_huge_pfn();

	igt_describe("A plain mmap of a 6 MiB object lands 2 MiB aligned and "
		     "faults once per 2 MiB, even after an unaligned mapping.");
	igt_subtest("huge-pfn-default")
		test_huge_pfn_default();

	igt_describe("A 4 MiB object mapped at a VA not 2 MiB aligned reads and "
		     "writes every byte at its own offset.");
	igt_subtest("huge-pfn-misaligned")
		test_huge_pfn_misaligned();

	igt_describe("fdinfo names the driver and counts the file's VRAM.");
	igt_subtest("fdinfo")
		test_fdinfo();

	igt_fixture
		drm_close_driver(fd);
}
