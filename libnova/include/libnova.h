/* SPDX-License-Identifier: MIT */
/*
 * libnova - userspace library for nova, the DRM driver for NVIDIA GPUs.
 *
 * A thin C layer over nova's uAPI (include/uapi/drm/nova_drm.h) and
 * libdrm: device discovery, parameters, buffer objects (BOs) with CPU
 * mappings and PRIME sharing, GPU virtual address spaces (VMs) and
 * VM_BIND with syncobj fences, channels running pushbuffers on the GPU's
 * copy engine (EXEC), and a pushbuffer builder for the copy engine.
 *
 * Errors: every function returning int returns 0 (or a documented
 * non-negative value) on success and a negative errno on failure;
 * nova_strerror() describes it. Nothing is printed.
 *
 * Thread safety:
 *  - struct nova_device: all functions may be called from several threads
 *    at once, except nova_device_close() of the last reference, which
 *    must be the last call on the device and on every object created
 *    from it (a device from nova_device_wrap() has one reference per
 *    successful wrap).
 *  - struct nova_bo: nova_bo_handle(), nova_bo_size() and the bind calls
 *    using it are thread-safe; nova_bo_mmap()/nova_bo_munmap() are
 *    serialised internally; nova_bo_unref() of the last reference must not
 *    race with other use of that BO.
 *  - struct nova_vm: binds and state queries may run concurrently (the
 *    kernel orders binds of one VM in submission order); nova_vm_destroy()
 *    must not race with other use of that VM.
 *  - struct nova_sync: wait, signal, query and reset are thread-safe
 *    (they are plain ioctls); nova_sync_destroy() must not race with them.
 *  - struct nova_channel: nova_exec() and state queries may run
 *    concurrently (the kernel orders the EXECs of a channel in submission
 *    order); nova_channel_destroy() must not race with other use of it.
 *  - struct nova_pushbuf: not thread-safe; one thread builds in it at a
 *    time. The nova_push_*() and nova_pushbuf_*() functions touch only
 *    the builder and its memory (no ioctl), so they work without a device.
 *  - nova_enumerate(), nova_device_wrap(), nova_strerror(),
 *    nova_chipset_name() and the version functions are thread-safe.
 *
 * Compatibility (see also README.md, "libnova: versions and ABI"):
 *  - The soname is libnova.so.0. It changes only when a binary built
 *    against an older libnova.so.0 would break: a symbol removed, a
 *    function's signature or meaning changed, a struct's existing field
 *    moved. New functions and new struct fields come in minor versions.
 *  - The query structs (struct nova_info, struct nova_device_desc,
 *    struct nova_vm_state, struct nova_vm_fault, struct
 *    nova_channel_state) grow only at their end.
 *    The functions filling them take the size the caller was compiled
 *    with (the *_ext() functions); the macros nova_enumerate(),
 *    nova_query_info() and nova_vm_get_state() pass it for the caller, so
 *    existing source keeps compiling unchanged. The library writes no
 *    more than that size and zeroes what it does not know: a field newer
 *    than the running library reads as 0 (check nova_get_version() when
 *    0 is a meaningful value). Binaries built against 0.1 call the
 *    exported functions of those names and get the 0.1 layout and
 *    behaviour (the exported nova_enumerate() leaves out the nodes it
 *    cannot open).
 *  - Every exported symbol is listed in libnova-symbols.txt, which the
 *    build checks against the library.
 */
#ifndef LIBNOVA_H
#define LIBNOVA_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBNOVA_VERSION_MAJOR 0
#define LIBNOVA_VERSION_MINOR 4
#define LIBNOVA_VERSION_PATCH 0

/** A version as one number, comparable with <, as nova_get_version(). */
#define LIBNOVA_VERSION_ENCODE(major, minor, patch) \
	(((uint32_t)(major) << 16) | ((uint32_t)(minor) << 8) | (uint32_t)(patch))
/** The version of the header the caller is compiled with. */
#define LIBNOVA_VERSION \
	LIBNOVA_VERSION_ENCODE(LIBNOVA_VERSION_MAJOR, LIBNOVA_VERSION_MINOR, \
			       LIBNOVA_VERSION_PATCH)

/*
 * Flags of nova_bo_export(), as libdrm's xf86drm.h defines them (same
 * definition, so either header may come first).
 */
#ifndef DRM_CLOEXEC
#define DRM_CLOEXEC O_CLOEXEC
#endif
#ifndef DRM_RDWR
#define DRM_RDWR O_RDWR
#endif

struct nova_device;
struct nova_bo;
struct nova_vm;
struct nova_sync;
struct nova_channel;
struct nova_pushbuf;

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
	/* since 0.4; kernels without channels fail these with -EINVAL */
	NOVA_PARAM_COPY_CLASS = 0xf,	/**< copy class of user channels
					 *   (0xc7b5, 0xc8b5), 0: none */
	NOVA_PARAM_MAX_PUSHES = 0x10,	/**< most pushes in one nova_exec() */
	NOVA_PARAM_MAX_CHANNELS = 0x11,	/**< most channels per VM */
	NOVA_PARAM_EXEC_TIMEOUT_MS = 0x12, /**< GPU time one EXEC may take */
};

/**
 * All parameters of a device, as nova_query_info() fills them. Grows at
 * its end only (see "Compatibility" above).
 */
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
	/*
	 * since 0.4: 0 when the kernel does not know the parameter (it
	 * predates channels); copy_class is also 0 on GPUs without user
	 * channels (Turing)
	 */
	uint32_t copy_class;
	uint32_t exec_timeout_ms;
	uint64_t max_pushes;
	uint64_t max_channels;
};

/**
 * A nova device found by nova_enumerate(). Grows at its end only (see
 * "Compatibility" above).
 */
struct nova_device_desc {
	char render_node[64];	/**< e.g. "/dev/dri/renderD128" */
	char primary_node[64];	/**< e.g. "/dev/dri/card0", or "" */
	char bus_id[32];	/**< PCI address "dddd:bb:dd.f", or "" */
	uint32_t chipset;	/**< NOVA_PARAM_CHIPSET; 0 if open_error */
	/* since 0.2 */
	int32_t open_error;	/**< 0, or the -errno opening the node failed
				 *   with (e.g. -EACCES): the device is listed
				 *   because sysfs says nova drives it */
	bool simulated;		/**< a nova-sim GPU, see nova_device_is_simulated() */
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
 * nova_enumerate_ext() - list the nova devices of the system
 * @descs: array to fill, may be NULL when @max is 0
 * @max: room in @descs
 * @desc_size: sizeof(struct nova_device_desc) as the caller knows it
 *
 * Looks at the devices drmGetDevices2() returns (nova's DRM devices are
 * children of the GPU's PCI device: @bus_id is its address) and then, for
 * a device libdrm did not list, at every /dev/dri/renderD* node. A node is
 * opened only once sysfs says a nova driver drives it
 * (/sys/dev/char/MAJ:MIN/device/driver names "nova"), so other GPUs are
 * never opened (nor woken from runtime suspend); then the DRM driver name
 * is checked and the chipset read. A node sysfs calls nova that cannot be
 * opened is listed with @open_error set. Each device is counted once.
 *
 * Return: the number of nova devices (which may exceed @max; only @max
 * are written), or a negative errno.
 */
int nova_enumerate_ext(struct nova_device_desc *descs, int max, size_t desc_size);

/**
 * nova_enumerate() - nova_enumerate_ext() with the caller's struct size
 * @descs: array to fill, may be NULL when @max is 0
 * @max: room in @descs
 *
 * The function of this name that binaries built against libnova 0.1 call
 * behaves as 0.1's: it lists only the devices it could open (none with
 * @open_error set), in 0.1's layout.
 */
int nova_enumerate(struct nova_device_desc *descs, int max);
#define nova_enumerate(descs, max) \
	nova_enumerate_ext((descs), (max), sizeof(struct nova_device_desc))

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
 * nova_device_wrap() - a nova device for a DRM fd the caller opened
 * @fd: a nova DRM node (render or primary); not consumed, the caller
 *	still closes it
 * @out: the device
 *
 * The device works on a duplicate of @fd (F_DUPFD_CLOEXEC). Wrapping is
 * deduplicated as amdgpu_device_initialize() does: while a wrapped device
 * is alive, wrapping any fd of the same GPU (same sysfs device, whether
 * render or primary node) returns the same &struct nova_device with one
 * more reference, so GEM handles, VMs and syncobjs are in one DRM file
 * (the first wrapped fd's). Each successful call needs one
 * nova_device_close(). Devices from nova_device_open() are not shared.
 * A wrapped device whose file no longer works (its GPU's driver was
 * unbound, perhaps bound again) is not shared either: a new wrap gets a
 * new device, while the old one stays with its owners until closed.
 *
 * Return: 0, -ENODEV if @fd is not a nova device, -EBADF, or another
 * negative errno.
 */
int nova_device_wrap(int fd, struct nova_device **out);

/**
 * nova_device_open_index() - open the @index-th nova device (render node)
 * @index: 0-based, in nova_enumerate() order, counting only the devices
 *	that can be opened (those without @open_error), as in 0.1
 * @out: the device
 *
 * Return: 0, -ENODEV if there is no such device, or a negative errno.
 */
int nova_device_open_index(int index, struct nova_device **out);

/**
 * nova_device_close() - close a device
 * @dev: the device, or NULL
 *
 * For a wrapped device, drops one reference; the last one closes it.
 * When the device closes, BOs, VMs and syncs still alive are destroyed
 * with it (their handles belong to the device's file); they must not be
 * used afterwards.
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
 *
 * For a wrapped device, the node of the fd as libdrm names it, or "".
 */
const char *nova_device_path(const struct nova_device *dev);

/**
 * nova_device_driver_version() - the kernel driver's version (drmGetVersion)
 * @dev: the device
 * @major: out, may be NULL
 * @minor: out, may be NULL
 * @patchlevel: out, may be NULL
 *
 * Return: 0 or a negative errno.
 */
int nova_device_driver_version(struct nova_device *dev, int *major, int *minor,
			       int *patchlevel);

/**
 * nova_device_is_simulated() - whether the device is a nova-sim GPU
 * @dev: the device
 *
 * Decided from sysfs, as no ioctl reports it: the device is simulated
 * when a sysfs ancestor of its DRM node is named "nova-sim*" (nova-sim
 * puts its GPUs' PCI host bridge below its root device "nova-sim":
 * /sys/devices/nova-sim/pci0001:00/0001:00:00.0).
 *
 * Return: 1 simulated, 0 not, or a negative errno (no sysfs entry).
 */
int nova_device_is_simulated(struct nova_device *dev);

/**
 * nova_get_version() - the version of the running libnova
 *
 * Return: LIBNOVA_VERSION_ENCODE(major, minor, patch); compare it with
 * LIBNOVA_VERSION, the version compiled against.
 */
uint32_t nova_get_version(void);

/**
 * nova_get_version_string() - the version of the running libnova
 *
 * Return: e.g. "0.4.0", a static string.
 */
const char *nova_get_version_string(void);

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
 * nova_query_info_ext() - query every parameter
 * @dev: the device
 * @info: out
 * @info_size: sizeof(struct nova_info) as the caller knows it
 *
 * The parameters added in 0.4 (NOVA_PARAM_COPY_CLASS and after) read as 0
 * from a kernel that does not know them, rather than failing the call.
 *
 * Return: 0 or the first error.
 */
int nova_query_info_ext(struct nova_device *dev, struct nova_info *info,
			size_t info_size);

/**
 * nova_query_info() - nova_query_info_ext() with the caller's struct size
 * @dev: the device
 * @info: out
 */
int nova_query_info(struct nova_device *dev, struct nova_info *info);
#define nova_query_info(dev, info) \
	nova_query_info_ext((dev), (info), sizeof(struct nova_info))

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
 * Map flag: a NULL mapping, of no BO (@bo NULL, @bo_offset 0, not with
 * NOVA_BIND_READ_ONLY): the GPU's engines read zeroes there and their
 * writes are dropped, without a fault (Vulkan sparse residency). Kernels
 * without it fail with -EINVAL.
 */
#define NOVA_BIND_NULL (1u << 1)

/**
 * struct nova_bind_op - one map or unmap
 * @op: NOVA_BIND_MAP or NOVA_BIND_UNMAP
 * @flags: for MAP, NOVA_BIND_READ_ONLY, NOVA_BIND_NULL or 0; 0 for UNMAP
 * @bo: for MAP, the BO; NULL for UNMAP and a NULL MAP
 * @bo_offset: for MAP, offset into @bo, 4 KiB aligned; 0 for UNMAP and a
 *	NULL MAP
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

/**
 * nova_vm_bind_null() - synchronously map [@va, @va + @range) NULL
 * @vm: the VM
 * @va: GPU virtual address
 * @range: bytes
 *
 * A NULL mapping (see NOVA_BIND_NULL) replaces what the range mapped.
 *
 * Return: as nova_vm_bind(); -EINVAL from a kernel without NULL mappings.
 */
int nova_vm_bind_null(struct nova_vm *vm, uint64_t va, uint64_t range);

/** A GPU MMU fault recorded in a VM. Grows at its end only. */
struct nova_vm_fault {
	uint64_t va;
	uint32_t access;	/**< 0 read, 1 write */
	uint32_t reason;	/**< see struct drm_nova_vm_fault */
};

/** VM state, from nova_vm_get_state(). Grows at its end only. */
struct nova_vm_state {
	bool usable;		/**< false once the VM is unusable */
	int32_t bind_error;	/**< first failed queued bind, -errno, or 0 */
	uint32_t num_mappings;
	uint32_t fault_count;	/**< faults since creation */
	uint64_t mapped_bytes;
	uint64_t pt_bytes;	/**< VRAM used by the page tables */
	uint32_t num_faults;	/**< entries written to the faults array */
	uint64_t null_bytes;	/**< of mapped_bytes, NULL-mapped */
};

/** nova_vm_get_state() flag: forget the faults copied to @faults. */
#define NOVA_VM_STATE_CLEAR_FAULTS (1u << 0)

/**
 * nova_vm_get_state_ext() - query a VM (DRM_IOCTL_NOVA_VM_GET_STATE)
 * @vm: the VM
 * @flags: NOVA_VM_STATE_CLEAR_FAULTS or 0
 * @state: out
 * @state_size: sizeof(struct nova_vm_state) as the caller knows it
 * @faults: array for the recorded faults, oldest first; may be NULL
 * @max_faults: room in @faults
 * @fault_size: sizeof(struct nova_vm_fault) as the caller knows it
 *
 * Return: 0 or a negative errno.
 */
int nova_vm_get_state_ext(struct nova_vm *vm, uint32_t flags,
			  struct nova_vm_state *state, size_t state_size,
			  struct nova_vm_fault *faults, uint32_t max_faults,
			  size_t fault_size);

/**
 * nova_vm_get_state() - nova_vm_get_state_ext() with the caller's sizes
 * @vm: the VM
 * @flags: NOVA_VM_STATE_CLEAR_FAULTS or 0
 * @state: out
 * @faults: array for the recorded faults, oldest first; may be NULL
 * @max_faults: room in @faults
 */
int nova_vm_get_state(struct nova_vm *vm, uint32_t flags, struct nova_vm_state *state,
		      struct nova_vm_fault *faults, uint32_t max_faults);
#define nova_vm_get_state(vm, flags, state, faults, max_faults) \
	nova_vm_get_state_ext((vm), (flags), (state), sizeof(struct nova_vm_state), \
			      (faults), (max_faults), sizeof(struct nova_vm_fault))

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

/**
 * nova_sync_export() - export a sync as a syncobj fd (drmSyncobjHandleToFD)
 * @sync: the sync
 * @fd: out, an fd for the whole syncobj (all points of a timeline),
 *	close-on-exec, owned by the caller
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_export(struct nova_sync *sync, int *fd);

/**
 * nova_sync_import() - a sync for a syncobj fd (drmSyncobjFDToHandle)
 * @dev: the device
 * @fd: a syncobj fd from nova_sync_export() or another driver; not consumed
 * @timeline: whether the caller uses it as a timeline (a syncobj does not
 *	record it)
 * @out: the sync, sharing the syncobj with the exporter
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_import(struct nova_device *dev, int fd, bool timeline,
		     struct nova_sync **out);

/**
 * nova_sync_export_sync_file() - the fence of a sync (point) as a sync_file
 * @sync: the sync
 * @point: the timeline point; ignored for a binary sync
 * @fd: out, a sync_file fd, close-on-exec, owned by the caller
 *
 * The fence must have been submitted (a bind queued to signal it, or
 * nova_sync_signal()); otherwise the kernel fails with -EINVAL.
 *
 * Return: 0 or a negative errno.
 */
int nova_sync_export_sync_file(struct nova_sync *sync, uint64_t point, int *fd);

/**
 * nova_sync_import_sync_file() - replace a sync's (point's) fence by a sync_file's
 * @sync: the sync
 * @point: the timeline point to add (greater than the last one); ignored
 *	for a binary sync
 * @fd: a sync_file fd; not consumed
 *
 * Return: 0, -EINVAL for point 0 of a timeline sync (it would replace
 * the fence of the whole timeline), or a negative errno.
 */
int nova_sync_import_sync_file(struct nova_sync *sync, uint64_t point, int fd);

/* ---- channels and EXEC (since 0.4) ---- */

/**
 * nova_channel_create() - create a channel on a VM (DRM_IOCTL_NOVA_CHANNEL_CREATE)
 * @vm: the VM whose address space the channel's commands use
 * @hclass: the engine class the channel runs, or 0 for the device's
 *	NOVA_PARAM_COPY_CLASS (the only class the kernel offers today)
 * @out: the channel
 *
 * A channel is a GPFIFO ring of the GPU's host feeding its copy engine;
 * nova_exec() runs pushbuffers on it. Destroy a VM's channels before the
 * VM.
 *
 * Return: 0; -ENODEV when the device offers no user channels
 * (NOVA_PARAM_COPY_CLASS is 0, as on Turing, or the kernel does not know
 * the parameter: it predates channels); -EINVAL for another class;
 * -ENOSPC when the VM holds NOVA_PARAM_MAX_CHANNELS channels; -ENOENT for
 * an unknown VM; -ECANCELED on an unusable VM; or a negative errno.
 */
int nova_channel_create(struct nova_vm *vm, uint32_t hclass, struct nova_channel **out);

/**
 * nova_channel_destroy() - destroy a channel (DRM_IOCTL_NOVA_CHANNEL_DESTROY)
 * @ch: the channel, or NULL
 *
 * EXECs already submitted still run and their fences signal; the kernel
 * frees the channel's GPU resources after the last of them.
 *
 * Return: 0 or a negative errno; @ch is freed either way.
 */
int nova_channel_destroy(struct nova_channel *ch);

/**
 * nova_channel_id() - the kernel id of a channel
 * @ch: the channel
 */
uint32_t nova_channel_id(const struct nova_channel *ch);

/**
 * nova_channel_class() - the engine class a channel runs
 * @ch: the channel
 *
 * Return: e.g. 0xc7b5 (AMPERE_DMA_COPY_B); pass it to nova_pushbuf_create().
 */
uint32_t nova_channel_class(const struct nova_channel *ch);

/**
 * nova_channel_vm() - the VM a channel was created on
 * @ch: the channel
 */
struct nova_vm *nova_channel_vm(const struct nova_channel *ch);

/** struct nova_push flag: fetch only after the previous pushes completed. */
#define NOVA_PUSH_NO_PREFETCH (1u << 0)

/**
 * struct nova_push - one pushbuffer range for nova_exec()
 * @va: GPU VA of the first command word in the channel's VM, 4-byte
 *	aligned, below 2^40
 * @len: bytes, a non-zero multiple of 4, at most NOVA_PUSH_MAX_LEN
 * @flags: NOVA_PUSH_NO_PREFETCH or 0
 *
 * nova_pushbuf_end() fills one in.
 */
struct nova_push {
	uint64_t va;
	uint32_t len;
	uint32_t flags;
};

/** Most bytes in one push (what a GPFIFO entry holds). */
#define NOVA_PUSH_MAX_LEN 0x7ffffcu

/**
 * nova_exec() - run pushbuffers on a channel (DRM_IOCTL_NOVA_EXEC)
 * @ch: the channel
 * @pushes: the pushes, run in order; at most NOVA_PARAM_MAX_PUSHES; may be
 *	NULL when @num_pushes is 0 (the EXEC then only orders its syncs)
 * @num_pushes: their number
 * @syncs: fences, as for nova_vm_bind(): the EXEC runs after every wait
 *	fence signalled; signal syncs get its fence, which signals when the
 *	GPU has finished the pushes; may be NULL
 * @num_syncs: their number
 *
 * Queues the work and returns. The EXEC runs after every bind of the
 * channel's VM submitted before it and after the channel's earlier EXECs.
 * The pushbuffer memory must stay mapped and unchanged until its fence
 * signals.
 *
 * When the GPU stops the channel (an MMU fault: -EFAULT, recorded in the
 * VM, see nova_vm_get_state(); a bad command: -EIO; a timeout:
 * -ETIMEDOUT), the fences of its running and queued EXECs fail with that
 * error and the channel is dead: nova_channel_get_state() tells, and
 * further EXECs fail with -ECANCELED.
 *
 * Return: 0; -ENOENT for an unknown channel; -ECANCELED on a dead channel
 * or an unusable VM; -EINVAL for a malformed push or sync; or a negative
 * errno. A call that fails queues nothing and signals nothing.
 */
int nova_exec(struct nova_channel *ch, const struct nova_push *pushes,
	      unsigned int num_pushes, const struct nova_sync_point *syncs,
	      unsigned int num_syncs);

/** Channel state, from nova_channel_get_state(). Grows at its end only. */
struct nova_channel_state {
	bool dead;		/**< the GPU stopped the channel */
	int32_t error;		/**< what killed it: -EFAULT, -EIO, -ETIMEDOUT; or 0 */
	uint64_t submitted;	/**< EXECs submitted on the channel */
	uint64_t completed;	/**< EXECs whose fence signalled (with or
				 *   without an error) */
};

/**
 * nova_channel_get_state_ext() - query a channel (DRM_IOCTL_NOVA_CHANNEL_GET_STATE)
 * @ch: the channel
 * @state: out
 * @state_size: sizeof(struct nova_channel_state) as the caller knows it
 *
 * nova_channel_get_state(ch, state) is a macro calling this with the
 * caller's sizeof.
 *
 * Return: 0, -ENOENT for an unknown channel, or a negative errno.
 */
int nova_channel_get_state_ext(struct nova_channel *ch, struct nova_channel_state *state,
			       size_t state_size);
#define nova_channel_get_state(ch, state) \
	nova_channel_get_state_ext((ch), (state), sizeof(struct nova_channel_state))

/* ---- pushbuffer builder (since 0.4) ---- */

/*
 * A struct nova_pushbuf writes copy-engine and host commands into memory
 * the caller owns: typically the CPU mapping of a BO (nova_bo_mmap())
 * that is mapped in a channel's VM at a GPU VA. The builder knows both
 * addresses: it writes through the CPU pointer and reports the ranges it
 * wrote as struct nova_push, by GPU VA, for nova_exec().
 *
 *	nova_pushbuf_create(nova_channel_class(ch), map, va, size, &pb);
 *	nova_pushbuf_begin(pb);
 *	nova_push_set_object(pb);
 *	nova_push_copy(pb, dst_va, src_va, bytes);
 *	nova_push_sem_release(pb, sem_va, 1, 0);
 *	if (!nova_pushbuf_end(pb, &push))
 *		nova_exec(ch, &push, 1, &signal, 1);
 *
 * Commands are written in NVIDIA's pushbuffer format (incrementing method
 * headers: SEC_OP 1, COUNT 28:16, SUBCHANNEL 15:13, ADDRESS 11:0 = byte
 * offset / 4). Copy-engine methods go to subchannel
 * NOVA_PUSH_SUBCHANNEL_COPY (4, where mesa puts the copy class), host
 * methods (semaphores, NOP) to subchannel 0; the host executes those on
 * any subchannel.
 *
 * Errors: an emitter either writes its whole command or nothing. One that
 * does not fit (in the memory, or in the NOVA_PUSH_MAX_LEN bytes of one
 * push) returns -ENOSPC; one with a bad argument returns -EINVAL. The
 * first error sticks: later emitters fail with it without writing, and
 * nova_pushbuf_end() returns it, so a sequence of emitters can be checked
 * once, at its end. nova_pushbuf_begin() and nova_pushbuf_reset() clear
 * it. Nothing overflows the caller's memory.
 *
 * The builder does not know when the GPU is done with what it wrote: call
 * nova_pushbuf_reset() to write from the start again only after the
 * fences of the EXECs using it have signalled.
 */

/** The subchannel nova_push_set_object() binds the copy class to. */
#define NOVA_PUSH_SUBCHANNEL_COPY 4

/**
 * Bytes of one line of nova_push_copy() and nova_push_memset(): longer
 * ranges are split into lines of this size (one launch of many lines) and
 * a last, shorter one, as mesa's nvk splits buffer copies.
 */
#define NOVA_PUSH_LINE_BYTES (1u << 17)

/**
 * nova_pushbuf_create() - a pushbuffer builder over caller memory
 * @copy_class: the channel's class, nova_channel_class(): 0xc7b5
 *	(AMPERE_DMA_COPY_B) or 0xc8b5 (HOPPER_DMA_COPY_A); it decides the
 *	address ranges the commands can reach
 * @cpu: where the builder writes, 4-byte aligned; not owned by it
 * @gpu_va: the GPU VA of @cpu in the channel's VM, 4-byte aligned
 * @size: bytes at @cpu, at least 4; [@gpu_va, @gpu_va + @size) must lie
 *	below 2^40 (what a GPFIFO entry addresses)
 * @out: the builder, its position at the start of the memory
 *
 * Return: 0, -EINVAL for a bad argument or an unknown class, -ENOMEM.
 */
int nova_pushbuf_create(uint32_t copy_class, void *cpu, uint64_t gpu_va, size_t size,
			struct nova_pushbuf **out);

/**
 * nova_pushbuf_destroy() - free a builder (not the memory it writes to)
 * @pb: the builder, or NULL
 */
void nova_pushbuf_destroy(struct nova_pushbuf *pb);

/**
 * nova_pushbuf_begin() - start a push at the current position
 * @pb: the builder
 *
 * Clears a sticky error; words written since the last nova_pushbuf_end()
 * are left out of every push. Calling it first is optional: a new or
 * reset builder, and one after nova_pushbuf_end(), has a push begun at
 * its position.
 *
 * Return: 0.
 */
int nova_pushbuf_begin(struct nova_pushbuf *pb);

/**
 * nova_pushbuf_end() - end the current push
 * @pb: the builder
 * @push: out, the push's GPU VA and length (flags 0), for nova_exec()
 *
 * The next push begins where this one ends. After an error the words of
 * the failed push are discarded: the position goes back to where the push
 * began, and the error is cleared.
 *
 * Return: 0; the sticky error (-ENOSPC, -EINVAL) of a failed emitter,
 * with @push untouched; -EINVAL for an empty push (the kernel takes no
 * empty push).
 */
int nova_pushbuf_end(struct nova_pushbuf *pb, struct nova_push *push);

/**
 * nova_pushbuf_reset() - write from the start of the memory again
 * @pb: the builder
 *
 * Only once the GPU is done with every push written so far. Clears the
 * sticky error.
 */
void nova_pushbuf_reset(struct nova_pushbuf *pb);

/**
 * nova_pushbuf_error() - the sticky error
 * @pb: the builder
 *
 * Return: 0, or the first error of an emitter since the last begin, end
 * or reset.
 */
int nova_pushbuf_error(const struct nova_pushbuf *pb);

/**
 * nova_pushbuf_used() - bytes written from the start of the memory
 * @pb: the builder
 */
size_t nova_pushbuf_used(const struct nova_pushbuf *pb);

/**
 * nova_pushbuf_space() - bytes the current push can still take
 * @pb: the builder
 *
 * Return: the room left in the memory, or in the push's NOVA_PUSH_MAX_LEN,
 * whichever is less.
 */
size_t nova_pushbuf_space(const struct nova_pushbuf *pb);

/**
 * nova_push_method() - one incrementing method with its data
 * @pb: the builder
 * @subc: the subchannel, 0..7
 * @mthd: the method's byte offset, 4-byte aligned, below 0x4000
 * @data: the data words: the first goes to @mthd, the next to @mthd + 4...
 * @count: their number, 1..0x1fff
 *
 * For methods the other emitters do not cover; nothing is checked beyond
 * the header's fields.
 *
 * Return: 0, -EINVAL, -ENOSPC, or the sticky error.
 */
int nova_push_method(struct nova_pushbuf *pb, unsigned int subc, uint32_t mthd,
		     const uint32_t *data, unsigned int count);

/**
 * nova_push_set_object() - bind the copy class to subchannel 4 (SET_OBJECT)
 * @pb: the builder
 *
 * The host checks that the class is the engine's (a wrong one stops the
 * channel); copy engines need no more. Emit it once at the start of a
 * channel's first push.
 *
 * Return: 0, -ENOSPC, or the sticky error.
 */
int nova_push_set_object(struct nova_pushbuf *pb);

/**
 * nova_push_copy() - copy @size bytes from GPU VA @src to GPU VA @dst
 * @pb: the builder
 * @dst: destination VA
 * @src: source VA
 * @size: bytes; 0 writes nothing
 *
 * Pitch-linear launches (LAUNCH_DMA non-pipelined, with a flush): up to
 * NOVA_PUSH_LINE_BYTES one launch of one line; longer, one multi-line
 * launch of NOVA_PUSH_LINE_BYTES-byte lines (a launch per 2^32 - 1 lines)
 * and one launch for the rest. A launch starts after the previous one
 * has completed, so copies may depend on each other. The ranges must not
 * overlap.
 *
 * Return: 0, -EINVAL when a range wraps or exceeds what the class
 * addresses (2^49 bytes on 0xc7b5, 2^57 on 0xc8b5), -ENOSPC, or the
 * sticky error.
 */
int nova_push_copy(struct nova_pushbuf *pb, uint64_t dst, uint64_t src, uint64_t size);

/**
 * nova_push_copy_2d() - copy a pitched rectangle
 * @pb: the builder
 * @dst: destination VA of the first line
 * @dst_pitch: bytes from one destination line to the next
 * @src: source VA of the first line
 * @src_pitch: bytes from one source line to the next
 * @width: bytes per line
 * @height: lines; a @width or @height of 0 writes nothing
 *
 * One pitch-linear launch of @height lines (multi-line when above 1).
 *
 * Return: 0, -EINVAL when a range wraps or exceeds what the class
 * addresses, -ENOSPC, or the sticky error.
 */
int nova_push_copy_2d(struct nova_pushbuf *pb, uint64_t dst, uint32_t dst_pitch,
		      uint64_t src, uint32_t src_pitch, uint32_t width, uint32_t height);

/**
 * nova_push_memset() - fill @size bytes at GPU VA @dst with a 32-bit value
 * @pb: the builder
 * @dst: destination VA, 4-byte aligned
 * @value: the value, written as a little-endian word
 * @size: bytes, a multiple of 4; 0 writes nothing
 *
 * The copy engine's remap constant (nvk's vkCmdFillBuffer): CONST_A =
 * @value as every 4-byte destination component, nothing read; split into
 * lines as nova_push_copy().
 *
 * Return: 0, -EINVAL for a misaligned @dst or @size or a range the class
 * cannot address, -ENOSPC, or the sticky error.
 */
int nova_push_memset(struct nova_pushbuf *pb, uint64_t dst, uint32_t value, uint64_t size);

/** Semaphore flag: a 64-bit payload (the address 8-byte aligned). */
#define NOVA_SEM_64BIT (1u << 0)
/** nova_push_sem_acquire() flag: wait for memory >= value (unsigned). */
#define NOVA_SEM_ACQUIRE_GEQ (1u << 1)
/** nova_push_sem_release() flag: do not wait for the engine to idle first. */
#define NOVA_SEM_RELEASE_NO_WFI (1u << 2)

/**
 * nova_push_sem_release() - a host semaphore release: write @payload to @va
 * @pb: the builder
 * @va: the semaphore's GPU VA, 4-byte aligned (8 with NOVA_SEM_64BIT),
 *	below 2^40 on 0xc7b5 channels (SEM_ADDR_HI has 8 bits), 2^57 on 0xc8b5
 * @payload: the value; at most 0xffffffff without NOVA_SEM_64BIT
 * @flags: NOVA_SEM_64BIT, NOVA_SEM_RELEASE_NO_WFI, or 0
 *
 * SEM_ADDR_LO/HI, SEM_PAYLOAD_LO/HI and SEM_EXECUTE (RELEASE). Without
 * NOVA_SEM_RELEASE_NO_WFI the host waits for the engine to finish the
 * work before it (RELEASE_WFI), so the value tells that earlier copies
 * landed.
 *
 * Return: 0, -EINVAL for a bad address, payload or flag, -ENOSPC, or the
 * sticky error.
 */
int nova_push_sem_release(struct nova_pushbuf *pb, uint64_t va, uint64_t payload,
			  uint32_t flags);

/**
 * nova_push_sem_acquire() - a host semaphore acquire: wait for @va
 * @pb: the builder
 * @va: the semaphore's GPU VA, as for nova_push_sem_release()
 * @value: the value to wait for; at most 0xffffffff without NOVA_SEM_64BIT
 * @flags: NOVA_SEM_64BIT, NOVA_SEM_ACQUIRE_GEQ, or 0
 *
 * The channel waits until the memory at @va equals @value (ACQUIRE), or
 * with NOVA_SEM_ACQUIRE_GEQ is at least @value (ACQ_STRICT_GEQ). A value
 * that never comes stalls the channel until the kernel's timeout
 * (NOVA_PARAM_EXEC_TIMEOUT_MS) kills it.
 *
 * Return: 0, -EINVAL for a bad address, value or flag, -ENOSPC, or the
 * sticky error.
 */
int nova_push_sem_acquire(struct nova_pushbuf *pb, uint64_t va, uint64_t value,
			  uint32_t flags);

/**
 * nova_push_nop() - a host NOP method (two words)
 * @pb: the builder
 *
 * Return: 0, -ENOSPC, or the sticky error.
 */
int nova_push_nop(struct nova_pushbuf *pb);

#ifdef __cplusplus
}
#endif

#endif /* LIBNOVA_H */
