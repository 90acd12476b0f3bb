// SPDX-License-Identifier: GPL-2.0
/*
 * nova VMs: GPU virtual address spaces with VM_BIND.
 *
 * A VM is a drm_gpuvm (the driver's view of its mappings) over a nova-core
 * VMM (the GPU page tables), with a drm_sched scheduler whose jobs are
 * binds.
 *
 * The VM_BIND ioctl is the prepare phase. It works in a submit context
 * (&struct nova_bind_submit), which holds everything the call takes until
 * it returns: the copied arrays, the VM, the signal syncs, the drm_exec
 * locking the reservations, and the bind job until the job is pushed or
 * executed. Each op of the bind is an op context (&struct nova_vm_op_ctx)
 * inside the job, with a prepare step that takes what the op needs (the
 * object, a drm_gpuvm_bo, the three mappings a split can need: the new
 * mapping and the two pieces a mapping that straddles both ends of the
 * range leaves) and a cleanup that gives back whatever the op still holds.
 * The ioctl validates every op, looks up the VM, objects and syncobjs,
 * locks the reservations of the VM and of the objects it maps with
 * drm_exec and reserves a fence slot in each, asks nova-core to prepare
 * the page tables of each op, and only then - past the point where nothing
 * can fail - updates the drm_gpuvm with drm_gpuvm_sm_map()/sm_unmap(),
 * adds the bind's fence to the locked reservations (BOOKKEEP) and unlocks
 * them before the job can run. A failure anywhere before that point leaves
 * the cleanups to undo exactly what was done.
 *
 * The job, its op contexts and the array of nova-core operations are one
 * allocation, from a kmem_cache for binds of up to %NOVA_BIND_CACHED_OPS
 * ops. Mappings come from a kmem_cache of their own: those a bind inserts
 * belong to the VM from then on and outlive the job.
 *
 * The job's run_job is the execute phase: it writes the page tables and
 * flushes the TLB once, inside dma_fence_begin/end_signalling(), with no
 * allocation and no dma_resv lock, and signals the bind's fence. It
 * finishes before it returns, so it hands the scheduler no fence: NULL, or
 * the error as an ERR_PTR(). The bind's fence is a standalone one
 * (see DOC: standalone fences), the one syncobjs, reservations and waiting
 * callers get. Objects and mappings removed by a bind stay referenced
 * until the job is freed, after the GPU stopped using them.
 *
 * A synchronous bind of a VM whose queue is idle (no bind pushed whose
 * run_job has not finished) skips the scheduler: the ioctl runs the same
 * execute phase itself, after the prepare phase and still under
 * &nova_vm.lock, and frees the job on return. Pushing a bind takes that
 * lock too, so no queued bind can start or be queued while an inline bind
 * executes, and an inline bind never overtakes a queued one: binds of a
 * VM still execute in submission order. A synchronous bind behind queued
 * binds is queued and waited for, as an asynchronous one would be.
 *
 * A bind's wait syncs are the job's own dependencies, handed to the
 * scheduler one at a time from prepare_job, so that tearing a VM down
 * cancels its queued binds at once (their fences signal -ESRCH) without
 * waiting for fences that another process may never signal. A cancelled
 * bind never wrote the page tables: what it unmapped stays referenced
 * until the VM's page tables are gone.
 */
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/nova_drm.h>
#include <linux/completion.h>
#include <linux/dma-fence-chain.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "nova_drv.h"

/**
 * struct nova_vma - a mapping in a VM
 */
struct nova_vma {
	/**
	 * @base: the drm_gpuva. In its VM's tree under &nova_vm.lock, in
	 * its object's list of mappings under &nova_bo.gpuva_lock.
	 */
	struct drm_gpuva base;

	/**
	 * @node: entry in the list of mappings an op removed
	 * (&nova_vm_op_ctx.removed, owned by the op's job) or in
	 * &nova_vm.graveyard (under &nova_vm.state_lock).
	 */
	struct list_head node;

	/**
	 * @obj: for a removed mapping, a reference on its object held until
	 * the GPU no longer maps it. Set under &nova_vm.lock when the
	 * mapping leaves the VM; then only read by whoever frees it.
	 */
	struct drm_gem_object *obj;
};

/**
 * struct nova_vm - a GPU virtual address space
 *
 * Reference counted through @base (drm_gpuvm_get()/drm_gpuvm_put()): the
 * file's xarray holds one until VM_DESTROY or close, each ioctl that
 * looked the VM up one, each bind job one.
 */
struct nova_vm {
	/**
	 * @base: the drm_gpuvm. Its tree of mappings is protected by @lock;
	 * its reference count is atomic.
	 */
	struct drm_gpuvm base;

	/** @ndev: the device. Set at creation, never changes. */
	struct nova_device *ndev;

	/**
	 * @vmm: the GPU page tables. Set at creation, never changes;
	 * nova-core locks its contents itself (&nova_vmm.lock,
	 * &nova_vmm.pt_lock).
	 */
	struct nova_vmm *vmm;

	/**
	 * @lock: serialises binds of the VM: the prepare phase, drm_gpuvm
	 * updates, pushing jobs and inline execution. Held around
	 * allocations; never taken in the signalling path.
	 */
	struct mutex lock; /* binds: prepare phase and drm_gpuvm updates */

	/**
	 * @sched: the VM's bind queue. Set up at creation, torn down in
	 * nova_vm_free(); drm_sched locks it itself.
	 */
	struct drm_gpu_scheduler sched;

	/**
	 * @entity: the queue's entity. Jobs are pushed to it only under
	 * @lock, which orders them; drm_sched_entity_fini() runs once, in
	 * nova_vm_destroy().
	 */
	struct drm_sched_entity entity;

	/**
	 * @usage: the creating file's usage counters, with a reference. Set
	 * at creation, never changes; the counters are atomic.
	 */
	struct nova_usage *usage;

	/** @fence_ctx: fence context of the bind fences. Never changes. */
	u64 fence_ctx;

	/** @seqno: last bind fence seqno. Protected by @lock. */
	u64 seqno;

	/** @state_lock: protects @bind_error, @unusable and @graveyard. */
	spinlock_t state_lock; /* bind_error, unusable, graveyard */

	/**
	 * @bind_error: the first error of a bind's execute phase, or 0.
	 * Protected by @state_lock.
	 */
	int bind_error;

	/**
	 * @unusable: a bind failed in its execute phase: the VM's page
	 * tables may not match its mappings. Protected by @state_lock.
	 */
	bool unusable;

	/**
	 * @dead: VM_DESTROY (or close) began: no bind may be pushed any
	 * more. Protected by @lock.
	 */
	bool dead;

	/**
	 * @graveyard: mappings (and their objects) that cancelled binds had
	 * removed from the VM; freed after the page tables, in
	 * nova_vm_free(). Protected by @state_lock; nova_vm_free(), the last
	 * user, walks it without.
	 */
	struct list_head graveyard;

	/**
	 * @jobs: bind jobs pushed and not freed yet. Atomic: incremented
	 * under @lock when a job is pushed, decremented when it is freed.
	 */
	atomic_t jobs;

	/** @jobs_wq: woken when @jobs drops to 0. */
	wait_queue_head_t jobs_wq;

	/**
	 * @queued: bind jobs pushed whose run_job has not finished (or, for
	 * a cancelled job, that are not freed yet). Atomic: incremented
	 * under @lock, decremented (with release order, after the
	 * page-table writes) by run_job or the job's release, read with
	 * acquire order under @lock. A bind may execute inline only while
	 * it is 0.
	 */
	atomic_t queued;

	/**
	 * @chan_slots: the 64 KiB slots of the channel window
	 * [%NOVA_CHAN_WINDOW_START, %NOVA_VA_START) that channels of the VM
	 * use, one bit per slot. Protected by @state_lock.
	 */
	unsigned long chan_slots;
};

/* A map needs the new mapping and two pieces of what it splits; an unmap, the pieces. */
#define NOVA_MAP_SPARE_VMAS	3
#define NOVA_UNMAP_SPARE_VMAS	2

/**
 * struct nova_vm_op_ctx - one op of a bind, from its prepare to its cleanup
 *
 * Prepared in the ioctl by nova_vm_prepare_map_op_ctx() or
 * nova_vm_prepare_unmap_op_ctx() (what the op needs), then, under
 * &nova_vm.lock, by nova_vm_op_ctx_prepare_pt() (its page tables);
 * applied to the drm_gpuvm by nova_vm_op_ctx_apply(); released by
 * nova_vm_op_ctx_cleanup() when its job is freed, whatever step it
 * reached. It lives in its job and has no lock of its own: the ioctl owns
 * it until the job is pushed or executed, run_job only reads @pt, and the
 * job's release owns it last.
 */
struct nova_vm_op_ctx {
	/** @op: NOVA_VM_BIND_OP_*. */
	u32 op;

	/** @flags: NOVA_VM_BIND_OP_* flags. */
	u32 flags;

	/** @va: start. */
	u64 va;

	/** @range: bytes. */
	u64 range;

	/** @bo_offset: offset into @bo. */
	u64 bo_offset;

	/** @bo: for a map, the object (a reference); NULL for a NULL map. */
	struct nova_bo *bo;

	/**
	 * @vm_bo: for a map of an object, a preallocated drm_gpuvm_bo, until
	 * the map step links the new mapping to the VM's drm_gpuvm_bo of @bo.
	 */
	struct drm_gpuvm_bo *vm_bo;

	/**
	 * @spare: preallocated mappings; the split/merge steps take them
	 * (under &nova_vm.lock), the cleanup frees those left.
	 */
	struct nova_vma *spare[NOVA_MAP_SPARE_VMAS];

	/**
	 * @removed: mappings the op removed from the VM, with their
	 * objects; freed by the cleanup, or moved to &nova_vm.graveyard when
	 * the bind was cancelled.
	 */
	struct list_head removed;

	/**
	 * @pt: where the op's nova-core operation goes once its page tables
	 * are prepared: a slot of &nova_bind_job.pt_ops.
	 */
	struct nova_vmm_op **pt;
};

/**
 * struct nova_bind_job - a bind, executed inline or queued on its VM
 *
 * Allocated with its op contexts and the array of their nova-core
 * operations as one object (nova_bind_job_alloc()). The ioctl owns it
 * until it pushes it to the VM's queue or executes it; a pushed job
 * belongs to the scheduler until free_job, then to nova's cleanup
 * workqueue, which frees it.
 */
struct nova_bind_job {
	/**
	 * @base: the scheduler job, from drm_sched_job_init() in the ioctl
	 * to drm_sched_job_cleanup() (free_job, or the ioctl for a job it
	 * did not push).
	 */
	struct drm_sched_job base;

	/** @free_work: frees the job outside the scheduler's work items. */
	struct work_struct free_work;

	/**
	 * @pushed: the job was handed to the scheduler (counted in
	 * &nova_vm.jobs and &nova_vm.queued). Set under &nova_vm.lock
	 * before the push; read when the job is freed.
	 */
	bool pushed;

	/**
	 * @ran: the execute phase ran (the bind was not cancelled). Set by
	 * run_job or the inline execution; read when the job is freed, after
	 * either.
	 */
	bool ran;

	/** @vm: the VM (a reference). Never changes. */
	struct nova_vm *vm;

	/**
	 * @fence: the bind's fence (see DOC: standalone fences), what
	 * syncobjs, reservations and a synchronous caller get: signalled
	 * when the page tables are written, or with -ESRCH when the bind was
	 * cancelled. Initialised under &nova_vm.lock just before the push,
	 * never for an inline bind (nobody can wait for one). The pointer
	 * never changes; the fence has its own lock.
	 */
	struct dma_fence *fence;

	/**
	 * @deps: fences the bind waits for (wait syncs), handed to the
	 * scheduler by prepare_job. Filled in the ioctl, then read-only.
	 */
	struct dma_fence **deps;

	/** @nr_deps: how many. Never changes once the job is pushed. */
	unsigned int nr_deps;

	/**
	 * @next_dep: the next one prepare_job looks at. Only prepare_job
	 * uses it; the scheduler calls it for one job at a time.
	 */
	unsigned int next_dep;

	/**
	 * @pt_ops: the prepared nova-core operations, one per op, in op
	 * order: the array nova_vmm_execute() takes. Part of the job's
	 * allocation, after @ops; each slot is filled by its op context.
	 */
	struct nova_vmm_op **pt_ops;

	/** @nr_ops: ops in the bind. Never changes. */
	unsigned int nr_ops;

	/** @ops: the op contexts. See &struct nova_vm_op_ctx. */
	struct nova_vm_op_ctx ops[] __counted_by(nr_ops);
};

/**
 * struct nova_bind_submit - what a VM_BIND call holds while it runs
 *
 * Lives on the ioctl's stack and is only touched by it: no lock.
 * nova_bind_submit_init() fills it in step by step and
 * nova_bind_submit_cleanup() releases whatever it holds at the end, on
 * success and on failure alike.
 */
struct nova_bind_submit {
	/** @file: the caller. */
	struct drm_file *file;

	/** @ndev: the device. */
	struct nova_device *ndev;

	/** @args: the ioctl's arguments. */
	const struct drm_nova_vm_bind *args;

	/** @async: %NOVA_VM_BIND_ASYNC. */
	bool async;

	/** @uops: copy of the user's ops. */
	struct drm_nova_vm_bind_op *uops;

	/** @usyncs: copy of the user's syncs, or NULL. */
	struct drm_nova_sync *usyncs;

	/** @vm: the VM (the lookup's reference). */
	struct nova_vm *vm;

	/**
	 * @job: the bind, until it is pushed (then NULL: the scheduler
	 * owns it); an inline bind's job is freed with the context.
	 */
	struct nova_bind_job *job;

	/**
	 * @syncs: the bind's syncs; its wait fences move to the job once
	 * they are looked up.
	 */
	struct nova_syncs syncs;

	/**
	 * @exec_deps: unsignalled EXEC fences of the VM (in its reservation)
	 * that the bind waits for if it removes or replaces a mapping,
	 * with references; looked up once the reservation is locked.
	 */
	struct dma_fence **exec_deps;

	/** @nr_exec_deps: how many. */
	unsigned int nr_exec_deps;

	/** @exec: locks the reservations of the VM and of mapped objects. */
	struct drm_exec exec;

	/** @exec_inited: @exec needs drm_exec_fini(). */
	bool exec_inited;
};

/*
 * Jobs with up to this many ops (most binds have one) come from
 * nova_bind_job_cache, larger ones from kvzalloc().
 */
#define NOVA_BIND_CACHED_OPS	4

static struct kmem_cache *nova_bind_job_cache;
static struct kmem_cache *nova_vma_cache;

/* A job with its op contexts and its array of nova-core operations. */
static size_t nova_bind_job_size(unsigned int nr_ops)
{
	return size_add(struct_size_t(struct nova_bind_job, ops, nr_ops),
			array_size(nr_ops, sizeof(struct nova_vmm_op *)));
}

/**
 * nova_vm_module_init() - create the caches of bind jobs and mappings
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int nova_vm_module_init(void)
{
	nova_vma_cache = KMEM_CACHE(nova_vma, 0);
	if (!nova_vma_cache)
		return -ENOMEM;
	nova_bind_job_cache =
		kmem_cache_create("nova_bind_job",
				  nova_bind_job_size(NOVA_BIND_CACHED_OPS),
				  __alignof__(struct nova_bind_job), 0, NULL);
	if (!nova_bind_job_cache) {
		kmem_cache_destroy(nova_vma_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * nova_vm_module_exit() - destroy the caches of bind jobs and mappings
 *
 * Every job and mapping is freed by then: the driver is unbound from
 * every device, so each DRM device is gone, and with it its cleanup
 * workqueue, drained; no VM outlives its file, and an open file pins the
 * module. Nothing of these caches is freed through RCU.
 *
 * Context: module exit, after the driver is unregistered.
 */
void nova_vm_module_exit(void)
{
	kmem_cache_destroy(nova_bind_job_cache);
	kmem_cache_destroy(nova_vma_cache);
}

static struct nova_vm *to_nova_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct nova_vm, base);
}

static struct nova_bind_job *to_bind_job(struct drm_sched_job *job)
{
	return container_of(job, struct nova_bind_job, base);
}

static void nova_vm_record_error(struct nova_vm *vm, int err)
{
	spin_lock(&vm->state_lock);
	if (!vm->bind_error)
		vm->bind_error = err;
	vm->unusable = true;
	spin_unlock(&vm->state_lock);
}

static bool nova_vm_is_unusable(struct nova_vm *vm)
{
	bool unusable;

	spin_lock(&vm->state_lock);
	unusable = vm->unusable;
	spin_unlock(&vm->state_lock);
	return unusable;
}

static void nova_vma_free(struct nova_vma *vma)
{
	kmem_cache_free(nova_vma_cache, vma);
}

/* Free removed mappings and drop the references on their objects. */
static void nova_vmas_free(struct list_head *list)
{
	struct nova_vma *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, list, node) {
		if (vma->obj)
			drm_gem_object_put(vma->obj);
		nova_vma_free(vma);
	}
	INIT_LIST_HEAD(list);
}

static void nova_vm_op_ctx_init(struct nova_vm_op_ctx *op,
				const struct drm_nova_vm_bind_op *uop)
{
	op->op = uop->op;
	op->flags = uop->flags;
	op->va = uop->va;
	op->range = uop->range;
	op->bo_offset = uop->bo_offset;
}

static int nova_vm_op_ctx_alloc_spares(struct nova_vm_op_ctx *op,
				       unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		op->spare[i] = kmem_cache_zalloc(nova_vma_cache, GFP_KERNEL);
		if (!op->spare[i])
			return -ENOMEM;
	}
	return 0;
}

/**
 * nova_vm_prepare_map_op_ctx() - take what a map op needs
 * @op: the op context, as its job allocated it
 * @vm: the VM
 * @file: the caller, whose handle names the object
 * @uop: the op as the caller passed it, checked
 *
 * Allocates the mappings the op can need, looks the object up and
 * preallocates its drm_gpuvm_bo (a NULL map has no object). What it took stays in @op on failure
 * too: nova_vm_op_ctx_cleanup() releases it.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, -ENOENT for an unknown handle, -EINVAL for a range
 * past the end of the object.
 */
static int nova_vm_prepare_map_op_ctx(struct nova_vm_op_ctx *op,
				      struct nova_vm *vm, struct drm_file *file,
				      const struct drm_nova_vm_bind_op *uop)
{
	struct drm_gem_object *obj;
	int ret;

	nova_vm_op_ctx_init(op, uop);
	ret = nova_vm_op_ctx_alloc_spares(op, NOVA_MAP_SPARE_VMAS);
	if (ret)
		return ret;
	/* A NULL map: a mapping without an object. */
	if (op->flags & NOVA_VM_BIND_OP_NULL)
		return 0;
	obj = drm_gem_object_lookup(file, uop->handle);
	if (!obj)
		return -ENOENT;
	op->bo = to_nova_bo(obj);
	if (op->bo_offset + op->range > obj->size)
		return -EINVAL;
	op->vm_bo = drm_gpuvm_bo_create(&vm->base, obj);
	if (!op->vm_bo)
		return -ENOMEM;
	return 0;
}

/**
 * nova_vm_prepare_unmap_op_ctx() - take what an unmap op needs
 * @op: the op context, as its job allocated it
 * @uop: the op as the caller passed it, checked
 *
 * Allocates the pieces of the mappings that straddle the ends of the
 * range. What it took stays in @op on failure too:
 * nova_vm_op_ctx_cleanup() releases it.
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
static int nova_vm_prepare_unmap_op_ctx(struct nova_vm_op_ctx *op,
					const struct drm_nova_vm_bind_op *uop)
{
	nova_vm_op_ctx_init(op, uop);
	return nova_vm_op_ctx_alloc_spares(op, NOVA_UNMAP_SPARE_VMAS);
}

/**
 * nova_vm_op_ctx_prepare_pt() - prepare the page tables of an op
 * @vm: the VM
 * @op: the op context, prepared
 *
 * The last step of an op that can fail. On success, the op's nova-core
 * operation is in its slot of &nova_bind_job.pt_ops.
 *
 * Context: process context, under &nova_vm.lock; may sleep.
 * Return: 0, -ENOSPC when VRAM for page tables is exhausted, -ENOMEM,
 * -ENODEV once the GPU is gone.
 */
static int nova_vm_op_ctx_prepare_pt(struct nova_vm *vm,
				     struct nova_vm_op_ctx *op)
{
	u32 flags = (op->flags & NOVA_VM_BIND_OP_READ_ONLY) ?
		    NOVA_MAP_READ_ONLY : 0;
	struct nova_vmm_op *pt;

	lockdep_assert_held(&vm->lock);
	if (op->op == NOVA_VM_BIND_OP_MAP &&
	    (op->flags & NOVA_VM_BIND_OP_NULL))
		pt = nova_vmm_prepare_null(vm->vmm, op->va, op->range);
	else if (op->op == NOVA_VM_BIND_OP_MAP)
		pt = nova_vmm_prepare_map(vm->vmm, op->va, op->range,
					  op->bo->vram, op->bo_offset, flags);
	else
		pt = nova_vmm_prepare_unmap(vm->vmm, op->va, op->range);
	if (IS_ERR(pt))
		return PTR_ERR(pt);
	*op->pt = pt;
	return 0;
}

/**
 * nova_vm_op_ctx_cleanup() - release what an op context holds
 * @vm: the VM
 * @op: the op context, at whatever step it reached
 * @cancelled: the op's bind was pushed and cancelled before it ran
 *
 * Releases the nova-core operation, the drm_gpuvm_bo and the object, and
 * frees the spare mappings left. What the op removed from the VM is freed
 * with the references on its objects, unless the bind was cancelled: then
 * the GPU may still reach it until the VM's page tables are gone, and it
 * moves to the VM's graveyard.
 *
 * Context: process context; may sleep. Takes &nova_bo.gpuva_lock and
 * &nova_vm.state_lock.
 */
static void nova_vm_op_ctx_cleanup(struct nova_vm *vm,
				   struct nova_vm_op_ctx *op, bool cancelled)
{
	unsigned int i;

	if (*op->pt) {
		nova_vmm_op_release(*op->pt);
		*op->pt = NULL;
	}
	if (op->vm_bo) {
		mutex_lock(&op->bo->gpuva_lock);
		drm_gpuvm_bo_put(op->vm_bo);
		mutex_unlock(&op->bo->gpuva_lock);
		op->vm_bo = NULL;
	}
	if (op->bo) {
		drm_gem_object_put(&op->bo->base);
		op->bo = NULL;
	}
	if (cancelled && !list_empty(&op->removed)) {
		spin_lock(&vm->state_lock);
		list_splice_init(&op->removed, &vm->graveyard);
		spin_unlock(&vm->state_lock);
	}
	nova_vmas_free(&op->removed);
	for (i = 0; i < ARRAY_SIZE(op->spare); i++) {
		if (op->spare[i])
			nova_vma_free(op->spare[i]);
		op->spare[i] = NULL;
	}
}

/*
 * The bind's next unsignalled wait sync, or NULL when there is none left;
 * the scheduler gets a reference of its own. The job keeps its references
 * until it is freed: a fence's last reference must not be dropped from a
 * callback of its own signalling (the scheduler's wake-up drops its
 * reference there; sw_sync, for one, signals under the lock its release
 * takes).
 */
static struct dma_fence *nova_bind_prepare_job(struct drm_sched_job *sched_job,
					       struct drm_sched_entity *entity)
{
	struct nova_bind_job *job = to_bind_job(sched_job);

	while (job->next_dep < job->nr_deps) {
		struct dma_fence *f = job->deps[job->next_dep++];

		if (!dma_fence_is_signaled(f))
			return dma_fence_get(f);
	}
	return NULL;
}

/*
 * The execute phase of a bind, queued (run_job) or inline (the ioctl):
 * writes the page tables and flushes the TLB. No allocation, no dma_resv,
 * no sleeping on fences; called inside dma_fence_begin/end_signalling().
 * A failure makes the VM unusable.
 */
static int nova_bind_execute(struct nova_bind_job *job)
{
	struct nova_vm *vm = job->vm;
	int ret, idx;
	u64 t0;

	job->ran = true;
	if (!drm_dev_enter(vm->ndev->drm, &idx)) {
		/* The device was unplugged: its GPU is gone. */
		ret = -ENODEV;
	} else {
		t0 = ktime_get_raw_ns();
		ret = nova_vmm_execute(job->pt_ops, job->nr_ops);
		atomic64_add(ktime_get_raw_ns() - t0, &vm->usage->bind_ns);
		drm_dev_exit(idx);
	}
	if (ret)
		nova_vm_record_error(vm, ret);
	return ret;
}

/*
 * Execute a queued bind and signal its fence. The work is done on return,
 * so the scheduler gets no fence to wait for: NULL, or the error, which
 * drm_sched sets on its finished fence.
 */
static struct dma_fence *nova_bind_run_job(struct drm_sched_job *sched_job)
{
	struct nova_bind_job *job = to_bind_job(sched_job);
	struct nova_vm *vm = job->vm;
	bool cookie;
	int ret;

	cookie = dma_fence_begin_signalling();
	ret = sched_job->s_fence->finished.error;
	if (ret) {
		job->ran = true;
		nova_vm_record_error(vm, ret);
	} else {
		ret = nova_bind_execute(job);
	}
	if (ret)
		dma_fence_set_error(job->fence, ret);
	dma_fence_signal(job->fence);
	/* The page tables are written: an inline bind may follow. */
	atomic_dec_return_release(&vm->queued);
	dma_fence_end_signalling(cookie);
	return ret ? ERR_PTR(ret) : NULL;
}

/*
 * Never called: the bind queue's timeout is MAX_SCHEDULE_TIMEOUT, since
 * run_job completes synchronously and nothing can be stuck on the GPU. (A
 * timeout handler that returned without restarting the scheduler would
 * leave the job off its pending list, never freed.)
 */
static enum drm_gpu_sched_stat nova_bind_timedout_job(struct drm_sched_job *job)
{
	WARN_ON_ONCE(1);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void nova_bind_job_free(struct nova_bind_job *job);

/**
 * nova_bind_job_alloc() - allocate a bind job
 * @vm: the VM
 * @nr_ops: ops in the bind, 1 to %NOVA_MAX_BIND_OPS
 *
 * The job comes with its op contexts, empty, and its standalone fence,
 * not initialised yet; it holds a reference on @vm. Free it with
 * nova_bind_job_free() until it is pushed.
 *
 * Context: process context; may sleep.
 * Return: the job, or NULL when out of memory.
 */
static struct nova_bind_job *nova_bind_job_alloc(struct nova_vm *vm,
						 unsigned int nr_ops)
{
	struct nova_bind_job *job;
	unsigned int i;

	if (nr_ops <= NOVA_BIND_CACHED_OPS)
		job = kmem_cache_zalloc(nova_bind_job_cache, GFP_KERNEL);
	else
		job = kvzalloc(nova_bind_job_size(nr_ops), GFP_KERNEL);
	if (!job)
		return NULL;
	job->nr_ops = nr_ops;
	job->pt_ops = (void *)job + struct_size(job, ops, nr_ops);
	for (i = 0; i < nr_ops; i++) {
		INIT_LIST_HEAD(&job->ops[i].removed);
		job->ops[i].pt = &job->pt_ops[i];
	}
	/* The job's own reference: the job may be freed after the ioctl. */
	job->vm = vm;
	drm_gpuvm_get(&vm->base);
	job->fence = nova_fence_alloc();
	if (!job->fence) {
		nova_bind_job_free(job);
		return NULL;
	}
	return job;
}

/*
 * Free a job: one the ioctl did not push (failed, or executed inline), or
 * one the scheduler let go of (from nova's cleanup workqueue).
 */
static void nova_bind_job_free(struct nova_bind_job *job)
{
	struct nova_vm *vm = job->vm;
	/* Pushed and killed before it ran: it never wrote the page tables. */
	bool cancelled = job->pushed && !job->ran;
	unsigned int nr_ops = job->nr_ops;
	unsigned int i;

	/* A job the scheduler owned was cleaned up by free_job. */
	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
	for (i = 0; i < job->nr_ops; i++)
		nova_vm_op_ctx_cleanup(vm, &job->ops[i], cancelled);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i]);
	kfree(job->deps);
	if (job->fence && !job->fence->ops) {
		/* Never initialised: the bind failed or ran in the ioctl. */
		kfree(job->fence);
	} else if (job->fence) {
		/* A job killed before it ran still signals its fence. */
		if (!dma_fence_is_signaled(job->fence)) {
			dma_fence_set_error(job->fence, -ESRCH);
			dma_fence_signal(job->fence);
		}
		dma_fence_put(job->fence);
	}
	/* A cancelled job never ran: it leaves the queue here. */
	if (cancelled)
		atomic_dec(&vm->queued);
	/*
	 * Wake a VM destroy waiting for its jobs before dropping the
	 * reference: once it saw no job left it may drop its own, and this
	 * one may then be the last (the VM is freed here, on nova's cleanup
	 * workqueue, which nova_bind_free_job() allows for).
	 */
	if (job->pushed && atomic_dec_and_test(&vm->jobs))
		wake_up_all(&vm->jobs_wq);
	drm_gpuvm_put(&vm->base);
	if (nr_ops <= NOVA_BIND_CACHED_OPS)
		kmem_cache_free(nova_bind_job_cache, job);
	else
		kvfree(job);
}

static void nova_bind_free_work(struct work_struct *work)
{
	nova_bind_job_free(container_of(work, struct nova_bind_job, free_work));
}

/*
 * The job may hold the last reference to its VM, whose teardown stops the
 * VM's scheduler: free it from nova's cleanup workqueue, not from the
 * scheduler's.
 */
static void nova_bind_free_job(struct drm_sched_job *sched_job)
{
	struct nova_bind_job *job = to_bind_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	INIT_WORK(&job->free_work, nova_bind_free_work);
	queue_work(to_nova_device(job->vm->base.drm)->cleanup_wq, &job->free_work);
}

static const struct drm_sched_backend_ops nova_bind_sched_ops = {
	.prepare_job = nova_bind_prepare_job,
	.run_job = nova_bind_run_job,
	.timedout_job = nova_bind_timedout_job,
	.free_job = nova_bind_free_job,
};

static struct nova_vma *nova_op_take_vma(struct nova_vm_op_ctx *op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(op->spare); i++) {
		struct nova_vma *vma = op->spare[i];

		if (vma) {
			op->spare[i] = NULL;
			return vma;
		}
	}
	WARN_ON(1);
	return NULL;
}

/*
 * A mapping leaves the VM: keep it and its object (a NULL mapping has
 * none) until the job is freed.
 */
static void nova_op_remove_vma(struct nova_vm_op_ctx *op, struct drm_gpuva *va)
{
	struct nova_vma *vma = container_of(va, struct nova_vma, base);
	struct drm_gem_object *obj = va->gem.obj;

	vma->obj = obj;
	if (obj) {
		drm_gem_object_get(obj);
		mutex_lock(&to_nova_bo(obj)->gpuva_lock);
		drm_gpuva_unlink(va);
		mutex_unlock(&to_nova_bo(obj)->gpuva_lock);
	}
	list_add_tail(&vma->node, &op->removed);
}

/**
 * struct nova_sm_ctx - what the drm_gpuvm split/merge steps work on
 *
 * On the stack of nova_vm_op_ctx_apply(), under &nova_vm.lock.
 */
struct nova_sm_ctx {
	/** @vm: the VM. */
	struct nova_vm *vm;

	/** @op: the op being applied. */
	struct nova_vm_op_ctx *op;
};

static int nova_sm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct nova_sm_ctx *ctx = priv;
	struct nova_vma *vma = nova_op_take_vma(ctx->op);
	struct nova_bo *bo = ctx->op->bo;
	struct drm_gpuvm_bo *vm_bo;

	if (!vma)
		return -EINVAL;
	drm_gpuva_map(&ctx->vm->base, &vma->base, &op->map);
	/* A NULL mapping is linked to no object. */
	if (!bo)
		return 0;
	mutex_lock(&bo->gpuva_lock);
	vm_bo = drm_gpuvm_bo_obtain_prealloc(ctx->op->vm_bo);
	ctx->op->vm_bo = NULL;
	drm_gpuva_link(&vma->base, vm_bo);
	drm_gpuvm_bo_put(vm_bo);
	mutex_unlock(&bo->gpuva_lock);
	return 0;
}

static int nova_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct nova_sm_ctx *ctx = priv;
	struct drm_gpuva *old = op->remap.unmap->va;
	struct nova_vma *prev = NULL, *next = NULL;

	if (op->remap.prev)
		prev = nova_op_take_vma(ctx->op);
	if (op->remap.next)
		next = nova_op_take_vma(ctx->op);
	if ((op->remap.prev && !prev) || (op->remap.next && !next))
		return -EINVAL;
	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	/* The pieces of a NULL mapping are NULL mappings, of no object. */
	if (old->gem.obj) {
		struct nova_bo *bo = to_nova_bo(old->gem.obj);

		mutex_lock(&bo->gpuva_lock);
		if (prev)
			drm_gpuva_link(&prev->base, old->vm_bo);
		if (next)
			drm_gpuva_link(&next->base, old->vm_bo);
		mutex_unlock(&bo->gpuva_lock);
	}
	nova_op_remove_vma(ctx->op, old);
	return 0;
}

static int nova_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct nova_sm_ctx *ctx = priv;
	struct drm_gpuva *va = op->unmap.va;

	drm_gpuva_unmap(&op->unmap);
	nova_op_remove_vma(ctx->op, va);
	return 0;
}

/**
 * nova_vm_op_ctx_apply() - update the drm_gpuvm with a prepared op
 * @vm: the VM
 * @op: the op context, with its page tables prepared
 *
 * Past the point of no return: the spare mappings cover every split, so
 * this cannot fail. Mappings the op replaces or unmaps go to
 * &nova_vm_op_ctx.removed.
 *
 * Context: process context, under &nova_vm.lock.
 */
static void nova_vm_op_ctx_apply(struct nova_vm *vm, struct nova_vm_op_ctx *op)
{
	struct nova_sm_ctx ctx = { .vm = vm, .op = op };
	int ret;

	lockdep_assert_held(&vm->lock);
	if (op->op == NOVA_VM_BIND_OP_MAP)
		ret = drm_gpuvm_sm_map(&vm->base, &ctx, op->va, op->range,
				       op->bo ? &op->bo->base : NULL, op->bo_offset);
	else
		ret = drm_gpuvm_sm_unmap(&vm->base, &ctx, op->va, op->range);
	/* Preallocation covers every split: nothing can fail here. */
	WARN_ON(ret);
}

static void nova_vm_free(struct drm_gpuvm *gpuvm)
{
	struct nova_vm *vm = to_nova_vm(gpuvm);

	drm_sched_fini(&vm->sched);
	nova_vmm_destroy(vm->vmm);
	/* The page tables are gone: what cancelled binds removed can go. */
	nova_vmas_free(&vm->graveyard);
	nova_usage_put(vm->usage);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops nova_gpuvm_ops = {
	.vm_free = nova_vm_free,
	.sm_step_map = nova_sm_step_map,
	.sm_step_remap = nova_sm_step_remap,
	.sm_step_unmap = nova_sm_step_unmap,
};

static struct nova_vm *nova_vm_create(struct nova_device *ndev,
				      struct nova_usage *usage)
{
	struct drm_sched_init_args args = {
		.ops = &nova_bind_sched_ops,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "nova-bind",
		.dev = ndev->drm->dev,
	};
	struct drm_gpu_scheduler *sched;
	struct drm_gem_object *r_obj;
	struct nova_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->ndev = ndev;
	mutex_init(&vm->lock);
	spin_lock_init(&vm->state_lock);
	init_waitqueue_head(&vm->jobs_wq);
	INIT_LIST_HEAD(&vm->graveyard);
	vm->fence_ctx = dma_fence_context_alloc(1);

	/*
	 * The GPU's range covers the channel window below the user range;
	 * the drm_gpuvm (what binds may touch) only the user range.
	 */
	vm->vmm = nova_vmm_create(ndev->core, NOVA_CHAN_WINDOW_START,
				  nova_va_end(ndev));
	if (IS_ERR(vm->vmm)) {
		ret = PTR_ERR(vm->vmm);
		goto err_free;
	}
	if (READ_ONCE(ndev->vm_page_sizes))
		nova_vmm_set_page_sizes(vm->vmm, READ_ONCE(ndev->vm_page_sizes));
	ret = drm_sched_init(&vm->sched, &args);
	if (ret)
		goto err_vmm;
	sched = &vm->sched;
	ret = drm_sched_entity_init(&vm->entity, DRM_SCHED_PRIORITY_KERNEL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;
	r_obj = drm_gpuvm_resv_object_alloc(ndev->drm);
	if (!r_obj) {
		ret = -ENOMEM;
		goto err_entity;
	}
	drm_gpuvm_init(&vm->base, "nova", 0, ndev->drm, r_obj, NOVA_VA_START,
		       nova_va_end(ndev) - NOVA_VA_START, 0, 0, &nova_gpuvm_ops);
	drm_gem_object_put(r_obj);
	vm->usage = nova_usage_get(usage);
	return vm;

err_entity:
	drm_sched_entity_destroy(&vm->entity);
err_sched:
	drm_sched_fini(&vm->sched);
err_vmm:
	nova_vmm_destroy(vm->vmm);
err_free:
	mutex_destroy(&vm->lock);
	kfree(vm);
	return ERR_PTR(ret);
}

/*
 * Remove every mapping of a VM from the GPU with one TLB flush: prepare an
 * unmap per mapping (a mapping's pages lie inside it, so no table is
 * needed) and execute them together. Returns false if they could not be
 * prepared; the caller then unmaps mapping by mapping. A failing flush
 * (the GPU not responding) has been reported by nova-core; the page
 * tables no longer map anything either way.
 */
static bool nova_vm_unmap_all(struct nova_vm *vm)
{
	struct nova_vmm_op **ops;
	struct drm_gpuva *va;
	unsigned int i, n = 0;
	bool done = true;

	drm_gpuvm_for_each_va(va, &vm->base)
		n++;
	if (!n)
		return true;
	ops = kvmalloc_array(n, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return false;
	i = 0;
	drm_gpuvm_for_each_va(va, &vm->base) {
		ops[i] = nova_vmm_prepare_unmap(vm->vmm, va->va.addr, va->va.range);
		if (IS_ERR(ops[i])) {
			done = false;
			break;
		}
		i++;
	}
	if (done)
		nova_vmm_execute(ops, n);
	while (i--)
		nova_vmm_op_release(ops[i]);
	kvfree(ops);
	return done;
}

/*
 * Tear a VM down: stop its channels (their jobs fail with -ESRCH, see
 * nova_exec_vm_stop()), cancel the binds still queued (their fences signal
 * -ESRCH; none waits for its wait syncs), let the one running finish,
 * unmap every mapping from the GPU, then drop the mappings (and the
 * objects they hold). Bounded: nothing here waits for a fence that
 * userspace controls.
 */
static void nova_vm_destroy(struct nova_vm *vm)
{
	struct drm_gpuva *va, *next;
	bool unmapped = true;
	int idx;

	/* Binds that looked the VM up before us push nothing from now on. */
	mutex_lock(&vm->lock);
	vm->dead = true;
	mutex_unlock(&vm->lock);
	/* No channel runs on the address space while it is torn down. */
	nova_exec_vm_stop(vm->ndev, vm);
	drm_sched_entity_fini(&vm->entity);
	/* Every job freed: what they unmapped is released, the VM is ours. */
	wait_event(vm->jobs_wq, !atomic_read(&vm->jobs));
	mutex_lock(&vm->lock);
	/* An unplugged device's GPU maps nothing any more. */
	if (drm_dev_enter(vm->ndev->drm, &idx)) {
		unmapped = nova_vm_unmap_all(vm);
		drm_dev_exit(idx);
	}
	drm_gpuvm_for_each_va_safe(va, next, &vm->base) {
		struct drm_gem_object *obj = va->gem.obj;

		/* The GPU stops using the object before it can be freed. */
		if (!unmapped && drm_dev_enter(vm->ndev->drm, &idx)) {
			nova_vmm_unmap(vm->vmm, va->va.addr, va->va.range);
			drm_dev_exit(idx);
		}
		drm_gpuva_remove(va);
		/* A NULL mapping holds no object. */
		if (obj) {
			struct nova_bo *bo = to_nova_bo(obj);

			drm_gem_object_get(obj);
			mutex_lock(&bo->gpuva_lock);
			drm_gpuva_unlink(va);
			mutex_unlock(&bo->gpuva_lock);
			drm_gem_object_put(obj);
		}
		nova_vma_free(container_of(va, struct nova_vma, base));
	}
	mutex_unlock(&vm->lock);
	/* The PDB may serve another VM next: forget this one's faults. */
	nova_core_faults_clear(vm->ndev->core, nova_vmm_pdb(vm->vmm), U64_MAX);
	drm_gpuvm_put(&vm->base);
}

/**
 * nova_vm_lookup() - look a VM of a file up
 * @nfile: the file
 * @id: the VM id
 *
 * Context: any process context.
 * Return: the VM with a reference (nova_vm_put()), or NULL.
 */
struct nova_vm *nova_vm_lookup(struct nova_file *nfile, u32 id)
{
	struct nova_vm *vm;

	xa_lock(&nfile->vms);
	vm = xa_load(&nfile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&nfile->vms);
	return vm;
}

/*
 * The first VM of a file at or after *@id, with a reference, or NULL; for
 * walks that must not race with VM_DESTROY freeing the VMs they visit.
 */
static struct nova_vm *nova_vm_get_next(struct nova_file *nfile,
					unsigned long *id)
{
	struct nova_vm *vm;

	xa_lock(&nfile->vms);
	vm = xa_find(&nfile->vms, id, ULONG_MAX, XA_PRESENT);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&nfile->vms);
	return vm;
}

/**
 * nova_ioctl_vm_create() - DRM_IOCTL_NOVA_VM_CREATE
 * @drm: the device
 * @data: &struct drm_nova_vm_create
 * @file: the caller
 *
 * Return: 0, -EINVAL for flags, -ENOSPC when the file has
 * %NOVA_MAX_VMS VMs, -ENOMEM.
 */
int nova_ioctl_vm_create(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_vm_create *args = data;
	struct nova_vm *vm;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;
	vm = nova_vm_create(to_nova_device(drm), nfile->usage);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = xa_alloc(&nfile->vms, &id, vm, XA_LIMIT(1, NOVA_MAX_VMS),
		       GFP_KERNEL);
	if (ret) {
		nova_vm_destroy(vm);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	args->id = id;
	return 0;
}

/**
 * nova_ioctl_vm_destroy() - DRM_IOCTL_NOVA_VM_DESTROY
 * @drm: the device
 * @data: &struct drm_nova_vm_destroy
 * @file: the caller
 *
 * Return: 0, -EINVAL for padding, -ENOENT for an unknown id.
 */
int nova_ioctl_vm_destroy(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_vm_destroy *args = data;
	struct nova_vm *vm;

	if (args->pad)
		return -EINVAL;
	vm = nova_id_take(&nfile->vms, args->id);
	if (!vm)
		return -ENOENT;
	nova_vm_destroy(vm);
	return 0;
}

/**
 * nova_file_vms_fini() - destroy the VMs of a closing file
 * @nfile: the file
 */
void nova_file_vms_fini(struct nova_file *nfile)
{
	struct nova_vm *vm;
	unsigned long id;

	xa_for_each(&nfile->vms, id, vm) {
		xa_erase(&nfile->vms, id);
		nova_vm_destroy(vm);
	}
	xa_destroy(&nfile->vms);
}

static int nova_check_range(struct nova_device *ndev, u64 va, u64 range)
{
	if (!range || !IS_ALIGNED(va, SZ_4K) || !IS_ALIGNED(range, SZ_4K))
		return -EINVAL;
	if (va + range < va || va < NOVA_VA_START || va + range > nova_va_end(ndev))
		return -EINVAL;
	return 0;
}

static int nova_bind_check_op(struct nova_device *ndev,
			      const struct drm_nova_vm_bind_op *op)
{
	int ret = nova_check_range(ndev, op->va, op->range);

	if (ret || op->pad)
		return -EINVAL;
	switch (op->op) {
	case NOVA_VM_BIND_OP_MAP:
		if (op->flags & ~(NOVA_VM_BIND_OP_READ_ONLY | NOVA_VM_BIND_OP_NULL))
			return -EINVAL;
		/* NULL: no object, and nothing to write-protect. */
		if ((op->flags & NOVA_VM_BIND_OP_NULL) &&
		    (op->handle || op->bo_offset ||
		     (op->flags & NOVA_VM_BIND_OP_READ_ONLY)))
			return -EINVAL;
		if (!IS_ALIGNED(op->bo_offset, SZ_4K) ||
		    op->bo_offset + op->range < op->bo_offset)
			return -EINVAL;
		return 0;
	case NOVA_VM_BIND_OP_UNMAP:
		if (op->flags || op->handle || op->bo_offset)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The bind's syncs: wait syncs become the job's dependencies, signal syncs
 * stay in the submit context.
 */
static int nova_bind_parse_syncs(struct nova_bind_submit *ctx)
{
	struct nova_bind_job *job = ctx->job;
	int ret;

	ret = nova_syncs_parse(ctx->file, ctx->usyncs, ctx->args->syncs.count,
			       &ctx->syncs);
	job->deps = ctx->syncs.waits;
	job->nr_deps = ctx->syncs.nr_waits;
	ctx->syncs.waits = NULL;
	ctx->syncs.nr_waits = 0;
	return ret;
}

/**
 * nova_bind_submit_init() - check a bind and look its VM up
 * @ctx: the submit context, zeroed
 * @drm: the device
 * @args: the ioctl's arguments
 * @file: the caller
 *
 * Checks the arguments, copies the ops and syncs in and checks each op,
 * then looks the VM up. Whatever it took stays in @ctx on failure too, for
 * nova_bind_submit_cleanup().
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for malformed input, -EFAULT, -ENOMEM, -ENOENT for
 * an unknown VM, -ECANCELED for a map in an unusable VM.
 */
static int nova_bind_submit_init(struct nova_bind_submit *ctx,
				 struct drm_device *drm,
				 const struct drm_nova_vm_bind *args,
				 struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_vm_bind_op *uops;
	struct drm_nova_sync *usyncs;
	unsigned int i;
	int ret;

	ctx->file = file;
	ctx->ndev = to_nova_device(drm);
	ctx->args = args;
	ctx->async = args->flags & NOVA_VM_BIND_ASYNC;
	if (args->flags & ~NOVA_VM_BIND_ASYNC)
		return -EINVAL;
	if (!args->ops.count || args->ops.count > NOVA_MAX_BIND_OPS)
		return -EINVAL;
	if (!ctx->async && args->syncs.count)
		return -EINVAL;
	if (args->syncs.count > NOVA_MAX_SYNCS)
		return -EINVAL;

	uops = nova_copy_array(&args->ops, sizeof(*uops), NOVA_MAX_BIND_OPS);
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	ctx->uops = uops;
	usyncs = nova_copy_array(&args->syncs, sizeof(*usyncs), NOVA_MAX_SYNCS);
	if (IS_ERR(usyncs))
		return PTR_ERR(usyncs);
	ctx->usyncs = usyncs;
	for (i = 0; i < args->ops.count; i++) {
		ret = nova_bind_check_op(ctx->ndev, &uops[i]);
		if (ret)
			return ret;
	}

	ctx->vm = nova_vm_lookup(nfile, args->vm_id);
	if (!ctx->vm)
		return -ENOENT;
	/* After a failed bind, the VM only takes unmaps (and VM_DESTROY). */
	if (nova_vm_is_unusable(ctx->vm)) {
		for (i = 0; i < args->ops.count; i++) {
			if (uops[i].op == NOVA_VM_BIND_OP_MAP)
				return -ECANCELED;
		}
	}
	return 0;
}

/**
 * nova_bind_submit_prepare() - build the bind's job
 * @ctx: the submit context, initialised
 *
 * Allocates the job, prepares each op's context (objects, mappings), sets
 * up the scheduler job and looks up the syncs. What it took stays in @ctx
 * on failure too, for nova_bind_submit_cleanup().
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, -ENOENT for an unknown object or syncobj, -EINVAL
 * for a range past the end of its object or a malformed sync.
 */
static int nova_bind_submit_prepare(struct nova_bind_submit *ctx)
{
	struct nova_vm *vm = ctx->vm;
	struct nova_bind_job *job;
	unsigned int i;
	int ret;

	job = nova_bind_job_alloc(vm, ctx->args->ops.count);
	if (!job)
		return -ENOMEM;
	ctx->job = job;
	for (i = 0; i < job->nr_ops; i++) {
		const struct drm_nova_vm_bind_op *uop = &ctx->uops[i];

		if (uop->op == NOVA_VM_BIND_OP_MAP)
			ret = nova_vm_prepare_map_op_ctx(&job->ops[i], vm,
							 ctx->file, uop);
		else
			ret = nova_vm_prepare_unmap_op_ctx(&job->ops[i], uop);
		if (ret)
			return ret;
	}
	ret = drm_sched_job_init(&job->base, &vm->entity, 1, vm,
				 ctx->file->client_id);
	if (ret)
		return ret;
	return nova_bind_parse_syncs(ctx);
}

/*
 * The unsignalled EXEC fences of the VM's reservation (locked): those that
 * are not bind fences. A bind that removes or replaces a mapping waits for
 * them (see nova_bind_submit_commit()); room for them is made in the
 * job's dependencies now, while the call may still fail.
 */
static int nova_bind_collect_exec_deps(struct nova_bind_submit *ctx)
{
	struct dma_resv *resv = drm_gpuvm_resv(&ctx->vm->base);
	struct nova_bind_job *job = ctx->job;
	struct dma_resv_iter cursor;
	struct dma_fence *fence, **deps;
	unsigned int n = 0;

	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, fence)
		if (fence->context != ctx->vm->fence_ctx &&
		    !dma_fence_is_signaled(fence))
			n++;
	if (!n)
		return 0;
	ctx->exec_deps = kcalloc(n, sizeof(*ctx->exec_deps), GFP_KERNEL);
	if (!ctx->exec_deps)
		return -ENOMEM;
	deps = krealloc_array(job->deps, job->nr_deps + n, sizeof(*deps),
			      GFP_KERNEL);
	if (!deps)
		return -ENOMEM;
	job->deps = deps;
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, fence) {
		if (fence->context == ctx->vm->fence_ctx ||
		    dma_fence_is_signaled(fence) || ctx->nr_exec_deps == n)
			continue;
		ctx->exec_deps[ctx->nr_exec_deps++] = dma_fence_get(fence);
	}
	return 0;
}

/*
 * Whether the bind removed (or replaced part of) a mapping the GPU's
 * engines may be using; under &nova_vm.lock, after the ops were applied.
 */
static bool nova_bind_removes(struct nova_bind_job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_ops; i++)
		if (!list_empty(&job->ops[i].removed))
			return true;
	return false;
}

/**
 * nova_bind_submit_lock() - lock the reservations a bind updates
 * @ctx: the submit context, with its job prepared
 *
 * Locks the reservations of the VM and of the objects the bind maps, with
 * a fence slot reserved in each. They stay locked until
 * nova_bind_submit_cleanup(), or until an inline bind executes.
 *
 * Context: process context; may sleep; interruptible.
 * Return: 0, -EINTR or -ERESTARTSYS when interrupted, -ENOMEM.
 */
static int nova_bind_submit_lock(struct nova_bind_submit *ctx)
{
	struct nova_bind_job *job = ctx->job;
	unsigned int i;
	int ret;

	drm_exec_init(&ctx->exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
		      DRM_EXEC_IGNORE_DUPLICATES, job->nr_ops + 1);
	ctx->exec_inited = true;
	drm_exec_until_all_locked(&ctx->exec) {
		ret = drm_gpuvm_prepare_vm(&ctx->vm->base, &ctx->exec, 1);
		drm_exec_retry_on_contention(&ctx->exec);
		if (ret)
			return ret;
		for (i = 0; i < job->nr_ops; i++) {
			if (!job->ops[i].bo)
				continue;
			ret = drm_exec_prepare_obj(&ctx->exec,
						   &job->ops[i].bo->base, 1);
			drm_exec_retry_on_contention(&ctx->exec);
			if (ret)
				return ret;
		}
	}
	return nova_bind_collect_exec_deps(ctx);
}

/*
 * Execute a synchronous bind of an idle VM in the ioctl, after every
 * earlier bind: with its reservations unlocked, inside the signalling
 * section. The job stays in @ctx, which frees it.
 */
static int nova_bind_submit_execute(struct nova_bind_submit *ctx)
{
	bool cookie;
	int ret;

	lockdep_assert_held(&ctx->vm->lock);
	drm_exec_fini(&ctx->exec);
	ctx->exec_inited = false;
	cookie = dma_fence_begin_signalling();
	ret = nova_bind_execute(ctx->job);
	dma_fence_end_signalling(cookie);
	atomic64_inc(&ctx->ndev->binds_inline);
	return ret;
}

/*
 * Queue a bind: arm its fence, install it in the signal syncs and the
 * locked reservations, and hand the job to the scheduler, which owns it
 * from then on. A synchronous caller gets a reference on the fence in
 * *@sync_done.
 */
static void nova_bind_submit_push(struct nova_bind_submit *ctx,
				  struct dma_fence **sync_done)
{
	struct nova_bind_job *job = ctx->job;
	struct nova_vm *vm = ctx->vm;
	struct dma_fence *done;

	lockdep_assert_held(&vm->lock);
	nova_fence_init(job->fence, NOVA_FENCE_BIND, vm->fence_ctx,
			++vm->seqno);
	drm_sched_job_arm(&job->base);
	/* Ours: the job may be freed as soon as it is pushed. */
	done = dma_fence_get(job->fence);
	nova_syncs_install(&ctx->syncs, done);
	/* Whoever waits for the VM or an object to be idle waits for the bind. */
	drm_gpuvm_resv_add_fence(&vm->base, &ctx->exec, done,
				 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
	job->pushed = true;
	atomic_inc(&vm->jobs);
	atomic_inc(&vm->queued);
	atomic64_inc(&ctx->ndev->binds_queued);
	drm_sched_entity_push_job(&job->base);
	ctx->job = NULL;
	if (ctx->async)
		dma_fence_put(done);
	else
		*sync_done = done;
}

/**
 * nova_bind_submit_commit() - apply a bind, then execute or queue it
 * @ctx: the submit context, with its reservations locked
 * @sync_done: where a synchronous bind that had to be queued gets its fence
 *
 * Under &nova_vm.lock: prepares the page tables of each op, the last step
 * that can fail, then updates the drm_gpuvm and executes the bind (a
 * synchronous one with nothing queued before it) or queues it.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOENT when the VM was destroyed since the lookup, the error
 * of nova_vm_op_ctx_prepare_pt() (nothing changed then), or the error of
 * an inline execution.
 */
static int nova_bind_submit_commit(struct nova_bind_submit *ctx,
				   struct dma_fence **sync_done)
{
	struct nova_bind_job *job = ctx->job;
	struct nova_vm *vm = ctx->vm;
	bool exec_wait;
	unsigned int i;
	int ret = 0;

	mutex_lock(&vm->lock);
	/* VM_DESTROY came between our lookup and here: the VM is gone. */
	if (vm->dead) {
		ret = -ENOENT;
		goto out_unlock;
	}
	for (i = 0; i < job->nr_ops; i++) {
		ret = nova_vm_op_ctx_prepare_pt(vm, &job->ops[i]);
		if (ret)
			goto out_unlock;
	}

	/* Point of no return: the driver's view of the VM moves on. */
	for (i = 0; i < job->nr_ops; i++)
		nova_vm_op_ctx_apply(vm, &job->ops[i]);

	/*
	 * What the bind removes may be in use by EXECs of the VM: it runs
	 * after them, queued (their fences have room in job->deps).
	 */
	exec_wait = ctx->nr_exec_deps && nova_bind_removes(job);
	if (exec_wait) {
		for (i = 0; i < ctx->nr_exec_deps; i++)
			job->deps[job->nr_deps++] = ctx->exec_deps[i];
		ctx->nr_exec_deps = 0;
	}
	if (!ctx->async && !exec_wait && !atomic_read_acquire(&vm->queued))
		ret = nova_bind_submit_execute(ctx);
	else
		nova_bind_submit_push(ctx, sync_done);
out_unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

/*
 * Release what a bind call holds: the reservations, the job if the call
 * still owns it (failed, or executed inline), the signal syncs, the VM and
 * the copied arrays.
 */
static void nova_bind_submit_cleanup(struct nova_bind_submit *ctx)
{
	unsigned int i;

	if (ctx->exec_inited)
		drm_exec_fini(&ctx->exec);
	if (ctx->job)
		nova_bind_job_free(ctx->job);
	nova_syncs_fini(&ctx->syncs);
	for (i = 0; i < ctx->nr_exec_deps; i++)
		dma_fence_put(ctx->exec_deps[i]);
	kfree(ctx->exec_deps);
	if (ctx->vm)
		drm_gpuvm_put(&ctx->vm->base);
	kvfree(ctx->uops);
	kvfree(ctx->usyncs);
}

/*
 * Validate, prepare, and execute or queue a bind (see nova_ioctl_vm_bind()).
 * A synchronous bind of a VM with nothing queued executes here and its
 * result is returned; for one that had to be queued, *@sync_done gets a
 * reference on the fence to wait for.
 */
static int nova_vm_bind_submit(struct drm_device *drm,
			       const struct drm_nova_vm_bind *args,
			       struct drm_file *file,
			       struct dma_fence **sync_done)
{
	struct nova_bind_submit ctx = {};
	int ret;

	ret = nova_bind_submit_init(&ctx, drm, args, file);
	if (!ret)
		ret = nova_bind_submit_prepare(&ctx);
	if (!ret)
		ret = nova_bind_submit_lock(&ctx);
	if (!ret)
		ret = nova_bind_submit_commit(&ctx, sync_done);
	nova_bind_submit_cleanup(&ctx);
	return ret;
}

struct nova_fence_waiter {
	struct dma_fence_cb cb;
	struct completion done;
};

static void nova_fence_waiter_wake(struct dma_fence *fence,
				   struct dma_fence_cb *cb)
{
	complete(&container_of(cb, struct nova_fence_waiter, cb)->done);
}

/*
 * Wait for a fence until it signals or the caller is killed: a bind
 * queued behind binds that wait for other processes' fences may take
 * forever, and only a fatal signal may cut that short (a signal that the
 * caller handles must not: the bind runs anyway, and a restarted call
 * would bind twice).
 */
static int nova_fence_wait_killable(struct dma_fence *fence)
{
	struct nova_fence_waiter w;

	init_completion(&w.done);
	if (dma_fence_add_callback(fence, &w.cb, nova_fence_waiter_wake))
		return 0; /* already signalled */
	if (!wait_for_completion_killable(&w.done))
		return 0;
	/* Killed: unhook, or let a callback already under way finish. */
	if (!dma_fence_remove_callback(fence, &w.cb))
		wait_for_completion(&w.done);
	return -EINTR;
}

/**
 * nova_ioctl_vm_bind() - DRM_IOCTL_NOVA_VM_BIND
 * @drm: the device
 * @data: &struct drm_nova_vm_bind
 * @file: the caller
 *
 * Validation, lookups, allocations and the page-table prepare phase run
 * inside drm_dev_enter(). A synchronous bind of a VM with no bind queued
 * then executes there too, without the scheduler; one queued behind other
 * binds waits for its execution outside of it (so that an unplug never
 * waits for a bind queued behind other processes' fences), killably.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for malformed input, -ENOENT for unknown (or
 * destroyed) VMs, objects or syncobjs, -ENOSPC when VRAM for page tables
 * is exhausted, -ENOMEM, -ENODEV once the device is unplugged. A call
 * that fails changes nothing. A synchronous bind returns the error of its
 * execution, if any (-ENODEV when the device was unplugged before it
 * ran, -ESRCH when the VM was destroyed first), or -EINTR when the caller
 * was killed while waiting.
 */
int nova_ioctl_vm_bind(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct dma_fence *done = NULL;
	int idx, ret;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = nova_vm_bind_submit(drm, data, file, &done);
	drm_dev_exit(idx);
	if (done) {
		ret = nova_fence_wait_killable(done);
		if (!ret)
			ret = done->error;
		dma_fence_put(done);
	}
	return ret;
}

#define NOVA_MAX_FAULTS_READ 256

/* Copy the VM's recorded GPU faults out, oldest first. */
static int nova_vm_copy_faults(struct nova_vm *vm,
			       struct drm_nova_vm_get_state *args)
{
	struct nova_core *core = vm->ndev->core;
	bool clear = args->flags & NOVA_VM_GET_STATE_CLEAR_FAULTS;
	u32 room = min_t(u32, args->faults.count, NOVA_MAX_FAULTS_READ);
	void __user *uptr = u64_to_user_ptr(args->faults.array);
	struct nova_fault *f = NULL;
	u32 i, n;

	if (room) {
		f = kcalloc(room, sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
	}
	/* Read without clearing first: a failed copy must lose nothing. */
	n = nova_core_faults(core, nova_vmm_pdb(vm->vmm), f, room);
	args->fault_count = n;
	args->faults.count = min(n, room);
	for (i = 0; i < args->faults.count; i++) {
		struct drm_nova_vm_fault uf = {
			.va = f[i].va,
			.access = f[i].access,
			.reason = f[i].reason,
		};

		if (copy_to_user(uptr + (size_t)i * args->faults.stride, &uf,
				 sizeof(uf))) {
			kfree(f);
			return -EFAULT;
		}
	}
	/* Forget exactly what was copied: later faults stay for the next call. */
	if (clear && args->faults.count)
		nova_core_faults_clear(core, nova_vmm_pdb(vm->vmm),
				       f[args->faults.count - 1].seq);
	kfree(f);
	return 0;
}

/**
 * nova_ioctl_vm_get_state() - DRM_IOCTL_NOVA_VM_GET_STATE
 * @drm: the device
 * @data: &struct drm_nova_vm_get_state
 * @file: the caller
 *
 * Return: 0, -EINVAL for flags, -ENOENT for an unknown VM.
 */
int nova_ioctl_vm_get_state(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_vm_get_state *args = data;
	struct drm_gpuva *va;
	struct nova_vm *vm;
	u64 bytes = 0, null = 0;
	u32 n = 0;
	int ret;

	if (args->flags & ~NOVA_VM_GET_STATE_CLEAR_FAULTS)
		return -EINVAL;
	if (args->faults.count && args->faults.stride < sizeof(struct drm_nova_vm_fault))
		return -EINVAL;
	vm = nova_vm_lookup(nfile, args->vm_id);
	if (!vm)
		return -ENOENT;
	mutex_lock(&vm->lock);
	drm_gpuvm_for_each_va(va, &vm->base) {
		n++;
		bytes += va->va.range;
		if (!va->gem.obj)
			null += va->va.range;
	}
	mutex_unlock(&vm->lock);
	spin_lock(&vm->state_lock);
	args->state = vm->unusable ? NOVA_VM_STATE_UNUSABLE : NOVA_VM_STATE_USABLE;
	args->bind_error = vm->bind_error;
	spin_unlock(&vm->state_lock);
	args->num_mappings = n;
	args->mapped_bytes = bytes;
	args->null_bytes = null;
	args->pt_bytes = nova_vmm_pt_bytes(vm->vmm);
	ret = nova_vm_copy_faults(vm, args);
	drm_gpuvm_put(&vm->base);
	return ret;
}

/**
 * nova_debugfs_vms() - list the VMs of every client
 * @m: the debugfs file
 * @ndev: the device
 *
 * One line per VM: its id, the client's pid, the page directory base
 * and the number of mappings, followed by the mappings.
 */
void nova_debugfs_vms(struct seq_file *m, struct nova_device *ndev)
{
	struct drm_file *file;

	mutex_lock(&ndev->drm->filelist_mutex);
	list_for_each_entry(file, &ndev->drm->filelist, lhead) {
		struct nova_file *nfile = file->driver_priv;
		unsigned long id = 0;
		struct nova_vm *vm;

		if (!nfile)
			continue;
		/* Each VM with a reference: VM_DESTROY may run meanwhile. */
		for (; (vm = nova_vm_get_next(nfile, &id)); id++) {
			struct drm_gpuva *va;
			u32 n = 0;

			mutex_lock(&vm->lock);
			drm_gpuvm_for_each_va(va, &vm->base)
				n++;
			seq_printf(m, "vm %lu pid %d pdb 0x%llx mappings %u\n", id,
				   pid_nr(rcu_access_pointer(file->pid)),
				   nova_vmm_pdb(vm->vmm), n);
			drm_gpuvm_for_each_va(va, &vm->base)
				seq_printf(m, "  0x%llx-0x%llx %s 0x%llx\n",
					   va->va.addr, va->va.addr + va->va.range,
					   va->gem.obj ? "bo_offset" : "null",
					   va->gem.offset);
			mutex_unlock(&vm->lock);
			drm_gpuvm_put(&vm->base);
		}
	}
	mutex_unlock(&ndev->drm->filelist_mutex);
}

/**
 * nova_vm_put() - drop a reference on a VM
 * @vm: the VM
 *
 * Context: process context; may sleep (the last reference frees the VM).
 */
void nova_vm_put(struct nova_vm *vm)
{
	drm_gpuvm_put(&vm->base);
}

/**
 * nova_vm_gpuvm() - the drm_gpuvm of a VM
 * @vm: the VM
 *
 * Return: the drm_gpuvm, whose reservation orders the VM's work.
 */
struct drm_gpuvm *nova_vm_gpuvm(struct nova_vm *vm)
{
	return &vm->base;
}

/**
 * nova_vm_vmm() - the GPU address space of a VM
 * @vm: the VM
 *
 * Return: the nova-core VMM; it lives as long as the VM.
 */
struct nova_vmm *nova_vm_vmm(struct nova_vm *vm)
{
	return vm->vmm;
}

/**
 * nova_vm_chan_slot_get() - take a channel slot of a VM's channel window
 * @vm: the VM
 * @va: the slot's GPU VA, %NOVA_CHAN_VA_SIZE bytes below %NOVA_VA_START
 *
 * Context: any; takes &nova_vm.state_lock.
 * Return: 0, or -ENOSPC when the VM has %NOVA_MAX_CHANNELS channels.
 */
int nova_vm_chan_slot_get(struct nova_vm *vm, u64 *va)
{
	unsigned long slot;
	int ret = -ENOSPC;

	BUILD_BUG_ON(NOVA_CHAN_WINDOW_START +
		     NOVA_MAX_CHANNELS * NOVA_CHAN_VA_SIZE > NOVA_VA_START);
	spin_lock(&vm->state_lock);
	slot = find_first_zero_bit(&vm->chan_slots, NOVA_MAX_CHANNELS);
	if (slot < NOVA_MAX_CHANNELS) {
		__set_bit(slot, &vm->chan_slots);
		*va = NOVA_CHAN_WINDOW_START + slot * NOVA_CHAN_VA_SIZE;
		ret = 0;
	}
	spin_unlock(&vm->state_lock);
	return ret;
}

/**
 * nova_vm_chan_slot_put() - give a channel slot back
 * @vm: the VM
 * @va: what nova_vm_chan_slot_get() returned, once the channel is gone
 *
 * Context: any; takes &nova_vm.state_lock.
 */
void nova_vm_chan_slot_put(struct nova_vm *vm, u64 va)
{
	spin_lock(&vm->state_lock);
	__clear_bit((va - NOVA_CHAN_WINDOW_START) / NOVA_CHAN_VA_SIZE,
		    &vm->chan_slots);
	spin_unlock(&vm->state_lock);
}

/**
 * nova_vm_exec_usable() - whether a VM takes new EXECs and channels
 * @vm: the VM
 *
 * Context: process context; takes &nova_vm.lock (inside dma_resv locks).
 * Return: false once a bind failed in its execute phase or the VM was
 * destroyed.
 */
bool nova_vm_exec_usable(struct nova_vm *vm)
{
	bool dead;

	mutex_lock(&vm->lock);
	dead = vm->dead;
	mutex_unlock(&vm->lock);
	return !dead && !nova_vm_is_unusable(vm);
}

/**
 * nova_vm_exec_add_deps() - make a job wait for the VM's queued binds
 * @vm: the VM, its reservation locked
 * @job: the scheduler job, initialised
 *
 * Adds the unsignalled bind fences of the VM's reservation to @job's
 * dependencies: every bind pushed before (their fences are added to the
 * reservation under its lock, before the push).
 *
 * Context: process context, under the VM's reservation lock.
 * Return: 0 or -ENOMEM.
 */
int nova_vm_exec_add_deps(struct nova_vm *vm, struct drm_sched_job *job)
{
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	int ret;

	dma_resv_assert_held(resv);
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, fence) {
		if (fence->context != vm->fence_ctx)
			continue;
		ret = drm_sched_job_add_dependency(job, dma_fence_get(fence));
		if (ret)
			return ret;
	}
	return 0;
}

#if IS_ENABLED(CONFIG_DRM_NOVA_KUNIT_TEST)
#include "nova_vm_test.c"
#endif
