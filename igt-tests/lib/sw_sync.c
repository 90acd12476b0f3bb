// SPDX-License-Identifier: MIT
/*
 * sw_sync.c - sw_sync timelines as IGT's lib/sw_sync.c uses them (the
 * kernel's private sw_sync ioctls). See sw_sync.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/types.h>

#include "igt_core.h"
#include "ioctl_wrappers.h"
#include "sw_sync.h"

struct int_sync_create_fence_data {
	__u32	value;
	char	name[32];
	__s32	fence;
};

#define INT_SYNC_IOC_MAGIC 'W'
#define INT_SYNC_IOC_CREATE_FENCE	_IOWR(INT_SYNC_IOC_MAGIC, 0, struct int_sync_create_fence_data)
#define INT_SYNC_IOC_INC		_IOW(INT_SYNC_IOC_MAGIC, 1, __u32)

static const char *const sw_sync_paths[] = {
	"/dev/sw_sync",
	"/sys/kernel/debug/sync/sw_sync",
};

static const char *kernel_sw_sync_path(void)
{
	for (unsigned int i = 0; i < sizeof(sw_sync_paths) / sizeof(sw_sync_paths[0]); i++)
		if (access(sw_sync_paths[i], R_OK | W_OK) == 0)
			return sw_sync_paths[i];

	return NULL;
}

void igt_require_sw_sync(void)
{
	igt_require(kernel_sw_sync_path());
}

int sw_sync_timeline_create(void)
{
	const char *path = kernel_sw_sync_path();
	int fd;

	igt_assert_f(path, "Unable to find valid path for sw_sync\n");
	fd = open(path, O_RDWR);
	igt_assert_f(fd >= 0, "Created invalid timeline\n");

	return fd;
}

int __sw_sync_timeline_create_fence(int fd, uint32_t seqno)
{
	struct int_sync_create_fence_data data = { .value = seqno };

	if (igt_ioctl(fd, INT_SYNC_IOC_CREATE_FENCE, &data))
		return -errno;

	return data.fence;
}

int sw_sync_timeline_create_fence(int fd, uint32_t seqno)
{
	int fence = __sw_sync_timeline_create_fence(fd, seqno);

	igt_assert_f(fence >= 0 && fcntl(fence, F_GETFD, 0) >= 0,
		     "Created invalid fence\n");

	return fence;
}

void sw_sync_timeline_inc(int fd, uint32_t count)
{
	int err = 0;

	if (igt_ioctl(fd, INT_SYNC_IOC_INC, &count))
		err = -errno;
	errno = 0;
	igt_assert_eq(err, 0);
}
