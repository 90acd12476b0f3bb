/* SPDX-License-Identifier: MIT */
/*
 * nova: DRM driver for NVIDIA GPUs, userspace API.
 *
 * GETPARAM (0x00), GEM_CREATE (0x01) and GEM_INFO (0x02) keep upstream
 * nova's numbering and layout; the other ioctls extend it with VMs and
 * VM_BIND. Conventions: every padding and reserved field must be zero,
 * unknown flags are rejected with -EINVAL, user pointers are __u64, and
 * arrays carry a stride so their elements can grow.
 */
#ifndef __NOVA_DRM_H__
#define __NOVA_DRM_H__

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: NOVA_GETPARAM_*
 *
 * Parameters for &struct drm_nova_getparam.
 *
 * - %NOVA_GETPARAM_VRAM_BAR_SIZE: size of the BAR1 aperture through which
 *   buffer objects are mapped to the CPU, in bytes.
 * - %NOVA_GETPARAM_VRAM_TOTAL: physical VRAM size in bytes.
 * - %NOVA_GETPARAM_VRAM_USABLE: VRAM the driver allocates from, in bytes.
 * - %NOVA_GETPARAM_VRAM_USED: VRAM allocated now (objects and page tables).
 * - %NOVA_GETPARAM_CHIPSET: chipset id from BOOT_0 (e.g. 0x172 for GA102).
 * - %NOVA_GETPARAM_MMU_VERSION: GPU MMU page-table format, 2 or 3.
 * - %NOVA_GETPARAM_VA_BITS: width of a GPU virtual address.
 * - %NOVA_GETPARAM_PAGE_SIZES: bit mask of the GPU page sizes the driver
 *   maps with (bit n set: 2^n bytes): 4 KiB, 64 KiB and 2 MiB, and 512 MiB
 *   on GPUs with MMU version 3 (Hopper and later).
 * - %NOVA_GETPARAM_VA_START, %NOVA_GETPARAM_VA_END: the range of a VM
 *   that userspace may bind in, end exclusive.
 * - %NOVA_GETPARAM_BAR1_USED: bytes of BAR1 mapped now.
 * - %NOVA_GETPARAM_MAX_BIND_OPS: most operations in one VM_BIND.
 * - %NOVA_GETPARAM_MAX_BO_SIZE: largest buffer object GEM_CREATE accepts.
 * - %NOVA_GETPARAM_MAX_VMS: most VMs one file may hold.
 * - %NOVA_GETPARAM_COPY_CLASS: the copy-engine class user channels run
 *   (0xc7b5 AMPERE_DMA_COPY_B on Ampere and Ada, 0xc8b5 HOPPER_DMA_COPY_A
 *   on Hopper), or 0 when the GPU offers no user channels (Turing today):
 *   %DRM_IOCTL_NOVA_CHANNEL_CREATE then fails with -ENODEV.
 * - %NOVA_GETPARAM_MAX_PUSHES: most pushes in one %DRM_IOCTL_NOVA_EXEC.
 * - %NOVA_GETPARAM_MAX_CHANNELS: most channels one VM may hold.
 * - %NOVA_GETPARAM_EXEC_TIMEOUT_MS: how long one EXEC may run on the GPU
 *   before the driver stops its channel (its fence fails with -ETIMEDOUT).
 */
#define NOVA_GETPARAM_VRAM_BAR_SIZE	0x1
#define NOVA_GETPARAM_VRAM_TOTAL	0x2
#define NOVA_GETPARAM_VRAM_USABLE	0x3
#define NOVA_GETPARAM_VRAM_USED		0x4
#define NOVA_GETPARAM_CHIPSET		0x5
#define NOVA_GETPARAM_MMU_VERSION	0x6
#define NOVA_GETPARAM_VA_BITS		0x7
#define NOVA_GETPARAM_PAGE_SIZES	0x8
#define NOVA_GETPARAM_VA_START		0x9
#define NOVA_GETPARAM_VA_END		0xa
#define NOVA_GETPARAM_BAR1_USED		0xb
#define NOVA_GETPARAM_MAX_BIND_OPS	0xc
#define NOVA_GETPARAM_MAX_BO_SIZE	0xd
#define NOVA_GETPARAM_MAX_VMS		0xe
#define NOVA_GETPARAM_COPY_CLASS	0xf
#define NOVA_GETPARAM_MAX_PUSHES	0x10
#define NOVA_GETPARAM_MAX_CHANNELS	0x11
#define NOVA_GETPARAM_EXEC_TIMEOUT_MS	0x12

/**
 * struct drm_nova_getparam - query a device parameter
 * @param: in, one of NOVA_GETPARAM_*; unknown values fail with -EINVAL
 * @value: out, the parameter's value
 */
struct drm_nova_getparam {
	__u64 param;
	__u64 value;
};

/**
 * struct drm_nova_gem_create - create a buffer object in VRAM
 * @handle: out, the GEM handle
 * @flags: in, placement flags; none are defined yet and any set bit
 *	fails with -EINVAL (upstream nova's padding field)
 * @size: in, size in bytes, a non-zero multiple of 4 KiB and at most
 *	%NOVA_GETPARAM_MAX_BO_SIZE; out, the size allocated
 *
 * The object's VRAM is zeroed before the handle is returned. Objects of
 * 2 MiB and more are allocated in 2 MiB-aligned blocks where VRAM allows,
 * so that the GPU and the CPU can map them with 2 MiB pages.
 */
struct drm_nova_gem_create {
	__u32 handle;
	__u32 flags;
	__u64 size;
};

/**
 * struct drm_nova_gem_info - query a buffer object
 * @handle: in, the GEM handle
 * @pad: must be zero
 * @size: out, size in bytes
 * @mmap_offset: out, the fake offset to pass to mmap() on the DRM file
 *	to map the object through BAR1
 */
struct drm_nova_gem_info {
	__u32 handle;
	__u32 pad;
	__u64 size;
	__u64 mmap_offset;
};

/**
 * struct drm_nova_vm_create - create a GPU virtual address space
 * @flags: in, must be zero
 * @id: out, the VM id, valid within this DRM file
 */
struct drm_nova_vm_create {
	__u32 flags;
	__u32 id;
};

/**
 * struct drm_nova_vm_destroy - destroy a VM
 * @id: in, the VM id
 * @pad: must be zero
 *
 * Mappings of the VM are removed once its queued binds have completed.
 */
struct drm_nova_vm_destroy {
	__u32 id;
	__u32 pad;
};

/**
 * struct drm_nova_obj_array - an array of structures in user memory
 * @stride: size of one element as userspace knows it; elements shorter
 *	than the kernel's are zero-extended, longer ones must have zeros
 *	past what the kernel knows
 * @count: number of elements
 * @array: user pointer to the first element
 */
struct drm_nova_obj_array {
	__u32 stride;
	__u32 count;
	__u64 array;
};

#define NOVA_VM_BIND_OP_MAP		0
#define NOVA_VM_BIND_OP_UNMAP		1

#define NOVA_VM_BIND_OP_READ_ONLY	(1 << 0)
#define NOVA_VM_BIND_OP_NULL		(1 << 1)

/**
 * struct drm_nova_vm_bind_op - one map or unmap
 * @op: %NOVA_VM_BIND_OP_MAP or %NOVA_VM_BIND_OP_UNMAP
 * @flags: for MAP, %NOVA_VM_BIND_OP_READ_ONLY or %NOVA_VM_BIND_OP_NULL
 *	(not both); must be zero for UNMAP
 * @handle: for MAP, the GEM handle to map; must be zero for UNMAP and for
 *	a NULL MAP
 * @pad: must be zero
 * @bo_offset: for MAP, offset into the object, 4 KiB aligned; must be
 *	zero for UNMAP and for a NULL MAP
 * @va: GPU virtual address, 4 KiB aligned
 * @range: size in bytes, a non-zero multiple of 4 KiB
 *
 * A MAP replaces whatever was mapped in [@va, @va + @range); an UNMAP
 * removes it, splitting mappings that cross the range's ends. The range
 * must lie within [%NOVA_GETPARAM_VA_START, %NOVA_GETPARAM_VA_END) and,
 * for MAP, within the object.
 *
 * A MAP with %NOVA_VM_BIND_OP_NULL maps no memory: the GPU's engines read
 * zeroes there and their writes are dropped, without a fault (Vulkan's
 * residencyNonResidentStrict). It is a mapping like any other: a later
 * MAP replaces part or all of it, an UNMAP removes it. Its page-table
 * cost follows the number of page-directory entries of the range, not
 * its size. A kernel without NULL mappings rejects the flag with -EINVAL
 * (as it does any unknown flag), which is how userspace tells.
 */
struct drm_nova_vm_bind_op {
	__u32 op;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 bo_offset;
	__u64 va;
	__u64 range;
};

#define NOVA_SYNC_TYPE_MASK		0xff
#define NOVA_SYNC_SYNCOBJ		0
#define NOVA_SYNC_TIMELINE_SYNCOBJ	1
#define NOVA_SYNC_SIGNAL		(1 << 31)

/**
 * struct drm_nova_sync - a fence to wait for or to signal
 * @flags: %NOVA_SYNC_SYNCOBJ or %NOVA_SYNC_TIMELINE_SYNCOBJ, or-ed with
 *	%NOVA_SYNC_SIGNAL for a signal operation (else a wait)
 * @handle: the syncobj handle
 * @timeline_value: the timeline point, for a timeline syncobj; must be
 *	zero for a binary one
 */
struct drm_nova_sync {
	__u32 flags;
	__u32 handle;
	__u64 timeline_value;
};

#define NOVA_VM_BIND_ASYNC		(1 << 0)

/**
 * struct drm_nova_vm_bind - map and unmap in a VM
 * @vm_id: the VM
 * @flags: %NOVA_VM_BIND_ASYNC to queue the binds and return at once;
 *	without it the call returns when the page tables are written
 * @ops: array of &struct drm_nova_vm_bind_op, at most
 *	%NOVA_GETPARAM_MAX_BIND_OPS, applied in order
 * @syncs: array of &struct drm_nova_sync; only with %NOVA_VM_BIND_ASYNC
 *	(a synchronous bind with syncs fails with -EINVAL). The binds run
 *	after every wait fence has signalled; signal syncs get the fence
 *	that signals when the page tables are written and the TLB flushed.
 *
 * Binds of one VM complete in submission order. All validation,
 * allocation and locking happens in the ioctl: a call that fails
 * changes nothing. A queued bind cannot fail after that except when the
 * GPU does; such an error is recorded in the VM (see
 * %DRM_IOCTL_NOVA_VM_GET_STATE) and set on the out-fence. From then on
 * the VM refuses calls with a MAP operation with -ECANCELED; unmaps still
 * work.
 */
struct drm_nova_vm_bind {
	__u32 vm_id;
	__u32 flags;
	struct drm_nova_obj_array ops;
	struct drm_nova_obj_array syncs;
};

/**
 * struct drm_nova_vm_fault - a GPU MMU fault in a VM
 * @va: faulting GPU virtual address, rounded down to its 4 KiB page (the
 *	granularity the GPU's MMU reports)
 * @access: 0 read, 1 write
 * @reason: 1 invalid PDE, 2 invalid PTE, 3 write to read-only, 4 sparse,
 *	5 out of range, 6 bad aperture
 */
struct drm_nova_vm_fault {
	__u64 va;
	__u32 access;
	__u32 reason;
};

#define NOVA_VM_STATE_USABLE		0
#define NOVA_VM_STATE_UNUSABLE		1

#define NOVA_VM_GET_STATE_CLEAR_FAULTS	(1 << 0)

/**
 * struct drm_nova_vm_get_state - query a VM's state and recorded faults
 * @vm_id: in, the VM
 * @flags: in, %NOVA_VM_GET_STATE_CLEAR_FAULTS to forget the faults copied
 *	to @faults; faults beyond its room, and those recorded meanwhile, stay
 * @state: out, %NOVA_VM_STATE_USABLE or %NOVA_VM_STATE_UNUSABLE
 * @bind_error: out, negative errno of the first failed queued bind, or 0
 * @num_mappings: out, mappings in the VM
 * @fault_count: out, GPU faults of the VM recorded and not cleared (the
 *	driver keeps the most recent 256 faults of the GPU)
 * @mapped_bytes: out, bytes of VA mapped, NULL mappings included
 * @pt_bytes: out, bytes of VRAM used by the VM's page tables
 * @faults: in/out, array of &struct drm_nova_vm_fault; count in: room
 *	(the stride must cover the structure), count out: the faults
 *	written, the oldest first
 * @null_bytes: out, bytes of VA mapped NULL (%NOVA_VM_BIND_OP_NULL), a
 *	part of @mapped_bytes
 *
 * The structure grows at its end only: the ioctl's size (part of its
 * number) tells which fields the caller knows, and DRM zero-extends an
 * older, shorter structure and copies back only what it holds. Callers
 * built before @null_bytes existed keep working.
 */
struct drm_nova_vm_get_state {
	__u32 vm_id;
	__u32 flags;
	__u32 state;
	__s32 bind_error;
	__u32 num_mappings;
	__u32 fault_count;
	__u64 mapped_bytes;
	__u64 pt_bytes;
	struct drm_nova_obj_array faults;
	__u64 null_bytes;
};

/**
 * struct drm_nova_channel_create - create a channel on a VM
 * @vm_id: in, the VM whose address space the channel's commands use
 * @hclass: in, the engine class the channel runs; must be the value of
 *	%NOVA_GETPARAM_COPY_CLASS (the only class offered today)
 * @flags: in, must be zero
 * @id: out, the channel id, valid within this DRM file
 *
 * A channel is a GPFIFO ring of the GPU's host feeding a copy engine, in
 * the address space of @vm_id. Its ring and the kernel's command memory
 * lie outside [%NOVA_GETPARAM_VA_START, %NOVA_GETPARAM_VA_END) and are
 * read-only to the channel's engines: commands cannot forge what the
 * kernel reads back (see Documentation/gpu/nova/exec.rst). A VM holds at
 * most %NOVA_GETPARAM_MAX_CHANNELS channels (-ENOSPC past that).
 *
 * Errors: -ENOENT for an unknown VM, -EINVAL for another class or a flag,
 * -ENODEV when the GPU offers no user channels, -ECANCELED on an unusable
 * VM.
 */
struct drm_nova_channel_create {
	__u32 vm_id;
	__u32 hclass;
	__u32 flags;
	__u32 id;
};

/**
 * struct drm_nova_channel_destroy - destroy a channel
 * @id: in, the channel id
 * @pad: must be zero
 *
 * The id is released at once. EXECs already submitted still run, and
 * their fences signal (or fail with the channel's error); the channel's
 * GPU resources are freed after the last of them.
 */
struct drm_nova_channel_destroy {
	__u32 id;
	__u32 pad;
};

#define NOVA_EXEC_PUSH_NO_PREFETCH	(1 << 0)

/**
 * struct drm_nova_exec_push - one pushbuffer range
 * @va: GPU VA of the first command word in the channel's VM, 4-byte
 *	aligned, below 2^40 (what a GPFIFO entry holds)
 * @len: bytes, a non-zero multiple of 4, at most 0x7ffffc
 * @flags: %NOVA_EXEC_PUSH_NO_PREFETCH: the host waits for the previous
 *	pushes to complete before fetching this one (the GP entry's SYNC)
 *
 * The memory must be mapped in the VM (a userspace BO); the host reads it
 * through the VM's page tables, so an unmapped range faults the channel.
 */
struct drm_nova_exec_push {
	__u64 va;
	__u32 len;
	__u32 flags;
};

/**
 * struct drm_nova_exec - run pushbuffers on a channel
 * @channel: in, the channel id
 * @flags: in, must be zero
 * @pushes: array of &struct drm_nova_exec_push, at most
 *	%NOVA_GETPARAM_MAX_PUSHES (zero pushes is allowed: the EXEC then only
 *	orders its syncs)
 * @syncs: array of &struct drm_nova_sync: the EXEC runs after every wait
 *	fence has signalled; signal syncs get its fence, which signals when
 *	the GPU has finished its pushes
 *
 * The call queues the work and returns. An EXEC runs after every bind of
 * its VM submitted before it, whether or not userspace passes the binds'
 * fences, and after the EXECs submitted before it on the same channel.
 * Its fence is added to the reservations of the VM's objects
 * (%DMA_RESV_USAGE_BOOKKEEP), so unmapping or freeing memory never hands
 * VRAM the EXEC may still touch to anyone else.
 *
 * When the GPU stops the channel (an MMU fault: -EFAULT, with the fault
 * recorded on the VM; a bad command: -EIO; no progress within
 * %NOVA_GETPARAM_EXEC_TIMEOUT_MS: -ETIMEDOUT), the running and queued
 * EXECs' fences fail with that error and the channel is dead: further
 * EXECs fail with -ECANCELED. Other channels and VMs are not affected.
 *
 * Errors: -ENOENT for an unknown channel, -ECANCELED on a dead channel or
 * an unusable VM, -EINVAL for bad fields, -EFAULT for bad user pointers;
 * a call that fails queues nothing and signals nothing.
 */
struct drm_nova_exec {
	__u32 channel;
	__u32 flags;
	struct drm_nova_obj_array pushes;
	struct drm_nova_obj_array syncs;
};

#define NOVA_CHANNEL_STATE_OK		0
#define NOVA_CHANNEL_STATE_DEAD		1

/**
 * struct drm_nova_channel_get_state - query a channel
 * @id: in, the channel id
 * @flags: in, must be zero
 * @state: out, %NOVA_CHANNEL_STATE_OK or %NOVA_CHANNEL_STATE_DEAD
 * @error: out, 0, or the negative errno that killed the channel
 *	(-EFAULT, -EIO, -ETIMEDOUT)
 * @submitted: out, EXECs submitted on the channel
 * @completed: out, EXECs whose fence has signalled (with or without an
 *	error)
 *
 * Grows at its end only, as &struct drm_nova_vm_get_state does.
 */
struct drm_nova_channel_get_state {
	__u32 id;
	__u32 flags;
	__u32 state;
	__s32 error;
	__u64 submitted;
	__u64 completed;
};

#define DRM_NOVA_GETPARAM		0x00
#define DRM_NOVA_GEM_CREATE		0x01
#define DRM_NOVA_GEM_INFO		0x02
#define DRM_NOVA_VM_CREATE		0x03
#define DRM_NOVA_VM_DESTROY		0x04
#define DRM_NOVA_VM_BIND		0x05
#define DRM_NOVA_VM_GET_STATE		0x06
#define DRM_NOVA_CHANNEL_CREATE		0x07
#define DRM_NOVA_CHANNEL_DESTROY	0x08
#define DRM_NOVA_EXEC			0x09
#define DRM_NOVA_CHANNEL_GET_STATE	0x0a

/* Note: this is an enum so that it can be resolved by Rust bindgen. */
enum {
	/** @DRM_IOCTL_NOVA_GETPARAM: query a parameter, see NOVA_GETPARAM_*. */
	DRM_IOCTL_NOVA_GETPARAM = DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GETPARAM,
					   struct drm_nova_getparam),
	/** @DRM_IOCTL_NOVA_GEM_CREATE: create a buffer object in VRAM. */
	DRM_IOCTL_NOVA_GEM_CREATE = DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_CREATE,
					     struct drm_nova_gem_create),
	/** @DRM_IOCTL_NOVA_GEM_INFO: size and mmap offset of an object. */
	DRM_IOCTL_NOVA_GEM_INFO = DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_INFO,
					   struct drm_nova_gem_info),
	/** @DRM_IOCTL_NOVA_VM_CREATE: create a VM. */
	DRM_IOCTL_NOVA_VM_CREATE = DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_VM_CREATE,
					    struct drm_nova_vm_create),
	/** @DRM_IOCTL_NOVA_VM_DESTROY: destroy a VM. */
	DRM_IOCTL_NOVA_VM_DESTROY = DRM_IOW(DRM_COMMAND_BASE + DRM_NOVA_VM_DESTROY,
					    struct drm_nova_vm_destroy),
	/** @DRM_IOCTL_NOVA_VM_BIND: map and unmap in a VM. */
	DRM_IOCTL_NOVA_VM_BIND = DRM_IOW(DRM_COMMAND_BASE + DRM_NOVA_VM_BIND,
					 struct drm_nova_vm_bind),
	/** @DRM_IOCTL_NOVA_VM_GET_STATE: VM state and recorded faults. */
	DRM_IOCTL_NOVA_VM_GET_STATE = DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_VM_GET_STATE,
					       struct drm_nova_vm_get_state),
	/** @DRM_IOCTL_NOVA_CHANNEL_CREATE: create a channel on a VM. */
	DRM_IOCTL_NOVA_CHANNEL_CREATE =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_CHANNEL_CREATE,
			 struct drm_nova_channel_create),
	/** @DRM_IOCTL_NOVA_CHANNEL_DESTROY: destroy a channel. */
	DRM_IOCTL_NOVA_CHANNEL_DESTROY =
		DRM_IOW(DRM_COMMAND_BASE + DRM_NOVA_CHANNEL_DESTROY,
			struct drm_nova_channel_destroy),
	/** @DRM_IOCTL_NOVA_EXEC: run pushbuffers on a channel. */
	DRM_IOCTL_NOVA_EXEC = DRM_IOW(DRM_COMMAND_BASE + DRM_NOVA_EXEC,
				      struct drm_nova_exec),
	/** @DRM_IOCTL_NOVA_CHANNEL_GET_STATE: a channel's state and error. */
	DRM_IOCTL_NOVA_CHANNEL_GET_STATE =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_CHANNEL_GET_STATE,
			 struct drm_nova_channel_get_state),
};

#if defined(__cplusplus)
}
#endif

#endif /* __NOVA_DRM_H__ */
