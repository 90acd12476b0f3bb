// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim BAR0 register file.
 *
 * Modelled registers (offsets and fields from <linux/nova/regs.h>):
 *
 * - NV_PMC_BOOT_0: chipset << 20 | 0xa1; writes ignored.
 * - The PRAMIN window register of the chip family: NV_PBUS_BAR0_WINDOW
 *   (Turing..Ada: BASE 23:0, TARGET 25:24) or NV_XAL_EP_ZB_BAR0_WINDOW
 *   (Hopper: BASE 21:0). Reads return the defined fields last written.
 * - NV_PRAMIN (1 MiB): 32-bit accesses to VRAM at (BASE << 16) + offset.
 * - NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB, _UPPER_PDB, _INVALIDATE.
 * - NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_*(0): the non-replayable
 *   fault buffer (faultbuf.c).
 * - NV_USERMODE_NOTIFY_CHANNEL_PENDING: the doorbell (host.c); reads 0.
 * - The simulator-specific interrupt registers NVSIM_INTR_PENDING (write
 *   1 to clear), NVSIM_INTR_ENABLE, NVSIM_CHAN_STOPPED (write 1 to
 *   clear) and NVSIM_CHAN_ERROR (read only); see host.c.
 *
 * Everything else reads 0, ignores writes and is counted as unknown.
 * Register accesses never sleep and never allocate except for a
 * GFP_NOWAIT chunk when a PRAMIN write needs VRAM backing and the pool is
 * empty (see vram.c).
 */

#include <linux/bitfield.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>

#include "sim.h"

static void nsim_unknown_locked(struct nsim *sim, u32 offset, bool write)
{
	unsigned int i;

	if (write)
		sim->unknown_writes++;
	else
		sim->unknown_reads++;
	for (i = 0; i < sim->unknown_n; i++)
		if (sim->unknown[i] == offset)
			return;
	if (sim->unknown_n < NSIM_UNKNOWN_LOG_SIZE)
		sim->unknown[sim->unknown_n++] = offset;
}

static unsigned int nsim_tlb_delay(struct nsim *sim)
{
	return sim->tlb_delay_us >= 0 ? sim->tlb_delay_us :
					READ_ONCE(nsim_tlb_delay_us);
}

/*
 * Complete the pending invalidation. Reference, "TLB invalidation":
 * ALL_PDB selects every address space, else the one of the latched PDB;
 * HUBTLB_ONLY restricts it to the HUB TLB. Invalidation of single VAs is
 * not modelled: without ALL_VA nothing is dropped.
 */
static void nsim_invalidate_complete_locked(struct nsim *sim)
{
	u32 flags = sim->inv_flags;
	bool all = flags & NV_MMU_INVALIDATE_ALL_PDB;

	lockdep_assert_held(&sim->lock);
	sim->inv_pending = false;

	if (!(flags & NV_MMU_INVALIDATE_ALL_VA)) {
		sim->invalidates_unsupported++;
		return;
	}

	/* A PDB in system memory matches no VRAM address space. */
	if (all || sim->inv_pdb_vidmem) {
		nsim_tlb_invalidate_locked(sim, &sim->hub, all,
					   sim->inv_pdb_addr);
		if (!(flags & NV_MMU_INVALIDATE_HUBTLB_ONLY))
			nsim_tlb_invalidate_locked(sim, &sim->gpc, all,
						   sim->inv_pdb_addr);
	}

	sim->invalidates++;
	if (FIELD_GET(NV_MMU_INVALIDATE_ACK, flags) ==
	    NV_MMU_INVALIDATE_ACK_GLOBALLY)
		sim->invalidates_acked++;
	if (flags & NV_MMU_INVALIDATE_HUBTLB_ONLY)
		sim->invalidates_hub_only++;
}

/**
 * nsim_poll_locked() - advance the simulated time-dependent state
 * @sim: the instance, locked
 *
 * Completes a pending TLB invalidation whose delay has passed. Called
 * before every register access and translation.
 */
void nsim_poll_locked(struct nsim *sim)
{
	lockdep_assert_held(&sim->lock);
	if (sim->inv_pending && ktime_after(ktime_get(), sim->inv_deadline))
		nsim_invalidate_complete_locked(sim);
}

static void nsim_invalidate_trigger_locked(struct nsim *sim, u32 value)
{
	unsigned int delay = nsim_tlb_delay(sim);

	/* The invalidation unit handles one request at a time. */
	if (sim->inv_pending)
		nsim_invalidate_complete_locked(sim);

	sim->inv_flags = value;
	sim->inv_pdb_vidmem = !(sim->inv_pdb & NV_MMU_INVALIDATE_PDB_APERTURE);
	sim->inv_pdb_addr =
		((u64)FIELD_GET(NV_MMU_INVALIDATE_PDB_ADDR, sim->inv_pdb) << 12) |
		((u64)FIELD_GET(NV_MMU_INVALIDATE_UPPER_PDB_ADDR,
				sim->inv_upper_pdb) << 40);
	sim->inv_pending = true;
	sim->inv_deadline = ktime_add_us(ktime_get(), delay);
	if (!delay)
		nsim_invalidate_complete_locked(sim);
}

/*
 * VRAM address of PRAMIN offset @off with window register @window, or
 * U64_MAX when the access does not reach VRAM (TARGET not VIDMEM, or
 * beyond the end of VRAM).
 */
static u64 nsim_pramin_addr(struct nsim *sim, u32 window, u32 off)
{
	const struct nsim_chip *chip = sim->chip;
	u64 addr;

	if (chip->window_target_mask &&
	    (window & chip->window_target_mask) !=
	    NV_PBUS_BAR0_WINDOW_TARGET_VIDMEM)
		return U64_MAX;
	addr = ((u64)(window & chip->window_base_mask) <<
		NV_PRAMIN_WINDOW_SHIFT) + (off & ~3u);
	if (addr + 4 > sim->vram_size)
		return U64_MAX;

	return addr;
}

static u64 nsim_pramin_locate(struct nsim *sim, u32 off, bool write)
{
	unsigned long flags;
	u64 addr;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	addr = nsim_pramin_addr(sim, sim->window, off);
	if (addr == U64_MAX)
		sim->pramin_bad++;
	if (write)
		sim->pramin_writes++;
	else
		sim->pramin_reads++;
	spin_unlock_irqrestore(&sim->lock, flags);

	return addr;
}

static u32 nsim_pramin_rd(struct nsim *sim, u32 off)
{
	u64 addr = nsim_pramin_locate(sim, off, false);
	__le32 v;

	if (addr == U64_MAX)
		return NSIM_BAD_READ;
	nsim_vram_read(sim, addr, &v, sizeof(v));

	return le32_to_cpu(v);
}

static void nsim_pramin_wr(struct nsim *sim, u32 off, u32 value)
{
	u64 addr = nsim_pramin_locate(sim, off, true);
	__le32 v = cpu_to_le32(value);

	if (addr != U64_MAX)
		nsim_vram_write(sim, addr, &v, sizeof(v), false);
}

static bool nsim_is_pramin(u32 offset)
{
	return offset >= NV_PRAMIN && offset < NV_PRAMIN + NV_PRAMIN_SIZE;
}

/**
 * nsim_rd32() - BAR0 register read (&nova_hw_ops.rd32)
 * @hw: the GPU
 * @offset: BAR0 offset
 *
 * Never sleeps, never allocates.
 *
 * Return: the register value.
 */
u32 nsim_rd32(struct nova_hw *hw, u32 offset)
{
	struct nsim *sim = nsim_from_hw(hw);
	unsigned long flags;
	u32 value = 0;

	if (nsim_is_pramin(offset))
		return nsim_pramin_rd(sim, offset - NV_PRAMIN);

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	switch (offset) {
	case NV_PMC_BOOT_0:
		value = FIELD_PREP(NV_PMC_BOOT_0_CHIPSET, sim->chip->chipset) |
			0xa1;
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB:
		value = sim->inv_pdb;
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB:
		value = sim->inv_upper_pdb;
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE:
		value = sim->inv_ctrl & ~NV_MMU_INVALIDATE_TRIGGER;
		if (sim->inv_pending)
			value |= NV_MMU_INVALIDATE_TRIGGER;
		break;
	case NV_USERMODE_NOTIFY_CHANNEL_PENDING:
		break;
	case NVSIM_INTR_PENDING:
		value = sim->intr_pending;
		break;
	case NVSIM_INTR_ENABLE:
		value = sim->intr_enable;
		break;
	case NVSIM_CHAN_STOPPED(0) ... NVSIM_CHAN_STOPPED(NVSIM_CHAN_STOPPED_WORDS - 1):
		if (offset & 3)
			nsim_unknown_locked(sim, offset, false);
		else
			value = sim->chan_stopped[(offset - NVSIM_CHAN_STOPPED(0)) / 4];
		break;
	case NVSIM_CHAN_ERROR(0) ... NVSIM_CHAN_ERROR(NVSIM_CHAN_ERROR_COUNT - 1):
		if (offset & 3)
			nsim_unknown_locked(sim, offset, false);
		else
			value = nsim_chan_error_locked(sim, (offset - NVSIM_CHAN_ERROR(0)) / 4);
		break;
	default:
		if (offset == sim->chip->window_reg)
			value = sim->window;
		else if (!nsim_fault_buf_rd_locked(sim, offset, &value))
			nsim_unknown_locked(sim, offset, false);
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);

	return value;
}

/**
 * nsim_wr32() - BAR0 register write (&nova_hw_ops.wr32)
 * @hw: the GPU
 * @offset: BAR0 offset
 * @value: value
 *
 * Never sleeps; allocates only with GFP_NOWAIT (PRAMIN backing).
 */
void nsim_wr32(struct nova_hw *hw, u32 offset, u32 value)
{
	struct nsim *sim = nsim_from_hw(hw);
	unsigned long flags;

	if (nsim_is_pramin(offset)) {
		nsim_pramin_wr(sim, offset - NV_PRAMIN, value);
		return;
	}

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	switch (offset) {
	case NV_PMC_BOOT_0:
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB:
		sim->inv_pdb = value & (NV_MMU_INVALIDATE_PDB_ADDR |
					NV_MMU_INVALIDATE_PDB_APERTURE);
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB:
		sim->inv_upper_pdb = value & NV_MMU_INVALIDATE_UPPER_PDB_ADDR;
		break;
	case NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE:
		sim->inv_ctrl = value;
		if (value & NV_MMU_INVALIDATE_TRIGGER)
			nsim_invalidate_trigger_locked(sim, value);
		break;
	case NV_USERMODE_NOTIFY_CHANNEL_PENDING:
		nsim_doorbell_locked(sim, value);
		break;
	case NVSIM_INTR_PENDING:
		sim->intr_pending &= ~value;
		break;
	case NVSIM_INTR_ENABLE:
		sim->intr_enable = value & NVSIM_INTR_ALL;
		/* Enabling a pending cause raises the line. */
		nsim_intr_raise_locked(sim, 0);
		break;
	case NVSIM_CHAN_STOPPED(0) ... NVSIM_CHAN_STOPPED(NVSIM_CHAN_STOPPED_WORDS - 1):
		if (offset & 3)
			nsim_unknown_locked(sim, offset, true);
		else
			sim->chan_stopped[(offset - NVSIM_CHAN_STOPPED(0)) / 4] &= ~value;
		break;
	case NVSIM_CHAN_ERROR(0) ... NVSIM_CHAN_ERROR(NVSIM_CHAN_ERROR_COUNT - 1):
		if (offset & 3)
			nsim_unknown_locked(sim, offset, true);
		break;
	default:
		if (offset == sim->chip->window_reg) {
			value &= sim->chip->window_mask;
			if ((value ^ sim->window) & sim->chip->window_base_mask)
				sim->pramin_moves++;
			sim->window = value;
		} else if (!nsim_fault_buf_wr_locked(sim, offset, value)) {
			nsim_unknown_locked(sim, offset, true);
		}
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
}
