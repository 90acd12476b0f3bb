// SPDX-License-Identifier: MIT
/*
 * nova_prime - sharing buffer objects through dma-buf (PRIME).
 */
#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check PRIME export and import of nova buffer objects: "
		     "handles, shared contents through mmap and the GPU, "
		     "mmap of the dma-buf, lifetime and argument checks.");

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

/* @p holds @size bytes from byte @offset of an object with pattern @seed. */
static void check_pattern_at(const uint32_t *p, uint64_t offset, uint64_t size,
			     uint32_t seed, const char *what)
{
	for (uint64_t i = 0; i < size / 4; i++) {
		uint32_t expect = pattern(offset / 4 + i, seed);

		igt_assert_f(p[i] == expect, "%s: byte 0x%llx: 0x%08x, expected 0x%08x\n",
			     what, (unsigned long long)(offset + 4 * i), p[i], expect);
	}
}

static int prime_export(int fd_, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(drmPrimeHandleToFD(fd_, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	return dmabuf;
}

static uint32_t prime_import(int fd_, int dmabuf)
{
	uint32_t handle = 0;

	igt_assert_eq(drmPrimeFDToHandle(fd_, dmabuf, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	return handle;
}

static void *dmabuf_mmap(int dmabuf, uint64_t size, uint64_t offset)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, offset);

	igt_assert_f(p != MAP_FAILED, "mmap of the dma-buf (offset 0x%llx) failed: %m\n",
		     (unsigned long long)offset);
	return p;
}

static void test_export_import_self(void)
{
	const uint64_t size = 4 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	int dmabuf = prime_export(fd, handle);
	int dmabuf2;
	uint64_t size2 = 0;

	/* importing into the exporting file gives back the same handle */
	igt_assert_eq_u32(prime_import(fd, dmabuf), handle);
	igt_assert_eq_u32(prime_import(fd, dmabuf), handle);

	/* a dma-buf is the size of its object */
	igt_assert_eq_u64(lseek(dmabuf, 0, SEEK_END), size);

	/* exporting again gives the same dma-buf */
	dmabuf2 = prime_export(fd, handle);
	igt_assert_eq(__nova_gem_info(fd, prime_import(fd, dmabuf2), &size2, NULL), 0);
	igt_assert_eq_u64(size2, size);
	{
		struct stat a, b;

		igt_assert_eq(fstat(dmabuf, &a), 0);
		igt_assert_eq(fstat(dmabuf2, &b), 0);
		igt_assert_eq_u64(a.st_ino, b.st_ino);
	}

	close(dmabuf2);
	close(dmabuf);
	gem_close(fd, handle);
}

static void test_import_other_fd(void)
{
	const uint64_t size = 16 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	int fd2 = drm_reopen_driver(fd);
	int dmabuf = prime_export(fd, handle);
	uint32_t handle2 = prime_import(fd2, dmabuf);
	uint64_t size2 = 0;
	uint32_t *p, *q;

	/* one handle per file and object: importing twice gives it again */
	igt_assert_eq_u32(prime_import(fd2, dmabuf), handle2);
	igt_assert_eq(__nova_gem_info(fd2, handle2, &size2, NULL), 0);
	igt_assert_eq_u64(size2, size);
	close(dmabuf);

	/* exporting the import gives back a dma-buf of the same object */
	dmabuf = prime_export(fd2, handle2);
	igt_assert_eq_u32(prime_import(fd, dmabuf), handle);
	close(dmabuf);

	p = nova_gem_mmap(fd, handle, size);
	q = nova_gem_mmap(fd2, handle2, size);
	write_pattern(p, size, 0x1a2b3c4d);
	check_pattern_at(q, 0, size, 0x1a2b3c4d, "importer's mapping");
	write_pattern(q, size, 0x4d3c2b1a);
	check_pattern_at(p, 0, size, 0x4d3c2b1a, "exporter's mapping");

	igt_assert_eq(munmap(p, size), 0);
	igt_assert_eq(munmap(q, size), 0);
	gem_close(fd2, handle2);
	drm_close_driver(fd2);
	gem_close(fd, handle);
}

static void test_import_gpu_view(void)
{
	const uint64_t size = 4 * SZ_64K, off = SZ_64K + 2 * SZ_4K;
	uint64_t va_base;
	uint32_t handle, handle2, vm;
	uint32_t *p, *buf;
	int fd2, dmabuf, err;

	nova_require_gpu_view(fd);
	va_base = ALIGN(nova_get_param(fd, NOVA_GETPARAM_VA_START), SZ_2M);
	handle = nova_gem_create(fd, size);
	fd2 = drm_reopen_driver(fd);
	dmabuf = prime_export(fd, handle);
	handle2 = prime_import(fd2, dmabuf);
	close(dmabuf);

	/* the exporter writes through its mapping ... */
	p = nova_gem_mmap(fd, handle, size);
	write_pattern(p, size, 0x243f6a88);

	/* ... the importer maps its handle in its VM and the GPU reads it */
	vm = nova_vm_create(fd2);
	nova_vm_map(fd2, vm, handle2, 0, va_base, size);
	buf = malloc(size);
	igt_assert(buf);
	err = nova_gpu_read(fd2, vm, va_base, buf, size);
	igt_assert_f(err == 0, "GPU read of the imported object: %d\n", err);
	check_pattern_at(buf, 0, size, 0x243f6a88, "GPU view of the import");

	/* a GPU write through the importer's VM reaches the exporter's mapping */
	for (uint64_t i = 0; i < 3 * SZ_4K / 4; i++)
		buf[i] = pattern(off / 4 + i, 0x85a308d3);
	igt_assert_eq(nova_gpu_write(fd2, vm, va_base + off, buf, 3 * SZ_4K), 0);
	check_pattern_at(p + off / 4, off, 3 * SZ_4K, 0x85a308d3, "exporter after GPU write");
	check_pattern_at(p, 0, off, 0x243f6a88, "exporter before the GPU write");

	/* the exporter closing its handle does not pull the object away */
	igt_assert_eq(munmap(p, size), 0);
	gem_close(fd, handle);
	err = nova_gpu_read(fd2, vm, va_base + off, buf, 3 * SZ_4K);
	igt_assert_eq(err, 0);
	for (uint64_t i = 0; i < 3 * SZ_4K / 4; i++)
		igt_assert_eq_u32(buf[i], pattern(off / 4 + i, 0x85a308d3));

	free(buf);
	nova_vm_destroy(fd2, vm);
	gem_close(fd2, handle2);
	drm_close_driver(fd2);
}

static void test_dmabuf_mmap(void)
{
	const uint64_t size = 16 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	int dmabuf = prime_export(fd, handle);
	uint32_t *d, *g;

	d = dmabuf_mmap(dmabuf, size, 0);
	g = nova_gem_mmap(fd, handle, size);

	write_pattern(d, size, 0x13198a2e);
	check_pattern_at(d, 0, size, 0x13198a2e, "dma-buf mapping");
	check_pattern_at(g, 0, size, 0x13198a2e, "GEM mapping after a dma-buf write");
	write_pattern(g, size, 0x03707344);
	check_pattern_at(d, 0, size, 0x03707344, "dma-buf mapping after a GEM write");

	/* the dma-buf mapping outlives the dma-buf fd and the handle */
	close(dmabuf);
	igt_assert_eq(munmap(g, size), 0);
	gem_close(fd, handle);
	check_pattern_at(d, 0, size, 0x03707344, "dma-buf mapping after close");
	write_pattern(d, size, 0xa4093822);
	check_pattern_at(d, 0, size, 0xa4093822, "dma-buf mapping after close");
	igt_assert_eq(munmap(d, size), 0);
}

static void test_dmabuf_mmap_offset(void)
{
	const uint64_t size = 8 * SZ_4K;
	uint32_t handle = nova_gem_create(fd, size);
	int dmabuf = prime_export(fd, handle);
	uint32_t *g = nova_gem_mmap(fd, handle, size);
	uint32_t *d;

	write_pattern(g, size, 0x299f31d0);

	/* a mapping of the dma-buf from its third page sees that page */
	d = dmabuf_mmap(dmabuf, 4 * SZ_4K, 2 * SZ_4K);
	check_pattern_at(d, 2 * SZ_4K, 4 * SZ_4K, 0x299f31d0,
			 "dma-buf mapped at offset 0x2000");
	igt_assert_eq(munmap(d, 4 * SZ_4K), 0);

	/* past the end of the dma-buf */
	d = mmap(NULL, 2 * SZ_4K, PROT_READ, MAP_SHARED, dmabuf, size - SZ_4K);
	igt_assert_f(d == MAP_FAILED, "mmap crossing the end of the dma-buf succeeded\n");

	igt_assert_eq(munmap(g, size), 0);
	close(dmabuf);
	gem_close(fd, handle);
}

/*
 * A dma-buf mapping of an object that BAR1 eviction moved out: the data
 * seen through it must stay the object's, never another object's.
 */
static void test_dmabuf_mmap_eviction(void)
{
	uint64_t bar = nova_get_param(fd, NOVA_GETPARAM_VRAM_BAR_SIZE);
	uint64_t usable = nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE);
	uint64_t used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	uint64_t max_bo = nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE);
	const uint64_t size = SZ_64K;
	uint64_t fill = ALIGN(bar / 4, SZ_2M);
	unsigned int nfill = 5;	/* 5/4 of BAR1 */
	long long evictions = nova_usage(fd, "bar1_evictions"), faults;
	uint32_t handle, fillers[5];
	uint32_t *d, *g;
	int dmabuf;

	igt_require(fill <= max_bo);
	igt_require_f(used + nfill * fill + size + (32ull << 20) <= usable,
		      "VRAM too small to overflow BAR1 (%llu MiB)\n",
		      (unsigned long long)(bar >> 20));

	handle = nova_gem_create(fd, size);
	dmabuf = prime_export(fd, handle);
	d = dmabuf_mmap(dmabuf, size, 0);
	write_pattern(d, size, 0x082efa98);

	/* fill BAR1 more than once: the object is evicted from it */
	for (unsigned int i = 0; i < nfill; i++) {
		uint32_t *f;

		fillers[i] = nova_gem_create(fd, fill);
		f = nova_gem_mmap(fd, fillers[i], fill);
		for (uint64_t o = 0; o < fill; o += SZ_64K)
			f[o / 4] = 0xf1110000 + i;
		igt_assert_eq(munmap(f, fill), 0);
	}

	/*
	 * Eviction zapped the dma-buf mapping too (DRM points the dma-buf
	 * file at the device's address space, where the object's fake offset
	 * is): touching it faults again. On real hardware a stale mapping
	 * would reach whatever BAR1 maps there now.
	 */
	faults = nova_usage(fd, "cpu_faults");
	if (faults >= 0) {
		igt_assert_lt_u64(0, nova_usage(fd, "bar1_evictions") - evictions);
		(void)*(volatile uint32_t *)d;
		igt_assert_lt_u64(0, nova_usage(fd, "cpu_faults") - faults);
	}

	/* the object's data, through the dma-buf mapping and a new GEM one */
	check_pattern_at(d, 0, size, 0x082efa98, "dma-buf mapping after eviction");
	g = nova_gem_mmap(fd, handle, size);
	check_pattern_at(g, 0, size, 0x082efa98, "GEM mapping after eviction");
	write_pattern(d, size, 0x6c9e0e8b);
	check_pattern_at(g, 0, size, 0x6c9e0e8b, "GEM mapping after a dma-buf write");

	/* and the fillers were not written through a stale mapping */
	for (unsigned int i = 0; i < nfill; i++) {
		uint32_t *f = nova_gem_mmap(fd, fillers[i], fill);

		for (uint64_t o = 0; o < fill; o += SZ_64K)
			igt_assert_f(f[o / 4] == 0xf1110000 + i,
				     "filler %u at 0x%llx: 0x%08x\n", i,
				     (unsigned long long)o, f[o / 4]);
		igt_assert_eq(munmap(f, fill), 0);
		gem_close(fd, fillers[i]);
	}

	igt_assert_eq(munmap(g, size), 0);
	igt_assert_eq(munmap(d, size), 0);
	close(dmabuf);
	gem_close(fd, handle);
}

static void test_handle_close_keeps_bo(void)
{
	const uint64_t size = SZ_2M;
	uint64_t base, used;
	uint32_t handle, handle2;
	uint32_t *p;
	int dmabuf;

	base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	handle = nova_gem_create(fd, size);
	p = nova_gem_mmap(fd, handle, size);
	write_pattern(p, size, 0xbe5466cf);
	igt_assert_eq(munmap(p, size), 0);

	dmabuf = prime_export(fd, handle);
	gem_close(fd, handle);

	/* the dma-buf holds the object: its VRAM stays allocated */
	usleep(100 * 1000);
	used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	igt_assert_f(used >= base + size,
		     "VRAM used %llu, was %llu before a %llu-byte object\n",
		     (unsigned long long)used, (unsigned long long)base,
		     (unsigned long long)size);

	/* importing it again gives the same data */
	handle2 = prime_import(fd, dmabuf);
	p = nova_gem_mmap(fd, handle2, size);
	check_pattern_at(p, 0, size, 0xbe5466cf, "re-imported object");
	igt_assert_eq(munmap(p, size), 0);
	gem_close(fd, handle2);

	/* with the last reference gone, so is the VRAM */
	close(dmabuf);
	used = nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS);
	igt_assert_f(used <= base, "VRAM used %llu after the last reference, %llu before\n",
		     (unsigned long long)used, (unsigned long long)base);
}

static void test_invalid(void)
{
	uint32_t handle = nova_gem_create(fd, SZ_4K);
	struct drm_prime_handle args;
	int nul;

	/* unknown flags */
	args = (struct drm_prime_handle){ .handle = handle, .flags = 1u << 5, .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, EINVAL);
	args = (struct drm_prime_handle){ .handle = handle, .flags = ~(DRM_CLOEXEC | DRM_RDWR),
					  .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, EINVAL);

	/* unknown handles */
	args = (struct drm_prime_handle){ .handle = 0xdeadbeef, .flags = DRM_CLOEXEC, .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, ENOENT);
	args = (struct drm_prime_handle){ .handle = 0, .flags = DRM_CLOEXEC, .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, ENOENT);

	/* importing what is not a dma-buf, or no file at all */
	nul = open("/dev/null", O_RDWR);
	igt_assert_lte(0, nul);
	args = (struct drm_prime_handle){ .fd = nul };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args, EINVAL);
	args = (struct drm_prime_handle){ .fd = fd };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args, EINVAL);
	close(nul);
	args = (struct drm_prime_handle){ .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &args, EBADF);

	/* a closed handle cannot be exported */
	gem_close(fd, handle);
	args = (struct drm_prime_handle){ .handle = handle, .flags = DRM_CLOEXEC, .fd = -1 };
	do_ioctl_err(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args, ENOENT);
}

igt_main
{
	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("Export a BO and import it into the same file: same handle.");
	igt_subtest("export-import-self")
		test_export_import_self();

	igt_describe("Import into a second file: one handle there, shared contents.");
	igt_subtest("import-other-fd")
		test_import_other_fd();

	igt_describe("Bind an imported handle in the importer's VM; the GPU sees "
		     "and writes the exporter's data.");
	igt_subtest("import-gpu-view")
		test_import_gpu_view();

	igt_describe("mmap of the dma-buf fd sees the BO's contents.");
	igt_subtest("dmabuf-mmap")
		test_dmabuf_mmap();

	igt_describe("mmap of the dma-buf fd at a page offset sees that page.");
	igt_subtest("dmabuf-mmap-offset")
		test_dmabuf_mmap_offset();

	igt_describe("A dma-buf mapping stays coherent when BAR1 eviction moves its BO.");
	igt_subtest("dmabuf-mmap-eviction")
		test_dmabuf_mmap_eviction();

	igt_describe("The BO stays alive while its dma-buf does, after GEM_CLOSE.");
	igt_subtest("handle-close-keeps-bo")
		test_handle_close_keeps_bo();

	igt_describe("Invalid flags, handles and fds fail with the expected errno.");
	igt_subtest("invalid")
		test_invalid();

	igt_fixture
		drm_close_driver(fd);
}
