// SPDX-License-Identifier: GPL-2.0
/*
 * GPU MMU fault reporting: nova-core drains the GPU's fault log registers
 * into a ring of recent faults, from which clients read the faults of one
 * address space (by its page directory base).
 */
#include <linux/bitfield.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>

#include "nova_core.h"

/**
 * nova_fault_init() - set up fault reporting of a GPU
 * @core: the GPU
 */
void nova_fault_init(struct nova_core *core)
{
	mutex_init(&core->faults.lock);
	nova_wr32(core, NVSIM_FAULT_LOG_CLEAR, 1);
}

/* Move the hardware log into the ring. Called with the fault lock held. */
static void nova_fault_drain(struct nova_core *core)
{
	struct nova_fault_ring *r = &core->faults;
	int idx;
	u32 n;

	lockdep_assert_held(&r->lock);
	/* A GPU that is gone keeps the faults already drained. */
	if (!nova_hw_enter(core, &idx))
		return;
	n = nova_rd32(core, NVSIM_FAULT_LOG_COUNT);
	while (n--) {
		struct nova_fault *f = &r->entries[(r->head + r->count) % NOVA_FAULT_RING];
		u32 info = nova_rd32(core, NVSIM_FAULT_LOG_INFO);

		f->va = nova_rd32(core, NVSIM_FAULT_LOG_ADDR_LO) |
			(u64)nova_rd32(core, NVSIM_FAULT_LOG_ADDR_HI) << 32;
		f->pdb = nova_rd32(core, NVSIM_FAULT_LOG_PDB_LO) |
			 (u64)nova_rd32(core, NVSIM_FAULT_LOG_PDB_HI) << 32;
		f->access = FIELD_GET(NVSIM_FAULT_INFO_ACCESS, info);
		f->reason = FIELD_GET(NVSIM_FAULT_INFO_REASON, info);
		f->seq = r->next_seq++;
		nova_wr32(core, NVSIM_FAULT_LOG_POP, 1);
		if (r->count == NOVA_FAULT_RING)
			r->head = (r->head + 1) % NOVA_FAULT_RING; /* drop the oldest */
		else
			r->count++;
	}
	nova_hw_exit(core, idx);
}

/**
 * nova_core_faults() - read the recorded faults of an address space
 * @core: the GPU
 * @pdb: the address space's page directory base
 * @out: where to copy them, oldest first (may be NULL when @max is 0)
 * @max: room in @out
 *
 * Return: the number of faults of @pdb recorded, which may exceed @max.
 */
u32 nova_core_faults(struct nova_core *core, u64 pdb, struct nova_fault *out,
		     u32 max)
{
	struct nova_fault_ring *r = &core->faults;
	u32 i, n = 0;

	mutex_lock(&r->lock);
	nova_fault_drain(core);
	for (i = 0; i < r->count; i++) {
		struct nova_fault *f = &r->entries[(r->head + i) % NOVA_FAULT_RING];

		if (f->pdb != pdb)
			continue;
		if (n < max)
			out[n] = *f;
		n++;
	}
	mutex_unlock(&r->lock);
	return n;
}
EXPORT_SYMBOL_GPL(nova_core_faults);

/**
 * nova_core_faults_clear() - forget faults of an address space already read
 * @core: the GPU
 * @pdb: the address space's page directory base
 * @last_seq: &nova_fault.seq of the last fault to forget; U64_MAX for all
 *
 * Faults of @pdb up to and including @last_seq go; those recorded after it
 * (since the caller read them with nova_core_faults()) stay.
 */
void nova_core_faults_clear(struct nova_core *core, u64 pdb, u64 last_seq)
{
	struct nova_fault_ring *r = &core->faults;
	u32 i, kept = 0;

	mutex_lock(&r->lock);
	for (i = 0; i < r->count; i++) {
		struct nova_fault *f = &r->entries[(r->head + i) % NOVA_FAULT_RING];

		if (f->pdb == pdb && f->seq <= last_seq)
			continue;
		/* Compact the ring in place. */
		r->entries[(r->head + kept) % NOVA_FAULT_RING] = *f;
		kept++;
	}
	r->count = kept;
	mutex_unlock(&r->lock);
}
EXPORT_SYMBOL_GPL(nova_core_faults_clear);
