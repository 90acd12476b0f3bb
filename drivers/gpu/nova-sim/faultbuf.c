// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim MMU fault reporting: the non-replayable fault buffer.
 *
 * Modelled from the documented hardware (<linux/nova/regs.h>): the driver
 * places a ring of NV_MMU_FAULT_BUF_SIZE-byte packets in VRAM with
 * NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_LO/HI(0) (physical mode, LOCAL
 * aperture), sets its length in packets and ENABLE in _SIZE(0), and
 * consumes the packets from GET to PUT. For every fault the MMU writes a
 * packet at PUT, VALID (the last word) last, and advances PUT. With one
 * slot left free (PUT + 1 == GET) the buffer is full: the fault sets
 * OVERFLOW in GET and PUT and is dropped, and so is every fault after it
 * until the driver writes GET with OVERFLOW set. Disabling the buffer
 * resets GET and PUT to 0.
 *
 * What nova-sim chooses where the sources are silent (see sim.rst):
 *
 * - Only buffer 0 (non-replayable) exists: no fault here is replayable.
 *   The registers of buffer 1 are unknown registers.
 * - Only physical mode with the LOCAL aperture is modelled (nova-sim has
 *   no BAR2); a buffer in another mode, or beyond VRAM, drops the faults.
 * - nova-sim has no instance blocks (the firmware owns them): the INST
 *   field of a packet holds the page directory base of the faulting
 *   address space instead, aperture VID_MEM.
 * - Engine accesses (the host and copy engine of a channel, and
 *   &nova_hw_probe_ops.mem_access) report engine CE0, client HUB_CE0;
 *   BAR1 reports engine BAR1, client HUB_HOST_CPU. Both are HUB clients.
 *   A sparse page on the BAR1 path reports FAULT_TYPE_PTE.
 * - A GET written beyond the buffer sets GETPTR_CORRUPTED and is ignored.
 * - SET_DEFAULT in _SIZE sets NSIM_FAULT_BUF_DEFAULT packets.
 *
 * The fault also raises NVSIM_INTR_MMU_FAULT, whether or not a packet
 * was written; the simulator keeps a history of the last
 * NSIM_FAULT_LOG_SIZE faults for debugfs, apart from the buffer.
 */

#include <linux/bitfield.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>
#include <linux/timekeeping.h>

#include "sim.h"

static u32 nsim_fault_type(u8 reason)
{
	switch (reason) {
	case NOVA_FAULT_REASON_PDE:
		return NV_PFAULT_FAULT_TYPE_PDE;
	case NOVA_FAULT_REASON_RO:
		return NV_PFAULT_FAULT_TYPE_RO_VIOLATION;
	case NOVA_FAULT_REASON_RANGE:
		return NV_PFAULT_FAULT_TYPE_VA_LIMIT_VIOLATION;
	case NOVA_FAULT_REASON_APERTURE:
		return NV_PFAULT_FAULT_TYPE_UNSUPPORTED_APERTURE;
	default: /* PTE, SPARSE */
		return NV_PFAULT_FAULT_TYPE_PTE;
	}
}

static u32 nsim_fbuf_entries(struct nsim *sim)
{
	if (!(sim->fbuf_size & NV_MMU_FAULT_BUFFER_SIZE_ENABLE))
		return 0;
	return FIELD_GET(NV_MMU_FAULT_BUFFER_SIZE_VAL, sim->fbuf_size);
}

/*
 * VRAM address of the enabled buffer of @entries packets, or U64_MAX when
 * it is in a mode nova-sim does not model or does not fit in VRAM.
 */
static u64 nsim_fbuf_base(struct nsim *sim, u32 entries)
{
	u64 base;

	if (!(sim->fbuf_lo & NV_MMU_FAULT_BUFFER_LO_ADDR_MODE_PHYSICAL) ||
	    FIELD_GET(NV_MMU_FAULT_BUFFER_LO_PHYS_APERTURE, sim->fbuf_lo) !=
	    NV_MMU_FAULT_BUFFER_LO_PHYS_APERTURE_LOCAL)
		return U64_MAX;
	base = (sim->fbuf_lo & NV_MMU_FAULT_BUFFER_LO_ADDR) |
	       (u64)sim->fbuf_hi << 32;
	if (base >= sim->vram_size ||
	    (u64)entries * NV_MMU_FAULT_BUF_SIZE > sim->vram_size - base)
		return U64_MAX;
	return base;
}

/**
 * nsim_record_fault_locked() - the MMU faults
 * @sim: the instance, locked
 * @va: faulting address (virtual, or physical for @access PHYS_*)
 * @pdb: page directory base of the address space
 * @access: NV_PFAULT_ACCESS_TYPE_*
 * @reason: NOVA_FAULT_REASON_*
 * @bar1: the BAR1 path faulted, else an engine's
 * @chid: the faulting channel, or NSIM_NO_CHID (history only)
 * @pkt: the packet to write, see nsim_fault_write()
 *
 * Counts the fault, keeps it in the history, raises NVSIM_INTR_MMU_FAULT
 * and claims the buffer slot at PUT, or drops the packet (buffer off or
 * overflowed; counted in &nsim.faults_lost).
 *
 * Context: &nsim.lock held; never sleeps.
 */
void nsim_record_fault_locked(struct nsim *sim, u64 va, u64 pdb, u8 access,
			      u8 reason, bool bar1, u16 chid,
			      struct nsim_fault_pkt *pkt)
{
	struct nsim_fault *f;
	u32 entries, next;
	u64 base, ts;
	u32 *w = pkt->w;

	lockdep_assert_held(&sim->lock);
	pkt->addr = U64_MAX;
	sim->faults_total++;
	nsim_intr_raise_locked(sim, NVSIM_INTR_MMU_FAULT);

	if (sim->fault_count == NSIM_FAULT_LOG_SIZE) {
		sim->fault_head = (sim->fault_head + 1) % NSIM_FAULT_LOG_SIZE;
		sim->fault_count--;
	}
	f = &sim->faults[(sim->fault_head + sim->fault_count) %
			 NSIM_FAULT_LOG_SIZE];
	f->va = va;
	f->pdb = pdb;
	f->access = access;
	f->reason = reason;
	f->bar1 = bar1;
	f->chid = chid;
	sim->fault_count++;

	entries = nsim_fbuf_entries(sim);
	base = entries ? nsim_fbuf_base(sim, entries) : U64_MAX;
	if (base == U64_MAX || sim->fbuf_overflow || sim->fbuf_put >= entries) {
		sim->faults_lost++;
		return;
	}
	next = (sim->fbuf_put + 1) % entries;
	if (next == sim->fbuf_get) {
		sim->fbuf_overflow = true;
		sim->faults_lost++;
		return;
	}

	ts = ktime_get_ns();
	w[NV_MMU_FAULT_BUF_DW_INST_LO] =
		FIELD_PREP(NV_MMU_FAULT_BUF_INST_APERTURE,
			   NV_MMU_FAULT_BUF_INST_APERTURE_VID_MEM) |
		(lower_32_bits(pdb) & NV_MMU_FAULT_BUF_INST_LO);
	w[NV_MMU_FAULT_BUF_DW_INST_HI] = upper_32_bits(pdb);
	w[NV_MMU_FAULT_BUF_DW_ADDR_LO] = lower_32_bits(va) &
					 NV_MMU_FAULT_BUF_ADDR_LO;
	w[NV_MMU_FAULT_BUF_DW_ADDR_HI] = upper_32_bits(va);
	w[NV_MMU_FAULT_BUF_DW_TIMESTAMP_LO] = lower_32_bits(ts);
	w[NV_MMU_FAULT_BUF_DW_TIMESTAMP_HI] = upper_32_bits(ts);
	w[NV_MMU_FAULT_BUF_DW_ENGINE] =
		FIELD_PREP(NV_MMU_FAULT_BUF_ENGINE_ID,
			   bar1 ? sim->chip->fault_eng_bar1 :
				  sim->chip->fault_eng_ce0);
	w[NV_MMU_FAULT_BUF_DW_INFO] =
		FIELD_PREP(NV_MMU_FAULT_BUF_FAULT_TYPE, nsim_fault_type(reason)) |
		FIELD_PREP(NV_MMU_FAULT_BUF_CLIENT,
			   bar1 ? NV_PFAULT_CLIENT_HUB_HOST_CPU :
				  NV_PFAULT_CLIENT_HUB_CE0) |
		FIELD_PREP(NV_MMU_FAULT_BUF_ACCESS_TYPE, access) |
		FIELD_PREP(NV_MMU_FAULT_BUF_MMU_CLIENT_TYPE,
			   NV_PFAULT_MMU_CLIENT_TYPE_HUB) |
		NV_MMU_FAULT_BUF_VALID;
	pkt->addr = base + (u64)sim->fbuf_put * NV_MMU_FAULT_BUF_SIZE;
	sim->fbuf_put = next;
}

/**
 * nsim_fault_write() - write the packet nsim_record_fault_locked() claimed
 * @sim: the instance, not locked
 * @pkt: the packet; nothing happens when no slot was claimed
 *
 * Writes the words before VALID first, then the word with VALID: a driver
 * that sees PUT advanced may find the packet not yet valid, as on real
 * hardware. A write that finds no VRAM backing (GFP_NOWAIT) is dropped
 * and counted in &nsim.faults_lost.
 *
 * Context: any; never sleeps; &nsim.lock must not be held.
 */
void nsim_fault_write(struct nsim *sim, const struct nsim_fault_pkt *pkt)
{
	__le32 le[NV_MMU_FAULT_BUF_SIZE / 4];
	unsigned long flags;
	unsigned int i;
	int ret;

	if (pkt->addr == U64_MAX)
		return;
	for (i = 0; i < ARRAY_SIZE(le); i++)
		le[i] = cpu_to_le32(pkt->w[i]);
	ret = nsim_vram_write(sim, pkt->addr, le,
			      NV_MMU_FAULT_BUF_DW_INFO * 4, false);
	/* Publish: the word with VALID goes last. */
	wmb();
	ret |= nsim_vram_write(sim, pkt->addr + NV_MMU_FAULT_BUF_DW_INFO * 4,
			       &le[NV_MMU_FAULT_BUF_DW_INFO], 4, false);
	if (ret) {
		spin_lock_irqsave(&sim->lock, flags);
		sim->faults_lost++;
		spin_unlock_irqrestore(&sim->lock, flags);
	}
}

static u32 nsim_fbuf_ptr(struct nsim *sim, u32 ptr)
{
	return ptr | (sim->fbuf_corrupted ? NV_MMU_FAULT_BUFFER_GETPTR_CORRUPTED : 0) |
	       (sim->fbuf_overflow ? NV_MMU_FAULT_BUFFER_OVERFLOW : 0);
}

/**
 * nsim_fault_buf_rd_locked() - read a fault buffer register
 * @sim: the instance, locked
 * @offset: BAR0 offset, a register of buffer 0
 * @value: set to the register's value
 *
 * Return: true when @offset is a register of buffer 0.
 */
bool nsim_fault_buf_rd_locked(struct nsim *sim, u32 offset, u32 *value)
{
	lockdep_assert_held(&sim->lock);
	switch (offset) {
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_LO(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		*value = sim->fbuf_lo;
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_HI(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		*value = sim->fbuf_hi;
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_GET(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		*value = nsim_fbuf_ptr(sim, sim->fbuf_get);
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_PUT(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		*value = nsim_fbuf_ptr(sim, sim->fbuf_put);
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_SIZE(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		*value = sim->fbuf_size;
		return true;
	}
	return false;
}

/**
 * nsim_fault_buf_wr_locked() - write a fault buffer register
 * @sim: the instance, locked
 * @offset: BAR0 offset
 * @value: value
 *
 * Return: true when @offset is a register of buffer 0.
 */
bool nsim_fault_buf_wr_locked(struct nsim *sim, u32 offset, u32 value)
{
	u32 ptr;

	lockdep_assert_held(&sim->lock);
	switch (offset) {
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_LO(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		sim->fbuf_lo = value & (NV_MMU_FAULT_BUFFER_LO_ADDR_MODE_PHYSICAL |
					NV_MMU_FAULT_BUFFER_LO_PHYS_APERTURE |
					NV_MMU_FAULT_BUFFER_LO_PHYS_VOL |
					NV_MMU_FAULT_BUFFER_LO_ADDR);
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_HI(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		sim->fbuf_hi = value;
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_GET(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		if (value & NV_MMU_FAULT_BUFFER_OVERFLOW)
			sim->fbuf_overflow = false;
		if (value & NV_MMU_FAULT_BUFFER_GETPTR_CORRUPTED)
			sim->fbuf_corrupted = false;
		ptr = FIELD_GET(NV_MMU_FAULT_BUFFER_PTR, value);
		if (ptr < FIELD_GET(NV_MMU_FAULT_BUFFER_SIZE_VAL, sim->fbuf_size))
			sim->fbuf_get = ptr;
		else
			sim->fbuf_corrupted = true;
		return true;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_PUT(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		return true; /* read only */
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_SIZE(NV_MMU_NON_REPLAY_FAULT_BUFFER):
		if (value & NV_MMU_FAULT_BUFFER_SIZE_SET_DEFAULT) {
			value &= ~NV_MMU_FAULT_BUFFER_SIZE_VAL;
			value |= FIELD_PREP(NV_MMU_FAULT_BUFFER_SIZE_VAL,
					    NSIM_FAULT_BUF_DEFAULT);
		}
		sim->fbuf_size = value & (NV_MMU_FAULT_BUFFER_SIZE_VAL |
					  NV_MMU_FAULT_BUFFER_SIZE_OVERFLOW_INTR |
					  NV_MMU_FAULT_BUFFER_SIZE_ENABLE);
		if (!(value & NV_MMU_FAULT_BUFFER_SIZE_ENABLE)) {
			sim->fbuf_get = 0;
			sim->fbuf_put = 0;
			sim->fbuf_overflow = false;
			sim->fbuf_corrupted = false;
		}
		return true;
	}
	return false;
}
