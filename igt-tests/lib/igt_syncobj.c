// SPDX-License-Identifier: MIT
/*
 * igt_syncobj.c - IGT's syncobj helpers on libdrm's drmSyncobj*() API.
 * See igt_syncobj.h.
 */
#include <errno.h>

#include <xf86drm.h>

#include "igt_core.h"
#include "igt_syncobj.h"

/* libdrm returns -1 or -errno on failure depending on the call: fold
 * both into -errno, and clear errno as upstream's wrappers do. */
static int drm_ret(int ret)
{
	if (ret) {
		ret = -errno;
		errno = 0;
	}
	return ret;
}

uint32_t syncobj_create(int fd, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(drm_ret(drmSyncobjCreate(fd, flags, &handle)), 0);
	igt_assert(handle);
	return handle;
}

void syncobj_destroy(int fd, uint32_t handle)
{
	igt_assert_eq(drm_ret(drmSyncobjDestroy(fd, handle)), 0);
}

int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags)
{
	int obj_fd = -1;

	if (flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) {
		igt_assert_eq(flags, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
		igt_assert_eq(drm_ret(drmSyncobjExportSyncFile(fd, handle, &obj_fd)), 0);
	} else {
		igt_assert_eq(flags, 0);
		igt_assert_eq(drm_ret(drmSyncobjHandleToFD(fd, handle, &obj_fd)), 0);
	}
	igt_assert(obj_fd >= 0);
	return obj_fd;
}

uint32_t syncobj_fd_to_handle(int fd, int syncobj_fd, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(flags, 0);
	igt_assert_eq(drm_ret(drmSyncobjFDToHandle(fd, syncobj_fd, &handle)), 0);
	igt_assert(handle > 0);
	return handle;
}

void syncobj_import_sync_file(int fd, uint32_t handle, int sync_file)
{
	igt_assert_eq(drm_ret(drmSyncobjImportSyncFile(fd, handle, sync_file)), 0);
}

int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count,
		     uint64_t abs_timeout_nsec, uint32_t flags)
{
	return drm_ret(drmSyncobjWait(fd, handles, count, abs_timeout_nsec,
				      flags, NULL));
}

bool syncobj_wait(int fd, uint32_t *handles, uint32_t count,
		  uint64_t abs_timeout_nsec, uint32_t flags,
		  uint32_t *first_signaled)
{
	int ret;

	ret = drm_ret(drmSyncobjWait(fd, handles, count, abs_timeout_nsec,
				     flags, first_signaled));
	if (ret == -ETIME)
		return false;

	igt_assert_eq(ret, 0);
	return true;
}

int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points,
			      unsigned num_handles,
			      int64_t timeout_nsec, unsigned flags)
{
	return drm_ret(drmSyncobjTimelineWait(fd, handles, points, num_handles,
					      timeout_nsec, flags, NULL));
}

bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points,
			   unsigned num_handles,
			   int64_t timeout_nsec, unsigned flags,
			   uint32_t *first_signaled)
{
	int ret;

	ret = drm_ret(drmSyncobjTimelineWait(fd, handles, points, num_handles,
					     timeout_nsec, flags, first_signaled));
	if (ret == -ETIME)
		return false;

	igt_assert_eq(ret, 0);
	return true;
}

void syncobj_reset(int fd, uint32_t *handles, uint32_t count)
{
	igt_assert_eq(drm_ret(drmSyncobjReset(fd, handles, count)), 0);
}

void syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	igt_assert_eq(drm_ret(drmSyncobjSignal(fd, handles, count)), 0);
}

void syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points,
			     uint32_t count)
{
	igt_assert_eq(drm_ret(drmSyncobjTimelineSignal(fd, handles, points, count)), 0);
}

void syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points,
			    uint32_t count)
{
	igt_assert_eq(drm_ret(drmSyncobjQuery(fd, handles, points, count)), 0);
}

void syncobj_binary_to_timeline(int fd, uint32_t timeline_handle,
				uint64_t point, uint32_t binary_handle)
{
	igt_assert_eq(drm_ret(drmSyncobjTransfer(fd, timeline_handle, point,
						 binary_handle, 0, 0)), 0);
}

void syncobj_timeline_to_binary(int fd, uint32_t binary_handle,
				uint32_t timeline_handle,
				uint64_t point,
				uint32_t flags)
{
	igt_assert_eq(drm_ret(drmSyncobjTransfer(fd, binary_handle, 0,
						 timeline_handle, point, flags)), 0);
}
