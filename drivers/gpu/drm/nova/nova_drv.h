/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __NOVA_DRV_H__
#define __NOVA_DRV_H__

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>
#include <linux/nova/core.h>
#include <linux/kref.h>
#include <linux/xarray.h>

/* Limits, reported through GETPARAM. */
#define NOVA_MAX_BIND_OPS	1024
#define NOVA_MAX_SYNCS		64
#define NOVA_MAX_VMS		64
#define NOVA_VA_START		0x100000ull
#define NOVA_MAX_PUSHES		128
/* Channels' own memory lies in [NOVA_CHAN_WINDOW_START, NOVA_VA_START). */
#define NOVA_CHAN_WINDOW_START	0x10000ull
#define NOVA_MAX_CHANNELS	15

/**
 * struct nova_device - the nova DRM device of one GPU
 */
struct nova_device {
	/**
	 * @drm: the DRM device, child of the GPU's PCI device; its
	 * &drm_device.dev_private points back here. Set at probe, never
	 * changes.
	 */
	struct drm_device *drm;

	/** @core: the GPU, from nova-core. Set at probe, never changes. */
	struct nova_core *core;

	/** @info: the GPU's facts. Set at probe, never changes. */
	const struct nova_core_info *info;

	/**
	 * @bar1_lock: protects the BAR1 mappings of objects (&nova_bo.bar1),
	 * @bar1_lru, @bar1_evictions and @cpu_faults. Held around
	 * allocations; never taken in the fence-signalling path.
	 */
	struct mutex bar1_lock; /* BO BAR1 mappings and bar1_lru */

	/**
	 * @bar1_lru: objects mapped in BAR1, least recently faulted first.
	 * Protected by @bar1_lock.
	 */
	struct list_head bar1_lru;

	/**
	 * @bar1_evictions: objects evicted from BAR1. Written under
	 * @bar1_lock; debugfs reads it without.
	 */
	u64 bar1_evictions;

	/**
	 * @cpu_faults: CPU page faults served (4 KiB and 2 MiB). Written
	 * under @bar1_lock; debugfs reads it without.
	 */
	u64 cpu_faults;

	/**
	 * @chan_lock: protects @channels. Taken in channel creation and
	 * release and at unplug, around nova_chan_stop() (which sleeps);
	 * never in the signalling path.
	 */
	struct mutex chan_lock; /* the list of channels */

	/**
	 * @channels: every channel of the device not freed yet (from
	 * creation to the release of its last job). Protected by
	 * @chan_lock.
	 */
	struct list_head channels;

	/** @binds_inline: synchronous binds executed in the ioctl. Atomic. */
	atomic64_t binds_inline;

	/** @binds_queued: binds handed to a VM's bind queue. Atomic. */
	atomic64_t binds_queued;

	/**
	 * @cleanup_wq: frees bind jobs (and the VMs they may hold last).
	 * Set at probe, destroyed with the DRM device.
	 */
	struct workqueue_struct *cleanup_wq;

	/**
	 * @vm_page_sizes: page sizes new VMs map with (mask of SZ_4K, SZ_64K,
	 * SZ_2M and SZ_512M), 0 for all the GPU has; set through debugfs for
	 * benchmarks. No lock: read once per VM creation with READ_ONCE().
	 */
	u64 vm_page_sizes;
};

struct nova_usage;

/**
 * struct nova_file - per-file state
 */
struct nova_file {
	/**
	 * @vms: the file's VMs by id, each with a reference. The xarray's
	 * own lock protects it; lookups take a VM reference under it.
	 */
	struct xarray vms;

	/**
	 * @usage: what the file's work used of the GPU, for fdinfo. Set at
	 * open, never changes; the file and each of its VMs hold a
	 * reference.
	 */
	struct nova_usage *usage;

	/**
	 * @channels: the file's channels by id, each with a reference. The
	 * xarray's own lock protects it; lookups take a reference under it.
	 */
	struct xarray channels;
};

/**
 * struct nova_usage - engine time used by one file's work
 *
 * Shared by a file, its VMs and its channels, which can outlive the file
 * while their last binds or EXECs run: each holds a reference.
 */
struct nova_usage {
	/** @ref: one for the file, one per VM, one per channel. */
	struct kref ref;

	/**
	 * @bind_ns: nanoseconds the file's binds spent in their execute
	 * phase (writing page tables and flushing the TLB), queued or
	 * inline. Atomic: added to from the signalling path.
	 */
	atomic64_t bind_ns;

	/**
	 * @copy_ns: nanoseconds the copy engine spent on the file's EXECs,
	 * from run_job handing one to the GPU (or the end of the previous
	 * one on its channel, if later) to its completion. Atomic: added to
	 * from the completion callback.
	 */
	atomic64_t copy_ns;
};

struct nova_usage *nova_usage_get(struct nova_usage *usage);
void nova_usage_put(struct nova_usage *usage);

/**
 * struct nova_bo - a buffer object in VRAM
 */
struct nova_bo {
	/** @base: the GEM object. */
	struct drm_gem_object base;

	/** @vram: its VRAM. Set at creation, freed with the object. */
	struct nova_vram *vram;

	/**
	 * @bar1: its BAR1 mapping, or NULL. Protected by
	 * &nova_device.bar1_lock.
	 */
	struct nova_bar1_map *bar1;

	/**
	 * @bar1_lru: entry in &nova_device.bar1_lru. Protected by
	 * &nova_device.bar1_lock.
	 */
	struct list_head bar1_lru;

	/**
	 * @gpuva_lock: protects the object's list of GPU VA mappings (its
	 * drm_gpuvm_bo's and their drm_gpuva's). Taken in the ioctl and when
	 * bind jobs are freed, never held around an allocation.
	 */
	struct mutex gpuva_lock; /* the BO's GPU VA mappings */

	/**
	 * @free_fence: once the object's last reference is gone, the fence
	 * of its reservation its VRAM waits for (a reference), or NULL.
	 * Only the free path uses it, one step at a time.
	 */
	struct dma_fence *free_fence;

	/** @free_cb: on @free_fence, queues @free_work. */
	struct dma_fence_cb free_cb;

	/** @free_work: looks at the reservation again, frees when idle. */
	struct work_struct free_work;
};

static inline struct nova_device *to_nova_device(struct drm_device *drm)
{
	return drm->dev_private;
}

static inline struct nova_bo *to_nova_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct nova_bo, base);
}

static inline u64 nova_max_bo_size(struct nova_device *ndev)
{
	return ndev->info->vram_usable;
}

static inline u64 nova_va_end(struct nova_device *ndev)
{
	return 1ull << ndev->info->va_bits;
}

/* nova_fence.c */
struct dma_fence;

/**
 * enum nova_fence_kind - the timeline a standalone fence belongs to
 * @NOVA_FENCE_BIND: a VM's binds
 * @NOVA_FENCE_EXEC: a channel's EXECs
 */
enum nova_fence_kind {
	NOVA_FENCE_BIND,
	NOVA_FENCE_EXEC,
};

struct dma_fence *nova_fence_alloc(void);
void nova_fence_init(struct dma_fence *fence, enum nova_fence_kind kind,
		     u64 context, u64 seqno);

/* nova_gem.c */
struct nova_bo *nova_bo_create(struct nova_device *ndev, u64 size);
int nova_ioctl_gem_create(struct drm_device *drm, void *data,
			  struct drm_file *file);
int nova_ioctl_gem_info(struct drm_device *drm, void *data,
			struct drm_file *file);

/* nova_vm.c */
/**
 * nova_id_take() - remove the object a user-given id names from a file
 * @xa: one of the file's id arrays (XA_FLAGS_ALLOC1: ids start at 1)
 * @id: the id userspace passed
 *
 * Id 0 is never handed out, and erasing index 0 of an ALLOC1 array would
 * make it allocatable again, so 0 is refused before the array is touched.
 *
 * Context: any; takes the array's own lock.
 * Return: the object, now owned by the caller, or NULL if @id names none.
 */
static inline void *nova_id_take(struct xarray *xa, u32 id)
{
	return id ? xa_erase(xa, id) : NULL;
}

int nova_vm_module_init(void);
void nova_vm_module_exit(void);
int nova_ioctl_vm_create(struct drm_device *drm, void *data,
			 struct drm_file *file);
int nova_ioctl_vm_destroy(struct drm_device *drm, void *data,
			  struct drm_file *file);
int nova_ioctl_vm_bind(struct drm_device *drm, void *data,
		       struct drm_file *file);
int nova_ioctl_vm_get_state(struct drm_device *drm, void *data,
			    struct drm_file *file);
void nova_file_vms_fini(struct nova_file *nfile);
struct nova_vm;
struct nova_vm *nova_vm_lookup(struct nova_file *nfile, u32 id);
void nova_vm_put(struct nova_vm *vm);
struct drm_gpuvm *nova_vm_gpuvm(struct nova_vm *vm);
struct nova_vmm *nova_vm_vmm(struct nova_vm *vm);
int nova_vm_chan_slot_get(struct nova_vm *vm, u64 *va);
void nova_vm_chan_slot_put(struct nova_vm *vm, u64 va);
bool nova_vm_exec_usable(struct nova_vm *vm);
int nova_vm_exec_add_deps(struct nova_vm *vm, struct drm_sched_job *job);

/* nova_sync.c */
struct drm_nova_obj_array;
struct drm_nova_sync;
struct dma_fence_chain;

/**
 * struct nova_sync_signal - a signal operation of a call
 */
struct nova_sync_signal {
	/** @syncobj: the syncobj (a reference). */
	struct drm_syncobj *syncobj;

	/**
	 * @chain: for a timeline syncobj, the preallocated chain node,
	 * until drm_syncobj_add_point() takes it.
	 */
	struct dma_fence_chain *chain;

	/** @point: the timeline point. */
	u64 point;
};

/**
 * struct nova_syncs - the parsed syncs of a VM_BIND or EXEC call
 *
 * Owned by the call (no lock); see nova_syncs_parse().
 */
struct nova_syncs {
	/** @signals: the signal operations. */
	struct nova_sync_signal *signals;

	/** @nr_signals: how many of @signals are filled in. */
	unsigned int nr_signals;

	/** @waits: the wait fences, with references. */
	struct dma_fence **waits;

	/** @nr_waits: how many of @waits are filled in. */
	unsigned int nr_waits;
};

int nova_sync_check(const struct drm_nova_sync *sync);
void *nova_copy_array(const struct drm_nova_obj_array *arr, size_t size,
		      u32 max);
int nova_syncs_parse(struct drm_file *file, const struct drm_nova_sync *usyncs,
		     u32 count, struct nova_syncs *s);
void nova_syncs_install(struct nova_syncs *s, struct dma_fence *fence);
void nova_syncs_fini(struct nova_syncs *s);

/* nova_exec.c */
extern unsigned int nova_exec_timeout_ms;
int nova_ioctl_channel_create(struct drm_device *drm, void *data,
			      struct drm_file *file);
int nova_ioctl_channel_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file);
int nova_ioctl_exec(struct drm_device *drm, void *data, struct drm_file *file);
int nova_ioctl_channel_get_state(struct drm_device *drm, void *data,
				 struct drm_file *file);
void nova_file_channels_fini(struct nova_file *nfile);
void nova_exec_vm_stop(struct nova_device *ndev, struct nova_vm *vm);
void nova_exec_unplug(struct nova_device *ndev);
struct seq_file;
void nova_debugfs_vms(struct seq_file *m, struct nova_device *ndev);

#endif /* __NOVA_DRV_H__ */
