// SPDX-License-Identifier: GPL-2.0
/*
 * nova channels and EXEC: userspace pushbuffers run by the GPU.
 */
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>
#include <drm/nova_drm.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "nova_drv.h"

/**
 * DOC: channels and EXEC
 *
 * A channel (&struct nova_channel) is a nova-core user channel
 * (nova_chan_create_user()) on the GPU address space of one VM, with one
 * drm_sched scheduler and entity of its own. Its ring, USERD and fence
 * memory lie in a 64 KiB slot of the VM's channel window
 * [%NOVA_CHAN_WINDOW_START, %NOVA_VA_START), below the range userspace
 * binds in, read-only to the channel's engines; completion is read from
 * what the host writes (GP_GET), so commands cannot forge it.
 *
 * The EXEC ioctl is the prepare phase: it validates everything, copies
 * the pushes into the job (&struct nova_exec_job) with the fence that
 * nova-core will signal (preallocated), turns the wait syncs into
 * scheduler dependencies, locks the VM's reservation and those of its
 * external objects (drm_gpuvm_exec_lock()), makes the job depend on every
 * bind of the VM queued before it (the bind fences in the VM's
 * reservation, nova_vm_exec_add_deps()) and on the %DMA_RESV_USAGE_KERNEL
 * fences of every reservation locked, arms it, adds its fence to those
 * reservations with %DMA_RESV_USAGE_BOOKKEEP and pushes it; the signal
 * syncs get the fence last.
 *
 * Implicit sync with dma-buf importers follows the explicit model of xe
 * and Vulkan: an EXEC does not wait for the %DMA_RESV_USAGE_READ and
 * %DMA_RESV_USAGE_WRITE fences of its objects, and its own fence, being
 * %DMA_RESV_USAGE_BOOKKEEP, is not one importers see. Userspace publishes
 * an EXEC's writes to importers by importing its out-fence into the
 * dma-buf (a syncobj exported as a sync_file, then
 * %DMA_BUF_IOCTL_IMPORT_SYNC_FILE), and consumes another device's writes
 * by exporting them (%DMA_BUF_IOCTL_EXPORT_SYNC_FILE) into a syncobj the
 * EXEC waits for. The wait syncs are not scheduler dependencies
 * of their own: prepare_job hands them to the scheduler one at a time, and
 * none once the channel is stopped, so that a stopped channel's queued
 * jobs fail at once instead of waiting for fences that another process
 * may never signal. The EXEC's fence is a standalone one
 * (see DOC: standalone fences) that a callback on the scheduler's finished
 * fence signals with its error: it may outlive the channel's scheduler,
 * which the scheduler's fences must not (their timeline name lives
 * there). Nothing can fail after the
 * job is armed.
 *
 * run_job is the execute phase: inside dma_fence_begin/end_signalling(),
 * without allocating or taking a dma_resv lock, it hands the pushes and
 * the preallocated fence to nova_chan_submit(), which writes the GP
 * entries, a fence entry and rings the doorbell. A job takes one
 * scheduler credit per push plus one for the fence entry; the credit
 * limit is the ring's free entries less one, so submitting never finds
 * the ring full.
 *
 * Errors: a job that does not finish within %NOVA_GETPARAM_EXEC_TIMEOUT_MS
 * (module parameter exec_timeout_ms) stops its channel for good
 * (nova_chan_stop() with -ETIMEDOUT): the running and queued jobs fail
 * with -ETIMEDOUT. An MMU fault stops it with -EFAULT (nova-core; the
 * fault is recorded for the VM's page directory and VM_GET_STATE lists
 * it). A stopped channel refuses EXECs with -ECANCELED. Other channels are
 * not affected.
 *
 * VM_DESTROY (and file close, which destroys the file's VMs before letting
 * go of its channels) stops the channels of the VM before it unmaps
 * anything (nova_exec_vm_stop()): each stops for good with -ESRCH, the
 * error cancelled binds get, so its running job and the jobs queued behind
 * it on the ring fail with -ESRCH, and its entity is torn down at once:
 * jobs not handed to the GPU yet fail with -ESRCH too, without waiting for
 * their wait syncs. The GPU then never runs on the torn-down address
 * space, so no MMU fault is recorded. The channel keeps its id until
 * CHANNEL_DESTROY or close; CHANNEL_GET_STATE reports it dead with -ESRCH,
 * EXEC on it fails with -ECANCELED.
 *
 * Lifetimes: the file's xarray holds a reference on a channel, each job
 * one; the channel holds one on its VM, which keeps the GPU address space
 * (and the channel's slot in it) alive. CHANNEL_DESTROY releases the id
 * at once, gives the queued jobs of a working channel up to the EXEC
 * timeout to reach the GPU (jobs still waiting for their syncs after that
 * are cancelled: their fences fail with -ESRCH), and drops the file's
 * reference; file close does the same after destroying the file's VMs,
 * which stopped the channels, so it waits for nothing. The last job's
 * release frees the channel, from nova's cleanup workqueue (it stops the
 * channel's scheduler).
 */

unsigned int nova_exec_timeout_ms = 5000;
module_param_named(exec_timeout_ms, nova_exec_timeout_ms, uint, 0444);
MODULE_PARM_DESC(exec_timeout_ms,
		 "How long an EXEC may run before its channel is stopped, in ms (default 5000)");

/**
 * struct nova_channel - a user channel of a DRM file
 *
 * Reference counted (@ref): the file's xarray holds one until
 * CHANNEL_DESTROY or close, each lookup one, each job one.
 */
struct nova_channel {
	/** @ref: the references. */
	struct kref ref;

	/** @ndev: the device. Never changes. */
	struct nova_device *ndev;

	/** @vm: the VM (a reference). Never changes. */
	struct nova_vm *vm;

	/** @va: the channel's slot in the VM's channel window. Never changes. */
	u64 va;

	/** @chan: the nova-core channel. Never changes; nova-core locks it. */
	struct nova_chan *chan;

	/** @sched: the channel's scheduler; drm_sched locks it itself. */
	struct drm_gpu_scheduler sched;

	/**
	 * @entity: the scheduler's entity. Jobs are armed and pushed to it
	 * under @submit_lock; drm_sched_entity_fini() runs once, when the
	 * file lets go of the channel.
	 */
	struct drm_sched_entity entity;

	/**
	 * @submit_lock: orders arming and pushing of jobs (their seqnos
	 * follow the push order). Taken inside the dma_resv locks; nothing
	 * is allocated under it; never taken in the signalling path.
	 */
	struct mutex submit_lock; /* job arm and push order */

	/**
	 * @queued: jobs pushed whose run_job has not been called. Atomic:
	 * incremented under @submit_lock, decremented by run_job or a
	 * cancelled job's release; @idle_wq is woken when it drops.
	 */
	atomic_t queued;

	/** @idle_wq: woken when @queued drops. */
	wait_queue_head_t idle_wq;

	/** @submitted: EXECs pushed. Atomic. */
	atomic64_t submitted;

	/** @completed: EXECs whose finished fence signalled. Atomic. */
	atomic64_t completed;

	/**
	 * @usage: the creating file's usage counters (a reference); never
	 * changes. Its copy time grows as the channel's EXECs complete.
	 */
	struct nova_usage *usage;

	/**
	 * @busy_end: when the last completed EXEC ended (ktime_get_raw_ns()),
	 * so that EXECs queued back to back on the ring are not counted
	 * twice. Atomic: written by the completion callback.
	 */
	atomic64_t busy_end;

	/** @fence_ctx: context of the EXEC fences. Never changes. */
	u64 fence_ctx;

	/** @seqno: last EXEC fence seqno. Protected by @submit_lock. */
	u64 seqno;

	/**
	 * @closed: the file let go of the channel: no job is pushed any
	 * more (an EXEC that looked it up before fails with -ENOENT).
	 * Protected by @submit_lock.
	 */
	bool closed;

	/**
	 * @entity_gone: drm_sched_entity_fini() ran or is running (see
	 * nova_channel_kill_entity()): no job is pushed any more (EXEC
	 * fails with -ECANCELED). Protected by @submit_lock.
	 */
	bool entity_gone;

	/**
	 * @vm_stopped: nova_exec_vm_stop() took the channel in hand.
	 * Protected by &nova_device.chan_lock.
	 */
	bool vm_stopped;

	/** @node: entry in &nova_device.channels, under its chan_lock. */
	struct list_head node;
};

/**
 * struct nova_exec_job - one EXEC
 *
 * The ioctl owns it until it pushes it; the scheduler then, until
 * free_job, which hands it to nova's cleanup workqueue to free.
 */
struct nova_exec_job {
	/** @base: the scheduler job. */
	struct drm_sched_job base;

	/** @ch: the channel (a reference). Never changes. */
	struct nova_channel *ch;

	/**
	 * @hw_fence: the preallocated nova-core fence, until run_job hands
	 * it to nova_chan_submit() (which takes it, also on failure).
	 */
	struct nova_chan_fence *hw_fence;

	/** @pushed: the job went to the scheduler. Set before the push. */
	bool pushed;

	/** @ran: run_job was called. Set by run_job, read on release. */
	bool ran;

	/**
	 * @start_ns: when run_job handed the job to the GPU
	 * (ktime_get_raw_ns()). Set by run_job, read on completion.
	 */
	u64 start_ns;

	/**
	 * @out: the EXEC's fence (see DOC: standalone fences), what syncobjs and
	 * reservations get; a reference. Initialised when the job is armed,
	 * signalled (with the job's error) when the scheduler's finished
	 * fence is. The pointer never changes; the fence has its own lock.
	 */
	struct dma_fence *out;

	/**
	 * @done_cb: on the finished fence: signals @out and counts the job
	 * in &nova_channel.completed.
	 */
	struct dma_fence_cb done_cb;

	/** @free_work: frees the job from nova's cleanup workqueue. */
	struct work_struct free_work;

	/**
	 * @deps: the wait syncs' fences (references), handed to the
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

	/** @nr_pushes: pushes. Never changes. */
	u32 nr_pushes;

	/** @pushes: the pushes, checked. Read-only once the job is pushed. */
	struct nova_chan_push pushes[] __counted_by(nr_pushes);
};

static struct nova_exec_job *to_exec_job(struct drm_sched_job *job)
{
	return container_of(job, struct nova_exec_job, base);
}

static void nova_channel_free(struct nova_channel *ch)
{
	mutex_lock(&ch->ndev->chan_lock);
	list_del(&ch->node);
	mutex_unlock(&ch->ndev->chan_lock);
	drm_sched_fini(&ch->sched);
	nova_chan_destroy(ch->chan);
	nova_vm_chan_slot_put(ch->vm, ch->va);
	nova_vm_put(ch->vm);
	nova_usage_put(ch->usage);
	mutex_destroy(&ch->submit_lock);
	kfree(ch);
}

static void nova_channel_release(struct kref *ref)
{
	nova_channel_free(container_of(ref, struct nova_channel, ref));
}

static void nova_channel_put(struct nova_channel *ch)
{
	kref_put(&ch->ref, nova_channel_release);
}

static void nova_exec_job_free(struct nova_exec_job *job)
{
	struct nova_channel *ch = job->ch;
	unsigned int i;

	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i]);
	kfree(job->deps);
	nova_chan_fence_free(job->hw_fence);
	if (job->out && !job->out->ops)
		kfree(job->out);	/* never initialised: not pushed */
	else if (job->out)
		dma_fence_put(job->out);
	/* Cancelled before it ran: it leaves the queue here. */
	if (job->pushed && !job->ran && atomic_dec_and_test(&ch->queued))
		wake_up_all(&ch->idle_wq);
	kfree(job);
	nova_channel_put(ch);
}

static void nova_exec_free_work(struct work_struct *work)
{
	nova_exec_job_free(container_of(work, struct nova_exec_job, free_work));
}

/*
 * The job may hold the channel's last reference, whose release stops the
 * channel's scheduler: free it from nova's cleanup workqueue.
 */
static void nova_exec_free_job(struct drm_sched_job *sched_job)
{
	struct nova_exec_job *job = to_exec_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	INIT_WORK(&job->free_work, nova_exec_free_work);
	queue_work(job->ch->ndev->cleanup_wq, &job->free_work);
}

/*
 * The wait syncs, one at a time; none once the channel is stopped: run_job
 * then fails the job with the channel's error, and tearing the entity down
 * does not wait for them either (they are not in the job's dependencies).
 */
static struct dma_fence *nova_exec_prepare_job(struct drm_sched_job *sched_job,
					       struct drm_sched_entity *entity)
{
	struct nova_exec_job *job = to_exec_job(sched_job);

	while (job->next_dep < job->nr_deps) {
		struct dma_fence *f = job->deps[job->next_dep++];

		if (nova_chan_error(job->ch->chan))
			return NULL;
		if (!dma_fence_is_signaled(f))
			return dma_fence_get(f);
	}
	return NULL;
}

/*
 * The execute phase: hand the pushes to nova-core with the preallocated
 * fence. No allocation, no dma_resv lock; nova_chan_submit() takes only
 * the channel's spinlock.
 */
static struct dma_fence *nova_exec_run_job(struct drm_sched_job *sched_job)
{
	struct nova_exec_job *job = to_exec_job(sched_job);
	struct nova_chan_fence *f = job->hw_fence;
	struct nova_channel *ch = job->ch;
	struct dma_fence *fence;
	bool cookie;
	int err;

	cookie = dma_fence_begin_signalling();
	job->hw_fence = NULL;
	job->ran = true;
	job->start_ns = ktime_get_raw_ns();
	err = sched_job->s_fence->finished.error;
	if (err) {
		nova_chan_fence_free(f);
		fence = ERR_PTR(err);
	} else {
		/* Takes @f, also when it fails (a stopped channel). */
		fence = nova_chan_submit(ch->chan, job->pushes, job->nr_pushes, f);
	}
	if (atomic_dec_and_test(&ch->queued))
		wake_up_all(&ch->idle_wq);
	dma_fence_end_signalling(cookie);
	return fence;
}

/*
 * A job ran past the timeout: stop the channel for good first, which
 * fails its nova-core fences (this job's and those behind it on the ring)
 * with -ETIMEDOUT and so completes their jobs with that error; then let
 * the scheduler take the completed jobs off its list (drm_sched_stop()
 * frees them, this one through free_guilty) and restart. Stopping the
 * scheduler first would detach the jobs from their fences, and
 * drm_sched_start() would complete them with -ECANCELED instead.
 */
static enum drm_gpu_sched_stat nova_exec_timedout_job(struct drm_sched_job *sched_job)
{
	struct nova_exec_job *job = to_exec_job(sched_job);

	nova_chan_stop(job->ch->chan, -ETIMEDOUT);
	drm_sched_stop(&job->ch->sched, sched_job);
	drm_sched_start(&job->ch->sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static const struct drm_sched_backend_ops nova_exec_sched_ops = {
	.prepare_job = nova_exec_prepare_job,
	.run_job = nova_exec_run_job,
	.timedout_job = nova_exec_timedout_job,
	.free_job = nova_exec_free_job,
};

static struct nova_channel *nova_channel_lookup(struct nova_file *nfile,
						u32 id)
{
	struct nova_channel *ch;

	xa_lock(&nfile->channels);
	ch = xa_load(&nfile->channels, id);
	if (ch)
		kref_get(&ch->ref);
	xa_unlock(&nfile->channels);
	return ch;
}

/*
 * Tear the channel's entity down, once: jobs not handed to the GPU yet
 * fail with -ESRCH (after the job the GPU runs, if any), and no job is
 * pushed any more.
 */
static void nova_channel_kill_entity(struct nova_channel *ch)
{
	bool kill;

	mutex_lock(&ch->submit_lock);
	kill = !ch->entity_gone;
	ch->entity_gone = true;
	mutex_unlock(&ch->submit_lock);
	if (kill)
		drm_sched_entity_fini(&ch->entity);
}

/*
 * The file lets go of a channel: no EXEC is pushed to it any more. Queued
 * jobs of a working channel get up to the EXEC timeout to reach the GPU,
 * then the entity is torn down (jobs still waiting for their syncs fail
 * with -ESRCH); the jobs on the GPU run on, and the last one frees the
 * channel. A stopped channel runs nothing more: its entity goes at once.
 */
static void nova_channel_close(struct nova_channel *ch)
{
	mutex_lock(&ch->submit_lock);
	ch->closed = true;
	mutex_unlock(&ch->submit_lock);
	if (!nova_chan_error(ch->chan))
		wait_event_timeout(ch->idle_wq, !atomic_read(&ch->queued),
				   msecs_to_jiffies(nova_exec_timeout_ms));
	nova_channel_kill_entity(ch);
	nova_channel_put(ch);
}

static struct nova_channel *nova_channel_create(struct nova_device *ndev,
						struct nova_vm *vm,
						struct nova_usage *usage)
{
	struct drm_sched_init_args args = {
		.ops = &nova_exec_sched_ops,
		.num_rqs = 1,
		.timeout = msecs_to_jiffies(max(nova_exec_timeout_ms, 1U)),
		.name = "nova-exec",
		.dev = ndev->drm->dev,
	};
	struct drm_gpu_scheduler *sched;
	struct nova_channel *ch;
	u32 space;
	int ret;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return ERR_PTR(-ENOMEM);
	kref_init(&ch->ref);
	ch->ndev = ndev;
	mutex_init(&ch->submit_lock);
	init_waitqueue_head(&ch->idle_wq);
	ch->fence_ctx = dma_fence_context_alloc(1);
	ret = nova_vm_chan_slot_get(vm, &ch->va);
	if (ret)
		goto err_free;
	ch->chan = nova_chan_create_user(ndev->core, nova_vm_vmm(vm), ch->va);
	if (IS_ERR(ch->chan)) {
		ret = PTR_ERR(ch->chan);
		goto err_slot;
	}
	/*
	 * A job takes its pushes + 1 entries. The entry of the last fence
	 * signalled may not be consumed yet: keep one spare.
	 */
	space = nova_chan_space(ch->chan);
	if (space < NOVA_MAX_PUSHES + 2) {
		ret = -ENOSPC;
		goto err_chan;
	}
	args.credit_limit = space - 1;
	ret = drm_sched_init(&ch->sched, &args);
	if (ret)
		goto err_chan;
	sched = &ch->sched;
	/* One run queue: the only priority it has. */
	ret = drm_sched_entity_init(&ch->entity, DRM_SCHED_PRIORITY_KERNEL,
				    &sched, 1, NULL);
	if (ret)
		goto err_sched;
	ch->vm = vm;
	ch->usage = nova_usage_get(usage);
	mutex_lock(&ndev->chan_lock);
	list_add_tail(&ch->node, &ndev->channels);
	mutex_unlock(&ndev->chan_lock);
	return ch;

err_sched:
	drm_sched_fini(&ch->sched);
err_chan:
	nova_chan_destroy(ch->chan);
err_slot:
	nova_vm_chan_slot_put(vm, ch->va);
err_free:
	mutex_destroy(&ch->submit_lock);
	kfree(ch);
	return ERR_PTR(ret);
}

/**
 * nova_ioctl_channel_create() - DRM_IOCTL_NOVA_CHANNEL_CREATE
 * @drm: the device
 * @data: &struct drm_nova_channel_create
 * @file: the caller
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for flags or another class, -ENODEV when the GPU has
 * no user channels, -ENOENT for an unknown VM, -ECANCELED for an unusable
 * VM, -ENOSPC when the VM has %NOVA_MAX_CHANNELS channels (or the GPU's
 * channels or VRAM are exhausted), -ENOMEM.
 */
int nova_ioctl_channel_create(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct nova_device *ndev = to_nova_device(drm);
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_channel_create *args = data;
	struct nova_channel *ch;
	struct nova_vm *vm;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;
	if (!ndev->info->copy_class)
		return -ENODEV;
	if (args->hclass != ndev->info->copy_class)
		return -EINVAL;
	vm = nova_vm_lookup(nfile, args->vm_id);
	if (!vm)
		return -ENOENT;
	if (!nova_vm_exec_usable(vm)) {
		nova_vm_put(vm);
		return -ECANCELED;
	}
	/* The channel takes the lookup's reference. */
	ch = nova_channel_create(ndev, vm, nfile->usage);
	if (IS_ERR(ch)) {
		nova_vm_put(vm);
		return PTR_ERR(ch);
	}
	/*
	 * VM_DESTROY since the check: it either found the channel in the
	 * device's list (and stopped it) or set the VM dead before it looked,
	 * which this sees now.
	 */
	if (!nova_vm_exec_usable(vm)) {
		nova_channel_close(ch);
		return -ECANCELED;
	}
	ret = xa_alloc(&nfile->channels, &id, ch, xa_limit_32b, GFP_KERNEL);
	if (ret) {
		nova_channel_close(ch);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	args->id = id;
	return 0;
}

/**
 * nova_ioctl_channel_destroy() - DRM_IOCTL_NOVA_CHANNEL_DESTROY
 * @drm: the device
 * @data: &struct drm_nova_channel_destroy
 * @file: the caller
 *
 * Context: process context; may sleep (up to the EXEC timeout, for
 * queued jobs to reach the GPU).
 * Return: 0, -EINVAL for padding, -ENOENT for an unknown id.
 */
int nova_ioctl_channel_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_channel_destroy *args = data;
	struct nova_channel *ch;

	if (args->pad)
		return -EINVAL;
	ch = nova_id_take(&nfile->channels, args->id);
	if (!ch)
		return -ENOENT;
	nova_channel_close(ch);
	return 0;
}

/**
 * nova_file_channels_fini() - let go of the channels of a closing file
 * @nfile: the file
 *
 * Context: process context; may sleep.
 */
void nova_file_channels_fini(struct nova_file *nfile)
{
	struct nova_channel *ch;
	unsigned long id;

	xa_for_each(&nfile->channels, id, ch) {
		xa_erase(&nfile->channels, id);
		nova_channel_close(ch);
	}
	xa_destroy(&nfile->channels);
}

/**
 * nova_exec_vm_stop() - stop the channels of a VM being destroyed
 * @ndev: the device
 * @vm: the VM, which no EXEC or CHANNEL_CREATE finds usable any more
 *
 * Each channel of @vm stops for good with -ESRCH (nova_chan_stop()): when
 * this returns the GPU never again runs work of those channels, so the
 * VM's mappings can go without the channels faulting. Its running and
 * queued jobs fail with -ESRCH, those not handed to the GPU yet without
 * waiting for their wait syncs. The channels stay in their file (dead)
 * until CHANNEL_DESTROY or close.
 *
 * Context: process context; may sleep. Takes &nova_device.chan_lock and
 * each channel's &nova_channel.submit_lock, not nested.
 */
void nova_exec_vm_stop(struct nova_device *ndev, struct nova_vm *vm)
{
	struct nova_channel *ch, *found;

	do {
		found = NULL;
		mutex_lock(&ndev->chan_lock);
		list_for_each_entry(ch, &ndev->channels, node) {
			/*
			 * A channel being freed has no job left: the GPU runs
			 * nothing of it.
			 */
			if (ch->vm != vm || ch->vm_stopped ||
			    !kref_get_unless_zero(&ch->ref))
				continue;
			ch->vm_stopped = true;
			found = ch;
			break;
		}
		mutex_unlock(&ndev->chan_lock);
		if (found) {
			/* The GPU first: killed jobs wait for the running one. */
			nova_chan_stop(found->chan, -ESRCH);
			nova_channel_kill_entity(found);
			nova_channel_put(found);
		}
	} while (found);
}

/**
 * nova_exec_unplug() - stop every channel of an unplugged device
 * @ndev: the device, unplugged (no ioctl creates a channel any more)
 *
 * Each channel stops for good with -ENODEV: its running and queued jobs
 * fail, the GPU never touches its memory again, and nova-core, which
 * unbinds next, finds none of them on the GPU. The channels themselves
 * are freed when their files and jobs let go of them.
 *
 * Context: process context; may sleep.
 */
void nova_exec_unplug(struct nova_device *ndev)
{
	struct nova_channel *ch;

	mutex_lock(&ndev->chan_lock);
	list_for_each_entry(ch, &ndev->channels, node)
		nova_chan_stop(ch->chan, -ENODEV);
	mutex_unlock(&ndev->chan_lock);
}

/**
 * nova_ioctl_channel_get_state() - DRM_IOCTL_NOVA_CHANNEL_GET_STATE
 * @drm: the device
 * @data: &struct drm_nova_channel_get_state
 * @file: the caller
 *
 * Context: process context.
 * Return: 0, -EINVAL for flags, -ENOENT for an unknown id.
 */
int nova_ioctl_channel_get_state(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	struct drm_nova_channel_get_state *args = data;
	struct nova_channel *ch;

	if (args->flags)
		return -EINVAL;
	ch = nova_channel_lookup(nfile, args->id);
	if (!ch)
		return -ENOENT;
	args->error = nova_chan_error(ch->chan);
	args->state = args->error ? NOVA_CHANNEL_STATE_DEAD :
				    NOVA_CHANNEL_STATE_OK;
	args->submitted = atomic64_read(&ch->submitted);
	args->completed = atomic64_read(&ch->completed);
	nova_channel_put(ch);
	return 0;
}

static int nova_exec_check_push(const struct drm_nova_exec_push *p)
{
	if (!p->len || p->len & 3 || p->len > 0x7ffffc || p->va & 3 ||
	    p->va >> NOVA_CHAN_PUSH_VA_BITS ||
	    p->flags & ~NOVA_EXEC_PUSH_NO_PREFETCH)
		return -EINVAL;
	return 0;
}

/* The scheduler's finished fence signalled: so does the EXEC's own. */
static void nova_exec_done_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct nova_exec_job *job = container_of(cb, struct nova_exec_job,
						 done_cb);

	struct nova_channel *ch = job->ch;

	if (job->ran) {
		u64 end = ktime_get_raw_ns();
		u64 begin = max_t(u64, job->start_ns,
				  atomic64_xchg(&ch->busy_end, end));

		if (end > begin)
			atomic64_add(end - begin, &ch->usage->copy_ns);
	}
	atomic64_inc(&ch->completed);
	if (fence->error)
		dma_fence_set_error(job->out, fence->error);
	dma_fence_signal(job->out);
}

/**
 * struct nova_exec_submit - what an EXEC call holds while it runs
 *
 * On the ioctl's stack, touched by it only: no lock.
 */
struct nova_exec_submit {
	/** @upushes: copy of the user's pushes. */
	struct drm_nova_exec_push *upushes;

	/** @usyncs: copy of the user's syncs. */
	struct drm_nova_sync *usyncs;

	/** @ch: the channel (the lookup's reference). */
	struct nova_channel *ch;

	/** @job: the job until it is pushed. */
	struct nova_exec_job *job;

	/** @syncs: the parsed syncs. */
	struct nova_syncs syncs;

	/** @vm_exec: locks the VM's and its external objects' reservations. */
	struct drm_gpuvm_exec vm_exec;

	/** @locked: @vm_exec needs unlocking. */
	bool locked;
};

/* Check the arguments and copy the arrays in; nothing is looked up yet. */
static int nova_exec_submit_init(struct nova_exec_submit *ctx,
				 const struct drm_nova_exec *args)
{
	unsigned int i;
	int ret;

	if (args->flags)
		return -EINVAL;
	if (args->pushes.count > NOVA_MAX_PUSHES ||
	    args->syncs.count > NOVA_MAX_SYNCS)
		return -EINVAL;
	ctx->upushes = nova_copy_array(&args->pushes, sizeof(*ctx->upushes),
				       NOVA_MAX_PUSHES);
	if (IS_ERR(ctx->upushes)) {
		ret = PTR_ERR(ctx->upushes);
		ctx->upushes = NULL;
		return ret;
	}
	ctx->usyncs = nova_copy_array(&args->syncs, sizeof(*ctx->usyncs),
				      NOVA_MAX_SYNCS);
	if (IS_ERR(ctx->usyncs)) {
		ret = PTR_ERR(ctx->usyncs);
		ctx->usyncs = NULL;
		return ret;
	}
	for (i = 0; i < args->pushes.count; i++) {
		ret = nova_exec_check_push(&ctx->upushes[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Build the job: pushes, fence, scheduler job and its wait syncs. */
static int nova_exec_submit_prepare(struct nova_exec_submit *ctx,
				    const struct drm_nova_exec *args,
				    struct drm_file *file)
{
	u32 i, n = args->pushes.count;
	struct nova_exec_job *job;
	int ret;

	job = kzalloc(struct_size(job, pushes, n), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->nr_pushes = n;
	kref_get(&ctx->ch->ref);
	job->ch = ctx->ch;
	ctx->job = job;
	for (i = 0; i < n; i++) {
		job->pushes[i].va = ctx->upushes[i].va;
		job->pushes[i].len = ctx->upushes[i].len;
		job->pushes[i].flags =
			(ctx->upushes[i].flags & NOVA_EXEC_PUSH_NO_PREFETCH) ?
			NOVA_CHAN_PUSH_SYNC : 0;
	}
	job->hw_fence = nova_chan_fence_alloc();
	if (!job->hw_fence)
		return -ENOMEM;
	job->out = nova_fence_alloc();
	if (!job->out)
		return -ENOMEM;
	ret = drm_sched_job_init(&job->base, &ctx->ch->entity, n + 1, ctx->ch,
				 file->client_id);
	if (ret)
		return ret;
	ret = nova_syncs_parse(file, ctx->usyncs, args->syncs.count,
			       &ctx->syncs);
	if (ret)
		return ret;
	/* The job takes the wait fences, for prepare_job. */
	job->deps = ctx->syncs.waits;
	job->nr_deps = ctx->syncs.nr_waits;
	ctx->syncs.waits = NULL;
	ctx->syncs.nr_waits = 0;
	return 0;
}

/*
 * Lock the reservations, order the job after the VM's queued binds, arm
 * and push it. Nothing fails once the job is armed.
 */
static int nova_exec_submit_commit(struct nova_exec_submit *ctx)
{
	struct nova_channel *ch = ctx->ch;
	struct nova_exec_job *job = ctx->job;
	struct drm_gem_object *obj;
	struct dma_fence *done;
	int ret;

	ctx->vm_exec.vm = nova_vm_gpuvm(ch->vm);
	ctx->vm_exec.flags = DRM_EXEC_INTERRUPTIBLE_WAIT;
	ctx->vm_exec.num_fences = 1;
	/* On failure it unlocks what it locked. */
	ret = drm_gpuvm_exec_lock(&ctx->vm_exec);
	if (ret)
		return ret;
	ctx->locked = true;
	if (!nova_vm_exec_usable(ch->vm) || nova_chan_error(ch->chan))
		return -ECANCELED;
	ret = nova_vm_exec_add_deps(ch->vm, &job->base);
	if (ret)
		return ret;
	/*
	 * Kernel work on the objects (moves, clears: %DMA_RESV_USAGE_KERNEL)
	 * comes first; other implicit fences are userspace's to wait for.
	 */
	drm_exec_for_each_locked_object(&ctx->vm_exec.exec, obj) {
		ret = drm_sched_job_add_resv_dependencies(&job->base, obj->resv,
							  DMA_RESV_USAGE_KERNEL);
		if (ret)
			return ret;
	}

	mutex_lock(&ch->submit_lock);
	/* CHANNEL_DESTROY came since the lookup: the entity is going. */
	if (ch->closed) {
		mutex_unlock(&ch->submit_lock);
		return -ENOENT;
	}
	/* Its VM was destroyed since the checks above. */
	if (ch->entity_gone) {
		mutex_unlock(&ch->submit_lock);
		return -ECANCELED;
	}
	nova_fence_init(job->out, NOVA_FENCE_EXEC, ch->fence_ctx, ++ch->seqno);
	drm_sched_job_arm(&job->base);
	/* Not signalled before the push: the callback is installed. */
	WARN_ON(dma_fence_add_callback(&job->base.s_fence->finished,
				       &job->done_cb, nova_exec_done_cb));
	done = dma_fence_get(job->out);
	drm_gpuvm_resv_add_fence(ctx->vm_exec.vm, &ctx->vm_exec.exec, done,
				 DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	job->pushed = true;
	atomic_inc(&ch->queued);
	atomic64_inc(&ch->submitted);
	drm_sched_entity_push_job(&job->base);
	ctx->job = NULL;
	mutex_unlock(&ch->submit_lock);

	drm_gpuvm_exec_unlock(&ctx->vm_exec);
	ctx->locked = false;
	nova_syncs_install(&ctx->syncs, done);
	dma_fence_put(done);
	return 0;
}

static void nova_exec_submit_cleanup(struct nova_exec_submit *ctx)
{
	if (ctx->locked)
		drm_gpuvm_exec_unlock(&ctx->vm_exec);
	if (ctx->job)
		nova_exec_job_free(ctx->job);
	nova_syncs_fini(&ctx->syncs);
	if (ctx->ch)
		nova_channel_put(ctx->ch);
	kvfree(ctx->upushes);
	kvfree(ctx->usyncs);
}

/**
 * nova_ioctl_exec() - DRM_IOCTL_NOVA_EXEC
 * @drm: the device
 * @data: &struct drm_nova_exec
 * @file: the caller
 *
 * Context: process context; may sleep; interruptible while locking.
 * Return: 0; -EINVAL for bad fields, -EFAULT for bad user pointers,
 * -ENOENT for an unknown (or meanwhile destroyed) channel or syncobj,
 * -ECANCELED on a dead channel
 * or an unusable VM, -ENOMEM, -EINTR or -ERESTARTSYS. A call that fails
 * queues nothing and signals nothing.
 */
int nova_ioctl_exec(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nova_file *nfile = file->driver_priv;
	const struct drm_nova_exec *args = data;
	struct nova_exec_submit ctx = {};
	int ret;

	ret = nova_exec_submit_init(&ctx, args);
	if (ret)
		goto out;
	ctx.ch = nova_channel_lookup(nfile, args->channel);
	if (!ctx.ch) {
		ret = -ENOENT;
		goto out;
	}
	if (nova_chan_error(ctx.ch->chan)) {
		ret = -ECANCELED;
		goto out;
	}
	ret = nova_exec_submit_prepare(&ctx, args, file);
	if (!ret)
		ret = nova_exec_submit_commit(&ctx);
out:
	nova_exec_submit_cleanup(&ctx);
	return ret;
}

#if IS_ENABLED(CONFIG_DRM_NOVA_KUNIT_TEST)
#include "nova_exec_test.c"
#endif
