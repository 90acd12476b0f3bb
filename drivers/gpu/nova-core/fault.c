// SPDX-License-Identifier: GPL-2.0
/*
 * GPU MMU fault reporting: nova-core reads the GPU's non-replayable fault
 * buffer into a ring of recent faults, from which clients read the faults
 * of one address space (by its page directory base).
 */
#include <linux/bitfield.h>
#include <linux/nova/regs.h>

#include "nova_core.h"

/**
 * DOC: MMU fault buffer
 *
 * Since Volta the GPU's MMU reports faults by writing a 32-byte packet
 * per fault (class MMU_FAULT_BUFFER, <linux/nova/regs.h>) into a ring in
 * memory that the driver sets up: the non-replayable fault buffer
 * (NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_*(0)). nova-core places it in
 * VRAM at probe (NOVA_FAULT_BUF_ENTRIES packets, physical address, LOCAL
 * aperture), zeroes it, and enables it with the overflow interrupt.
 *
 * The MMU writes a packet at PUT, VALID last, and advances PUT; nova-core
 * drains the buffer when a client asks for faults (nova_core_faults()):
 * under nova_fault_ring.lock it reads each packet from GET to PUT through
 * PRAMIN, stops at one not yet VALID (PUT may run ahead of the packet's
 * write), decodes it into a &struct nova_fault, clears VALID and advances
 * GET. The packet's address is the faulting 4 KiB page.
 *
 * A full buffer (PUT + 1 == GET) sets OVERFLOW, and the MMU drops every
 * fault until the driver clears it: nova-core clears OVERFLOW with the
 * GET write that ends a drain, and counts the overflow
 * (&nova_fault_ring.overflows); the faults dropped meanwhile are lost.
 *
 * The packet identifies the address space by its instance block. nova
 * has no instance blocks (the firmware owns them), and nova-sim reports
 * the page directory base of the address space in the INST field; the
 * ring is keyed by that. A PCI backend will map the instance block to the
 * address space instead.
 *
 * The packet's fault type becomes a NOVA_FAULT_REASON_* (the values of
 * the DRM uAPI's &drm_nova_vm_fault.reason): PDE and PDE_SIZE are an
 * invalid PDE, VA_LIMIT_VIOLATION out of range, RO_VIOLATION a write to
 * read-only, UNSUPPORTED_APERTURE a bad aperture, every other type an
 * invalid PTE.
 */

/**
 * nova_fault_init() - set up fault reporting of a GPU
 * @core: the GPU
 *
 * Context: process, at probe, before nova_fault_buf_init().
 */
void nova_fault_init(struct nova_core *core)
{
	mutex_init(&core->faults.lock);
	INIT_LIST_HEAD(&core->faults.buf_blocks);
}

/**
 * nova_fault_buf_init() - place and enable the non-replayable fault buffer
 * @core: the GPU, with its VRAM allocator set up
 *
 * Context: process, at probe; takes nova_mm.lock and nova_pramin.lock.
 * Return: 0, -ENOSPC when VRAM is exhausted, -ENOMEM.
 */
int nova_fault_buf_init(struct nova_core *core)
{
	struct nova_fault_ring *r = &core->faults;
	u32 i = NV_MMU_NON_REPLAY_FAULT_BUFFER;
	const u64 size = NOVA_FAULT_BUF_ENTRIES * NV_MMU_FAULT_BUF_SIZE;
	struct gpu_buddy_block *block;
	int ret;

	BUILD_BUG_ON(!is_power_of_2(size) || size < SZ_4K);
	mutex_lock(&core->mm.lock);
	ret = nova_vram_alloc_locked(core, size, size, 0, &r->buf_blocks);
	mutex_unlock(&core->mm.lock);
	if (ret)
		return ret;
	block = list_first_entry(&r->buf_blocks, struct gpu_buddy_block, link);
	r->buf_addr = gpu_buddy_block_offset(block);

	/*
	 * A previous owner may have left it enabled: off first, which also
	 * resets GET and PUT to 0 and clears the overflow.
	 */
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_SIZE(i), 0);
	nova_pramin_lock(core);
	nova_pramin_fill(core, r->buf_addr, 0, size);
	nova_pramin_unlock(core);
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_HI(i),
		  upper_32_bits(r->buf_addr));
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_LO(i),
		  NV_MMU_FAULT_BUFFER_LO_ADDR_MODE_PHYSICAL |
		  FIELD_PREP(NV_MMU_FAULT_BUFFER_LO_PHYS_APERTURE,
			     NV_MMU_FAULT_BUFFER_LO_PHYS_APERTURE_LOCAL) |
		  (lower_32_bits(r->buf_addr) & NV_MMU_FAULT_BUFFER_LO_ADDR));
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_SIZE(i),
		  FIELD_PREP(NV_MMU_FAULT_BUFFER_SIZE_VAL, NOVA_FAULT_BUF_ENTRIES) |
		  NV_MMU_FAULT_BUFFER_SIZE_OVERFLOW_INTR |
		  NV_MMU_FAULT_BUFFER_SIZE_ENABLE);
	mutex_lock(&r->lock);
	r->buf_on = true;
	mutex_unlock(&r->lock);
	return 0;
}

/**
 * nova_fault_buf_stop() - disable the fault buffer
 * @core: the GPU
 *
 * The GPU writes no more packets; the faults drained stay readable. Does
 * nothing when the buffer is off or the GPU gone.
 *
 * Context: process; takes nova_fault_ring.lock.
 */
void nova_fault_buf_stop(struct nova_core *core)
{
	const u32 i = NV_MMU_NON_REPLAY_FAULT_BUFFER;
	struct nova_fault_ring *r = &core->faults;
	int idx;

	mutex_lock(&r->lock);
	if (r->buf_on && nova_hw_enter(core, &idx)) {
		nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_SIZE(i), 0);
		nova_hw_exit(core, idx);
	}
	r->buf_on = false;
	mutex_unlock(&r->lock);
}

/**
 * nova_fault_fini() - tear down fault reporting
 * @core: the GPU
 *
 * Disables the buffer if the GPU is still there and frees its VRAM.
 *
 * Context: process; before nova_mm_fini().
 */
void nova_fault_fini(struct nova_core *core)
{
	nova_fault_buf_stop(core);
	if (list_empty(&core->faults.buf_blocks))
		return;
	mutex_lock(&core->mm.lock);
	nova_vram_free_locked(core, &core->faults.buf_blocks);
	mutex_unlock(&core->mm.lock);
}

/**
 * nova_fault_decode() - a fault buffer packet as a &struct nova_fault
 * @w: the packet's eight words, in CPU order
 * @f: the fault; @f->seq is left alone
 *
 * Context: any.
 * Return: false when the packet is not VALID (@f unchanged).
 */
bool nova_fault_decode(const u32 *w, struct nova_fault *f)
{
	u32 info = w[NV_MMU_FAULT_BUF_DW_INFO];
	u32 access = FIELD_GET(NV_MMU_FAULT_BUF_ACCESS_TYPE, info);

	if (!(info & NV_MMU_FAULT_BUF_VALID))
		return false;
	f->va = (w[NV_MMU_FAULT_BUF_DW_ADDR_LO] & NV_MMU_FAULT_BUF_ADDR_LO) |
		(u64)w[NV_MMU_FAULT_BUF_DW_ADDR_HI] << 32;
	f->pdb = (w[NV_MMU_FAULT_BUF_DW_INST_LO] & NV_MMU_FAULT_BUF_INST_LO) |
		 (u64)w[NV_MMU_FAULT_BUF_DW_INST_HI] << 32;
	f->access = access == NV_PFAULT_ACCESS_TYPE_VIRT_WRITE ||
		    access == NV_PFAULT_ACCESS_TYPE_PHYS_WRITE;
	switch (FIELD_GET(NV_MMU_FAULT_BUF_FAULT_TYPE, info)) {
	case NV_PFAULT_FAULT_TYPE_PDE:
	case NV_PFAULT_FAULT_TYPE_PDE_SIZE:
		f->reason = NOVA_FAULT_REASON_PDE;
		break;
	case NV_PFAULT_FAULT_TYPE_VA_LIMIT_VIOLATION:
		f->reason = NOVA_FAULT_REASON_RANGE;
		break;
	case NV_PFAULT_FAULT_TYPE_RO_VIOLATION:
		f->reason = NOVA_FAULT_REASON_RO;
		break;
	case NV_PFAULT_FAULT_TYPE_UNSUPPORTED_APERTURE:
		f->reason = NOVA_FAULT_REASON_APERTURE;
		break;
	default:
		f->reason = NOVA_FAULT_REASON_PTE;
		break;
	}
	return true;
}

/* Move the fault buffer into the ring. Called with the fault lock held. */
static void nova_fault_drain(struct nova_core *core)
{
	const u32 i = NV_MMU_NON_REPLAY_FAULT_BUFFER;
	struct nova_fault_ring *r = &core->faults;
	u32 get, put, w[NV_MMU_FAULT_BUF_SIZE / 4];
	u32 clear = 0;
	int idx;

	lockdep_assert_held(&r->lock);
	/* A GPU that is gone keeps the faults already drained. */
	if (!r->buf_on || !nova_hw_enter(core, &idx))
		return;
	get = nova_rd32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_GET(i));
	put = nova_rd32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_PUT(i));
	if (put & NV_MMU_FAULT_BUFFER_OVERFLOW) {
		r->overflows++;
		clear = NV_MMU_FAULT_BUFFER_OVERFLOW;
	}
	if (get & NV_MMU_FAULT_BUFFER_GETPTR_CORRUPTED) {
		dev_err_ratelimited(core->dev, "fault buffer GET corrupted\n");
		clear |= NV_MMU_FAULT_BUFFER_GETPTR_CORRUPTED;
	}
	get = FIELD_GET(NV_MMU_FAULT_BUFFER_PTR, get);
	put = FIELD_GET(NV_MMU_FAULT_BUFFER_PTR, put);
	if (get >= NOVA_FAULT_BUF_ENTRIES || put >= NOVA_FAULT_BUF_ENTRIES) {
		/* Not the buffer nova-core set up: start over. */
		dev_err_ratelimited(core->dev, "fault buffer GET %u PUT %u\n",
				    get, put);
		get = put;
		clear |= NV_MMU_FAULT_BUFFER_GETPTR_CORRUPTED;
	}

	nova_pramin_lock(core);
	while (get != put) {
		u64 addr = r->buf_addr + (u64)get * NV_MMU_FAULT_BUF_SIZE;
		struct nova_fault *f;
		struct nova_fault tmp;
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(w); k++)
			w[k] = nova_pramin_rd32(core, addr + 4 * k);
		if (!nova_fault_decode(w, &tmp))
			break;	/* PUT ran ahead of the packet: next time */
		nova_pramin_wr32(core, addr + NV_MMU_FAULT_BUF_DW_INFO * 4,
				 w[NV_MMU_FAULT_BUF_DW_INFO] &
				 ~NV_MMU_FAULT_BUF_VALID);
		get = (get + 1) % NOVA_FAULT_BUF_ENTRIES;

		f = &r->entries[(r->head + r->count) % NOVA_FAULT_RING];
		*f = tmp;
		f->seq = r->next_seq++;
		if (r->count == NOVA_FAULT_RING)
			r->head = (r->head + 1) % NOVA_FAULT_RING; /* drop the oldest */
		else
			r->count++;
	}
	nova_pramin_unlock(core);
	nova_wr32(core, NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_GET(i),
		  get | clear);
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
