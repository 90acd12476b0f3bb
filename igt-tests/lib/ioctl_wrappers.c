// SPDX-License-Identifier: MIT
/*
 * ioctl_wrappers.c - the generic GEM wrappers of IGT's
 * lib/ioctl_wrappers.c that nova's tests use. See igt.h.
 */
#include <errno.h>
#include <string.h>

#include <xf86drm.h>

#include "igt_core.h"
#include "ioctl_wrappers.h"

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close close_bo;
	int err = 0;

	memset(&close_bo, 0, sizeof(close_bo));
	close_bo.handle = handle;
	if (igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_bo)) {
		err = -errno;
		errno = 0;
	}

	return err;
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}
