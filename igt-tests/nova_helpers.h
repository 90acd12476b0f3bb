// SPDX-License-Identifier: MIT
/*
 * nova_helpers.h - small helpers shared by nova's IGT tests.
 *
 * Header-only and built on upstream IGT API only (igt_core, drmtest,
 * ioctl_wrappers) and libdrm, so the tests and this header can move into
 * an IGT tree (tests/nova/) unchanged. The "__" variants return 0 or a
 * negative errno; the others assert success.
 */
#ifndef NOVA_HELPERS_H
#define NOVA_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "drm/nova_drm.h"

#define SZ_4K	(4096ull)
#define SZ_64K	(64ull << 10)
#define SZ_1M	(1ull << 20)
#define SZ_2M	(2ull << 20)

static inline bool is_nova_device(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ret;

	if (!v)
		return false;
	ret = v->name && !strcmp(v->name, "nova");
	drmFreeVersion(v);
	return ret;
}

/*
 * Open a nova render node like IGT does (IGT_DEVICE / --device, first
 * device otherwise), restricted to nova when IGT_FORCE_DRIVER does not
 * already choose a driver. Skips when there is none.
 */
static inline int drm_open_nova_render(void)
{
	int fd;

	if (!getenv("IGT_FORCE_DRIVER"))
		__set_forced_driver("nova");

	fd = drm_open_driver_render(DRIVER_ANY);
	igt_require_f(is_nova_device(fd), "not a nova device\n");
	return fd;
}

static inline int __nova_get_param(int fd, uint64_t param, uint64_t *value)
{
	struct drm_nova_getparam gp = { .param = param };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &gp))
		err = -errno;
	else
		*value = gp.value;
	errno = 0;
	return err;
}

static inline uint64_t nova_get_param(int fd, uint64_t param)
{
	uint64_t value = 0;

	igt_assert_eq(__nova_get_param(fd, param, &value), 0);
	return value;
}

static inline int __nova_gem_create(int fd, uint64_t *size, uint32_t flags,
				    uint32_t *handle)
{
	struct drm_nova_gem_create create = { .flags = flags, .size = *size };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &create)) {
		err = -errno;
	} else {
		*handle = create.handle;
		*size = create.size;
	}
	errno = 0;
	return err;
}

static inline uint32_t nova_gem_create(int fd, uint64_t size)
{
	uint32_t handle = 0;

	igt_assert_eq(__nova_gem_create(fd, &size, 0, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	return handle;
}

static inline int __nova_gem_info(int fd, uint32_t handle, uint64_t *size,
				  uint64_t *mmap_offset)
{
	struct drm_nova_gem_info info = { .handle = handle };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info)) {
		err = -errno;
	} else {
		if (size)
			*size = info.size;
		if (mmap_offset)
			*mmap_offset = info.mmap_offset;
	}
	errno = 0;
	return err;
}

static inline uint64_t nova_gem_mmap_offset(int fd, uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_eq(__nova_gem_info(fd, handle, NULL, &offset), 0);
	return offset;
}

/* mmap a whole BO (or @size bytes of it); NULL on failure, errno set. */
static inline void *__nova_gem_mmap(int fd, uint32_t handle, uint64_t size, int prot)
{
	void *ptr = mmap(NULL, size, prot, MAP_SHARED, fd,
			 nova_gem_mmap_offset(fd, handle));

	return ptr == MAP_FAILED ? NULL : ptr;
}

static inline void *nova_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = __nova_gem_mmap(fd, handle, size, PROT_READ | PROT_WRITE);

	igt_assert_f(ptr, "mmap of handle %u failed: %m\n", handle);
	return ptr;
}

static inline int __nova_vm_create(int fd, uint32_t flags, uint32_t *id)
{
	struct drm_nova_vm_create create = { .flags = flags };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_CREATE, &create))
		err = -errno;
	else
		*id = create.id;
	errno = 0;
	return err;
}

static inline uint32_t nova_vm_create(int fd)
{
	uint32_t id = 0;

	igt_assert_eq(__nova_vm_create(fd, 0, &id), 0);
	return id;
}

static inline int __nova_vm_destroy(int fd, uint32_t id)
{
	struct drm_nova_vm_destroy destroy = { .id = id };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_DESTROY, &destroy))
		err = -errno;
	errno = 0;
	return err;
}

static inline void nova_vm_destroy(int fd, uint32_t id)
{
	igt_assert_eq(__nova_vm_destroy(fd, id), 0);
}

static inline int __nova_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
				 struct drm_nova_vm_bind_op *ops, uint32_t num_ops,
				 struct drm_nova_sync *syncs, uint32_t num_syncs)
{
	struct drm_nova_vm_bind bind = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = {
			.stride = sizeof(*ops),
			.count = num_ops,
			.array = to_user_pointer(ops),
		},
		.syncs = {
			.stride = sizeof(*syncs),
			.count = num_syncs,
			.array = to_user_pointer(syncs),
		},
	};
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_BIND, &bind))
		err = -errno;
	errno = 0;
	return err;
}

static inline int __nova_vm_map(int fd, uint32_t vm_id, uint32_t handle,
				uint64_t bo_offset, uint64_t va, uint64_t range,
				uint32_t flags)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_MAP,
		.flags = flags,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return __nova_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

static inline void nova_vm_map(int fd, uint32_t vm_id, uint32_t handle,
			       uint64_t bo_offset, uint64_t va, uint64_t range)
{
	igt_assert_eq(__nova_vm_map(fd, vm_id, handle, bo_offset, va, range, 0), 0);
}

static inline int __nova_vm_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	struct drm_nova_vm_bind_op op = {
		.op = NOVA_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return __nova_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

static inline void nova_vm_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t range)
{
	igt_assert_eq(__nova_vm_unmap(fd, vm_id, va, range), 0);
}

static inline int __nova_vm_get_state(int fd, struct drm_nova_vm_get_state *st)
{
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NOVA_VM_GET_STATE, st))
		err = -errno;
	errno = 0;
	return err;
}

static inline struct drm_nova_vm_get_state nova_vm_get_state(int fd, uint32_t vm_id)
{
	struct drm_nova_vm_get_state st = { .vm_id = vm_id };

	igt_assert_eq(__nova_vm_get_state(fd, &st), 0);
	return st;
}

static inline uint64_t nova_time_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/*
 * VRAM_USED once it has settled to at most @target (freeing may be
 * deferred a little), or its last value after @timeout_ms.
 */
static inline uint64_t nova_wait_vram_used_le(int fd, uint64_t target,
					      unsigned int timeout_ms)
{
	uint64_t start = nova_time_ms(), used;

	for (;;) {
		used = nova_get_param(fd, NOVA_GETPARAM_VRAM_USED);
		if (used <= target || nova_time_ms() - start > timeout_ms)
			return used;
		usleep(10 * 1000);
	}
}

#endif /* NOVA_HELPERS_H */
