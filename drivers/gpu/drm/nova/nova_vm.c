// SPDX-License-Identifier: GPL-2.0
/*
 * nova VMs: GPU virtual address spaces with VM_BIND.
 *
 * A VM is a drm_gpuvm (the driver's view of its mappings) over a nova-core
 * VMM (the GPU page tables), with a drm_sched scheduler whose jobs are
 * binds. The VM_BIND ioctl is the prepare phase: it validates every op,
 * looks up objects and syncobjs, locks the reservations of the VM and of
 * the objects it maps with drm_exec and reserves a fence slot in each,
 * preallocates every drm_gpuva a split can
 * need (three per op: the new mapping and the two pieces a mapping that
 * straddles both ends of the range leaves), asks nova-core to prepare the
 * page tables of each op, and only then - past the point where nothing
 * can fail - updates the drm_gpuvm with drm_gpuvm_sm_map()/sm_unmap(),
 * adds the bind's fence to the locked reservations (BOOKKEEP) and
 * unlocks them before the job can run.
 * The job's run_job is the execute phase: it writes the page tables and
 * flushes the TLB once, inside dma_fence_begin/end_signalling(), with no
 * allocation and no dma_resv lock. Objects and mappings removed by a bind
 * stay referenced until the job is freed, after the GPU stopped using
 * them.
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
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

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
	 * @node: entry in a job's list of preallocated or removed mappings
	 * (owned by the job) or in &nova_vm.graveyard (under
	 * &nova_vm.state_lock).
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
	 * @id: the VM's id in its file. Written once by VM_CREATE, before
	 * the ioctl returns it.
	 */
	u32 id;

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
};

/**
 * struct nova_bind_op - one op of a bind, prepared
 * @op: NOVA_VM_BIND_OP_*
 * @flags: NOVA_VM_BIND_OP_* flags
 * @va: start
 * @range: bytes
 * @bo_offset: offset into @bo
 * @bo: for a map, the object (a reference)
 * @vm_bo: for a map, a preallocated drm_gpuvm_bo
 */
struct nova_bind_op {
	u32 op;
	u32 flags;
	u64 va;
	u64 range;
	u64 bo_offset;
	struct nova_bo *bo;
	struct drm_gpuvm_bo *vm_bo;
};

/**
 * struct nova_bind_sync - a signal operation of a bind
 * @syncobj: the syncobj
 * @chain: for a timeline syncobj, the preallocated chain node
 * @point: the timeline point
 */
struct nova_bind_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

/**
 * struct nova_bind_job - a bind queued on a VM
 * @base: the scheduler job
 * @vm: the VM (a reference)
 * @hw_fence: the bind's fence, what syncobjs, reservations and a
 *	synchronous caller get: signalled when run_job has written the page
 *	tables, or with -ESRCH when the bind was cancelled
 * @vmas: preallocated mappings not used (yet)
 * @removed: mappings removed by the bind, freed with the job
 * @nr_ops: ops in the bind
 * @hw: nova-core operations, one per op
 * @syncs: signal operations
 * @nr_syncs: how many
 * @deps: fences the bind waits for (wait syncs), handed to the scheduler
 *	by prepare_job
 * @nr_deps: how many
 * @next_dep: the next one prepare_job looks at
 * @free_work: frees the job outside the scheduler's work items
 * @pushed: the job was handed to the scheduler (counted in &nova_vm.jobs)
 * @ran: run_job was called (the bind was not cancelled)
 * @ops: the ops
 */
struct nova_bind_job {
	struct drm_sched_job base;
	struct work_struct free_work;
	bool pushed;
	bool ran;
	struct nova_vm *vm;
	struct dma_fence *hw_fence;
	struct list_head vmas;
	struct list_head removed;
	unsigned int nr_ops;
	struct nova_vmm_op **hw;
	struct nova_bind_sync *syncs;
	unsigned int nr_syncs;
	struct dma_fence **deps;
	unsigned int nr_deps;
	unsigned int next_dep;
	struct nova_bind_op ops[] __counted_by(nr_ops);
};

static struct nova_vm *to_nova_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct nova_vm, base);
}

static struct nova_bind_job *to_bind_job(struct drm_sched_job *job)
{
	return container_of(job, struct nova_bind_job, base);
}

static const char *nova_fence_driver_name(struct dma_fence *fence)
{
	return "nova";
}

static const char *nova_fence_timeline_name(struct dma_fence *fence)
{
	return "nova-bind";
}

static const struct dma_fence_ops nova_bind_fence_ops = {
	.get_driver_name = nova_fence_driver_name,
	.get_timeline_name = nova_fence_timeline_name,
};

/**
 * struct nova_bind_fence - a bind's fence, standing on its own
 *
 * Userspace can keep a bind's fence (in a syncobj, a sync_file) long
 * after the VM and its scheduler are gone: unlike the scheduler's own
 * fences, this one refers to nothing else (its lock is its own, its names
 * are constant) and is freed by dma_fence_free() (the default release) as
 * @base comes first.
 */
struct nova_bind_fence {
	/** @base: the fence. */
	struct dma_fence base;

	/** @lock: the lock of @base. */
	spinlock_t lock; /* of @base */
};

static struct dma_fence *nova_bind_fence_alloc(void)
{
	struct nova_bind_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	BUILD_BUG_ON(offsetof(struct nova_bind_fence, base));

	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	return &f->base;
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

	job->ran = true;
	if (!drm_dev_enter(&vm->ndev->drm, &idx)) {
		/* The device was unplugged: its GPU is gone. */
		ret = -ENODEV;
	} else {
		ret = nova_vmm_execute(job->hw, job->nr_ops);
		drm_dev_exit(idx);
	}
	if (ret)
		nova_vm_record_error(vm, ret);
	return ret;
}

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
		dma_fence_set_error(job->hw_fence, ret);
	dma_fence_signal(job->hw_fence);
	/* The page tables are written: an inline bind may follow. */
	atomic_dec_return_release(&vm->queued);
	dma_fence_end_signalling(cookie);
	return dma_fence_get(job->hw_fence);
}

static enum drm_gpu_sched_stat nova_bind_timedout_job(struct drm_sched_job *job)
{
	/* run_job completes synchronously: nothing can be stuck on the GPU. */
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/* Free removed mappings and drop the references on their objects. */
static void nova_vmas_free(struct list_head *list)
{
	struct nova_vma *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, list, node) {
		if (vma->obj)
			drm_gem_object_put(vma->obj);
		kfree(vma);
	}
	INIT_LIST_HEAD(list);
}

static void nova_bind_job_free(struct nova_bind_job *job)
{
	struct nova_vma *vma, *tmp;
	unsigned int i;

	for (i = 0; i < job->nr_ops; i++) {
		struct nova_bind_op *op = &job->ops[i];

		if (job->hw && job->hw[i])
			nova_vmm_op_release(job->hw[i]);
		if (op->vm_bo) {
			mutex_lock(&op->bo->gpuva_lock);
			drm_gpuvm_bo_put(op->vm_bo);
			mutex_unlock(&op->bo->gpuva_lock);
		}
		if (op->bo)
			drm_gem_object_put(&op->bo->base);
	}
	/*
	 * A cancelled bind did not unmap what it removed from the VM: the GPU
	 * may still reach it until the VM's page tables are gone.
	 */
	if (job->pushed && !job->ran && !list_empty(&job->removed)) {
		spin_lock(&job->vm->state_lock);
		list_splice_init(&job->removed, &job->vm->graveyard);
		spin_unlock(&job->vm->state_lock);
	}
	nova_vmas_free(&job->removed);
	list_for_each_entry_safe(vma, tmp, &job->vmas, node)
		kfree(vma);
	for (i = 0; i < job->nr_syncs; i++) {
		if (job->syncs[i].syncobj)
			drm_syncobj_put(job->syncs[i].syncobj);
		dma_fence_chain_free(job->syncs[i].chain);
	}
	kfree(job->syncs);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i]);
	kfree(job->deps);
	kfree(job->hw);
	if (job->hw_fence && !job->hw_fence->ops) {
		/* Never initialised: the bind failed in the ioctl. */
		kfree(job->hw_fence);
	} else if (job->hw_fence) {
		/* A job killed before it ran still signals its fence. */
		if (!dma_fence_is_signaled(job->hw_fence)) {
			dma_fence_set_error(job->hw_fence, -ESRCH);
			dma_fence_signal(job->hw_fence);
		}
		dma_fence_put(job->hw_fence);
	}
	if (job->vm) {
		struct nova_vm *vm = job->vm;
		bool pushed = job->pushed;

		/*
		 * Drop the reference first: a VM being destroyed waits for
		 * its jobs while holding its own, so that it is freed there.
		 */
		/* A cancelled job never ran: it leaves the queue here. */
		if (pushed && !job->ran)
			atomic_dec(&vm->queued);
		drm_gpuvm_put(&vm->base);
		if (pushed && atomic_dec_and_test(&vm->jobs))
			wake_up_all(&vm->jobs_wq);
	}
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

static struct nova_vma *nova_job_take_vma(struct nova_bind_job *job)
{
	struct nova_vma *vma = list_first_entry_or_null(&job->vmas,
							 struct nova_vma, node);

	if (WARN_ON(!vma))
		return NULL;
	list_del_init(&vma->node);
	return vma;
}

/* A mapping leaves the VM: keep it and its object until the job is freed. */
static void nova_job_remove_vma(struct nova_bind_job *job, struct drm_gpuva *va)
{
	struct nova_vma *vma = container_of(va, struct nova_vma, base);
	struct drm_gem_object *obj = va->gem.obj;

	vma->obj = obj;
	drm_gem_object_get(obj);
	mutex_lock(&to_nova_bo(obj)->gpuva_lock);
	drm_gpuva_unlink(va);
	mutex_unlock(&to_nova_bo(obj)->gpuva_lock);
	list_add_tail(&vma->node, &job->removed);
}

/**
 * struct nova_sm_ctx - what the drm_gpuvm split/merge steps work on
 * @job: the bind
 * @op: the op being applied
 */
struct nova_sm_ctx {
	struct nova_bind_job *job;
	struct nova_bind_op *op;
};

static int nova_sm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct nova_sm_ctx *ctx = priv;
	struct nova_vma *vma = nova_job_take_vma(ctx->job);
	struct nova_bo *bo = ctx->op->bo;
	struct drm_gpuvm_bo *vm_bo;

	if (!vma)
		return -EINVAL;
	drm_gpuva_map(&ctx->job->vm->base, &vma->base, &op->map);
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
	struct nova_bo *bo = to_nova_bo(old->gem.obj);
	struct nova_vma *prev = NULL, *next = NULL;

	if (op->remap.prev)
		prev = nova_job_take_vma(ctx->job);
	if (op->remap.next)
		next = nova_job_take_vma(ctx->job);
	if ((op->remap.prev && !prev) || (op->remap.next && !next))
		return -EINVAL;
	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	mutex_lock(&bo->gpuva_lock);
	if (prev)
		drm_gpuva_link(&prev->base, old->vm_bo);
	if (next)
		drm_gpuva_link(&next->base, old->vm_bo);
	mutex_unlock(&bo->gpuva_lock);
	nova_job_remove_vma(ctx->job, old);
	return 0;
}

static int nova_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct nova_sm_ctx *ctx = priv;
	struct drm_gpuva *va = op->unmap.va;

	drm_gpuva_unmap(&op->unmap);
	nova_job_remove_vma(ctx->job, va);
	return 0;
}

static void nova_vm_free(struct drm_gpuvm *gpuvm)
{
	struct nova_vm *vm = to_nova_vm(gpuvm);

	drm_sched_fini(&vm->sched);
	nova_vmm_destroy(vm->vmm);
	/* The page tables are gone: what cancelled binds removed can go. */
	nova_vmas_free(&vm->graveyard);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops nova_gpuvm_ops = {
	.vm_free = nova_vm_free,
	.sm_step_map = nova_sm_step_map,
	.sm_step_remap = nova_sm_step_remap,
	.sm_step_unmap = nova_sm_step_unmap,
};

static struct nova_vm *nova_vm_create(struct nova_device *ndev)
{
	struct drm_sched_init_args args = {
		.ops = &nova_bind_sched_ops,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "nova-bind",
		.dev = ndev->drm.dev,
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

	vm->vmm = nova_vmm_create(ndev->core, NOVA_VA_START, nova_va_end(ndev));
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
	r_obj = drm_gpuvm_resv_object_alloc(&ndev->drm);
	if (!r_obj) {
		ret = -ENOMEM;
		goto err_entity;
	}
	drm_gpuvm_init(&vm->base, "nova", 0, &ndev->drm, r_obj, NOVA_VA_START,
		       nova_va_end(ndev) - NOVA_VA_START, 0, 0, &nova_gpuvm_ops);
	drm_gem_object_put(r_obj);
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
 * Tear a VM down: cancel the binds still queued (their fences signal
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
	drm_sched_entity_fini(&vm->entity);
	/* Every job freed: what they unmapped is released, the VM is ours. */
	wait_event(vm->jobs_wq, !atomic_read(&vm->jobs));
	mutex_lock(&vm->lock);
	/* An unplugged device's GPU maps nothing any more. */
	if (drm_dev_enter(&vm->ndev->drm, &idx)) {
		unmapped = nova_vm_unmap_all(vm);
		drm_dev_exit(idx);
	}
	drm_gpuvm_for_each_va_safe(va, next, &vm->base) {
		struct drm_gem_object *obj = va->gem.obj;
		struct nova_bo *bo = to_nova_bo(obj);

		/* The GPU stops using the object before it can be freed. */
		if (!unmapped && drm_dev_enter(&vm->ndev->drm, &idx)) {
			nova_vmm_unmap(vm->vmm, va->va.addr, va->va.range);
			drm_dev_exit(idx);
		}
		drm_gpuva_remove(va);
		drm_gem_object_get(obj);
		mutex_lock(&bo->gpuva_lock);
		drm_gpuva_unlink(va);
		mutex_unlock(&bo->gpuva_lock);
		drm_gem_object_put(obj);
		kfree(container_of(va, struct nova_vma, base));
	}
	mutex_unlock(&vm->lock);
	/* The PDB may serve another VM next: forget this one's faults. */
	nova_core_faults_clear(vm->ndev->core, nova_vmm_pdb(vm->vmm), U64_MAX);
	drm_gpuvm_put(&vm->base);
}

static struct nova_vm *nova_vm_lookup(struct nova_file *nfile, u32 id)
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
	vm = nova_vm_create(to_nova_device(drm));
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = xa_alloc(&nfile->vms, &id, vm, XA_LIMIT(1, NOVA_MAX_VMS),
		       GFP_KERNEL);
	if (ret) {
		nova_vm_destroy(vm);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	vm->id = id;
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
	vm = xa_erase(&nfile->vms, args->id);
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

/*
 * Copy an array of user structures of @stride bytes into kernel
 * structures of @size bytes: shorter ones are zero-extended, longer ones
 * must be zero past @size.
 */
static void *nova_copy_array(const struct drm_nova_obj_array *arr, size_t size,
			     u32 max)
{
	void __user *uptr = u64_to_user_ptr(arr->array);
	u8 *out;
	u32 i;
	int ret;

	if (!arr->count)
		return NULL;
	if (arr->count > max || !arr->stride)
		return ERR_PTR(-EINVAL);
	out = kvcalloc(arr->count, size, GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < arr->count; i++) {
		ret = copy_struct_from_user(out + i * size, size,
					    uptr + (size_t)i * arr->stride,
					    arr->stride);
		if (ret) {
			kvfree(out);
			return ERR_PTR(ret == -E2BIG ? -EINVAL : ret);
		}
	}
	return out;
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
		if (op->flags & ~NOVA_VM_BIND_OP_READ_ONLY)
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

static int nova_bind_check_sync(const struct drm_nova_sync *sync)
{
	u32 type = sync->flags & NOVA_SYNC_TYPE_MASK;

	if (sync->flags & ~(NOVA_SYNC_TYPE_MASK | NOVA_SYNC_SIGNAL))
		return -EINVAL;
	if (type != NOVA_SYNC_SYNCOBJ && type != NOVA_SYNC_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == NOVA_SYNC_SYNCOBJ && sync->timeline_value)
		return -EINVAL;
	return 0;
}

static int nova_bind_parse_syncs(struct nova_bind_job *job,
				 struct drm_file *file,
				 const struct drm_nova_sync *syncs, u32 count)
{
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < count; i++) {
		ret = nova_bind_check_sync(&syncs[i]);
		if (ret)
			return ret;
		if (syncs[i].flags & NOVA_SYNC_SIGNAL)
			n++;
	}
	job->syncs = kcalloc(n, sizeof(*job->syncs), GFP_KERNEL);
	if (n && !job->syncs)
		return -ENOMEM;
	job->deps = kcalloc(count - n, sizeof(*job->deps), GFP_KERNEL);
	if (count - n && !job->deps)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const struct drm_nova_sync *s = &syncs[i];
		struct nova_bind_sync *bs;

		if (!(s->flags & NOVA_SYNC_SIGNAL)) {
			ret = drm_syncobj_find_fence(file, s->handle,
						     s->timeline_value, 0,
						     &job->deps[job->nr_deps]);
			if (ret)
				return ret;
			job->nr_deps++;
			continue;
		}
		bs = &job->syncs[job->nr_syncs++];
		bs->syncobj = drm_syncobj_find(file, s->handle);
		if (!bs->syncobj)
			return -ENOENT;
		if ((s->flags & NOVA_SYNC_TYPE_MASK) == NOVA_SYNC_TIMELINE_SYNCOBJ) {
			bs->chain = dma_fence_chain_alloc();
			if (!bs->chain)
				return -ENOMEM;
			bs->point = s->timeline_value;
		}
	}
	return 0;
}

/*
 * Validate, prepare, and execute or queue a bind (see nova_ioctl_vm_bind()).
 * A synchronous bind of a VM with nothing queued executes here and its
 * result is returned; for one that had to be queued, *@sync_done gets a
 * reference on the fence to wait for.
 */
static int nova_vm_bind_submit(struct drm_device *drm,
			       struct drm_nova_vm_bind *args,
			       struct drm_file *file,
			       struct dma_fence **sync_done)
{
	struct nova_device *ndev = to_nova_device(drm);
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_vm_bind_op *uops = NULL;
	struct drm_nova_sync *usyncs = NULL;
	struct dma_fence *done = NULL;
	struct nova_bind_job *job = NULL;
	bool async = args->flags & NOVA_VM_BIND_ASYNC;
	bool inited = false, locked = false, cookie;
	struct drm_exec exec;
	struct nova_vm *vm;
	unsigned int i;
	int ret;

	if (args->flags & ~NOVA_VM_BIND_ASYNC)
		return -EINVAL;
	if (!args->ops.count || args->ops.count > NOVA_MAX_BIND_OPS)
		return -EINVAL;
	if (!async && args->syncs.count)
		return -EINVAL;
	if (args->syncs.count > NOVA_MAX_SYNCS)
		return -EINVAL;

	uops = nova_copy_array(&args->ops, sizeof(*uops), NOVA_MAX_BIND_OPS);
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	usyncs = nova_copy_array(&args->syncs, sizeof(*usyncs), NOVA_MAX_SYNCS);
	if (IS_ERR(usyncs)) {
		ret = PTR_ERR(usyncs);
		usyncs = NULL;
		goto out_free;
	}
	for (i = 0; i < args->ops.count; i++) {
		ret = nova_bind_check_op(ndev, &uops[i]);
		if (ret)
			goto out_free;
	}

	vm = nova_vm_lookup(nfile, args->vm_id);
	if (!vm) {
		ret = -ENOENT;
		goto out_free;
	}
	/* After a failed bind, the VM only takes unmaps (and VM_DESTROY). */
	if (nova_vm_is_unusable(vm)) {
		for (i = 0; i < args->ops.count; i++) {
			if (uops[i].op == NOVA_VM_BIND_OP_MAP) {
				ret = -ECANCELED;
				goto out_put_vm;
			}
		}
	}

	job = kvzalloc(struct_size(job, ops, args->ops.count), GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto out_put_vm;
	}
	job->nr_ops = args->ops.count;
	/* The job's own reference: the job may be freed before we return. */
	job->vm = vm;
	drm_gpuvm_get(&vm->base);
	INIT_LIST_HEAD(&job->vmas);
	INIT_LIST_HEAD(&job->removed);
	job->hw = kcalloc(job->nr_ops, sizeof(*job->hw), GFP_KERNEL);
	job->hw_fence = nova_bind_fence_alloc();
	if (!job->hw || !job->hw_fence)
		goto err_nomem;

	/* Objects, and every mapping a split can need. */
	for (i = 0; i < job->nr_ops; i++) {
		struct nova_bind_op *op = &job->ops[i];
		struct drm_gem_object *obj;
		int k;

		op->op = uops[i].op;
		op->flags = uops[i].flags;
		op->va = uops[i].va;
		op->range = uops[i].range;
		op->bo_offset = uops[i].bo_offset;
		for (k = 0; k < 3; k++) {
			struct nova_vma *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

			if (!vma)
				goto err_nomem;
			list_add(&vma->node, &job->vmas);
		}
		if (op->op != NOVA_VM_BIND_OP_MAP)
			continue;
		obj = drm_gem_object_lookup(file, uops[i].handle);
		if (!obj) {
			ret = -ENOENT;
			goto err_job;
		}
		op->bo = to_nova_bo(obj);
		if (op->bo_offset + op->range > obj->size) {
			ret = -EINVAL;
			goto err_job;
		}
		op->vm_bo = drm_gpuvm_bo_create(&vm->base, obj);
		if (!op->vm_bo)
			goto err_nomem;
	}

	ret = drm_sched_job_init(&job->base, &vm->entity, 1, vm, file->client_id);
	if (ret)
		goto err_job;
	inited = true;
	ret = nova_bind_parse_syncs(job, file, usyncs, args->syncs.count);
	if (ret)
		goto err_job;

	/* The VM's and the objects' reservations, a fence slot in each. */
	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES,
		      job->nr_ops + 1);
	locked = true;
	drm_exec_until_all_locked(&exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, &exec, 1);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			goto err_job;
		for (i = 0; i < job->nr_ops; i++) {
			if (!job->ops[i].bo)
				continue;
			ret = drm_exec_prepare_obj(&exec, &job->ops[i].bo->base, 1);
			drm_exec_retry_on_contention(&exec);
			if (ret)
				goto err_job;
		}
	}

	mutex_lock(&vm->lock);
	/* VM_DESTROY came between our lookup and here: the VM is gone. */
	if (vm->dead) {
		mutex_unlock(&vm->lock);
		ret = -ENOENT;
		goto err_job;
	}
	/* Page tables: the last step that can fail. */
	for (i = 0; i < job->nr_ops; i++) {
		struct nova_bind_op *op = &job->ops[i];
		u32 flags = (op->flags & NOVA_VM_BIND_OP_READ_ONLY) ?
			    NOVA_MAP_READ_ONLY : 0;

		if (op->op == NOVA_VM_BIND_OP_MAP)
			job->hw[i] = nova_vmm_prepare_map(vm->vmm, op->va, op->range,
							  op->bo->vram, op->bo_offset,
							  flags);
		else
			job->hw[i] = nova_vmm_prepare_unmap(vm->vmm, op->va, op->range);
		if (IS_ERR(job->hw[i])) {
			ret = PTR_ERR(job->hw[i]);
			job->hw[i] = NULL;
			mutex_unlock(&vm->lock);
			goto err_job;
		}
	}

	/* Point of no return: the driver's view of the VM moves on. */
	for (i = 0; i < job->nr_ops; i++) {
		struct nova_bind_op *op = &job->ops[i];
		struct nova_sm_ctx ctx = { .job = job, .op = op };

		if (op->op == NOVA_VM_BIND_OP_MAP)
			ret = drm_gpuvm_sm_map(&vm->base, &ctx, op->va, op->range,
					       &op->bo->base, op->bo_offset);
		else
			ret = drm_gpuvm_sm_unmap(&vm->base, &ctx, op->va, op->range);
		/* Preallocation covers every split: nothing can fail here. */
		WARN_ON(ret);
	}

	if (!async && !atomic_read_acquire(&vm->queued)) {
		/* Nothing queued: execute here, after every earlier bind. */
		drm_exec_fini(&exec);
		cookie = dma_fence_begin_signalling();
		ret = nova_bind_execute(job);
		dma_fence_end_signalling(cookie);
		mutex_unlock(&vm->lock);
		atomic64_inc(&ndev->binds_inline);
		drm_sched_job_cleanup(&job->base);
		nova_bind_job_free(job);
		drm_gpuvm_put(&vm->base);
		goto out_free;
	}

	dma_fence_init(job->hw_fence, &nova_bind_fence_ops,
		       &container_of(job->hw_fence, struct nova_bind_fence, base)->lock,
		       vm->fence_ctx, ++vm->seqno);
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(job->hw_fence);
	for (i = 0; i < job->nr_syncs; i++) {
		struct nova_bind_sync *bs = &job->syncs[i];

		if (bs->chain) {
			drm_syncobj_add_point(bs->syncobj, bs->chain, done, bs->point);
			bs->chain = NULL;
		} else {
			drm_syncobj_replace_fence(bs->syncobj, done);
		}
	}
	/* Whoever waits for the VM or an object to be idle waits for the bind. */
	drm_gpuvm_resv_add_fence(&vm->base, &exec, done, DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	job->pushed = true;
	atomic_inc(&vm->jobs);
	atomic_inc(&vm->queued);
	atomic64_inc(&ndev->binds_queued);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&vm->lock);
	drm_exec_fini(&exec);

	ret = 0;
	if (!async)
		*sync_done = dma_fence_get(done);
	dma_fence_put(done);
	drm_gpuvm_put(&vm->base);
	goto out_free;

err_nomem:
	ret = -ENOMEM;
err_job:
	if (locked)
		drm_exec_fini(&exec);
	if (inited)
		drm_sched_job_cleanup(&job->base);
	nova_bind_job_free(job);
out_put_vm:
	drm_gpuvm_put(&vm->base);
out_free:
	kvfree(uops);
	kvfree(usyncs);
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
	u64 bytes = 0;
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
	}
	mutex_unlock(&vm->lock);
	spin_lock(&vm->state_lock);
	args->state = vm->unusable ? NOVA_VM_STATE_UNUSABLE : NOVA_VM_STATE_USABLE;
	args->bind_error = vm->bind_error;
	spin_unlock(&vm->state_lock);
	args->num_mappings = n;
	args->mapped_bytes = bytes;
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

	mutex_lock(&ndev->drm.filelist_mutex);
	list_for_each_entry(file, &ndev->drm.filelist, lhead) {
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
				seq_printf(m, "  0x%llx-0x%llx bo_offset 0x%llx\n",
					   va->va.addr, va->va.addr + va->va.range,
					   va->gem.offset);
			mutex_unlock(&vm->lock);
			drm_gpuvm_put(&vm->base);
		}
	}
	mutex_unlock(&ndev->drm.filelist_mutex);
}

#if IS_ENABLED(CONFIG_DRM_NOVA_KUNIT_TEST)
#include "nova_vm_test.c"
#endif
