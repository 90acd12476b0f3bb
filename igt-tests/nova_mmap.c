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

	igt_fixture
		drm_close_driver(fd);
}
