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
 * One scrub runs at a time (&nova_ce.lock), which also makes the kernel
 * pushbuffer of the channel free for the next one. A scrub whose fence
 * does not signal in NOVA_CE_TIMEOUT leaves its pushbuffer in use: the
 * kernel channel is then marked broken (&nova_ce.error) and refuses
 * further scrubs. A scrub that fails
 * (no memory for its fence, the channel stopped, the GPU gone, a timeout)
 * returns an error: nova_vram_free() then hands the VRAM back as not
 * cleared, nova_vram_clear() fails. After a timeout, though, the memsets
 * stay queued and the engine may still write the ranges: the VRAM of that
 * allocation is withheld from the allocator (see nova_vram_free()) until
 * the GPU goes away, so that a late memset cannot wipe memory handed out
 * again for page tables or a channel's ring. Chips whose channels nova
 * does not drive (Turing), and backends without channels or an interrupt
 * line, fill through the PRAMIN window instead.
 */

#define NOVA_CE_VA_START	SZ_64K
#define NOVA_CE_VA_END		SZ_4G
#define NOVA_CE_TIMEOUT		(30 * HZ)

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
	int ret;

	mutex_init(&core->ce.lock);
	core->ce.pramin = false;
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
 * Scrubs after this fail with -ENODEV. Called again, does nothing.
 *
 * Context: process; may sleep.
 */
void nova_ce_fini(struct nova_core *core)
{
	struct nova_chan *chan;
	struct nova_vmm *vmm;

	mutex_lock(&core->ce.lock);
	chan = core->ce.chan;
	vmm = core->ce.vmm;
	core->ce.chan = NULL;
	core->ce.vmm = NULL;
	mutex_unlock(&core->ce.lock);
	if (!chan)
		return;
	/* Its memory is freed unscrubbed: the kernel's own, no one's data. */
	nova_chan_destroy(chan);
	nova_vmm_destroy(vmm);
	nova_chan_fini(core);
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

/**
 * nova_ce_fill() - fill VRAM ranges with a 32-bit value on the GPU
 * @core: the GPU
 * @ranges: the ranges: VRAM addresses and lengths, multiples of 4 bytes,
 *	lengths at most NOVA_CE_FILL_MAX
 * @count: number of @ranges, at most NOVA_CE_FILL_RANGES
 * @value: the value
 *
 * Submits one pushbuffer of copy-engine memsets on the kernel channel
 * and waits for its fence.
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
	u32 launch = FIELD_PREP(NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE,
				NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE_NON_PIPELINED) |
		     NVC7B5_LAUNCH_DMA_FLUSH_ENABLE |
		     NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT |
		     NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT |
		     NVC7B5_LAUNCH_DMA_REMAP_ENABLE |
		     NVC7B5_LAUNCH_DMA_DST_TYPE;
	u32 w[6 + NOVA_CE_FILL_RANGES * 8];
	struct nova_chan_fence *f;
	struct nova_chan_push push;
	struct dma_fence *fence;
	unsigned int i, n = 0;
	long t;
	int ret;

	if (count > NOVA_CE_FILL_RANGES)
		return -EINVAL;
	if (core->ce.pramin)
		return nova_ce_fill_pramin(core, ranges, count, value);

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

	f = nova_chan_fence_alloc();
	if (!f)
		return -ENOMEM;
	mutex_lock(&core->ce.lock);
	if (!core->ce.chan || core->ce.error) {
		ret = core->ce.chan ? core->ce.error : -ENODEV;
		mutex_unlock(&core->ce.lock);
		nova_chan_fence_free(f);
		return ret;
	}
	ret = nova_chan_kernel_push(core->ce.chan, w, n, &push);
	if (ret) {
		mutex_unlock(&core->ce.lock);
		nova_chan_fence_free(f);
		return ret;
	}
	fence = nova_chan_submit(core->ce.chan, &push, 1, f);
	if (IS_ERR(fence)) {
		mutex_unlock(&core->ce.lock);
		return PTR_ERR(fence);
	}
	t = dma_fence_wait_timeout(fence, false, NOVA_CE_TIMEOUT);
	if (t == 0) {
		ret = -ETIMEDOUT;
		core->ce.error = -EIO;
	} else {
		ret = t < 0 ? t : fence->error;
	}
	mutex_unlock(&core->ce.lock);
	dma_fence_put(fence);
	if (ret)
		dev_err_ratelimited(core->dev, "VRAM scrub failed: %d\n", ret);

	return ret;
}
