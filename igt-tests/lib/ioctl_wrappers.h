// SPDX-License-Identifier: MIT
/*
 * ioctl_wrappers.h - the subset of IGT's lib/ioctl_wrappers.h used by
 * nova's tests. See igt.h.
 */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <stdint.h>

/**
 * igt_ioctl:
 *
 * drmIoctl() (restarts on EINTR/EAGAIN); a pointer, as upstream, so that
 * it could be swapped for an interrupting variant.
 */
extern __thread int (*igt_ioctl)(int fd, unsigned long request, void *arg);

/**
 * __gem_close: DRM_IOCTL_GEM_CLOSE; returns 0 or -errno.
 */
int __gem_close(int fd, uint32_t handle);
/**
 * gem_close: DRM_IOCTL_GEM_CLOSE, asserting success.
 */
void gem_close(int fd, uint32_t handle);

/**
 * to_user_pointer: a pointer as the __u64 an ioctl takes.
 */
static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

/**
 * from_user_pointer: a __u64 from an ioctl as a pointer.
 */
static inline void *from_user_pointer(uint64_t u64p)
{
	return (void *)(uintptr_t)u64p;
}

static inline uint32_t lower_32_bits(uint64_t x)
{
	return x & 0xffffffff;
}

static inline uint32_t upper_32_bits(uint64_t x)
{
	return x >> 32;
}

#endif /* IOCTL_WRAPPERS_H */
