// SPDX-License-Identifier: MIT
/*
 * nova_getparam - DRM_IOCTL_NOVA_GETPARAM: every parameter, by value.
 */
#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Check nova's GETPARAM: every parameter is readable, "
		     "sane and consistent with the others; unknown ones fail.");

static int fd = -1;

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void test_all_readable(void)
{
	for (uint64_t p = NOVA_GETPARAM_VRAM_BAR_SIZE; p <= NOVA_GETPARAM_EXEC_TIMEOUT_MS; p++) {
		uint64_t v = 0;

		igt_assert_f(__nova_get_param(fd, p, &v) == 0,
			     "param 0x%llx not readable\n", (unsigned long long)p);
		igt_debug("param 0x%llx = 0x%llx\n", (unsigned long long)p,
			  (unsigned long long)v);
	}
}

static void test_vram(void)
{
	uint64_t total = nova_get_param(fd, NOVA_GETPARAM_VRAM_TOTAL);
	uint64_t usable = nova_get_param(fd, NOVA_GETPARAM_VRAM_USABLE);
	uint64_t used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);

	igt_info("VRAM total %llu, usable %llu, used %llu\n",
		 (unsigned long long)total, (unsigned long long)usable,
		 (unsigned long long)used);

	igt_assert_lt_u64(0, total);
	igt_assert_eq_u64(total % SZ_1M, 0);
	igt_assert_lt_u64(0, usable);
	igt_assert_lte_u64(usable, total);
	igt_assert_eq_u64(usable % SZ_4K, 0);
	igt_assert_lte_u64(used, usable);
	igt_assert_eq_u64(used % SZ_4K, 0);
}

static void test_bar1(void)
{
	uint64_t size = nova_get_param(fd, NOVA_GETPARAM_VRAM_BAR_SIZE);
	uint64_t used = nova_get_param(fd, NOVA_GETPARAM_BAR1_USED);

	igt_info("BAR1 size %llu, used %llu\n", (unsigned long long)size,
		 (unsigned long long)used);

	/* a PCI BAR: a power of two, at least 1 MiB */
	igt_assert_f(is_pow2(size), "BAR1 size 0x%llx not a power of two\n",
		     (unsigned long long)size);
	igt_assert_lte_u64(SZ_1M, size);
	igt_assert_lte_u64(used, size);
	igt_assert_eq_u64(used % SZ_4K, 0);
}

static void test_chipset(void)
{
	uint64_t chipset = nova_get_param(fd, NOVA_GETPARAM_CHIPSET);
	uint64_t mmu = nova_get_param(fd, NOVA_GETPARAM_MMU_VERSION);

	igt_info("chipset 0x%llx, MMU version %llu\n", (unsigned long long)chipset,
		 (unsigned long long)mmu);

	/* nova drives Turing (0x16x) and later; BOOT_0's id is 9 bits */
	igt_assert_lte_u64(0x160, chipset);
	igt_assert_lte_u64(chipset, 0x1ff);
	igt_assert_f(mmu == 2 || mmu == 3, "MMU version %llu\n",
		     (unsigned long long)mmu);
}

static void test_va_range(void)
{
	uint64_t bits = nova_get_param(fd, NOVA_GETPARAM_VA_BITS);
	uint64_t start = nova_get_param(fd, NOVA_GETPARAM_VA_START);
	uint64_t end = nova_get_param(fd, NOVA_GETPARAM_VA_END);

	igt_info("VA bits %llu, range [0x%llx, 0x%llx)\n", (unsigned long long)bits,
		 (unsigned long long)start, (unsigned long long)end);

	igt_assert_lte_u64(32, bits);
	igt_assert_lte_u64(bits, 64);
	igt_assert_lt_u64(start, end);
	igt_assert_eq_u64(start % SZ_4K, 0);
	igt_assert_eq_u64(end % SZ_4K, 0);
	if (bits < 64)
		igt_assert_lte_u64(end, 1ull << bits);
	/* room for at least one 2 MiB-aligned 2 MiB mapping */
	igt_assert_lte_u64(ALIGN(start, SZ_2M) + SZ_2M, end);
}

static void test_page_sizes(void)
{
	uint64_t sizes = nova_get_param(fd, NOVA_GETPARAM_PAGE_SIZES);
	uint64_t bits = nova_get_param(fd, NOVA_GETPARAM_VA_BITS);

	igt_info("page sizes mask 0x%llx\n", (unsigned long long)sizes);

	igt_assert_f(sizes & SZ_4K, "4 KiB pages missing from 0x%llx\n",
		     (unsigned long long)sizes);
	igt_assert_f(!(sizes & (SZ_4K - 1)), "pages below 4 KiB in 0x%llx\n",
		     (unsigned long long)sizes);
	if (bits < 64)
		igt_assert_f(!(sizes >> bits), "pages larger than the VA space in 0x%llx\n",
			     (unsigned long long)sizes);
}

/*
 * The channel parameters: a known copy class or none, room for at least
 * one push, channels that fit in the window below VA_START, a timeout.
 */
static void exec_limits(void)
{
	uint64_t cls = nova_get_param(fd, NOVA_GETPARAM_COPY_CLASS);
	uint64_t pushes = nova_get_param(fd, NOVA_GETPARAM_MAX_PUSHES);
	uint64_t chans = nova_get_param(fd, NOVA_GETPARAM_MAX_CHANNELS);
	uint64_t tmo = nova_get_param(fd, NOVA_GETPARAM_EXEC_TIMEOUT_MS);
	uint64_t start = nova_get_param(fd, NOVA_GETPARAM_VA_START);

	igt_info("copy class 0x%llx, max pushes %llu, max channels %llu, timeout %llu ms\n",
		 (unsigned long long)cls, (unsigned long long)pushes,
		 (unsigned long long)chans, (unsigned long long)tmo);
	igt_assert(cls == 0 || cls == 0xc7b5 || cls == 0xc8b5);
	igt_assert_lte_u64(1, pushes);
	igt_assert_lte_u64(1, chans);
	igt_assert_lte_u64(chans * SZ_64K, start);
	igt_assert_lte_u64(1, tmo);
}

static void test_limits(void)
{
	uint64_t ops = nova_get_param(fd, NOVA_GETPARAM_MAX_BIND_OPS);
	uint64_t bo = nova_get_param(fd, NOVA_GETPARAM_MAX_BO_SIZE);
	uint64_t vms = nova_get_param(fd, NOVA_GETPARAM_MAX_VMS);
	uint64_t total = nova_get_param(fd, NOVA_GETPARAM_VRAM_TOTAL);

	igt_info("max bind ops %llu, max BO size %llu, max VMs %llu\n",
		 (unsigned long long)ops, (unsigned long long)bo,
		 (unsigned long long)vms);

	igt_assert_lte_u64(1, ops);
	igt_assert_lte_u64(1, vms);
	exec_limits();
	igt_assert_lte_u64(SZ_4K, bo);
	igt_assert_eq_u64(bo % SZ_4K, 0);
	igt_assert_lte_u64(bo, total);
}

static void test_stable(void)
{
	static const uint64_t constant[] = {
		NOVA_GETPARAM_VRAM_BAR_SIZE, NOVA_GETPARAM_VRAM_TOTAL,
		NOVA_GETPARAM_VRAM_USABLE, NOVA_GETPARAM_CHIPSET,
		NOVA_GETPARAM_MMU_VERSION, NOVA_GETPARAM_VA_BITS,
		NOVA_GETPARAM_PAGE_SIZES, NOVA_GETPARAM_VA_START,
		NOVA_GETPARAM_VA_END, NOVA_GETPARAM_MAX_BIND_OPS,
		NOVA_GETPARAM_MAX_BO_SIZE, NOVA_GETPARAM_MAX_VMS,
		NOVA_GETPARAM_COPY_CLASS, NOVA_GETPARAM_MAX_PUSHES,
		NOVA_GETPARAM_MAX_CHANNELS, NOVA_GETPARAM_EXEC_TIMEOUT_MS,
	};
	int fd2 = drm_reopen_driver(fd);

	for (unsigned int i = 0; i < ARRAY_SIZE(constant); i++) {
		uint64_t a = nova_get_param(fd, constant[i]);

		igt_assert_eq_u64(nova_get_param(fd, constant[i]), a);
		igt_assert_eq_u64(nova_get_param(fd2, constant[i]), a);
	}

	drm_close_driver(fd2);
}

static void test_value_ignored(void)
{
	/* value is output only: garbage in it must not matter */
	struct drm_nova_getparam gp = {
		.param = NOVA_GETPARAM_VRAM_TOTAL,
		.value = ~0ull,
	};

	do_ioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &gp);
	igt_assert_eq_u64(gp.value, nova_get_param(fd, NOVA_GETPARAM_VRAM_TOTAL));
}

static void test_invalid_param(void)
{
	static const uint64_t bad[] = {
		0, NOVA_GETPARAM_EXEC_TIMEOUT_MS + 1, 0x100, 0xffffffffull,
		0x100000001ull, ~0ull,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_nova_getparam gp = { .param = bad[i] };

		igt_debug("param 0x%llx\n", (unsigned long long)bad[i]);
		do_ioctl_err(fd, DRM_IOCTL_NOVA_GETPARAM, &gp, EINVAL);
	}
}

igt_main
{
	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("Every defined parameter can be read.");
	igt_subtest("all-readable")
		test_all_readable();

	igt_describe("VRAM sizes: total > 0, 0 < usable <= total, used <= usable.");
	igt_subtest("vram")
		test_vram();

	igt_describe("BAR1: a power-of-two aperture, used <= size.");
	igt_subtest("bar1")
		test_bar1();

	igt_describe("Chipset id is Turing or later; MMU version is 2 or 3.");
	igt_subtest("chipset")
		test_chipset();

	igt_describe("VA range: aligned, non-empty, VA_END <= 2^VA_BITS.");
	igt_subtest("va-range")
		test_va_range();

	igt_describe("Page sizes include 4 KiB and nothing smaller.");
	igt_subtest("page-sizes")
		test_page_sizes();

	igt_describe("Limits: max bind ops, VMs >= 1; 4K <= max BO size <= VRAM.");
	igt_subtest("limits")
		test_limits();

	igt_describe("Constant parameters read the same twice and from another file.");
	igt_subtest("stable")
		test_stable();

	igt_describe("The value field is output only.");
	igt_subtest("value-ignored")
		test_value_ignored();

	igt_describe("Unknown parameters fail with EINVAL.");
	igt_subtest("invalid-param")
		test_invalid_param();

	igt_fixture
		drm_close_driver(fd);
}
