// SPDX-License-Identifier: GPL-2.0
/*
 * nova: standalone fences handed to userspace.
 */

#include <linux/dma-fence.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "nova_drv.h"

/**
 * DOC: standalone fences
 *
 * The fences nova hands out (in syncobjs, sync_files, reservations) can
 * outlive everything they came from: the job, the VM, the scheduler, the
 * device, even the DRM file. Such a fence refers to nothing of them: its
 * lock is its own and its names are constant strings.
 *
 * Its operations and names are code and data of this module, though, and
 * a sync_file may keep the fence after every file of the device is
 * closed. So each initialised fence holds a reference on the module,
 * dropped when the fence is released: ``rmmod nova`` fails with -EBUSY
 * while a sync_file (or anything else) still holds one of its fences,
 * instead of leaving the fence with operations in freed module memory.
 * The fence's memory is freed after an RCU grace period
 * (dma_fence_free()), as &dma_fence_ops.release requires.
 */

/**
 * struct nova_fence - a standalone fence
 * @base: the fence; first, so that dma_fence_free() frees the whole
 * @lock: the lock of @base
 */
struct nova_fence {
	struct dma_fence base;
	spinlock_t lock; /* of @base */
};

static const char *nova_fence_driver_name(struct dma_fence *fence)
{
	return "nova";
}

static const char *nova_fence_bind_name(struct dma_fence *fence)
{
	return "nova-bind";
}

static const char *nova_fence_exec_name(struct dma_fence *fence)
{
	return "nova-exec";
}

static void nova_fence_release(struct dma_fence *fence)
{
	dma_fence_free(fence);
	/* Last: this function's own code is the module's. */
	module_put(THIS_MODULE);
}

static const struct dma_fence_ops nova_fence_ops[] = {
	[NOVA_FENCE_BIND] = {
		.get_driver_name = nova_fence_driver_name,
		.get_timeline_name = nova_fence_bind_name,
		.release = nova_fence_release,
	},
	[NOVA_FENCE_EXEC] = {
		.get_driver_name = nova_fence_driver_name,
		.get_timeline_name = nova_fence_exec_name,
		.release = nova_fence_release,
	},
};

/**
 * nova_fence_alloc() - allocate a standalone fence
 *
 * The fence is not initialised: pass it to nova_fence_init() (once the
 * point where nothing can fail is reached) or free it with kfree().
 *
 * Context: process; may sleep.
 * Return: the fence, or NULL when out of memory.
 */
struct dma_fence *nova_fence_alloc(void)
{
	struct nova_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	BUILD_BUG_ON(offsetof(struct nova_fence, base));

	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	return &f->base;
}

/**
 * nova_fence_init() - initialise a fence from nova_fence_alloc()
 * @fence: the fence
 * @kind: its timeline's kind, %NOVA_FENCE_BIND or %NOVA_FENCE_EXEC
 * @context: its dma_fence context
 * @seqno: its sequence number in @context
 *
 * The fence takes a reference on the module, dropped when it is released.
 *
 * Context: any; does not sleep or allocate.
 */
void nova_fence_init(struct dma_fence *fence, enum nova_fence_kind kind,
		     u64 context, u64 seqno)
{
	struct nova_fence *f = container_of(fence, struct nova_fence, base);

	/* The caller's code is this module's: it cannot be going away. */
	__module_get(THIS_MODULE);
	dma_fence_init(fence, &nova_fence_ops[kind], &f->lock, context, seqno);
}
