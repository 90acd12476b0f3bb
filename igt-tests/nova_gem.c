// SPDX-License-Identifier: MIT
/*
 * nova_gem - DRM_IOCTL_NOVA_GEM_CREATE / GEM_INFO and GEM_CLOSE.
 */
#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check nova's buffer objects: create, info and close, "
		     "their argument checks and VRAM accounting.");

static int fd = -1;

static uint64_t max_bo_size(void)
{
	return nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE);
}

static uint64_t vram_free(void)
{
	return nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE) -
	       nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
}

static void test_create_close(void)
{
	uint64_t size = 0, offset = 0;
	uint32_t handle;

	handle = nova_gem_create(fd, SZ_4K);
	igt_assert_eq(__nova_gem_info(fd, handle, &size, &offset), 0);
	igt_assert_eq_u64(size, SZ_4K);
	igt_assert_neq_u64(offset, 0);
	igt_assert_eq_u64(offset % SZ_4K, 0);

	gem_close(fd, handle);
	igt_assert_eq(__nova_gem_info(fd, handle, NULL, NULL), -ENOENT);
}

static void test_sizes(void)
{
	static const uint64_t sizes[] = {
		SZ_4K, 2 * SZ_4K, 3 * SZ_4K, SZ_64K, SZ_64K + SZ_4K, SZ_1M,
		SZ_2M - SZ_4K, SZ_2M, SZ_2M + SZ_4K, 4 * SZ_2M, 4 * SZ_2M + 5 * SZ_4K,
	};
	uint64_t max = max_bo_size();

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t size = sizes[i], info_size = 0, offset = 0;
		uint32_t handle = 0;

		if (size > max || size > vram_free())
			continue;

		igt_debug("size 0x%llx\n", (unsigned long long)size);
		igt_assert_eq(__nova_gem_create(fd, &size, 0, &handle), 0);
		igt_assert_neq_u32(handle, 0);
		/* the size allocated: at least what was asked, page aligned */
		igt_assert_lte_u64(sizes[i], size);
		igt_assert_eq_u64(size % SZ_4K, 0);
		if (sizes[i] < SZ_2M)
			igt_assert_eq_u64(size, sizes[i]);

		igt_assert_eq(__nova_gem_info(fd, handle, &info_size, &offset), 0);
		igt_assert_eq_u64(info_size, size);
		igt_assert_eq_u64(offset % SZ_4K, 0);
		gem_close(fd, handle);
	}
}

static void test_max_size(void)
{
	uint64_t size = max_bo_size(), info_size = 0;
	uint32_t handle = 0;

	igt_require_f(size <= vram_free(), "max BO size 0x%llx exceeds free VRAM\n",
		      (unsigned long long)size);

	igt_assert_eq(__nova_gem_create(fd, &size, 0, &handle), 0);
	igt_assert_eq_u64(size, max_bo_size());
	igt_assert_eq(__nova_gem_info(fd, handle, &info_size, NULL), 0);
	igt_assert_eq_u64(info_size, size);
	gem_close(fd, handle);
}

static void test_many(void)
{
	uint32_t handles[64];
	const unsigned int n = ARRAY_SIZE(handles);

	for (unsigned int i = 0; i < n; i++) {
		handles[i] = nova_gem_create(fd, (i % 4 + 1) * SZ_4K);
		for (unsigned int j = 0; j < i; j++)
			igt_assert_neq_u32(handles[i], handles[j]);
	}

	for (unsigned int i = 0; i < n; i++) {
		uint64_t size = 0;

		igt_assert_eq(__nova_gem_info(fd, handles[i], &size, NULL), 0);
		igt_assert_eq_u64(size, (i % 4 + 1) * SZ_4K);
	}

	/* mmap offsets are distinct */
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < i; j++)
			igt_assert_neq_u64(nova_gem_mmap_offset(fd, handles[i]),
					   nova_gem_mmap_offset(fd, handles[j]));

	for (unsigned int i = 0; i < n; i++)
		gem_close(fd, handles[i]);
}

static void test_invalid_flags(void)
{
	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_nova_gem_create create = {
			.flags = 1u << bit,
			.size = SZ_4K,
		};

		do_ioctl_err(fd, DRM_IOCTL_NOVA_GEM_CREATE, &create, EINVAL);
	}
}

static void test_invalid_size(void)
{
	const uint64_t max = max_bo_size();
	const uint64_t bad[] = {
		0, 1, SZ_4K - 1, SZ_4K + 1, SZ_4K + 512, SZ_2M - 1,
		max + SZ_4K, ALIGN(max + 1, SZ_2M) + SZ_2M,
		1ull << 63, ~0ull & ~(SZ_4K - 1), ~0ull,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_nova_gem_create create = { .size = bad[i] };

		igt_debug("size 0x%llx\n", (unsigned long long)bad[i]);
		do_ioctl_err(fd, DRM_IOCTL_NOVA_GEM_CREATE, &create, EINVAL);
	}
}

static void test_info_bad_handle(void)
{
	static const uint32_t bad[] = { 0, 0xdeadbeef, 0xffffffff };
	uint32_t handle;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_nova_gem_info info = { .handle = bad[i] };

		do_ioctl_err(fd, DRM_IOCTL_NOVA_GEM_INFO, &info, ENOENT);
	}

	/* a closed handle is gone */
	handle = nova_gem_create(fd, SZ_4K);
	gem_close(fd, handle);
	igt_assert_eq(__nova_gem_info(fd, handle, NULL, NULL), -ENOENT);
}

static void test_info_pad(void)
{
	uint32_t handle = nova_gem_create(fd, SZ_4K);
	struct drm_nova_gem_info info = { .handle = handle, .pad = 1 };

	do_ioctl_err(fd, DRM_IOCTL_NOVA_GEM_INFO, &info, EINVAL);
	info.pad = 0x80000000;
	do_ioctl_err(fd, DRM_IOCTL_NOVA_GEM_INFO, &info, EINVAL);
	info.pad = 0;
	do_ioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info);
	igt_assert_eq_u64(info.size, SZ_4K);

	gem_close(fd, handle);
}

static void test_close_bad_handle(void)
{
	uint32_t handle;

	/* DRM core: unknown handles fail GEM_CLOSE with EINVAL */
	igt_assert_eq(__gem_close(fd, 0xdeadbeef), -EINVAL);

	handle = nova_gem_create(fd, SZ_4K);
	gem_close(fd, handle);
	igt_assert_eq(__gem_close(fd, handle), -EINVAL);
}

static void test_per_file(void)
{
	int fd2 = drm_reopen_driver(fd);
	uint32_t handle = nova_gem_create(fd, SZ_4K);
	uint32_t handle2 = nova_gem_create(fd2, SZ_4K);

	/* handles belong to their file */
	if (handle != handle2)
		igt_assert_eq(__nova_gem_info(fd2, handle, NULL, NULL), -ENOENT);

	/* closing the file releases its objects, not the other file's */
	drm_close_driver(fd2);
	igt_assert_eq(__nova_gem_info(fd, handle, NULL, NULL), 0);
	gem_close(fd, handle);
}

static void test_vram_used(void)
{
	const uint64_t size = 4 * SZ_2M;
	uint64_t base, used;
	uint32_t handle;

	igt_require(size <= max_bo_size() && size <= vram_free());

	base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	handle = nova_gem_create(fd, size);
	used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	igt_info("VRAM used: %llu before, %llu with a %llu-byte BO\n",
		 (unsigned long long)base, (unsigned long long)used,
		 (unsigned long long)size);
	igt_assert_lte_u64(base + size, used);

	gem_close(fd, handle);
	used = nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS);
	igt_assert_eq_u64(used, base);
}

static void test_vram_used_file_close(void)
{
	uint64_t base, used;
	int fd2;

	igt_require(4 * SZ_1M <= vram_free());

	base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	fd2 = drm_reopen_driver(fd);
	for (int i = 0; i < 4; i++)
		nova_gem_create(fd2, SZ_1M);
	igt_assert_lte_u64(base + 4 * SZ_1M, nova_get_param(fd, NOVA_GETPARAM_VRAM_USED));

	/* closing the file without GEM_CLOSE frees everything too */
	drm_close_driver(fd2);
	used = nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS);
	igt_assert_eq_u64(used, base);
}

static void test_out_of_vram(void)
{
	uint64_t chunk = max_bo_size(), base, usable, used;
	unsigned int max_objs, n = 0;
	uint32_t *handles;
	int err = 0;

	base = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
	usable = nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE);
	if (chunk > ALIGN(usable / 4, SZ_4K))
		chunk = ALIGN(usable / 4, SZ_4K);
	igt_assert_lt_u64(0, chunk);
	max_objs = usable / chunk + 2;
	handles = calloc(max_objs, sizeof(*handles));
	igt_assert(handles);

	/* fill VRAM: creation must eventually fail with ENOMEM or ENOSPC */
	while (n < max_objs) {
		uint64_t size = chunk;

		err = __nova_gem_create(fd, &size, 0, &handles[n]);
		if (err)
			break;
		n++;
	}
	igt_info("%u objects of %llu bytes before %d (%s)\n", n,
		 (unsigned long long)chunk, err, strerror(-err));
	igt_assert_f(err == -ENOMEM || err == -ENOSPC,
		     "expected ENOMEM or ENOSPC once VRAM is full, got %d\n", err);
	igt_assert_lte_u64(nova_get_param(fd, NOVA_GETPARAM_VRAM_USED), usable);

	for (unsigned int i = 0; i < n; i++)
		gem_close(fd, handles[i]);
	free(handles);

	used = nova_wait_vram_used_le(fd, base, NOVA_SETTLE_MS);
	igt_assert_eq_u64(used, base);

	/* and VRAM is usable again */
	gem_close(fd, nova_gem_create(fd, chunk));
}

igt_main
{
	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("Create a 4 KiB object, query it, close it.");
	igt_subtest("create-close")
		test_create_close();

	igt_describe("Objects of sizes from 4 KiB to several MiB report their size.");
	igt_subtest("create-sizes")
		test_sizes();

	igt_describe("An object of exactly MAX_BO_SIZE can be created.");
	igt_subtest("create-max-size")
		test_max_size();

	igt_describe("Many objects get distinct handles and mmap offsets.");
	igt_subtest("create-many")
		test_many();

	igt_describe("Any flag in GEM_CREATE fails with EINVAL.");
	igt_subtest("invalid-flags")
		test_invalid_flags();

	igt_describe("Size 0, unaligned or above MAX_BO_SIZE fails with EINVAL.");
	igt_subtest("invalid-size")
		test_invalid_size();

	igt_describe("GEM_INFO of an unknown or closed handle fails with ENOENT.");
	igt_subtest("info-bad-handle")
		test_info_bad_handle();

	igt_describe("GEM_INFO with non-zero pad fails with EINVAL.");
	igt_subtest("info-nonzero-pad")
		test_info_pad();

	igt_describe("GEM_CLOSE of an unknown or closed handle fails with EINVAL.");
	igt_subtest("close-bad-handle")
		test_close_bad_handle();

	igt_describe("Handles are per file; closing a file frees only its objects.");
	igt_subtest("per-file")
		test_per_file();

	igt_describe("VRAM_USED grows by the object's size and returns to baseline.");
	igt_subtest("vram-used")
		test_vram_used();

	igt_describe("Closing a file returns its objects' VRAM.");
	igt_subtest("vram-used-file-close")
		test_vram_used_file_close();

	igt_describe("Filling VRAM fails with ENOMEM or ENOSPC and recovers.");
	igt_subtest("out-of-vram")
		test_out_of_vram();

	igt_fixture
		drm_close_driver(fd);
}
