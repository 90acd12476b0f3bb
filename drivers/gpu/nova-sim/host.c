// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim host (PBDMA) and copy engine.
 *
 * Channels are created by the firmware call &nova_hw_ops.channel_alloc.
 * A write of a channel's token to NV_USERMODE_NOTIFY_CHANNEL_PENDING
 * queues the host's work; the work, in the simulator's own context (an
 * ordered workqueue per GPU), fetches GP entries from GP_GET to GP_PUT
 * (USERD) through the channel's address space, decodes the pushbuffer
 * segments and executes host methods and copy-engine methods. Every
 * access of the host or the engine to a GPU VA goes through the MMU
 * walker and the GPC TLB of mmu.c, so a stale TLB or a wrong PTE shows in
 * the data, and an unmapped or read-only page stops the channel with a
 * recorded fault. Formats: <linux/nova/regs.h>.
 *
 * Interrupts: a NON_STALL_INTERRUPT method, a LAUNCH_DMA with an
 * interrupt, an MMU fault and a channel stopped by an error set a cause
 * in NVSIM_INTR_PENDING (a simulator-specific register, see
 * <linux/nova/nvsim-regs.h>); when
 * it is enabled, &nsim.intr_work calls the handler nova-core connected
 * with &nova_hw_ops.set_irq, on a system workqueue: the simulator's own
 * context, as an MSI would arrive, concurrent with the host's work.
 *
 * Locking: &nsim.host_mutex serialises the host's work with channel
 * allocation and freeing; &nsim.lock (taken inside it, briefly) protects
 * the channel table, each channel's pending/state/error and the interrupt
 * registers. &nsim.intr_mutex is held around calls of the handler and
 * nests with no other lock of the instance. Nothing here runs in the
 * caller of wr32 but nsim_doorbell_locked() and nsim_intr_raise_locked(),
 * which only queue work.
 */

#include <linux/bitfield.h>
#include <linux/build_bug.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "sim.h"

/* NVSIM_CHAN_ERROR reads the &enum nsim_chan_error. */
static_assert(NSIM_CHAN_ERR_BAD_ARGUMENT == NVSIM_CHAN_ERROR_BAD_ARGUMENT);
static_assert(NSIM_CHAN_ERR_MMU_FAULT == NVSIM_CHAN_ERROR_MMU_FAULT);
static_assert(NSIM_CHAN_ERR_PRIVILEGE == NVSIM_CHAN_ERROR_PRIVILEGE);
static_assert(NSIM_CHANNELS <= 32 * NVSIM_CHAN_STOPPED_WORDS);
static_assert(NSIM_CHANNELS <= NVSIM_CHAN_ERROR_COUNT);

enum nsim_mret {
	NSIM_M_DONE,
	NSIM_M_WAIT,
	NSIM_M_STOP,
};

static bool nsim_hopper(struct nsim *sim)
{
	return sim->chip->chan_class == HOPPER_CHANNEL_GPFIFO_A;
}

static struct nsim_chan *nsim_chan_find_locked(struct nsim *sim, u32 token)
{
	u32 chid = FIELD_GET(NV_USERMODE_NOTIFY_CHANNEL_PENDING_CHID, token);
	struct nsim_chan *ch;

	lockdep_assert_held(&sim->lock);
	if (chid >= NSIM_CHANNELS)
		return NULL;
	ch = sim->chans[chid];
	if (!ch || ch->token != token)
		return NULL;

	return ch;
}

/**
 * nsim_doorbell_locked() - a write to NV_USERMODE_NOTIFY_CHANNEL_PENDING
 * @sim: the instance, locked
 * @token: the value written
 *
 * Marks the channel pending and queues the host's work. A token that
 * names no channel is ignored (counted), as on hardware.
 *
 * Context: &nsim.lock held, any context; does not allocate.
 */
void nsim_doorbell_locked(struct nsim *sim, u32 token)
{
	struct nsim_chan *ch;

	lockdep_assert_held(&sim->lock);
	ch = nsim_chan_find_locked(sim, token);
	if (!ch) {
		sim->doorbells_bad++;
		return;
	}
	sim->doorbells++;
	ch->pending = true;
	queue_work(sim->host_wq, &sim->host_work);
}

/**
 * nsim_intr_raise_locked() - make interrupt causes pending
 * @sim: the instance, locked
 * @cause: NVSIM_INTR_* bits
 *
 * Queues the delivery of the interrupt when a pending cause is enabled.
 *
 * Context: &nsim.lock held, any context; does not allocate.
 */
void nsim_intr_raise_locked(struct nsim *sim, u32 cause)
{
	lockdep_assert_held(&sim->lock);
	sim->intr_pending |= cause;
	if (sim->intr_pending & sim->intr_enable)
		queue_work(system_highpri_wq, &sim->intr_work);
}

static void nsim_intr_work(struct work_struct *work)
{
	struct nsim *sim = container_of(work, struct nsim, intr_work);
	unsigned long flags;
	bool active;

	mutex_lock(&sim->intr_mutex);
	spin_lock_irqsave(&sim->lock, flags);
	active = sim->intr_pending & sim->intr_enable;
	spin_unlock_irqrestore(&sim->lock, flags);
	if (active && sim->intr_handler) {
		sim->intrs++;
		sim->intr_handler(sim->intr_data);
	}
	mutex_unlock(&sim->intr_mutex);
}

/**
 * nsim_set_irq() - &nova_hw_ops.set_irq
 * @hw: the GPU
 * @handler: the handler, or NULL to disconnect it
 * @data: its argument
 *
 * Context: process; may sleep.
 * Return: 0, or -EBUSY when a handler is connected already.
 */
int nsim_set_irq(struct nova_hw *hw, void (*handler)(void *data), void *data)
{
	struct nsim *sim = nsim_from_hw(hw);
	int ret = 0;

	mutex_lock(&sim->intr_mutex);
	if (handler && sim->intr_handler) {
		ret = -EBUSY;
	} else {
		sim->intr_handler = handler;
		sim->intr_data = handler ? data : NULL;
	}
	mutex_unlock(&sim->intr_mutex);
	/* Deliver what is pending already to the new handler. */
	if (!ret && handler)
		queue_work(system_highpri_wq, &sim->intr_work);

	return ret;
}

/**
 * nsim_chan_error_locked() - NVSIM_CHAN_ERROR of a CHID
 * @sim: the instance, locked
 * @chid: the channel id
 *
 * Context: &nsim.lock held.
 * Return: its &enum nsim_chan_error, 0 when no channel has @chid.
 */
u32 nsim_chan_error_locked(struct nsim *sim, u32 chid)
{
	lockdep_assert_held(&sim->lock);
	if (chid >= NSIM_CHANNELS || !sim->chans[chid])
		return NVSIM_CHAN_ERROR_NONE;

	return sim->chans[chid]->error;
}

/* Stop the channel; the current method is the culprit. */
static enum nsim_mret nsim_chan_stop(struct nsim *sim, struct nsim_chan *ch,
				     enum nsim_chan_error error, u32 data)
{
	unsigned long flags;

	ch->err_method = ch->m_addr;
	ch->err_subc = ch->m_subc;
	ch->err_data = data;
	spin_lock_irqsave(&sim->lock, flags);
	ch->state = NSIM_CHAN_ERROR;
	ch->error = error;
	sim->chan_stopped[ch->chid / 32] |= BIT(ch->chid % 32);
	nsim_intr_raise_locked(sim, NVSIM_INTR_CHANNEL);
	spin_unlock_irqrestore(&sim->lock, flags);

	return NSIM_M_STOP;
}

/* A transfer through the channel's address space; 0 or a stop. */
static enum nsim_mret nsim_chan_va(struct nsim *sim, struct nsim_chan *ch,
				   u64 va, void *buf, size_t len, bool write)
{
	/* -ENOMEM drops the write and counts it, as a VRAM write does. */
	if (nsim_engine_access(sim, ch->args.pdb, va, buf, len, write,
			       ch->chid, true, &ch->fault_va) == -EFAULT)
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_MMU_FAULT, 0);

	return NSIM_M_DONE;
}

/* A LOCAL_FB access beyond VRAM: an APERTURE fault stops the channel. */
static enum nsim_mret nsim_chan_pa_fault(struct nsim *sim,
					 struct nsim_chan *ch, u64 pa,
					 bool write)
{
	struct nsim_fault_pkt pkt;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_record_fault_locked(sim, pa, ch->args.pdb,
				 write ? NV_PFAULT_ACCESS_TYPE_PHYS_WRITE :
					 NV_PFAULT_ACCESS_TYPE_PHYS_READ,
				 NOVA_FAULT_REASON_APERTURE, false, ch->chid,
				 &pkt);
	spin_unlock_irqrestore(&sim->lock, flags);
	nsim_fault_write(sim, &pkt);
	ch->fault_va = pa;

	return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_MMU_FAULT, 0);
}

/* A physical LOCAL_FB transfer. */
static enum nsim_mret nsim_chan_pa(struct nsim *sim, struct nsim_chan *ch,
				   u64 pa, void *buf, size_t len, bool write)
{
	if (pa + len < pa || pa + len > sim->vram_size)
		return nsim_chan_pa_fault(sim, ch, pa, write);
	if (write)
		nsim_vram_write(sim, pa, buf, len, true);
	else
		nsim_vram_read(sim, pa, buf, len);

	return NSIM_M_DONE;
}

static u32 nsim_userd_rd(struct nsim *sim, struct nsim_chan *ch, u32 off)
{
	__le32 v;

	nsim_vram_read(sim, ch->args.userd + off, &v, sizeof(v));

	return le32_to_cpu(v);
}

static void nsim_userd_wr(struct nsim *sim, struct nsim_chan *ch, u32 off,
			  u32 value)
{
	__le32 v = cpu_to_le32(value);

	nsim_vram_write(sim, ch->args.userd + off, &v, sizeof(v), true);
}

/* Semaphores: little-endian words of 4 or 8 bytes. */
static enum nsim_mret nsim_sem_write(struct nsim *sim, struct nsim_chan *ch,
				     u64 va, u64 payload, bool is64,
				     bool timestamp)
{
	__le64 w[2];
	size_t len;

	w[0] = cpu_to_le64(is64 ? payload : (u32)payload);
	w[1] = cpu_to_le64(ktime_get_ns());
	len = timestamp ? 16 : is64 ? 8 : 4;

	return nsim_chan_va(sim, ch, va, w, len, true);
}

static bool nsim_acquired(u32 op, u64 cur, u64 want, bool is64)
{
	u64 mask = is64 ? U64_MAX : U32_MAX;

	cur &= mask;
	want &= mask;
	switch (op) {
	case NVC56F_SEM_EXECUTE_OPERATION_ACQUIRE:
		return cur == want;
	case NVC56F_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ:
		return cur >= want;
	case NVC56F_SEM_EXECUTE_OPERATION_ACQ_CIRC_GEQ:
		return is64 ? (s64)(cur - want) >= 0 :
			      (s32)((u32)cur - (u32)want) >= 0;
	case NVC56F_SEM_EXECUTE_OPERATION_ACQ_AND:
		return (cur & want) != 0;
	default: /* ACQ_NOR */
		return (~(cur | want) & mask) != 0;
	}
}

static enum nsim_mret nsim_sem_execute(struct nsim *sim, struct nsim_chan *ch,
				       u32 v, bool *released)
{
	u32 op = FIELD_GET(NVC56F_SEM_EXECUTE_OPERATION, v);
	bool is64 = v & NVC56F_SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	u64 va = ch->sem_addr;
	enum nsim_mret r;
	__le64 cur = 0;

	if (op == NVC56F_SEM_EXECUTE_OPERATION_REDUCTION || op > 6 ||
	    v & NVC56F_SEM_EXECUTE_RELEASE_TIMESTAMP)
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_UNSUPPORTED, v);
	if (va & (is64 ? 7 : 3))
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_ARGUMENT, v);

	if (op == NVC56F_SEM_EXECUTE_OPERATION_RELEASE) {
		/* RELEASE_WFI: the engine is idle between methods here. */
		r = nsim_sem_write(sim, ch, va, ch->sem_payload, is64, false);
		if (r == NSIM_M_DONE)
			*released = true;
		return r;
	}

	r = nsim_chan_va(sim, ch, va, &cur, is64 ? 8 : 4, false);
	if (r != NSIM_M_DONE)
		return r;

	return nsim_acquired(op, le64_to_cpu(cur), ch->sem_payload, is64) ?
	       NSIM_M_DONE : NSIM_M_WAIT;
}

static enum nsim_mret nsim_host_method(struct nsim *sim, struct nsim_chan *ch,
				       u32 mthd, u32 v, bool *released)
{
	unsigned long flags;
	u32 hi_mask;

	switch (mthd) {
	case NVC56F_SET_OBJECT:
		/* Subchannels 0..4 reach the copy engine; 5..7 are SW. */
		if (ch->m_subc > NV_CE_SUBCHANNEL ||
		    FIELD_GET(NVC56F_SET_OBJECT_NVCLASS, v) !=
		    sim->chip->ce_class)
			return nsim_chan_stop(sim, ch,
					      NSIM_CHAN_ERR_ILLEGAL_CLASS, v);
		return NSIM_M_DONE;
	case NVC56F_NOP:
	case NVC56F_WFI:
		/* Methods run one at a time: the engine is always idle. */
		return NSIM_M_DONE;
	case NVC56F_NON_STALL_INTERRUPT:
		spin_lock_irqsave(&sim->lock, flags);
		sim->nonstall_intrs++;
		nsim_intr_raise_locked(sim, NVSIM_INTR_NON_STALL);
		spin_unlock_irqrestore(&sim->lock, flags);
		return NSIM_M_DONE;
	case NVC56F_SET_REFERENCE:
		nsim_userd_wr(sim, ch, NV_RAMUSERD_REF, v);
		return NSIM_M_DONE;
	case NVC56F_SEM_ADDR_LO:
		ch->sem_addr = (ch->sem_addr & GENMASK_ULL(63, 32)) |
			       (v & NVC56F_SEM_ADDR_LO_OFFSET);
		return NSIM_M_DONE;
	case NVC56F_SEM_ADDR_HI:
		hi_mask = nsim_hopper(sim) ? NVC86F_SEM_ADDR_HI_OFFSET :
					     NVC56F_SEM_ADDR_HI_OFFSET;
		ch->sem_addr = lower_32_bits(ch->sem_addr) |
			       (u64)(v & hi_mask) << 32;
		return NSIM_M_DONE;
	case NVC56F_SEM_PAYLOAD_LO:
		ch->sem_payload = (ch->sem_payload & GENMASK_ULL(63, 32)) | v;
		return NSIM_M_DONE;
	case NVC56F_SEM_PAYLOAD_HI:
		ch->sem_payload = lower_32_bits(ch->sem_payload) | (u64)v << 32;
		return NSIM_M_DONE;
	case NVC56F_SEM_EXECUTE:
		return nsim_sem_execute(sim, ch, v, released);
	default:
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_METHOD, v);
	}
}

/* One side of a transfer: a VA or, with @phys, a LOCAL_FB address. */
static enum nsim_mret nsim_ce_xfer(struct nsim *sim, struct nsim_chan *ch,
				   bool phys, u64 addr, void *buf, size_t len,
				   bool write)
{
	if (phys)
		return nsim_chan_pa(sim, ch, addr, buf, len, write);

	return nsim_chan_va(sim, ch, addr, buf, len, write);
}

static enum nsim_mret nsim_ce_copy(struct nsim *sim, struct nsim_chan *ch,
				   u32 v, u32 lines)
{
	bool sphys = v & NVC7B5_LAUNCH_DMA_SRC_TYPE;
	bool dphys = v & NVC7B5_LAUNCH_DMA_DST_TYPE;
	void *buf = sim->host_buf[0];
	enum nsim_mret r;
	u32 l;

	for (l = 0; l < lines; l++) {
		u64 src = ch->offset_in + (u64)l * ch->pitch_in;
		u64 dst = ch->offset_out + (u64)l * ch->pitch_out;
		u64 left = ch->line_length;

		while (left) {
			size_t n = min_t(u64, left, NSIM_HOST_BUF_SIZE);

			r = nsim_ce_xfer(sim, ch, sphys, src, buf, n, false);
			if (r == NSIM_M_DONE)
				r = nsim_ce_xfer(sim, ch, dphys, dst, buf, n,
						 true);
			if (r != NSIM_M_DONE)
				return r;
			src += n;
			dst += n;
			left -= n;
			cond_resched();
		}
	}

	return NSIM_M_DONE;
}

/*
 * A remapped transfer that writes one 32-bit constant per element into
 * LOCAL_FB: a memset of physical VRAM (a scrub). The VRAM model fills it
 * whole (a zero fill gives the host memory behind whole chunks back)
 * instead of element by element; the result is the same.
 */
static enum nsim_mret nsim_ce_fill_phys(struct nsim *sim, struct nsim_chan *ch,
					u32 value, u32 lines)
{
	u64 len = (u64)ch->line_length * 4;
	u32 l;

	for (l = 0; l < lines; l++) {
		u64 dst = ch->offset_out + (u64)l * ch->pitch_out;

		if (dst + len < dst || dst + len > sim->vram_size)
			return nsim_chan_pa_fault(sim, ch, dst, true);
		/* -ENOMEM drops the write and counts it, as a VRAM write does. */
		nsim_vram_fill(sim, dst, value, len);
		cond_resched();
	}

	return NSIM_M_DONE;
}

/*
 * Remapped transfer: LINE_LENGTH_IN counts elements; a destination
 * element is NUM_DST_COMPONENTS components of COMPONENT_SIZE bytes, each
 * a source component, CONST_A, CONST_B or left alone (NO_WRITE).
 */
static enum nsim_mret nsim_ce_remap(struct nsim *sim, struct nsim_chan *ch,
				    u32 v, u32 lines)
{
	unsigned int cs = FIELD_GET(NVC7B5_REMAP_COMPONENT_SIZE, ch->remap) + 1;
	unsigned int nsrc =
		FIELD_GET(NVC7B5_REMAP_NUM_SRC_COMPONENTS, ch->remap) + 1;
	unsigned int ndst =
		FIELD_GET(NVC7B5_REMAP_NUM_DST_COMPONENTS, ch->remap) + 1;
	bool sphys = v & NVC7B5_LAUNCH_DMA_SRC_TYPE;
	bool dphys = v & NVC7B5_LAUNCH_DMA_DST_TYPE;
	u8 *sbuf = sim->host_buf[0], *dbuf = sim->host_buf[1];
	__le32 ca = cpu_to_le32(ch->remap_a), cb = cpu_to_le32(ch->remap_b);
	bool need_src = false, rmw = false;
	unsigned int sel[4], c, sel_el, del, per;
	enum nsim_mret r;
	u32 l;

	for (c = 0; c < ndst; c++) {
		/* DST_X 2:0, DST_Y 6:4, DST_Z 10:8, DST_W 14:12 */
		sel[c] = (ch->remap >> (4 * c)) & NVC7B5_REMAP_DST_X;
		if (sel[c] <= NVC7B5_REMAP_SRC_W) {
			if (sel[c] >= nsrc)
				return nsim_chan_stop(sim, ch,
						      NSIM_CHAN_ERR_BAD_ARGUMENT,
						      ch->remap);
			need_src = true;
		} else if (sel[c] == NVC7B5_REMAP_NO_WRITE) {
			rmw = true;
		} else if (sel[c] > NVC7B5_REMAP_NO_WRITE) {
			return nsim_chan_stop(sim, ch,
					      NSIM_CHAN_ERR_BAD_ARGUMENT,
					      ch->remap);
		}
	}
	if (need_src && !(v & NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT))
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_UNSUPPORTED, v);
	if (dphys && ndst == 1 && cs == 4 && !need_src && !rmw &&
	    !(ch->offset_out & 3))
		return nsim_ce_fill_phys(sim, ch, sel[0] == NVC7B5_REMAP_CONST_A ?
					 ch->remap_a : ch->remap_b, lines);

	sel_el = cs * nsrc;
	del = cs * ndst;
	per = NSIM_HOST_BUF_SIZE / max(sel_el, del);
	for (l = 0; l < lines; l++) {
		u64 src = ch->offset_in + (u64)l * ch->pitch_in;
		u64 dst = ch->offset_out + (u64)l * ch->pitch_out;
		u64 left = ch->line_length;

		while (left) {
			unsigned int n = min_t(u64, left, per), i;

			if (need_src) {
				r = nsim_ce_xfer(sim, ch, sphys, src, sbuf,
						 n * sel_el, false);
				if (r != NSIM_M_DONE)
					return r;
			}
			if (rmw) {
				r = nsim_ce_xfer(sim, ch, dphys, dst, dbuf,
						 n * del, false);
				if (r != NSIM_M_DONE)
					return r;
			}
			for (i = 0; i < n; i++) {
				for (c = 0; c < ndst; c++) {
					u8 *d = dbuf + i * del + c * cs;

					if (sel[c] <= NVC7B5_REMAP_SRC_W)
						memcpy(d, sbuf + i * sel_el +
						       sel[c] * cs, cs);
					else if (sel[c] ==
						 NVC7B5_REMAP_CONST_A)
						memcpy(d, &ca, cs);
					else if (sel[c] ==
						 NVC7B5_REMAP_CONST_B)
						memcpy(d, &cb, cs);
				}
			}
			r = nsim_ce_xfer(sim, ch, dphys, dst, dbuf, n * del,
					 true);
			if (r != NSIM_M_DONE)
				return r;
			src += (u64)n * sel_el;
			dst += (u64)n * del;
			left -= n;
			cond_resched();
		}
	}

	return NSIM_M_DONE;
}

static enum nsim_mret nsim_ce_launch(struct nsim *sim, struct nsim_chan *ch,
				     u32 v, bool *released)
{
	u32 sem = FIELD_GET(NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE, v);
	bool sem64 = v & NVC7B5_LAUNCH_DMA_SEMAPHORE_PAYLOAD_SIZE;
	unsigned long flags;
	enum nsim_mret r;
	u32 lines;

	if (v & NVC7B5_LAUNCH_DMA_REDUCTION_ENABLE ||
	    sem > NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_RELEASE_FOUR_WORD)
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_UNSUPPORTED, v);
	/*
	 * Physical addressing is for privileged (kernel) channels only:
	 * checked before anything is accessed (simulator policy, see
	 * &nova_hw_channel_args.privileged).
	 */
	if (!ch->args.privileged &&
	    v & (NVC7B5_LAUNCH_DMA_SRC_TYPE | NVC7B5_LAUNCH_DMA_DST_TYPE))
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_PRIVILEGE, v);
	if ((v & NVC7B5_LAUNCH_DMA_SRC_TYPE &&
	     ch->src_phys != NVC7B5_PHYS_MODE_TARGET_LOCAL_FB) ||
	    (v & NVC7B5_LAUNCH_DMA_DST_TYPE &&
	     ch->dst_phys != NVC7B5_PHYS_MODE_TARGET_LOCAL_FB))
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_UNSUPPORTED, v);
	if (sem && ch->ce_sem_addr & (sem64 || sem ==
		  NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_RELEASE_FOUR_WORD ? 7 : 3))
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_ARGUMENT, v);

	ch->launches++;
	if (FIELD_GET(NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE, v) !=
	    NVC7B5_LAUNCH_DMA_DATA_TRANSFER_TYPE_NONE) {
		/* Block-linear layouts are not modelled. */
		if (!(v & NVC7B5_LAUNCH_DMA_DST_MEMORY_LAYOUT))
			return nsim_chan_stop(sim, ch,
					      NSIM_CHAN_ERR_UNSUPPORTED, v);
		lines = v & NVC7B5_LAUNCH_DMA_MULTI_LINE_ENABLE ?
			ch->line_count : 1;
		if (v & NVC7B5_LAUNCH_DMA_REMAP_ENABLE) {
			r = nsim_ce_remap(sim, ch, v, lines);
		} else if (!(v & NVC7B5_LAUNCH_DMA_SRC_MEMORY_LAYOUT)) {
			return nsim_chan_stop(sim, ch,
					      NSIM_CHAN_ERR_UNSUPPORTED, v);
		} else {
			r = nsim_ce_copy(sim, ch, v, lines);
		}
		if (r != NSIM_M_DONE)
			return r;
	}
	/* FLUSH: writes are visible when they return. */

	if (sem) {
		r = nsim_sem_write(sim, ch, ch->ce_sem_addr, ch->ce_sem_payload,
				   sem64, sem ==
				   NVC7B5_LAUNCH_DMA_SEMAPHORE_TYPE_RELEASE_FOUR_WORD);
		if (r != NSIM_M_DONE)
			return r;
		*released = true;
	}
	if (FIELD_GET(NVC7B5_LAUNCH_DMA_INTERRUPT_TYPE, v)) {
		spin_lock_irqsave(&sim->lock, flags);
		sim->nonstall_intrs++;
		nsim_intr_raise_locked(sim, NVSIM_INTR_NON_STALL);
		spin_unlock_irqrestore(&sim->lock, flags);
	}

	return NSIM_M_DONE;
}

static u64 nsim_set_upper(struct nsim *sim, u64 old, u32 v)
{
	u32 mask = nsim_hopper(sim) ? NVC8B5_OFFSET_UPPER : NVC7B5_OFFSET_UPPER;

	return lower_32_bits(old) | (u64)(v & mask) << 32;
}

static u64 nsim_set_lower(u64 old, u32 v)
{
	return (old & GENMASK_ULL(63, 32)) | v;
}

static enum nsim_mret nsim_ce_method(struct nsim *sim, struct nsim_chan *ch,
				     u32 mthd, u32 v, bool *released)
{
	switch (mthd) {
	case NVC7B5_NOP:
		break;
	case NVC7B5_SET_SEMAPHORE_A:
		ch->ce_sem_addr = nsim_set_upper(sim, ch->ce_sem_addr, v);
		break;
	case NVC7B5_SET_SEMAPHORE_B:
		ch->ce_sem_addr = nsim_set_lower(ch->ce_sem_addr, v);
		break;
	case NVC7B5_SET_SEMAPHORE_PAYLOAD:
		ch->ce_sem_payload = nsim_set_lower(ch->ce_sem_payload, v);
		break;
	case NVC7B5_SET_SEMAPHORE_PAYLOAD_UPPER:
		ch->ce_sem_payload = lower_32_bits(ch->ce_sem_payload) |
				     (u64)v << 32;
		break;
	case NVC7B5_SET_SRC_PHYS_MODE:
		ch->src_phys = FIELD_GET(NVC7B5_PHYS_MODE_TARGET, v);
		break;
	case NVC7B5_SET_DST_PHYS_MODE:
		ch->dst_phys = FIELD_GET(NVC7B5_PHYS_MODE_TARGET, v);
		break;
	case NVC7B5_LAUNCH_DMA:
		return nsim_ce_launch(sim, ch, v, released);
	case NVC7B5_OFFSET_IN_UPPER:
		ch->offset_in = nsim_set_upper(sim, ch->offset_in, v);
		break;
	case NVC7B5_OFFSET_IN_LOWER:
		ch->offset_in = nsim_set_lower(ch->offset_in, v);
		break;
	case NVC7B5_OFFSET_OUT_UPPER:
		ch->offset_out = nsim_set_upper(sim, ch->offset_out, v);
		break;
	case NVC7B5_OFFSET_OUT_LOWER:
		ch->offset_out = nsim_set_lower(ch->offset_out, v);
		break;
	case NVC7B5_PITCH_IN:
		ch->pitch_in = v;
		break;
	case NVC7B5_PITCH_OUT:
		ch->pitch_out = v;
		break;
	case NVC7B5_LINE_LENGTH_IN:
		ch->line_length = v;
		break;
	case NVC7B5_LINE_COUNT:
		ch->line_count = v;
		break;
	case NVC7B5_SET_REMAP_CONST_A:
		ch->remap_a = v;
		break;
	case NVC7B5_SET_REMAP_CONST_B:
		ch->remap_b = v;
		break;
	case NVC7B5_SET_REMAP_COMPONENTS:
		ch->remap = v;
		break;
	default:
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_METHOD, v);
	}

	return NSIM_M_DONE;
}

static enum nsim_mret nsim_method(struct nsim *sim, struct nsim_chan *ch,
				  u32 v, bool *released)
{
	u32 mthd = ch->m_addr;

	if (mthd < NVC56F_HOST_METHODS_END)
		return nsim_host_method(sim, ch, mthd, v, released);
	if (ch->m_subc > NV_CE_SUBCHANNEL)	/* software methods */
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_METHOD, v);

	return nsim_ce_method(sim, ch, mthd, v, released);
}

/* A pushbuffer word: a header, or data for the current header. */
static enum nsim_mret nsim_pb_word(struct nsim *sim, struct nsim_chan *ch,
				   u32 w, bool *released)
{
	enum nsim_mret r;
	u32 op;

	if (ch->m_count) {
		r = nsim_method(sim, ch, w, released);
		if (r != NSIM_M_DONE)
			return r;
		ch->m_count--;
		if (ch->m_op == NV_FIFO_DMA_SEC_OP_INC_METHOD ||
		    ch->m_op == NV_FIFO_DMA_SEC_OP_ONE_INC) {
			if (ch->m_op == NV_FIFO_DMA_SEC_OP_ONE_INC)
				ch->m_op = NV_FIFO_DMA_SEC_OP_NON_INC_METHOD;
			ch->m_addr = (ch->m_addr + 4) &
				     (NV_FIFO_DMA_METHOD_ADDRESS << 2);
		}
		return NSIM_M_DONE;
	}

	op = FIELD_GET(NV_FIFO_DMA_SEC_OP, w);
	ch->m_op = op;
	ch->m_subc = FIELD_GET(NV_FIFO_DMA_METHOD_SUBCHANNEL, w);
	ch->m_addr = FIELD_GET(NV_FIFO_DMA_METHOD_ADDRESS, w) << 2;
	switch (op) {
	case NV_FIFO_DMA_SEC_OP_GRP0_USE_TERT:
		/* NOP (0) and the subdevice-mask ops: one GPU, nothing. */
		return NSIM_M_DONE;
	case NV_FIFO_DMA_SEC_OP_INC_METHOD:
	case NV_FIFO_DMA_SEC_OP_NON_INC_METHOD:
	case NV_FIFO_DMA_SEC_OP_ONE_INC:
		ch->m_count = FIELD_GET(NV_FIFO_DMA_METHOD_COUNT, w);
		return NSIM_M_DONE;
	case NV_FIFO_DMA_SEC_OP_IMMD_DATA_METHOD:
		return nsim_method(sim, ch, FIELD_GET(NV_FIFO_DMA_IMMD_DATA, w),
				   released);
	case NV_FIFO_DMA_SEC_OP_END_PB_SEGMENT:
		ch->seg_pos = ch->seg_end - 4;
		return NSIM_M_DONE;
	default:
		ch->m_addr = 0;
		ch->m_subc = 0;
		return nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_HEADER, w);
	}
}

static void nsim_gp_advance(struct nsim *sim, struct nsim_chan *ch)
{
	ch->in_seg = false;
	ch->gp_get = (ch->gp_get + 1) & (ch->args.gpfifo_entries - 1);
	nsim_userd_wr(sim, ch, NV_RAMUSERD_GP_GET, ch->gp_get);
}

/* Fetch the GP entry at GP_GET; false when the channel has none or stopped. */
static bool nsim_gp_fetch(struct nsim *sim, struct nsim_chan *ch)
{
	u32 put = nsim_userd_rd(sim, ch, NV_RAMUSERD_GP_PUT);
	u32 e0, e1, len;
	__le32 e[2];

	if (put >= ch->args.gpfifo_entries) {
		ch->m_addr = 0;
		nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_GP_PUT, put);
		return false;
	}
	if (put == ch->gp_get)
		return false;

	if (nsim_chan_va(sim, ch, ch->args.gpfifo_va +
			 (u64)ch->gp_get * NV_GP_ENTRY_SIZE, e, sizeof(e),
			 false) != NSIM_M_DONE)
		return false;
	e0 = le32_to_cpu(e[0]);
	e1 = le32_to_cpu(e[1]);
	len = FIELD_GET(NV_GP_ENTRY1_LENGTH, e1);
	if (!len) {
		if (FIELD_GET(NV_GP_ENTRY1_OPCODE, e1) !=
		    NV_GP_ENTRY1_OPCODE_NOP) {
			ch->m_addr = 0;
			nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_GP_ENTRY, e1);
			return false;
		}
		nsim_gp_advance(sim, ch);
		return true;
	}
	if (e1 & NV_GP_ENTRY1_LEVEL) {
		/* Subroutines are not modelled. */
		ch->m_addr = 0;
		nsim_chan_stop(sim, ch, NSIM_CHAN_ERR_BAD_GP_ENTRY, e1);
		return false;
	}

	/* FETCH (conditional) and SYNC: segments run in order anyway. */
	ch->seg_pos = (u64)FIELD_GET(NV_GP_ENTRY1_GET_HI, e1) << 32 |
		      (e0 & NV_GP_ENTRY0_GET);
	ch->seg_end = ch->seg_pos + (u64)len * 4;
	ch->in_seg = true;

	return true;
}

/* Run a channel until it is idle, waits or stops. */
static void nsim_chan_run(struct nsim *sim, struct nsim_chan *ch,
			  bool *released)
{
	enum nsim_chan_state state = NSIM_CHAN_IDLE;
	unsigned long flags;
	enum nsim_mret r;

	for (;;) {
		if (!ch->in_seg && !nsim_gp_fetch(sim, ch))
			break;
		while (ch->in_seg && ch->seg_pos < ch->seg_end) {
			__le32 w;

			r = nsim_chan_va(sim, ch, ch->seg_pos, &w, sizeof(w),
					 false);
			if (r == NSIM_M_DONE)
				r = nsim_pb_word(sim, ch, le32_to_cpu(w),
						 released);
			if (r == NSIM_M_STOP)
				return;
			if (r == NSIM_M_WAIT) {
				state = NSIM_CHAN_WAITING;
				goto out;
			}
			ch->seg_pos += 4;
		}
		if (ch->in_seg) {
			ch->segments++;
			nsim_gp_advance(sim, ch);
		}
		cond_resched();
	}
out:
	spin_lock_irqsave(&sim->lock, flags);
	if (ch->state != NSIM_CHAN_ERROR)
		ch->state = state;
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void nsim_host_work(struct work_struct *work)
{
	struct nsim *sim = container_of(work, struct nsim, host_work);
	bool released = false;
	unsigned long flags;
	unsigned int i;

	mutex_lock(&sim->host_mutex);
	for (;;) {
		struct nsim_chan *ch = NULL;

		spin_lock_irqsave(&sim->lock, flags);
		if (released) {
			/* A release may satisfy a waiting acquire. */
			for (i = 0; i < NSIM_CHANNELS; i++)
				if (sim->chans[i] &&
				    sim->chans[i]->state == NSIM_CHAN_WAITING)
					sim->chans[i]->pending = true;
			released = false;
		}
		for (i = 0; i < NSIM_CHANNELS; i++) {
			if (sim->chans[i] && sim->chans[i]->pending) {
				ch = sim->chans[i];
				ch->pending = false;
				if (ch->state == NSIM_CHAN_ERROR)
					ch = NULL;
				else
					break;
			}
		}
		spin_unlock_irqrestore(&sim->lock, flags);
		if (!ch)
			break;
		nsim_chan_run(sim, ch, &released);
	}
	/* Some channel waits on an acquire: look at its memory again later. */
	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < NSIM_CHANNELS; i++)
		if (sim->chans[i] && sim->chans[i]->state == NSIM_CHAN_WAITING)
			break;
	if (i < NSIM_CHANNELS && !sim->host_stopping)
		queue_delayed_work(sim->host_wq, &sim->host_poll,
				   msecs_to_jiffies(NSIM_ACQUIRE_POLL_MS));
	spin_unlock_irqrestore(&sim->lock, flags);
	mutex_unlock(&sim->host_mutex);
}

/* The host polls the semaphores its channels wait on. */
static void nsim_host_poll(struct work_struct *work)
{
	struct nsim *sim = container_of(to_delayed_work(work), struct nsim,
					host_poll);
	bool any = false;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < NSIM_CHANNELS; i++) {
		if (sim->chans[i] && sim->chans[i]->state == NSIM_CHAN_WAITING) {
			sim->chans[i]->pending = true;
			any = true;
		}
	}
	if (any && !sim->host_stopping)
		queue_work(sim->host_wq, &sim->host_work);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * nsim_channel_alloc() - &nova_hw_ops.channel_alloc
 * @hw: the GPU
 * @args: the channel
 * @token: its doorbell token
 *
 * Context: process; may sleep.
 * Return: 0, -ENODEV when the chip's channels are not modelled, -EINVAL
 * for bad @args, -ENOSPC when all NSIM_CHANNELS are in use, -ENOMEM.
 */
int nsim_channel_alloc(struct nova_hw *hw,
		       const struct nova_hw_channel_args *args, u32 *token)
{
	struct nsim *sim = nsim_from_hw(hw);
	struct nsim_chan *ch;
	unsigned long flags;
	unsigned int chid;
	__le32 zero = 0;

	if (!sim->chip->chan_class)
		return -ENODEV;
	if (args->hclass != sim->chip->chan_class ||
	    args->pdb & (SZ_4K - 1) || args->pdb >= sim->vram_size ||
	    args->gpfifo_va & (NV_GP_ENTRY_SIZE - 1) ||
	    args->gpfifo_entries < 2 ||
	    args->gpfifo_entries > NSIM_GP_ENTRIES_MAX ||
	    !is_power_of_2(args->gpfifo_entries) ||
	    args->userd & (NV_RAMUSERD_SIZE - 1) ||
	    args->userd >= sim->vram_size)
		return -EINVAL;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	ch->args = *args;

	mutex_lock(&sim->host_mutex);
	for (chid = 0; chid < NSIM_CHANNELS; chid++)
		if (!sim->chans[chid])
			break;
	if (chid == NSIM_CHANNELS) {
		mutex_unlock(&sim->host_mutex);
		kfree(ch);
		return -ENOSPC;
	}
	ch->chid = chid;
	ch->token = FIELD_PREP(NV_USERMODE_NOTIFY_CHANNEL_PENDING_CHID, chid) |
		    FIELD_PREP(NV_USERMODE_NOTIFY_CHANNEL_PENDING_RUNLIST,
			       NSIM_RUNLIST);
	/* The firmware starts the ring empty. */
	nsim_vram_write(sim, args->userd + NV_RAMUSERD_GP_GET, &zero,
			sizeof(zero), true);
	nsim_vram_write(sim, args->userd + NV_RAMUSERD_GP_PUT, &zero,
			sizeof(zero), true);
	spin_lock_irqsave(&sim->lock, flags);
	sim->chans[chid] = ch;
	spin_unlock_irqrestore(&sim->lock, flags);
	mutex_unlock(&sim->host_mutex);
	*token = ch->token;

	return 0;
}

/**
 * nsim_channel_free() - &nova_hw_ops.channel_free
 * @hw: the GPU
 * @token: the channel's token; an unknown token is ignored
 *
 * Waits for the host to leave the channel: the host's work runs with
 * &nsim.host_mutex held from the fetch of a GP entry to the end of the
 * channel's run, so once the channel is out of the table under that
 * mutex, no execution of it is in flight and none starts again (a later
 * semaphore release or doorbell finds no channel).
 *
 * Context: process; may sleep.
 */
void nsim_channel_free(struct nova_hw *hw, u32 token)
{
	struct nsim *sim = nsim_from_hw(hw);
	struct nsim_chan *ch;
	unsigned long flags;

	mutex_lock(&sim->host_mutex);
	spin_lock_irqsave(&sim->lock, flags);
	ch = nsim_chan_find_locked(sim, token);
	if (ch) {
		sim->chans[ch->chid] = NULL;
		sim->chan_stopped[ch->chid / 32] &= ~BIT(ch->chid % 32);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	mutex_unlock(&sim->host_mutex);
	kfree(ch);
}

/**
 * nsim_host_init() - set up the host of an instance
 * @sim: the instance
 *
 * Context: process; may sleep.
 * Return: 0 or -ENOMEM.
 */
int nsim_host_init(struct nsim *sim)
{
	mutex_init(&sim->host_mutex);
	mutex_init(&sim->intr_mutex);
	INIT_WORK(&sim->host_work, nsim_host_work);
	INIT_DELAYED_WORK(&sim->host_poll, nsim_host_poll);
	INIT_WORK(&sim->intr_work, nsim_intr_work);
	sim->host_buf[0] = kmalloc(NSIM_HOST_BUF_SIZE, GFP_KERNEL);
	sim->host_buf[1] = kmalloc(NSIM_HOST_BUF_SIZE, GFP_KERNEL);
	sim->host_wq = alloc_ordered_workqueue("nova-sim-host-%s", 0,
					       sim->name);
	if (!sim->host_buf[0] || !sim->host_buf[1] || !sim->host_wq) {
		nsim_host_fini(sim);
		return -ENOMEM;
	}

	return 0;
}

/**
 * nsim_host_fini() - stop the host and free the channels left
 * @sim: the instance; no doorbell may ring any more
 *
 * Context: process; may sleep.
 */
void nsim_host_fini(struct nsim *sim)
{
	unsigned long flags;
	unsigned int i;

	if (sim->host_wq) {
		spin_lock_irqsave(&sim->lock, flags);
		sim->host_stopping = true;
		spin_unlock_irqrestore(&sim->lock, flags);
		/* No poll is queued after this; the queue drains the rest. */
		cancel_delayed_work_sync(&sim->host_poll);
		destroy_workqueue(sim->host_wq);
	}
	sim->host_wq = NULL;
	/* The host raises no interrupt any more. */
	cancel_work_sync(&sim->intr_work);
	for (i = 0; i < NSIM_CHANNELS; i++) {
		kfree(sim->chans[i]);
		sim->chans[i] = NULL;
	}
	kfree(sim->host_buf[0]);
	kfree(sim->host_buf[1]);
	sim->host_buf[0] = NULL;
	sim->host_buf[1] = NULL;
	mutex_destroy(&sim->intr_mutex);
	mutex_destroy(&sim->host_mutex);
}

#if IS_ENABLED(CONFIG_NOVA_SIM_KUNIT_TEST)
/**
 * nsim_host_flush() - wait until the host has handled every doorbell so far
 * @sim: the instance
 *
 * Context: process; may sleep.
 */
void nsim_host_flush(struct nsim *sim)
{
	flush_work(&sim->host_work);
}

/**
 * nsim_chan_status() - a channel's state
 * @sim: the instance
 * @token: the channel
 * @error: if not NULL, its &enum nsim_chan_error
 * @fault_va: if not NULL, the VA of its fault
 *
 * Context: any.
 * Return: its &enum nsim_chan_state; NSIM_CHAN_ERROR for an unknown token.
 */
enum nsim_chan_state nsim_chan_status(struct nsim *sim, u32 token,
				      enum nsim_chan_error *error,
				      u64 *fault_va)
{
	enum nsim_chan_state state = NSIM_CHAN_ERROR;
	enum nsim_chan_error err = NSIM_CHAN_ERR_NONE;
	struct nsim_chan *ch;
	unsigned long flags;
	u64 va = 0;

	spin_lock_irqsave(&sim->lock, flags);
	ch = nsim_chan_find_locked(sim, token);
	if (ch) {
		state = ch->state;
		err = ch->error;
		va = ch->fault_va;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	if (error)
		*error = err;
	if (fault_va)
		*fault_va = va;

	return state;
}
#endif
