/* SPDX-License-Identifier: MIT */
/*
 * libnova - userspace library for nova, the DRM driver for NVIDIA GPUs.
 *
 * A thin C layer over nova's uAPI (include/uapi/drm/nova_drm.h) and
 * libdrm: device discovery, parameters, buffer objects (BOs) with CPU
 * mappings and PRIME sharing, GPU virtual address spaces (VMs) and
 * VM_BIND with syncobj fences.
 *
 * Errors: every function returning int returns 0 (or a documented
 * non-negative value) on success and a negative errno on failure;
 * nova_strerror() describes it. Nothing is printed.
 *
 * Thread safety:
 *  - struct nova_device: all functions may be called from several threads
 *    at once, except nova_device_close(), which must be the last call on
 *    the device and on every object created from it.
 *  - struct nova_bo: nova_bo_handle(), nova_bo_size() and the bind calls
 *    using it are thread-safe; nova_bo_mmap()/nova_bo_munmap() are
 *    serialised internally; nova_bo_unref() of the last reference must not
 *    race with other use of that BO.
 *  - struct nova_vm: binds and state queries may run concurrently (the
 *    kernel orders binds of one VM in submission order); nova_vm_destroy()
 *    must not race with other use of that VM.
 *  - struct nova_sync: wait, signal, query and reset are thread-safe
 *    (they are plain ioctls); nova_sync_destroy() must not race with them.
 *  - nova_enumerate(), nova_strerror() and nova_chipset_name() are
 *    thread-safe.
 */
#ifndef LIBNOVA_H
#define LIBNOVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBNOVA_VERSION_MAJOR 0
#define LIBNOVA_VERSION_MINOR 1
#define LIBNOVA_VERSION_PATCH 0

struct nova_device;
struct nova_bo;
struct nova_vm;
struct nova_sync;

/** Parameters for nova_get_param(); values match NOVA_GETPARAM_*. */
enum nova_param {
	NOVA_PARAM_VRAM_BAR_SIZE = 0x1,	/**< BAR1 aperture size, bytes */
	NOVA_PARAM_VRAM_TOTAL = 0x2,	/**< physical VRAM, bytes */
	NOVA_PARAM_VRAM_USABLE = 0x3,	/**< VRAM the driver allocates from */
	NOVA_PARAM_VRAM_USED = 0x4,	/**< VRAM allocated now */
	NOVA_PARAM_CHIPSET = 0x5,	/**< chipset id, e.g. 0x172 (GA102) */
	NOVA_PARAM_MMU_VERSION = 0x6,	/**< page-table format, 2 or 3 */
	NOVA_PARAM_VA_BITS = 0x7,	/**< GPU virtual address width */
	NOVA_PARAM_PAGE_SIZES = 0x8,	/**< bit n set: 2^n-byte pages */
	NOVA_PARAM_VA_START = 0x9,	/**< first bindable VA */
	NOVA_PARAM_VA_END = 0xa,	/**< end of bindable VA, exclusive */
	NOVA_PARAM_BAR1_USED = 0xb,	/**< bytes of BAR1 mapped now */
	NOVA_PARAM_MAX_BIND_OPS = 0xc,	/**< most ops in one bind call */
	NOVA_PARAM_MAX_BO_SIZE = 0xd,	/**< largest BO */
	NOVA_PARAM_MAX_VMS = 0xe,	/**< most VMs per open file */
};

/** All parameters of a device, as nova_query_info() fills them. */
struct nova_info {
	uint64_t bar1_size;
	uint64_t vram_total;
	uint64_t vram_usable;
	uint64_t vram_used;
	uint32_t chipset;
	uint32_t mmu_version;
	uint32_t va_bits;
	uint64_t page_sizes;
	uint64_t va_start;
	uint64_t va_end;
	uint64_t bar1_used;
	uint64_t max_bind_ops;
	uint64_t max_bo_size;
	uint64_t max_vms;
};

/** A nova device found by nova_enumerate(). */
struct nova_device_desc {
	char render_node[64];	/**< e.g. "/dev/dri/renderD128" */
	char primary_node[64];	/**< e.g. "/dev/dri/card0", or "" */
	char bus_id[32];	/**< PCI address "dddd:bb:dd.f", or "" */
	uint32_t chipset;	/**< NOVA_PARAM_CHIPSET */
};

/* ---- errors ---- */

/**
 * nova_strerror() - describe an error returned by libnova
 * @err: a negative errno (a positive one is accepted too)
 *
 * Return: a static string, never NULL.
 */
const char *nova_strerror(int err);

/**
 * nova_chipset_name() - the name of a chipset id
 * @chipset: NOVA_PARAM_CHIPSET value
 *
 * Return: e.g. "GA102", or "unknown"; a static string.
 */
const char *nova_chipset_name(uint32_t chipset);

/* ---- devices ---- */

/**
 * nova_enumerate() - list the nova devices of the system
 * @descs: array to fill, may be NULL when @max is 0
 * @max: room in @descs
 *
 * Finds devices with drmGetDevices2() whose DRM driver is "nova" and that
 * have a render node, then looks at every render node as well, because
 * libdrm skips devices on buses it does not know (nova's DRM devices sit
 * on the auxiliary bus under nova-core).
 *
 * Return: the number of nova devices (which may exceed @max; only @max
 * are written), or a negative errno.
 */
int nova_enumerate(struct nova_device_desc *descs, int max);

/**
 * nova_device_open() - open a nova device by node path
 * @path: a DRM node, e.g. "/dev/dri/renderD128"
 * @out: the device
 *
 * Return: 0, -ENODEV if @path is not a nova device, or another negative
 * errno.
 */
int nova_device_open(const char *path, struct nova_device **out);

/**
 * nova_device_open_index() - open the @index-th nova device (render node)
 * @index: 0-based, in nova_enumerate() order
 * @out: the device
 *
 * Return: 0, -ENODEV if there is no such device, or a negative errno.
 */
int nova_device_open_index(int index, struct nova_device **out);

/**
 * nova_device_close() - close a device
 * @dev: the device, or NULL
 *
 * BOs, VMs and syncs still alive are destroyed with it (their handles
 * belong to the device's file); they must not be used afterwards.
 */
void nova_device_close(struct nova_device *dev);

/**
 * nova_device_fd() - the DRM file descriptor of a device
 * @dev: the device
 *
 * Return: the fd, owned by @dev.
 */
int nova_device_fd(const struct nova_device *dev);

/**
 * nova_device_path() - the node path the device was opened with
 * @dev: the device
 */
const char *nova_device_path(const struct nova_device *dev);

/**
 * nova_get_param() - query one parameter (DRM_IOCTL_NOVA_GETPARAM)
 * @dev: the device
 * @param: a &enum nova_param
 * @value: out, its value
 *
 * Return: 0, -EINVAL for an unknown parameter, or a negative errno.
 */
int nova_get_param(struct nova_device *dev, enum nova_param param, uint64_t *value);

/**
 * nova_query_info() - query every parameter
 * @dev: the device
 * @info: out
 *
 * Return: 0 or the first error.
 */
int nova_query_info(struct nova_device *dev, struct nova_info *info);

/* ---- buffer objects ---- */

/**
 * nova_bo_create() - create a VRAM buffer object (DRM_IOCTL_NOVA_GEM_CREATE)
 * @dev: the device
 * @size: bytes, a non-zero multiple of 4096, at most NOVA_PARAM_MAX_BO_SIZE
 * @flags: must be 0
 * @out: the BO, with one reference
 *
 * The BO's memory is zeroed.
 *
 * Return: 0, -EINVAL for a bad size or flags, -ENOMEM/-ENOSPC when VRAM
 * is exhausted, or a negative errno.
 */
int nova_bo_create(struct nova_device *dev, uint64_t size, uint32_t flags,
		   struct nova_bo **out);

/**
 * nova_bo_ref() - take a reference on a BO
 * @bo: the BO
 *
 * Return: @bo.
 */
struct nova_bo *nova_bo_ref(struct nova_bo *bo);

/**
 * nova_bo_unref() - drop a reference; the last one unmaps and closes it
 * @bo: the BO, or NULL
 */
void nova_bo_unref(struct nova_bo *bo);

/**
 * nova_bo_handle() - the BO's GEM handle
 * @bo: the BO
 */
uint32_t nova_bo_handle(const struct nova_bo *bo);

/**
 * nova_bo_size() - the BO's size in bytes
 * @bo: the BO
 */
uint64_t nova_bo_size(const struct nova_bo *bo);

/**
 * nova_gem_info() - query a GEM handle (DRM_IOCTL_NOVA_GEM_INFO)
 * @dev: the device
 * @handle: the GEM handle
 * @size: out, may be NULL
 * @mmap_offset: out, may be NULL
 *
 * Return: 0, -ENOENT for an unknown handle, or a negative errno.
 */
int nova_gem_info(struct nova_device *dev, uint32_t handle, uint64_t *size,
		  uint64_t *mmap_offset);

/**
 * nova_bo_mmap() - map a whole BO for the CPU (through BAR1)
 * @bo: the BO
 * @ptr: out, the mapping, read-write and shared
 *
 * The mapping is counted: each successful call needs one
 * nova_bo_munmap(); repeated calls return the same address.
 *
 * Return: 0 or a negative errno.
 */
int nova_bo_mmap(struct nova_bo *bo, void **ptr);

/**
 * nova_bo_munmap() - drop one mapping count; the last one unmaps
 * @bo: the BO
 *
 * Return: 0, -EINVAL if the BO is not mapped.
 */
int nova_bo_munmap(struct nova_bo *bo);

/**
 * nova_bo_export() - export a BO as a dma-buf (drmPrimeHandleToFD)
 * @bo: the BO
 * @flags: DRM_CLOEXEC and/or DRM_RDWR, or 0
 * @fd: out, the dma-buf fd, owned by the caller
 *
 * Return: 0 or a negative errno.
 */
int nova_bo_export(struct nova_bo *bo, uint32_t flags, int *fd);

/**
 * nova_bo_import() - import a dma-buf (drmPrimeFDToHandle)
 * @dev: the device
 * @fd: the dma-buf fd; not consumed
 * @out: the BO, with a new reference; importing a buffer the device
 *	already has returns the same &struct nova_bo
 *
 * Return: 0 or a negative errno.
 */
int nova_bo_import(struct nova_device *dev, int fd, struct nova_bo **out);

/* ---- VMs and binds ---- */

/**
 * nova_vm_create() - create a GPU address space (DRM_IOCTL_NOVA_VM_CREATE)
 * @dev: the device
 * @out: the VM
 *
 * Return: 0, -ENOSPC when NOVA_PARAM_MAX_VMS are open, or a negative errno.
 */
int nova_vm_create(struct nova_device *dev, struct nova_vm **out);

/**
 * nova_vm_destroy() - destroy a VM (DRM_IOCTL_NOVA_VM_DESTROY)
 * @vm: the VM, or NULL
 *
 * Its mappings go once its queued binds complete.
 *
 * Return: 0 or a negative errno; @vm is freed either way.
 */
int nova_vm_destroy(struct nova_vm *vm);

/**
 * nova_vm_id() - the kernel id of a VM
 * @vm: the VM
 */
uint32_t nova_vm_id(const struct nova_vm *vm);

/** Bind operations, values as NOVA_VM_BIND_OP_*. */
enum nova_bind_op_type {
	NOVA_BIND_MAP = 0,
	NOVA_BIND_UNMAP = 1,
};

/** Map flag: the GPU may only read the mapping. */
#define NOVA_BIND_READ_ONLY (1u << 0)

/**
 * struct nova_bind_op - one map or unmap
 * @op: NOVA_BIND_MAP or NOVA_BIND_UNMAP
 * @flags: for MAP, NOVA_BIND_READ_ONLY or 0; 0 for UNMAP
 * @bo: for MAP, the BO; NULL for UNMAP
 * @bo_offset: for MAP, offset into @bo, 4 KiB aligned; 0 for UNMAP
 * @va: GPU virtual address, 4 KiB aligned
 * @range: bytes, a non-zero multiple of 4 KiB
 */
struct nova_bind_op {
	enum nova_bind_op_type op;
	uint32_t flags;
	struct nova_bo *bo;
	uint64_t bo_offset;
	uint64_t va;
	uint64_t range;
};

/** For struct nova_sync_point.flags: signal rather than wait. */
#define NOVA_SYNC_POINT_SIGNAL (1u << 0)

/**
 * struct nova_sync_point - a fence to wait for or signal in a bind
 * @sync: the syncobj
 * @point: the timeline point, for a timeline sync; 0 for a binary one
 * @flags: NOVA_SYNC_POINT_SIGNAL, or 0 to wait
 */
struct nova_sync_point {
	struct nova_sync *sync;
	uint64_t point;
	uint32_t flags;
};

/** nova_vm_bind() flag: queue the binds and return at once. */
#define NOVA_BIND_ASYNC (1u << 0)

/**
 * nova_vm_bind() - map and unmap in a VM (DRM_IOCTL_NOVA_VM_BIND)
 * @vm: the VM
 * @flags: NOVA_BIND_ASYNC, or 0 to return once page tables are written
 * @ops: operations, applied in order; at most NOVA_PARAM_MAX_BIND_OPS
 * @num_ops: their number
 * @syncs: fences, only with NOVA_BIND_ASYNC; may be NULL
 * @num_syncs: their number
 *
 * The call changes nothing when it fails. An asynchronous bind that fails
 * later on the GPU is reported by nova_vm_get_state().
 *
 * Return: 0, -EINVAL for malformed operations, -ENOENT for an unknown BO
 * or VM, or a negative errno.
 */
int nova_vm_bind(struct nova_vm *vm, uint32_t flags,
		 const struct nova_bind_op *ops, unsigned int num_ops,
		 const struct nova_sync_point *syncs, unsigned int num_syncs);

/**
 * nova_vm_map() - synchronously map [@va, @va + @range) to @bo at @bo_offset
 * @vm: the VM
 * @bo: the BO
 * @bo_offset: offset into @bo
 * @va: GPU virtual address
 * @range: bytes
 * @flags: NOVA_BIND_READ_ONLY or 0
 *
 * Return: as nova_vm_bind().
 */
int nova_vm_map(struct nova_vm *vm, struct nova_bo *bo, uint64_t bo_offset,
		uint64_t va, uint64_t range, uint32_t flags);

/**
 * nova_vm_unmap() - synchronously unmap [@va, @va + @range)
 * @vm: the VM
 * @va: GPU virtual address
 * @range: bytes
 *
 * Return: as nova_vm_bind().
 */
int nova_vm_unmap(struct nova_vm *vm, uint64_t va, uint64_t range);

/** A GPU MMU fault recorded in a VM. */
struct nova_vm_fault {
	uint64_t va;
	uint32_t access;	/**< 0 read, 1 write */
	uint32_t reason;	/**< see struct drm_nova_vm_fault */
};

/** VM state, from nova_vm_get_state(). */
struct nova_vm_state {
	bool usable;		/**< false once the VM is unusable */
	int32_t bind_error;	/**< first failed queued bind, -errno, or 0 */
	uint32_t num_mappings;
	uint32_t fault_count;	/**< faults since creation */
	uint64_t mapped_bytes;
	uint64_t pt_bytes;	/**< VRAM used by the page tables */
	uint32_t num_faults;	/**< entries written to the faults array */
};

/** nova_vm_get_state() flag: forget the faults copied to @faults. */
#define NOVA_VM_STATE_CLEAR_FAULTS (1u << 0)

/**
 * nova_vm_get_state() - query a VM (DRM_IOCTL_NOVA_VM_GET_STATE)
 * @vm: the VM
 * @flags: NOVA_VM_STATE_CLEAR_FAULTS or 0
 * @state: out
 * @faults: array for the recorded faults, oldest first; may be NULL
 * @max_faults: room in @faults
 *
 * Return: 0 or a negative errno.
 */
int nova_vm_get_state(struct nova_vm *vm, uint32_t flags, struct nova_vm_state *state,
		      struct nova_vm_fault *faults, uint32_t max_faults);

/* ---- syncs (DRM syncobjs) ---- */

/**
 * nova_sync_create() - create a syncobj
 * @dev: the device
 * @timeline: true for a timeline syncobj, false for a binary one
 * @signaled: create it signalled (binary only; -EINVAL with @timeline)
 * @out: the sync
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_create(struct nova_device *dev, bool timeline, bool signaled,
		     struct nova_sync **out);

/**
 * nova_sync_destroy() - destroy a sync
 * @sync: the sync, or NULL
 */
void nova_sync_destroy(struct nova_sync *sync);

/**
 * nova_sync_handle() - the syncobj handle
 * @sync: the sync
 */
uint32_t nova_sync_handle(const struct nova_sync *sync);

/**
 * nova_sync_is_timeline() - whether the sync is a timeline
 * @sync: the sync
 */
bool nova_sync_is_timeline(const struct nova_sync *sync);

/**
 * nova_sync_wait() - wait until a sync (point) signals
 * @sync: the sync
 * @point: the timeline point; ignored for a binary sync
 * @timeout_ns: relative timeout; 0 polls, negative waits forever
 *
 * Also waits for the fence to be submitted (WAIT_FOR_SUBMIT).
 *
 * Return: 0 when signalled, -ETIME on timeout, or a negative errno.
 */
int nova_sync_wait(struct nova_sync *sync, uint64_t point, int64_t timeout_ns);

/**
 * nova_sync_signal() - signal a sync (point) from the CPU
 * @sync: the sync
 * @point: the timeline point; ignored for a binary sync
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_signal(struct nova_sync *sync, uint64_t point);

/**
 * nova_sync_query() - the last signalled point of a timeline sync
 * @sync: the sync
 * @point: out
 *
 * Return: 0, -EINVAL for a binary sync, or a negative errno.
 */
int nova_sync_query(struct nova_sync *sync, uint64_t *point);

/**
 * nova_sync_reset() - reset a binary sync to unsignalled
 * @sync: the sync
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_reset(struct nova_sync *sync);

#ifdef __cplusplus
}
#endif

#endif /* LIBNOVA_H */
