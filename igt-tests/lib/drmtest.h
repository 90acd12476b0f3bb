// SPDX-License-Identifier: MIT
/*
 * drmtest.h - the subset of IGT's lib/drmtest.h used by nova's tests.
 *
 * See igt.h. Names and semantics follow upstream IGT.
 */
#ifndef DRMTEST_H
#define DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <xf86drm.h>

#include "igt_core.h"

/* Chipset flags, as upstream. Drivers IGT knows no flag for (nova among
 * them) are matched by DRIVER_ANY only. */
#define DRIVER_INTEL	(1 << 0)
#define DRIVER_VC4	(1 << 1)
#define DRIVER_VGEM	(1 << 2)
#define DRIVER_AMDGPU	(1 << 3)
#define DRIVER_V3D	(1 << 4)
#define DRIVER_PANFROST	(1 << 5)
#define DRIVER_MSM	(1 << 6)
#define DRIVER_XE	(1 << 7)
#define DRIVER_VMWGFX   (1 << 8)
#define DRIVER_VKMS	(1 << 9)
#define DRIVER_VIRTIO	(1 << 10)
#define DRIVER_ANY	~(DRIVER_VGEM | DRIVER_VKMS | DRIVER_VIRTIO)

#define ARRAY_SIZE(arr) (sizeof(arr)/sizeof(arr[0]))
#define ALIGN(v, a) ALIGN_MASK(v, (typeof(v))(a) - 1)
#define ALIGN_MASK(v, mask) (((v) + (mask)) & ~(mask))
#define ALIGN_DOWN(x, a)	ALIGN((x) - ((a) - 1), (a))

/**
 * __set_forced_driver:
 * @name: DRM driver name (as drmGetVersion() reports it)
 *
 * Only devices of this driver are opened with DRIVER_ANY. Set from the
 * IGT_FORCE_DRIVER environment variable at start up.
 */
void __set_forced_driver(const char *name);

/**
 * __drm_open_driver: open the first matching primary node (/dev/dri/cardN),
 * or the one the device filter (IGT_DEVICE / --device "drm:PATH") names.
 * Returns: a DRM fd or -1.
 */
int __drm_open_driver(int chipset);
/**
 * __drm_open_driver_render: the same for render nodes (/dev/dri/renderD*).
 */
int __drm_open_driver_render(int chipset);
/**
 * drm_open_driver: like __drm_open_driver(), skips when no device matches.
 */
int drm_open_driver(int chipset);
/**
 * drm_open_driver_render: like __drm_open_driver_render(), falling back to
 * drm_open_driver() when there is no render node; skips when no device.
 */
int drm_open_driver_render(int chipset);
/**
 * drm_reopen_driver: open the node @fd refers to once more.
 */
int drm_reopen_driver(int fd);
int __drm_close_driver(int fd);
/**
 * drm_close_driver: close a DRM fd; warns and returns -1 for a fd that is
 * not a DRM node.
 */
int drm_close_driver(int fd);

/**
 * do_or_die:
 * @x: expression that must evaluate to 0
 */
#define do_or_die(x) igt_assert((x) == 0)

/**
 * do_ioctl:
 * @fd: DRM fd
 * @ioc: ioctl request
 * @ioc_data: argument
 *
 * Asserts that the ioctl succeeds.
 */
#define do_ioctl(fd, ioc, ioc_data) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
	errno = 0; \
} while (0)

/**
 * do_ioctl_err:
 * @fd: DRM fd
 * @ioc: ioctl request
 * @ioc_data: argument
 * @err: value to expect in errno
 *
 * Asserts that the ioctl fails with errno @err.
 */
#define do_ioctl_err(fd, ioc, ioc_data, err) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
	igt_assert_eq(errno, err); \
	errno = 0; \
} while (0)

#endif /* DRMTEST_H */
