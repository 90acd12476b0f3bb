// SPDX-License-Identifier: MIT
/*
 * nova_platform - canaries for the test platform itself.
 *
 * igt_runner fails a subtest during which the kernel logs a warning.
 * Under an emulator, the guest kernel also logs timing warnings of its
 * own (a stalled vCPU: "hrtimer: interrupt took N ns", ...); make check's
 * summary forgives exactly those, listed in tools/guest/dmesg-noise.txt.
 * These subtests put such records into the kernel log on purpose, so that
 * every run proves both directions: noise alone leaves a subtest passing,
 * while a nova warning, alone or among noise, still fails it. make check
 * expects the two *-canary subtests to come out dmesg-warn
 * (tools/summarize.py EXPECTED) and counts anything else as a failure.
 */
#include "igt.h"
#include "nova_helpers.h"

IGT_TEST_DESCRIPTION("Prove that emulator timing noise in the kernel log is "
		     "forgiven and that a nova warning is not.");

/* What the kernel prints after a vCPU stall (kernel/time/hrtimer.c). */
#define NOISE_HRTIMER	"<4>hrtimer: interrupt took 4180415 ns\n"
/* kernel/workqueue.c, for a work item that ran long. */
#define NOISE_WQ	"<4>workqueue: nova_bind_free_work [nova] hogged CPU " \
			"for >10000us 4 times, consider switching to WQ_UNBOUND\n"
/* A driver warning: never forgiven. */
#define NOVA_WARNING	"<4>nova nova_core.nova-drm.0: canary warning, " \
			"this subtest must end dmesg-warn\n"

static void kmsg_write(const char *rec)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	igt_assert_f(fd >= 0, "cannot open /dev/kmsg: %s\n", strerror(errno));
	igt_assert_eq(write(fd, rec, strlen(rec)), (ssize_t)strlen(rec));
	close(fd);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = drm_open_nova_render();

	igt_describe("Emulator timing warnings alone do not fail a subtest.");
	igt_subtest("dmesg-emulator-noise") {
		kmsg_write(NOISE_HRTIMER);
		kmsg_write(NOISE_WQ);
	}

	igt_describe("A nova warning fails the subtest (expected dmesg-warn).");
	igt_subtest("dmesg-warning-canary")
		kmsg_write(NOVA_WARNING);

	igt_describe("A nova warning among emulator noise still fails the "
		     "subtest (expected dmesg-warn).");
	igt_subtest("dmesg-noise-and-warning-canary") {
		kmsg_write(NOISE_HRTIMER);
		kmsg_write(NOVA_WARNING);
		kmsg_write(NOISE_WQ);
	}

	igt_fixture
		close(fd);
}
