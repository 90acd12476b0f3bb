// SPDX-License-Identifier: GPL-2.0
/*
 * GPU TLB invalidation (Turing and later, NV_VIRTUAL_FUNCTION_PRIV_MMU_*):
 * write the address space's page directory base, then INVALIDATE with
 * TRIGGER, then poll until the GPU clears TRIGGER.
 *
 * Flushes after unmaps and permission tightening ask for a global
 * acknowledgment (ACK_GLOBALLY) so that no engine still uses a stale
 * translation when the flush completes; flushes that only add mappings
 * need none. BAR address spaces are only cached by the HUB TLB.
 *
 * The TLB lock is taken in the DMA-fence signalling path.
 */
#include <linux/bitfield.h>
#include <linux/iopoll.h>
#include <linux/nova/regs.h>

#include "../nova_core.h"

#define NOVA_TLB_TIMEOUT_US	2000000

/**
 * nova_tlb_init() - set up TLB invalidation of a GPU
 * @core: the GPU
 */
void nova_tlb_init(struct nova_core *core)
{
	mutex_init(&core->tlb.lock);
}

/**
 * nova_tlb_flush() - invalidate the TLB entries of an address space
 * @core: the GPU
 * @pdb: VRAM address of the address space's page directory base
 * @flags: NOVA_TLB_HUB_ONLY for BAR address spaces, NOVA_TLB_ACK to wait
 *	for every engine to acknowledge (after unmaps)
 *
 * Return: 0, or -ETIMEDOUT when the GPU does not complete the
 * invalidation within 2 s.
 */
int nova_tlb_flush(struct nova_core *core, u64 pdb, u32 flags)
{
	u32 inv = NV_MMU_INVALIDATE_ALL_VA | NV_MMU_INVALIDATE_TRIGGER;
	u32 val;
	int ret;

	if (flags & NOVA_TLB_HUB_ONLY)
		inv |= NV_MMU_INVALIDATE_HUBTLB_ONLY;
	if (flags & NOVA_TLB_ACK)
		inv |= FIELD_PREP(NV_MMU_INVALIDATE_ACK,
				  NV_MMU_INVALIDATE_ACK_GLOBALLY);

	mutex_lock(&core->tlb.lock);
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB,
		  FIELD_PREP(NV_MMU_INVALIDATE_PDB_ADDR, pdb >> 12) |
		  NV_MMU_INVALIDATE_PDB_APERTURE_VIDMEM);
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB,
		  FIELD_PREP(NV_MMU_INVALIDATE_UPPER_PDB_ADDR, pdb >> 40));
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE, inv);
	ret = read_poll_timeout(nova_rd32, val,
				!(val & NV_MMU_INVALIDATE_TRIGGER), 0,
				NOVA_TLB_TIMEOUT_US, false, core,
				NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE);
	core->tlb.flushes++;
	mutex_unlock(&core->tlb.lock);
	if (ret)
		dev_err(core->dev, "TLB invalidation of PDB %#llx timed out\n", pdb);
	return ret;
}
