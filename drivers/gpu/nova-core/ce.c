// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core's kernel channel and the VRAM scrub on its copy engine.
 */

#include <linux/bitfield.h>
#include <linux/dma-fence.h>
#include <linux/nova/regs.h>

#include "nova_core.h"

/**
 * DOC: kernel channel
 *
 * At probe nova-core creates an address space of its own (&nova_ce.vmm),
 * which no client can map into or run commands in, and a channel on it
 * (&nova_ce.chan, see DOC: channels). nova-core uses it to scrub VRAM, as
 * nouveau and xe use their copy engines: nova_ce_fill() writes a
 * pushbuffer of copy-engine memsets of physical LOCAL_FB addresses
 * (SET_DST_PHYS_MODE LOCAL_FB, the remap constant as the only destination
 * component, LAUNCH_DMA with a physical destination), submits it with a
 * fence and waits for the fence. VRAM is thus scrubbed without being
 * mapped anywhere.
 *
 * Scrubs are asynchronous: nova_ce_fill_async() writes its memsets into
 * one of NOVA_CE_SLOTS pieces ("slots") of the kernel pushbuffer, submits
 * it with a fence and returns the fence; nova_ce_fill() also waits for
 * it. The slots are used round robin under &nova_ce.lock, and each
 * remembers the fence of its last submission: a slot is written again
 * only once that fence signalled, so at most NOVA_CE_SLOTS submissions
 * are in flight and a submitter finding every slot in use waits for the
 * oldest. The GP ring (two entries a submission) never fills that way.
 *
 * A scrub whose fence does not signal in &nova_ce.timeout (NOVA_CE_TIMEOUT,
 * 30 s; the KUnit tests shorten it) leaves its
 * pushbuffer in use: the kernel channel is then marked broken
 * (&nova_ce.error, nova_ce_broken()) and refuses further scrubs. A scrub
 * that fails (no memory for its fence, the channel stopped, the GPU gone,
 * a timeout) returns an error: nova_vram_free() then hands the VRAM back
 * as not cleared, nova_vram_clear() fails. After a timeout, though, the
 * memsets stay queued and the engine may still write the ranges: the
 * VRAM of that allocation is withheld from the allocator (see DOC: VRAM
 * scrubs) until the GPU goes away, so that a late memset cannot wipe
 * memory handed out again for page tables or a channel's ring. Chips
 * whose channels nova does not drive (Turing), and backends without
 * channels or an interrupt line, fill through the PRAMIN window instead,
 * synchronously.
 *
 * nova_ce_fini() waits (up to &nova_ce.timeout; not at all when the GPU
 * is gone or the channel already broken) for the last submission, then
 * destroys the channel, which fails whatever is still pending with
 * -ECANCELED: every scrub fence has signalled once it returns, and the
 * firmware has freed the channel, so the host never runs its memsets
 * again.
 *
 * For the KUnit tests of the timeout path, nova_ce_stall() (built only
 * with CONFIG_NOVA_CORE_KUNIT_TEST) submits a host semaphore acquire that
 * is never satisfied: the kernel channel then hangs as behind a stuck
 * engine, without a backdoor in the simulator.
 */

#define NOVA_CE_VA_START	SZ_64K
#define NOVA_CE_VA_END		SZ_4G
/* Bytes of the kernel pushbuffer per slot. */
#define NOVA_CE_SLOT_SIZE	round_down(nova_chan_kernel_push_max() / NOVA_CE_SLOTS, 4)
/* Words of one fill. */
#define NOVA_CE_FILL_WORDS	(6 + NOVA_CE_FILL_RANGES * 8)

/**
 * nova_ce_init() - create the kernel channel
 * @core: the GPU, with its VRAM allocator and BAR1 up
 *
 * When the chip's channels are not driven (Turing) or the backend offers
 * no channels or no interrupt line, there is no kernel channel and
 * nova_ce_fill() writes through the PRAMIN window.
 *
 * Context: process; may sleep.
 * Return: 0, or a negative errno.
 */
int nova_ce_init(struct nova_core *core)
{
	struct nova_chan *chan;
	struct nova_vmm *vmm;
	u32 slot_size;
	int ret;

	mutex_init(&core->ce.lock);
	core->ce.pramin = false;
	core->ce.error = 0;
	core->ce.timeout = NOVA_CE_TIMEOUT;
	core->ce.next = 0;
	memset(core->ce.slot, 0, sizeof(core->ce.slot));
	/* A slot of the kernel pushbuffer holds a fill. */
	slot_size = NOVA_CE_SLOT_SIZE;
	if (WARN_ON(slot_size < NOVA_CE_FILL_WORDS * 4))
		return -EINVAL;
	if (!core->chip->chan_class) {
		core->ce.pramin = true;
		return 0;
	}
	ret = nova_chan_init(core);
	if (ret == -ENODEV) {
		dev_info(core->dev, "no channels or interrupt line: VRAM scrubs use PRAMIN\n");
		core->ce.pramin = true;
		return 0;
	}
	if (ret)
		return ret;
	vmm = nova_vmm_create(core, NOVA_CE_VA_START, NOVA_CE_VA_END);
	if (IS_ERR(vmm)) {
		nova_chan_fini(core);
		return PTR_ERR(vmm);
	}
	chan = nova_chan_create(core, vmm);
	if (IS_ERR(chan)) {
		nova_vmm_destroy(vmm);
		nova_chan_fini(core);
		return PTR_ERR(chan);
	}
	mutex_lock(&core->ce.lock);
	core->ce.vmm = vmm;
	core->ce.chan = chan;
	mutex_unlock(&core->ce.lock);

	return 0;
}

/**
 * nova_ce_fini() - destroy the kernel channel
 * @core: the GPU
 *
 * Waits up to &nova_ce.timeout for the scrubs in flight, then destroys the
 * channel: what is still pending fails with -ECANCELED, so every scrub
 * fence has signalled when this returns. Scrubs after this fail with
 * -ENODEV. Called again, does nothing.
 *
 * Context: process; may sleep.
 */
void nova_ce_fini(struct nova_core *core)
{
	struct dma_fence *last = NULL;
	struct nova_chan *chan;
	struct nova_vmm *vmm;
	unsigned int i;

	mutex_lock(&core->ce.lock);
	chan = core->ce.chan;
	vmm = core->ce.vmm;
	core->ce.chan = NULL;
	core->ce.vmm = NULL;
	/* The slot before the next one holds the newest submission. */
	i = (core->ce.next + NOVA_CE_SLOTS - 1) % NOVA_CE_SLOTS;
	last = dma_fence_get(core->ce.slot[i]);
	mutex_unlock(&core->ce.lock);
	/* Not worth a wait: a GPU that is gone, a channel that timed out. */
	if (last) {
		if (!nova_hw_gone(core) && !READ_ONCE(core->ce.error) &&
		    !dma_fence_wait_timeout(last, false,
					    READ_ONCE(core->ce.timeout)))
			nova_ce_broken(core);
		dma_fence_put(last);
	}
	if (chan) {
		/* Its memory is freed unscrubbed: the kernel's own, no one's data. */
		nova_chan_destroy(chan);
		nova_vmm_destroy(vmm);
		nova_chan_fini(core);
	}
	mutex_lock(&core->ce.lock);
	for (i = 0; i < NOVA_CE_SLOTS; i++) {
		dma_fence_put(core->ce.slot[i]);
		core->ce.slot[i] = NULL;
	}
	mutex_unlock(&core->ce.lock);
}

/**
 * nova_ce_broken() - mark the kernel channel broken after a scrub timed out
 * @core: the GPU
 *
 * Later scrubs fail with -EIO; the slots in use stay in use.
 *
 * Context: any.
 */
void nova_ce_broken(struct nova_core *core)
{
	if (!READ_ONCE(core->ce.error))
		WRITE_ONCE(core->ce.error, -EIO);
}

static u32 nova_ce_mthd(u32 mthd, u32 count)
{
	return FIELD_PREP(NV_FIFO_DMA_SEC_OP, NV_FIFO_DMA_SEC_OP_INC_METHOD) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_COUNT, count) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_SUBCHANNEL, NV_CE_SUBCHANNEL) |
	       FIELD_PREP(NV_FIFO_DMA_METHOD_ADDRESS, mthd >> 2);
}

/* One PRAMIN fill with the window's lock held: short enough to not stall. */
#define NOVA_CE_PRAMIN_CHUNK	SZ_2M

/*
 * Without a channel: 32-bit writes through the PRAMIN window, in pieces
 * of NOVA_CE_PRAMIN_CHUNK with the lock dropped and a reschedule between
 * them (a range may be NOVA_CE_FILL_MAX long).
 */
static int nova_ce_fill_pramin(struct nova_core *core,
			       const struct nova_ce_range *ranges,
			       unsigned int count, u32 value)
{
	unsigned int i;
	int idx;

	for (i = 0; i < count; i++)
		if ((ranges[i].addr | ranges[i].len) & 3 || !ranges[i].len ||
		    ranges[i].len > NOVA_CE_FILL_MAX)
			return -EINVAL;
	if (!nova_hw_enter(core, &idx))
		return -ENODEV;
	for (i = 0; i < count; i++) {
		u64 addr = ranges[i].addr, end = addr + ranges[i].len;

		while (addr < end) {
			u64 len = min_t(u64, NOVA_CE_PRAMIN_CHUNK, end - addr);

			nova_pramin_lock(core);
			nova_pramin_fill(core, addr, value, len);
			nova_pramin_unlock(core);
			addr += len;
			cond_resched();
		}
	}
	nova_hw_exit(core, idx);

	return 0;
}

/* The memsets of @ranges into @w; the number of words, or -EINVAL. */
static int nova_ce_words(const struct nova_ce_range *ranges, unsigned int count,
			 u32 value, u32 *w)
{
	u32 launch = FIELD_PREP(NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE,
				NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE_NON_PIPELINED) |
		     NVC7B5_LAUNCH_DMA_FLUSH_ENABLE |
		     NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT |
		     NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT |
		     NVC7B5_LAUNCH_DMA_REMAP_ENABLE |
		     NVC7B5_LAUNCH_DMA_DST_TYPE;
	unsigned int i;
	int n = 0;

	w[n++] = nova_ce_mthd(NVC7B5_SET_DST_PHYS_MODE, 1);
	w[n++] = FIELD_PREP(NVC7B5_PHYS_MODE_TARGET,
			    NVC7B5_PHYS_MODE_TARGET_LOCAL_FB);
	w[n++] = nova_ce_mthd(NVC7B5_SET_REMAP_CONST_A, 3);
	w[n++] = value;
	w[n++] = value;
	/* One 4-byte component per element: CONST_A. */
	w[n++] = FIELD_PREP(NVC7B5_REMAP_DST_X, NVC7B5_REMAP_CONST_A) |
		 FIELD_PREP(NVC7B5_REMAP_COMPONENT_SIZE, 3);
	for (i = 0; i < count; i++) {
		u64 addr = ranges[i].addr, len = ranges[i].len;

		if ((addr | len) & 3 || !len || len > NOVA_CE_FILL_MAX)
			return -EINVAL;
		w[n++] = nova_ce_mthd(NVC7B5_OFFSET_OUT_UPPER, 2);
		w[n++] = upper_32_bits(addr);
		w[n++] = lower_32_bits(addr);
		/* With remap, LINE_LENGTH_IN counts elements. */
		w[n++] = nova_ce_mthd(NVC7B5_LINE_LENGTH_IN, 2);
		w[n++] = len / 4;
		w[n++] = 1;
		w[n++] = nova_ce_mthd(NVC7B5_LAUNCH_DMA, 1);
		w[n++] = launch;
	}

	return n;
}

/*
 * The next slot of the kernel pushbuffer, with &nova_ce.lock held: once
 * the fence of its last submission signalled (waiting up to
 * &nova_ce.timeout), or a negative errno.
 */
static int nova_ce_slot_locked(struct nova_core *core)
{
	unsigned int slot = core->ce.next;
	struct dma_fence *old;
	int ret;
	long t;

	lockdep_assert_held(&core->ce.lock);
	ret = core->ce.chan ? READ_ONCE(core->ce.error) : -ENODEV;
	if (ret)
		return ret;
	old = core->ce.slot[slot];
	if (old) {
		t = dma_fence_wait_timeout(old, false,
					   READ_ONCE(core->ce.timeout));
		if (!t) {
			nova_ce_broken(core);
			return -ETIMEDOUT;
		}
		if (t < 0)
			return t;
		dma_fence_put(old);
		core->ce.slot[slot] = NULL;
	}

	return slot;
}

/*
 * Write @n words into @slot (from nova_ce_slot_locked()) and submit them
 * with @f (freed on error), with &nova_ce.lock held.
 */
static struct dma_fence *nova_ce_submit_locked(struct nova_core *core,
					       unsigned int slot, const u32 *w,
					       unsigned int n,
					       struct nova_chan_fence *f)
{
	struct nova_chan_push push;
	struct dma_fence *fence;
	int ret;

	lockdep_assert_held(&core->ce.lock);
	ret = nova_chan_kernel_push(core->ce.chan, slot * NOVA_CE_SLOT_SIZE, w,
				    n, &push);
	if (ret) {
		nova_chan_fence_free(f);
		return ERR_PTR(ret);
	}
	fence = nova_chan_submit(core->ce.chan, &push, 1, f);
	if (IS_ERR(fence))
		return fence;
	core->ce.slot[slot] = dma_fence_get(fence);
	core->ce.next = (slot + 1) % NOVA_CE_SLOTS;

	return fence;
}

/**
 * nova_ce_fill_async() - start filling VRAM ranges with a 32-bit value
 * @core: the GPU, with a kernel channel (not &nova_ce.pramin)
 * @ranges: the ranges: VRAM addresses and lengths, multiples of 4 bytes,
 *	lengths at most NOVA_CE_FILL_MAX
 * @count: number of @ranges, at most NOVA_CE_FILL_RANGES
 * @value: the value
 *
 * Writes copy-engine memsets of @ranges into the next slot of the kernel
 * pushbuffer and submits them with a fence. When every slot is in use,
 * first waits (up to &nova_ce.timeout) for the oldest submission.
 *
 * Context: process; may sleep; may wait for a fence, so never in the
 * fence-signalling path. Takes &nova_ce.lock.
 * Return: the fence (a reference for the caller), signalled with an
 * error (-EFAULT, -EIO, -ECANCELED) when the channel stopped; or an
 * ERR_PTR: -EINVAL, -ENOMEM, -ENODEV when the GPU or the channel is gone,
 * -EOPNOTSUPP without a channel, -ETIMEDOUT when the oldest slot did not
 * become free (the channel is then broken), -EIO when it was broken
 * before, or the channel's error. After an error nothing of this call
 * writes VRAM.
 */
struct dma_fence *nova_ce_fill_async(struct nova_core *core,
				     const struct nova_ce_range *ranges,
				     unsigned int count, u32 value)
{
	u32 w[NOVA_CE_FILL_WORDS];
	struct nova_chan_fence *f;
	struct dma_fence *fence;
	int n, slot;

	if (core->ce.pramin)
		return ERR_PTR(-EOPNOTSUPP);
	if (count > NOVA_CE_FILL_RANGES)
		return ERR_PTR(-EINVAL);
	n = nova_ce_words(ranges, count, value, w);
	if (n < 0)
		return ERR_PTR(n);

	f = nova_chan_fence_alloc();
	if (!f)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&core->ce.lock);
	slot = nova_ce_slot_locked(core);
	if (slot >= 0) {
		fence = nova_ce_submit_locked(core, slot, w, n, f);
	} else {
		nova_chan_fence_free(f);
		fence = ERR_PTR(slot);
	}
	mutex_unlock(&core->ce.lock);

	return fence;
}

#if IS_ENABLED(CONFIG_NOVA_CORE_KUNIT_TEST)
/**
 * nova_ce_stall() - block the kernel channel for good, for KUnit
 * @core: the GPU, with a kernel channel
 *
 * Submits, in the next slot of the kernel pushbuffer, a host semaphore
 * acquire of the slot's own first word for a value that word never holds:
 * the host waits on it until the channel is destroyed, and every scrub
 * submitted after it stays pending, as behind a hung copy engine. Only
 * the KUnit suites build it; nothing else can reach it.
 *
 * Context: process; may sleep. Takes &nova_ce.lock.
 * Return: the submission's fence (a reference for the caller), or an
 * ERR_PTR as nova_ce_fill_async().
 */
struct dma_fence *nova_ce_stall(struct nova_core *core)
{
	u32 w[6] = {
		FIELD_PREP(NV_FIFO_DMA_SEC_OP, NV_FIFO_DMA_SEC_OP_INC_METHOD) |
		FIELD_PREP(NV_FIFO_DMA_METHOD_COUNT, 5) |
		FIELD_PREP(NV_FIFO_DMA_METHOD_ADDRESS, NVC56F_SEM_ADDR_LO >> 2),
	};
	struct nova_chan_fence *f;
	struct nova_chan_push push;
	struct dma_fence *fence;
	int slot, ret;

	if (core->ce.pramin)
		return ERR_PTR(-EOPNOTSUPP);
	f = nova_chan_fence_alloc();
	if (!f)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&core->ce.lock);
	slot = nova_ce_slot_locked(core);
	/* The VA of the slot, whose first word w[0] will be. */
	ret = slot < 0 ? slot :
	      nova_chan_kernel_push(core->ce.chan, slot * NOVA_CE_SLOT_SIZE,
				    w, 1, &push);
	if (ret) {
		mutex_unlock(&core->ce.lock);
		nova_chan_fence_free(f);
		return ERR_PTR(ret);
	}
	w[1] = lower_32_bits(push.va);
	w[2] = upper_32_bits(push.va);
	/* A value the word the acquire reads never holds. */
	w[3] = ~w[0];
	w[4] = 0;
	w[5] = FIELD_PREP(NVC56F_SEM_EXECUTE_OPERATION,
			  NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE);
	fence = nova_ce_submit_locked(core, slot, w, ARRAY_SIZE(w), f);
	mutex_unlock(&core->ce.lock);

	return fence;
}
#endif

/**
 * nova_ce_wait() - wait for a scrub's fence
 * @core: the GPU
 * @fence: a fence from nova_ce_fill_async()
 *
 * Marks the kernel channel broken when @fence does not signal in
 * &nova_ce.timeout.
 *
 * Context: process; may sleep; waits for a fence.
 * Return: 0, -ETIMEDOUT, or the fence's error.
 */
int nova_ce_wait(struct nova_core *core, struct dma_fence *fence)
{
	long t;
	int ret;

	t = dma_fence_wait_timeout(fence, false, READ_ONCE(core->ce.timeout));
	if (!t) {
		nova_ce_broken(core);
		ret = -ETIMEDOUT;
	} else {
		ret = t < 0 ? t : fence->error;
	}
	if (ret)
		dev_err_ratelimited(core->dev, "VRAM scrub failed: %d\n", ret);

	return ret;
}

/**
 * nova_ce_fill() - fill VRAM ranges with a 32-bit value on the GPU
 * @core: the GPU
 * @ranges: the ranges: VRAM addresses and lengths, multiples of 4 bytes,
 *	lengths at most NOVA_CE_FILL_MAX
 * @count: number of @ranges, at most NOVA_CE_FILL_RANGES
 * @value: the value
 *
 * Submits one pushbuffer of copy-engine memsets on the kernel channel
 * (nova_ce_fill_async()) and waits for its fence; without a channel,
 * writes through the PRAMIN window.
 *
 * Context: process; may sleep; waits for a fence, so never in the
 * fence-signalling path.
 * Return: 0, -ENOMEM, -ENODEV when the GPU or the channel is gone,
 * -ETIMEDOUT, or the channel's error (-EFAULT, -EIO). After -ETIMEDOUT
 * the memsets stay queued and the engine may still write @ranges: the
 * caller must not reuse that VRAM (nova_vram_free() withholds it). After
 * any other error nothing of this call writes VRAM any more.
 */
int nova_ce_fill(struct nova_core *core, const struct nova_ce_range *ranges,
		 unsigned int count, u32 value)
{
	struct dma_fence *fence;
	int ret;

	if (count > NOVA_CE_FILL_RANGES)
		return -EINVAL;
	if (core->ce.pramin)
		return nova_ce_fill_pramin(core, ranges, count, value);
	fence = nova_ce_fill_async(core, ranges, count, value);
	if (IS_ERR(fence))
		return PTR_ERR(fence);
	ret = nova_ce_wait(core, fence);
	dma_fence_put(fence);

	return ret;
}
